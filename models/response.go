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
	// Batch is the release batch the response belongs to (see
	// surveys.ReleaseState); nil only for responses stored before reports.
	Batch *int
}

// DecodedAnswers parses the stored answers.
func (r *Response) DecodedAnswers() (map[string]*int, error) {
	var m map[string]*int
	if err := json.Unmarshal([]byte(r.Answers), &m); err != nil {
		return nil, fmt.Errorf("decode answers of response %s: %w", r.ID, err)
	}
	return m, nil
}

// SubmitResponse claims a link and stores its response in one transaction,
// with the report aggregates (see report_submit.go).
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
	month, err := surveys.WeekMonth(week)
	if err != nil {
		return fmt.Errorf("release month: %w", err)
	}
	p := submitParams{
		hash:      surveys.HashToken(token),
		week:      week,
		month:     month,
		values:    sub.Answers,
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
	hash, week, month, id, key, answers string
	now                                 time.Time
	version                             int
	keepDoing, nextTime                 *string
	values                              map[string]*int
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
