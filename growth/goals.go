package growth

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Bounds of a goal.
const (
	MaxOpenGoals     = 3
	MaxGoalText      = 500
	MaxGoalActions   = 5
	MaxActionText    = 300
	MaxReflectionLen = 1000
)

// GoalInput is a new goal.
type GoalInput struct {
	Target     surveys.GoalTarget `json:"target"`      // kind "attribute" (availability|competence|altruistic_support) or "item" (a key of the program's instruments)
	Text       string             `json:"text"`        // required, ≤ 500 characters
	Actions    []string           `json:"actions"`     // 1..5, each required, ≤ 300 characters
	ReviewDate *string            `json:"review_date"` // YYYY-MM-DD; absent = last day of the next window
	Shared     *bool              `json:"shared"`
}

// GoalChanges changes a goal (PATCH): every field optional; an empty body
// is invalid.
type GoalChanges struct {
	Text       *string   `json:"text"`
	Actions    *[]string `json:"actions"`
	ReviewDate *string   `json:"review_date"`
	Shared     *bool     `json:"shared"`
	Outcome    *string   `json:"outcome"`    // achieved|continuing|dropped; continuing keeps the goal open with a new review date (given or default)
	Reflection *string   `json:"reflection"` // ≤ 1000 characters
}

func (c GoalChanges) empty() bool {
	return c.Text == nil && c.Actions == nil && c.ReviewDate == nil && c.Shared == nil && c.Outcome == nil && c.Reflection == nil
}

// TargetView is a goal's target with its human name.
type TargetView struct {
	Kind  string `json:"kind"`
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Goal is a goal as its resident (or, when shared, their directors) sees
// it, with its progress in released figures.
type Goal struct {
	ID          int64      `json:"id"`
	ResidentID  int64      `json:"resident_id"`
	Target      TargetView `json:"target"`
	Text        string     `json:"text"`
	Actions     []string   `json:"actions"`
	ReviewDate  string     `json:"review_date"`
	SetInWindow string     `json:"set_in_window"`
	CreatedAt   time.Time  `json:"created_at"`
	Status      string     `json:"status"` // open | closed
	Due         bool       `json:"due"`    // open and the review date has come
	Outcome     *string    `json:"outcome"`
	Reflection  *string    `json:"reflection"`
	ReviewedAt  *time.Time `json:"reviewed_at"`
	Shared      bool       `json:"shared"`
	// Progress is the target's figure before the goal was set beside the
	// figure since.
	Progress surveys.GoalProgress `json:"progress"`
}

// Goal statuses.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// goalAttributes are the attributes a goal may target (Overall is their
// summary, not something to work on).
var goalAttributes = []surveys.Attribute{surveys.Availability, surveys.Competence, surveys.AltruisticSupport}

// Goals lists the resident's goals, open ones first, then newest. Their
// program's directors and admins see the shared ones only, and their look
// is audited.
func (s *Service) Goals(ctx context.Context, a accounts.Actor, residentID int64) ([]Goal, error) {
	out, _, err := s.goals(ctx, a, residentID, false)
	return out, err
}

// OpenGoals lists the resident's open goals, newest first, with their
// progress, and counts the closed ones: what the home shows. A closed
// goal's progress is not computed (two reports each) only to be counted.
func (s *Service) OpenGoals(ctx context.Context, a accounts.Actor, residentID int64) (open []Goal, closed int, err error) {
	return s.goals(ctx, a, residentID, true)
}

// goals lists the resident's goals, or only the open ones with the count
// of closed ones left out.
func (s *Service) goals(ctx context.Context, a accounts.Actor, residentID int64, openOnly bool) ([]Goal, int, error) {
	sub, err := s.resident(ctx, a, residentID)
	if err != nil {
		return nil, 0, err
	}
	stored, err := s.db.GoalsOf(ctx, residentID, !sub.self)
	if err != nil {
		return nil, 0, err
	}
	cat, err := s.catalogue(ctx, sub.prog)
	if err != nil {
		return nil, 0, err
	}
	out, closed := []Goal{}, 0
	for i := range stored {
		if openOnly && !stored[i].Open() {
			closed++
			continue
		}
		g, err := s.goalView(ctx, sub, cat, &stored[i])
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *g)
	}
	if !sub.self {
		if err := s.viewed(ctx, a, sub, userTarget(residentID), fmt.Sprintf("shared goals: %d", len(out)+closed)); err != nil {
			return nil, 0, err
		}
	}
	return out, closed, nil
}

// CreateGoal sets a goal for the signed-in resident. A fourth open goal is
// a conflict: one must be closed first.
func (s *Service) CreateGoal(ctx context.Context, a accounts.Actor, in GoalInput) (*Goal, error) {
	sub, err := s.me(ctx, a)
	if err != nil {
		return nil, err
	}
	cat, err := s.catalogue(ctx, sub.prog)
	if err != nil {
		return nil, err
	}
	cur := sub.prog.WindowOf(s.now())
	g := &models.Goal{ResidentID: sub.user.ID, ProgramID: sub.prog.ID, TargetKind: in.Target.Kind, TargetKey: in.Target.Key,
		SetInWindow: cur.ID, ReviewDate: s.defaultReview(sub.prog)}
	var fields []surveys.FieldError
	fields = append(fields, checkTarget(cat, in.Target)...)
	g.Text, fields = checkGoalText(in.Text, fields)
	g.Actions, fields = checkActions(in.Actions, fields)
	if in.ReviewDate != nil {
		g.ReviewDate, fields = s.checkReviewDate(*in.ReviewDate, fields)
	}
	if len(fields) > 0 {
		return nil, surveys.Invalid("the goal is not valid", fields)
	}
	if in.Shared != nil {
		g.Shared = *in.Shared
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		n, err := s.db.OpenGoals(ctx, sub.user.ID)
		if err != nil {
			return err
		}
		if n >= MaxOpenGoals {
			return surveys.Errorf(surveys.ECONFLICT,
				"you have %d open goals, the most at a time; close one first (record its outcome as achieved or dropped) before setting another", n)
		}
		if err := s.db.CreateGoal(ctx, g); err != nil {
			return err
		}
		detail := fmt.Sprintf("target %s:%s, review %s", g.TargetKind, g.TargetKey, g.ReviewDate)
		if err := s.audit(ctx, a, models.AuditEntry{Action: models.ActionGoalCreate, Target: goalTarget(g.ID), ProgramID: &g.ProgramID, Detail: detail}); err != nil {
			return err
		}
		if g.Shared {
			return s.audit(ctx, a, models.AuditEntry{Action: models.ActionGoalShare, Target: goalTarget(g.ID), ProgramID: &g.ProgramID})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.goalView(ctx, sub, cat, g)
}

// UpdateGoal changes one of the signed-in resident's goals: its words,
// actions, review date or sharing, or records its outcome. A closed goal
// (achieved or dropped) changes its sharing only. Another's goal is
// not_found.
func (s *Service) UpdateGoal(ctx context.Context, a accounts.Actor, goalID int64, in GoalChanges) (*Goal, error) {
	sub, err := s.me(ctx, a)
	if err != nil {
		return nil, err
	}
	if in.empty() {
		return nil, surveys.Invalid("nothing to change", []surveys.FieldError{{Field: "body",
			Message: "send at least one of text, actions, review_date, shared, outcome, reflection"}})
	}
	cat, err := s.catalogue(ctx, sub.prog)
	if err != nil {
		return nil, err
	}
	var g *models.Goal
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		g, err = s.db.GoalByID(ctx, goalID)
		if err != nil {
			return err
		}
		if g.ResidentID != sub.user.ID {
			return surveys.Errorf(surveys.ENOTFOUND, "goal %d does not exist", goalID)
		}
		if !g.Open() && (in.Text != nil || in.Actions != nil || in.ReviewDate != nil || in.Outcome != nil || in.Reflection != nil) {
			return surveys.Errorf(surveys.ECONFLICT, "goal %d is closed (%s); only its sharing can change: set a new goal to keep working on it", g.ID, *g.Outcome)
		}
		changed, err := s.applyChanges(sub.prog, g, in)
		if err != nil {
			return err
		}
		wasShared := g.Shared
		if in.Shared != nil {
			g.Shared = *in.Shared
		}
		if err := s.db.SaveGoal(ctx, g); err != nil {
			return err
		}
		return s.auditChanges(ctx, a, g, in, changed, wasShared)
	})
	if err != nil {
		return nil, err
	}
	return s.goalView(ctx, sub, cat, g)
}

// applyChanges validates and applies the changes other than sharing,
// returning the names of the fields that changed.
func (s *Service) applyChanges(prog *models.Program, g *models.Goal, in GoalChanges) ([]string, error) {
	var fields []surveys.FieldError
	var changed []string
	if in.Text != nil {
		g.Text, fields = checkGoalText(*in.Text, fields)
		changed = append(changed, "text")
	}
	if in.Actions != nil {
		g.Actions, fields = checkActions(*in.Actions, fields)
		changed = append(changed, "actions")
	}
	if in.ReviewDate != nil {
		g.ReviewDate, fields = s.checkReviewDate(*in.ReviewDate, fields)
		changed = append(changed, "review_date")
	}
	if in.Reflection != nil {
		r := strings.TrimSpace(*in.Reflection)
		switch {
		case utf8.RuneCountInString(r) > MaxReflectionLen:
			fields = append(fields, surveys.FieldError{Field: "reflection", Message: fmt.Sprintf("must be at most %d characters", MaxReflectionLen)})
		case surveys.CheckText(r, true) != nil:
			fields = append(fields, surveys.FieldError{Field: "reflection", Message: surveys.CheckText(r, true).Error()})
		}
		g.Reflection = &r
		changed = append(changed, "reflection")
	}
	if in.Outcome != nil {
		switch *in.Outcome {
		case models.OutcomeAchieved, models.OutcomeDropped:
		case models.OutcomeContinuing:
			if in.ReviewDate == nil {
				g.ReviewDate = s.defaultReview(prog)
			}
		default:
			fields = append(fields, surveys.FieldError{Field: "outcome", Message: "must be achieved, continuing or dropped"})
		}
		o, now := *in.Outcome, s.now()
		g.Outcome, g.ReviewedAt = &o, &now
	}
	if len(fields) > 0 {
		return nil, surveys.Invalid("the changes are not valid", fields)
	}
	return changed, nil
}

// auditChanges records what an update did: the outcome, other changes, and
// a change of sharing, each by field name and key, never by text.
func (s *Service) auditChanges(ctx context.Context, a accounts.Actor, g *models.Goal, in GoalChanges, changed []string, wasShared bool) error {
	entry := func(action, detail string) error {
		return s.audit(ctx, a, models.AuditEntry{Action: action, Target: goalTarget(g.ID), ProgramID: &g.ProgramID, Detail: detail})
	}
	if in.Outcome != nil {
		if err := entry(models.ActionGoalReview, fmt.Sprintf("outcome %s, review %s", *g.Outcome, g.ReviewDate)); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		if err := entry(models.ActionGoalUpdate, "changed "+strings.Join(changed, ", ")); err != nil {
			return err
		}
	}
	if g.Shared != wasShared {
		return entry(shareAction(g.Shared, models.ActionGoalShare, models.ActionGoalUnshare), "")
	}
	return nil
}

// defaultReview is the default review date: the last day of the window
// after the current one.
func (s *Service) defaultReview(prog *models.Program) string {
	return lastDay(prog.WindowOf(s.now()).Next(prog.ReleaseWindow, prog.AcademicYearStartMonth))
}

func checkTarget(cat []surveys.Item, t surveys.GoalTarget) []surveys.FieldError {
	switch t.Kind {
	case surveys.TargetAttribute:
		for _, at := range goalAttributes {
			if string(at) == t.Key {
				return nil
			}
		}
		return []surveys.FieldError{{Field: "target.key", Message: "must be availability, competence or altruistic_support"}}
	case surveys.TargetItem:
		for _, it := range cat {
			if it.Key == t.Key {
				return nil
			}
		}
		return []surveys.FieldError{{Field: "target.key", Message: fmt.Sprintf("%q is not an item of the program's instruments", t.Key)}}
	}
	return []surveys.FieldError{{Field: "target.kind", Message: `must be "attribute" or "item"`}}
}

func checkGoalText(text string, fields []surveys.FieldError) (string, []surveys.FieldError) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		fields = append(fields, surveys.FieldError{Field: "text", Message: "say in a sentence what you want to work on"})
	case utf8.RuneCountInString(text) > MaxGoalText:
		fields = append(fields, surveys.FieldError{Field: "text", Message: fmt.Sprintf("must be at most %d characters", MaxGoalText)})
	case surveys.CheckText(text, false) != nil:
		fields = append(fields, surveys.FieldError{Field: "text", Message: surveys.CheckText(text, false).Error()})
	}
	return text, fields
}

func checkActions(actions []string, fields []surveys.FieldError) ([]string, []surveys.FieldError) {
	if len(actions) < 1 || len(actions) > MaxGoalActions {
		return actions, append(fields, surveys.FieldError{Field: "actions",
			Message: fmt.Sprintf("name 1 to %d concrete actions, from the suggestions or your own", MaxGoalActions)})
	}
	out := make([]string, len(actions))
	for i, act := range actions {
		out[i] = strings.TrimSpace(act)
		field := fmt.Sprintf("actions[%d]", i)
		switch {
		case out[i] == "":
			fields = append(fields, surveys.FieldError{Field: field, Message: "is empty"})
		case utf8.RuneCountInString(out[i]) > MaxActionText:
			fields = append(fields, surveys.FieldError{Field: field, Message: fmt.Sprintf("must be at most %d characters", MaxActionText)})
		case surveys.CheckText(out[i], false) != nil:
			fields = append(fields, surveys.FieldError{Field: field, Message: surveys.CheckText(out[i], false).Error()})
		}
	}
	return out, fields
}

func (s *Service) checkReviewDate(date string, fields []surveys.FieldError) (string, []surveys.FieldError) {
	d, err := time.Parse(time.DateOnly, date)
	switch {
	case err != nil || d.Format(time.DateOnly) != date:
		fields = append(fields, surveys.FieldError{Field: "review_date", Message: "must be a date like 2026-12-31"})
	case date < s.today():
		fields = append(fields, surveys.FieldError{Field: "review_date", Message: "must be today or later"})
	}
	return date, fields
}

// catalogue is every item of the program's instruments, newest text.
func (s *Service) catalogue(ctx context.Context, prog *models.Program) ([]surveys.Item, error) {
	ins, err := s.db.ProgramInstruments(ctx, prog.ID)
	if err != nil {
		return nil, err
	}
	var out []surveys.Item
	seen := map[string]int{}
	for _, in := range ins {
		for _, it := range in.Items {
			if i, ok := seen[it.Key]; ok {
				out[i] = it
				continue
			}
			seen[it.Key] = len(out)
			out = append(out, it)
		}
	}
	return out, nil
}

// goalView is a stored goal as shown, with its progress.
func (s *Service) goalView(ctx context.Context, sub *subject, cat []surveys.Item, g *models.Goal) (*Goal, error) {
	out := &Goal{ID: g.ID, ResidentID: g.ResidentID, Target: targetView(cat, g), Text: g.Text, Actions: g.Actions,
		ReviewDate: g.ReviewDate, SetInWindow: g.SetInWindow, CreatedAt: g.CreatedAt.UTC(), Status: StatusClosed,
		Outcome: g.Outcome, Reflection: g.Reflection, Shared: g.Shared}
	if out.Actions == nil {
		out.Actions = []string{}
	}
	if g.ReviewedAt != nil {
		t := g.ReviewedAt.UTC()
		out.ReviewedAt = &t
	}
	if g.Open() {
		out.Status = StatusOpen
		out.Due = s.today() >= g.ReviewDate
	}
	p, err := s.progress(ctx, sub, g)
	if err != nil {
		return nil, err
	}
	out.Progress = p
	return out, nil
}

func targetView(cat []surveys.Item, g *models.Goal) TargetView {
	v := TargetView{Kind: g.TargetKind, Key: g.TargetKey, Label: g.TargetKey}
	if g.TargetKind == surveys.TargetAttribute {
		v.Label = surveys.Attribute(g.TargetKey).Label()
		return v
	}
	for _, it := range cat {
		if it.Key == g.TargetKey {
			v.Label = it.Text
		}
	}
	return v
}

// progress compares the target's released figure over the twelve months
// of windows before the goal was set with its figure from the window after
// through the current one (or the window it was closed in).
func (s *Service) progress(ctx context.Context, sub *subject, g *models.Goal) (surveys.GoalProgress, error) {
	kind, start := sub.prog.ReleaseWindow, sub.prog.AcademicYearStartMonth
	set, err := surveys.WindowOfMonth(g.SetInWindow, kind, start)
	if err != nil {
		return surveys.GoalProgress{}, fmt.Errorf("goal %d: window %q: %w", g.ID, g.SetInWindow, err)
	}
	month := func(t time.Time) string { return t.Format("2006-01") }
	before := surveys.Period{From: month(set.Start().AddDate(0, -12, 0)), To: month(set.Start().AddDate(0, -1, 0))}
	until := s.now()
	if !g.Open() && g.ReviewedAt != nil {
		until = *g.ReviewedAt
	}
	next := set.Next(kind, start)
	after := surveys.Period{From: next.From, To: sub.prog.WindowOf(until).To}
	if after.To < next.To {
		after.To = next.To
	}
	b, err := s.db.ResidentReport(ctx, sub.user.ID, before)
	if err != nil {
		return surveys.GoalProgress{}, err
	}
	a, err := s.db.ResidentReport(ctx, sub.user.ID, after)
	if err != nil {
		return surveys.GoalProgress{}, err
	}
	return surveys.ProgressOf(*b, *a, surveys.GoalTarget{Kind: g.TargetKind, Key: g.TargetKey}), nil
}
