package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Response is one mentee's answers. It has no reference to its link, no time
// finer than the ISO week, and a random id so that ids reveal no order.
type Response struct {
	ID                string `gorm:"primaryKey"`
	ResidentID        int64
	ProgramID         int64
	InstrumentKey     string
	InstrumentVersion int
	Week              string
	Answers           string // JSON object: item key -> 1..5 or null
	KeepDoing         *string
	NextTime          *string
}

// DecodedAnswers parses the stored answers.
func (r *Response) DecodedAnswers() (map[string]*int, error) {
	var m map[string]*int
	if err := json.Unmarshal([]byte(r.Answers), &m); err != nil {
		return nil, fmt.Errorf("decode answers of response %s: %w", r.ID, err)
	}
	return m, nil
}

// SubmitResponse claims a link and stores its response in one transaction.
// The claim is one conditional UPDATE, so however many submissions of a link
// race, exactly one is stored; the others get a gone error that says why.
// The submission must have been validated against inst, the instrument the
// link asks.
func (d *DB) SubmitResponse(ctx context.Context, token string, inst *surveys.Instrument, sub surveys.Submission) error {
	if !surveys.WellFormedToken(token) {
		return errLinkNotFound
	}
	answers, err := json.Marshal(sub.Answers)
	if err != nil {
		return fmt.Errorf("encode answers: %w", err)
	}
	now := d.now()
	week := surveys.Week(now)
	p := submitParams{
		hash:      surveys.HashToken(token),
		week:      week,
		now:       now,
		id:        newResponseID(),
		key:       inst.Key,
		version:   inst.Version,
		answers:   string(answers),
		keepDoing: optional(sub.Comments[surveys.CommentKeepDoing]),
		nextTime:  optional(sub.Comments[surveys.CommentNextTime]),
	}
	var stored bool
	switch d.Dialect {
	case Postgres:
		stored, err = d.submitPostgres(ctx, p)
	default:
		stored, err = d.submitSQLite(ctx, p)
	}
	if err != nil {
		return fmt.Errorf("submit response: %w", err)
	}
	if stored {
		return nil
	}
	return d.explainClosed(ctx, token, inst)
}

type submitParams struct {
	hash, week, id, key, answers string
	now                          time.Time
	version                      int
	keepDoing, nextTime          *string
}

// submitPostgres claims and inserts in a single statement: one round trip,
// one implicit transaction. The claim also returns the link's id, used only
// by the meetings step; the response row never sees it.
func (d *DB) submitPostgres(ctx context.Context, p submitParams) (bool, error) {
	res := d.db(ctx).Exec(`WITH claimed AS (
			UPDATE invitations SET status = 'completed', completed_week = ?
			WHERE token_hash = ? AND status = 'pending' AND expires_at > ?
			  AND instrument_key = ? AND instrument_version = ?
			RETURNING id, resident_id, program_id),
		`+submitEraseMeetingCTE+`
		INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time)
		SELECT ?, resident_id, program_id, ?, ?, ?, ?, ?, ? FROM claimed`,
		p.week, p.hash, p.now, p.key, p.version,
		p.id, p.key, p.version, p.week, p.answers, p.keepDoing, p.nextTime)
	return res.RowsAffected == 1, res.Error
}

// --- meetings (issue 5): data minimisation on completion -------------------
//
// submitEraseMeetingCTE is the data-modifying CTE step of submitPostgres that
// erases the mentee's email, name and sealed token from the meeting whose
// link was just claimed, in the same statement. It takes no parameters and
// reads only claimed.id; the INSERT into responses does not read it, so the
// response stays unlinkable to the link and the meeting.
const submitEraseMeetingCTE = `erased_meeting AS (
			UPDATE meetings SET delivery_status = 'completed', ` + eraseContact + `
			WHERE invitation_id IN (SELECT id FROM claimed))`

// --- end meetings -----------------------------------------------------------

// submitSQLite does the same in an immediate transaction: SQLite has no
// data-modifying CTEs.
func (d *DB) submitSQLite(ctx context.Context, p submitParams) (bool, error) {
	stored := false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var claimed []struct {
			ID         int64
			ResidentID int64
			ProgramID  int64
		}
		err := d.db(ctx).Raw(`UPDATE invitations SET status = 'completed', completed_week = ?
			WHERE token_hash = ? AND status = 'pending' AND expires_at > ?
			  AND instrument_key = ? AND instrument_version = ?
			RETURNING id, resident_id, program_id`,
			p.week, p.hash, p.now, p.key, p.version).Scan(&claimed).Error
		if err != nil || len(claimed) != 1 {
			return err
		}
		// meetings (issue 5): erase the mentee's contact details with the
		// claim. The link id goes no further than this step.
		if err := d.closeMeeting(ctx, claimed[0].ID, DeliveryCompleted); err != nil {
			return err
		}
		err = d.db(ctx).Exec(`INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.id, claimed[0].ResidentID, claimed[0].ProgramID, p.key, p.version, p.week, p.answers, p.keepDoing, p.nextTime).Error
		stored = err == nil
		return err
	})
	return stored, err
}

// ResponsesFor returns a resident's stored responses (for exports and checks;
// reports read aggregates).
func (d *DB) ResponsesFor(ctx context.Context, residentID int64) ([]Response, error) {
	var rs []Response
	if err := d.db(ctx).Where("resident_id = ?", residentID).Order("id").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	return rs, nil
}

// CountResponses counts responses about a resident (0 for all residents).
func (d *DB) CountResponses(ctx context.Context, residentID int64) (int64, error) {
	q := d.db(ctx).Model(&Response{})
	if residentID != 0 {
		q = q.Where("resident_id = ?", residentID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count responses: %w", err)
	}
	return n, nil
}

func newResponseID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
