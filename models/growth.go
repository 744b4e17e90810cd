package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// The growth loop's storage (migration 0013): a resident's self-assessments
// and goals. Both are the resident's own words about themselves; no column
// names a response, a link, a meeting or a mentee, and no report of mentee
// figures reads these tables.

// Goal outcomes. Continuing keeps a goal open with a new review date;
// achieved and dropped close it.
const (
	OutcomeAchieved   = "achieved"
	OutcomeContinuing = "continuing"
	OutcomeDropped    = "dropped"
)

// SelfAssessment is a resident's rating of themselves for one release
// window, on the instrument version it was first saved with.
type SelfAssessment struct {
	ID                int64 `gorm:"primaryKey"`
	ResidentID        int64
	ProgramID         int64
	WindowID          string
	InstrumentKey     string
	InstrumentVersion int
	// Ratings maps every item key of the instrument to 1..5, or nil for
	// not applicable.
	Ratings   map[string]*int `gorm:"serializer:json"`
	Shared    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName is the self-assessments table.
func (SelfAssessment) TableName() string { return "self_assessments" }

// Goal is one of a resident's goals.
type Goal struct {
	ID          int64 `gorm:"primaryKey"`
	ResidentID  int64
	ProgramID   int64
	TargetKind  string
	TargetKey   string
	Text        string
	Actions     []string `gorm:"serializer:json"`
	ReviewDate  string   // YYYY-MM-DD
	SetInWindow string   // the id of the release window it was set in
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Outcome     *string
	Reflection  *string
	ReviewedAt  *time.Time
	Shared      bool
}

// TableName is the goals table.
func (Goal) TableName() string { return "goals" }

// Open reports whether the goal is still worked on: no outcome yet, or
// continuing.
func (g *Goal) Open() bool { return g.Outcome == nil || *g.Outcome == OutcomeContinuing }

// SelfAssessmentFor returns a resident's self-assessment of a window, or
// not_found.
func (d *DB) SelfAssessmentFor(ctx context.Context, residentID int64, windowID string) (*SelfAssessment, error) {
	var sa SelfAssessment
	err := d.db(ctx).Where("resident_id = ? AND window_id = ?", residentID, windowID).Take(&sa).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "no self-assessment for window %s", windowID)
	}
	if err != nil {
		return nil, fmt.Errorf("read self-assessment: %w", err)
	}
	return &sa, nil
}

// SelfAssessmentsOf lists a resident's self-assessments, newest window
// first; sharedOnly keeps those shared with the program's directors.
func (d *DB) SelfAssessmentsOf(ctx context.Context, residentID int64, sharedOnly bool) ([]SelfAssessment, error) {
	q := d.db(ctx).Where("resident_id = ?", residentID)
	if sharedOnly {
		q = q.Where("shared = ?", true)
	}
	var out []SelfAssessment
	if err := q.Order("window_id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list self-assessments: %w", err)
	}
	return out, nil
}

// SaveSelfAssessment stores a new self-assessment (ID 0) or replaces the
// ratings and sharing of a stored one; the instrument never changes. The
// timestamps come from the database's clock.
func (d *DB) SaveSelfAssessment(ctx context.Context, sa *SelfAssessment) error {
	now := d.now()
	sa.UpdatedAt = now
	if sa.ID == 0 {
		sa.CreatedAt = now
		err := d.db(ctx).Create(sa).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return surveys.Errorf(surveys.ECONFLICT, "the self-assessment of window %s was saved meanwhile; load it and save again", sa.WindowID)
		}
		if err != nil {
			return fmt.Errorf("create self-assessment: %w", err)
		}
		return nil
	}
	err := d.db(ctx).Model(&SelfAssessment{}).Where("id = ?", sa.ID).Updates(map[string]any{
		"ratings": jsonText(sa.Ratings), "shared": sa.Shared, "updated_at": now,
	}).Error
	if err != nil {
		return fmt.Errorf("update self-assessment: %w", err)
	}
	return nil
}

// GoalsOf lists a resident's goals, open ones first, then newest first;
// sharedOnly keeps those shared with the program's directors.
func (d *DB) GoalsOf(ctx context.Context, residentID int64, sharedOnly bool) ([]Goal, error) {
	q := d.db(ctx).Where("resident_id = ?", residentID)
	if sharedOnly {
		q = q.Where("shared = ?", true)
	}
	var out []Goal
	err := q.Order("CASE WHEN outcome IS NULL OR outcome = 'continuing' THEN 0 ELSE 1 END, created_at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list goals: %w", err)
	}
	return out, nil
}

// GoalByID returns a goal, or not_found.
func (d *DB) GoalByID(ctx context.Context, id int64) (*Goal, error) {
	var g Goal
	err := d.db(ctx).Where("id = ?", id).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "goal %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read goal: %w", err)
	}
	return &g, nil
}

// OpenGoals counts a resident's open goals. Inside a transaction on
// PostgreSQL it locks the resident's row first, so two goals created at
// once cannot both pass a limit (SQLite's write transactions are already
// one at a time).
func (d *DB) OpenGoals(ctx context.Context, residentID int64) (int64, error) {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx && d.Dialect == Postgres {
		if err := d.db(ctx).Exec(`SELECT id FROM users WHERE id = ? FOR UPDATE`, residentID).Error; err != nil {
			return 0, fmt.Errorf("lock the resident's goals: %w", err)
		}
	}
	var n int64
	err := d.db(ctx).Model(&Goal{}).Where("resident_id = ? AND (outcome IS NULL OR outcome = ?)", residentID, OutcomeContinuing).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count open goals: %w", err)
	}
	return n, nil
}

// CreateGoal stores a new goal; the timestamps come from the database's
// clock.
func (d *DB) CreateGoal(ctx context.Context, g *Goal) error {
	g.ID = 0
	g.CreatedAt = d.now()
	g.UpdatedAt = g.CreatedAt
	if err := d.db(ctx).Create(g).Error; err != nil {
		return fmt.Errorf("create goal: %w", err)
	}
	return nil
}

// SaveGoal writes a stored goal's changeable fields; updated_at comes
// from the database's clock.
func (d *DB) SaveGoal(ctx context.Context, g *Goal) error {
	g.UpdatedAt = d.now()
	err := d.db(ctx).Model(&Goal{}).Where("id = ?", g.ID).Updates(map[string]any{
		"text": g.Text, "actions": jsonText(g.Actions), "review_date": g.ReviewDate,
		"outcome": g.Outcome, "reflection": g.Reflection, "reviewed_at": g.ReviewedAt,
		"shared": g.Shared, "updated_at": g.UpdatedAt,
	}).Error
	if err != nil {
		return fmt.Errorf("update goal: %w", err)
	}
	return nil
}

// jsonText encodes a value the growth tables keep as JSON text (a map of
// ratings, a list of actions), as the json serializer of their fields does.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err)) // maps of ints and lists of strings always encode
	}
	return string(b)
}
