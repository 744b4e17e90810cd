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

// Response is one mentee's answers, moved here from held_responses by the
// mixer. It has no reference to its link, no time finer than its release
// window, and a random id so that ids reveal no order.
type Response struct {
	ID                string `gorm:"primaryKey"`
	ResidentID        int64
	ProgramID         int64
	InstrumentKey     string
	InstrumentVersion int
	// WindowID is the release window the response was submitted in.
	WindowID  string
	Answers   string // JSON object: item key -> 1..5 or null
	KeepDoing *string
	NextTime  *string
	// OtherComment answers the third comment prompt.
	OtherComment *string
	// ReleaseID is the released group the response belongs to, nil while
	// it is unreleased (see release.go).
	ReleaseID *int64
}

// DecodedAnswers parses the stored answers.
func (r *Response) DecodedAnswers() (map[string]*int, error) {
	var m map[string]*int
	if err := json.Unmarshal([]byte(r.Answers), &m); err != nil {
		return nil, fmt.Errorf("decode answers of response %s: %w", r.ID, err)
	}
	return m, nil
}

// DecodeFunc decodes and validates a submission body against an instrument.
// Submit calls it with the default instrument and, only when the link asks
// another one, once more with that.
type DecodeFunc func(inst *surveys.Instrument) (surveys.Submission, error)

// InvalidAnswers is a submission that failed validation against the
// instrument its link asks, on a link that can still take a response. It
// unwraps to the validation error, and carries the link and the instrument
// so that a form can be shown again without another read.
type InvalidAnswers struct {
	Link       *LinkView
	Instrument *surveys.Instrument
	Err        error
}

// Error implements the error interface.
func (e *InvalidAnswers) Error() string { return e.Err.Error() }

// Unwrap returns the validation error.
func (e *InvalidAnswers) Unwrap() error { return e.Err }

// Submit claims a link and holds the answers its body decodes to (see
// report_submit.go); the mixer and the release job do the rest. The claim is one conditional
// UPDATE, so however many submissions of a link race, exactly one is stored.
//
// The common case, a valid body for a link of the default instrument, reads
// nothing: on PostgreSQL it is the one statement of submitPostgres. When the
// body is invalid or the claim misses, one read of the link decides: an
// unknown link is ErrLinkNotFound and a closed one ErrLinkCompleted,
// ErrLinkExpired or ErrLinkDeclined, whatever the body holds; a link of
// another instrument has the body decoded against that one and claimed once
// more; an open link of the default instrument with a bad body gets the
// validation error as *InvalidAnswers.
func (d *DB) Submit(ctx context.Context, token string, decode DecodeFunc) error {
	if !surveys.WellFormedToken(token) {
		return ErrLinkNotFound
	}
	inst := surveys.Default()
	sub, invalid := decode(inst)
	if invalid == nil {
		if stored, err := d.store(ctx, token, inst, sub); err != nil || stored {
			return err
		}
	}
	link, err := d.LinkByToken(ctx, token)
	if err != nil {
		return err
	}
	if err := linkClosed(&link.Invitation, d.now()); err != nil {
		return err
	}
	if link.InstrumentKey == inst.Key && link.InstrumentVersion == inst.Version {
		if invalid != nil {
			return &InvalidAnswers{Link: link, Instrument: inst, Err: invalid}
		}
		// Open and of this instrument, yet the claim missed: a concurrent
		// submission took it between our statement and the read.
		return ErrLinkCompleted
	}
	if inst, err = d.InstrumentFor(ctx, link.InstrumentKey, link.InstrumentVersion); err != nil {
		return err
	}
	if sub, invalid = decode(inst); invalid != nil {
		return &InvalidAnswers{Link: link, Instrument: inst, Err: invalid}
	}
	if stored, err := d.store(ctx, token, inst, sub); err != nil || stored {
		return err
	}
	// The link was open when read a moment ago, so something closed it
	// since, almost surely a concurrent submission. Telling a decline from
	// that would take a second read for a race lost by milliseconds.
	return ErrLinkCompleted
}

// SubmitResponse stores a submission already validated against inst, for
// callers that build answers themselves (demo data, tests). A link that asks
// another instrument refuses it as invalid.
func (d *DB) SubmitResponse(ctx context.Context, token string, inst *surveys.Instrument, sub surveys.Submission) error {
	return d.Submit(ctx, token, func(asked *surveys.Instrument) (surveys.Submission, error) {
		if asked.Key != inst.Key || asked.Version != inst.Version {
			return surveys.Submission{}, surveys.Errorf(surveys.EINVALID,
				"the answers are for %s version %d; this link asks %s version %d", inst.Key, inst.Version, asked.Key, asked.Version)
		}
		return sub, nil
	})
}

// store runs the claim and the writes for a submission validated against
// inst. It reports false, with no error, when the claim matched nothing: an
// unknown, closed or other-instrument link.
func (d *DB) store(ctx context.Context, token string, inst *surveys.Instrument, sub surveys.Submission) (bool, error) {
	answers, err := json.Marshal(sub.Answers)
	if err != nil {
		return false, fmt.Errorf("encode answers: %w", err)
	}
	p := submitParams{
		hash:      surveys.HashToken(token),
		now:       d.now(),
		id:        newResponseID(),
		key:       inst.Key,
		version:   inst.Version,
		answers:   string(answers),
		keepDoing: optional(sub.Comments[surveys.CommentKeepDoing]),
		nextTime:  optional(sub.Comments[surveys.CommentNextTime]),
		other:     optional(sub.Comments[surveys.CommentOther]),
	}
	var stored bool
	switch d.Dialect {
	case Postgres:
		stored, err = d.submitPostgres(ctx, p)
	default:
		stored, err = d.submitSQLite(ctx, p)
	}
	if err != nil {
		return false, fmt.Errorf("submit response: %w", err)
	}
	return stored, nil
}

type submitParams struct {
	hash, id, key, answers string
	now                    time.Time
	version                int
	keepDoing, nextTime    *string
	other                  *string
}

// --- meetings (issue 5): data minimisation on completion -------------------
//
// submitEraseMeetingCTE is the data-modifying CTE step of submitPostgres that
// erases the mentee's email, name and sealed token from the meeting whose
// link was just claimed, in the same statement. It takes no parameters and
// reads only claimed.id.
const submitEraseMeetingCTE = `erased_meeting AS (
			UPDATE meetings SET delivery_status = 'completed', ` + eraseContact + `
			WHERE invitation_id IN (SELECT id FROM claimed))`

// --- end meetings -----------------------------------------------------------

// ResponsesFor returns a resident's mixed responses, released or not (for
// exports and checks; reports read aggregates). Held answers are not
// responses yet.
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

// CountAnswers counts the answers stored about a resident (0 for all), held
// or mixed: what a submission adds to, for checks and tests. Reports never
// count held answers.
func (d *DB) CountAnswers(ctx context.Context, residentID int64) (int64, error) {
	mixed, err := d.CountResponses(ctx, residentID)
	if err != nil {
		return 0, err
	}
	q := d.db(ctx).Table("held_responses")
	if residentID != 0 {
		q = q.Where("resident_id = ?", residentID)
	}
	var held int64
	if err := q.Count(&held).Error; err != nil {
		return 0, fmt.Errorf("count held answers: %w", err)
	}
	return mixed + held, nil
}

// StoredAnswersFor returns a resident's answers, held or mixed, for checks
// and tests only; held ones have no release. No report may call it.
func (d *DB) StoredAnswersFor(ctx context.Context, residentID int64) ([]Response, error) {
	rs, err := d.ResponsesFor(ctx, residentID)
	if err != nil {
		return nil, err
	}
	var held []Response
	err = d.db(ctx).Raw(`SELECT id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time, other_comment
		FROM held_responses WHERE resident_id = ? ORDER BY id`, residentID).Scan(&held).Error
	if err != nil {
		return nil, fmt.Errorf("list held answers: %w", err)
	}
	return append(rs, held...), nil
}
