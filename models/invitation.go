package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// Link statuses. Expired is also derived: a pending link past its expiry is
// expired whether or not the sweeper has marked it yet.
const (
	StatusPending   = "pending"
	StatusCompleted = "completed"
	StatusExpired   = "expired"
	StatusDeclined  = "declined"
)

// DefaultLinkLifetime is how long a new link stays open.
const DefaultLinkLifetime = 14 * 24 * time.Hour

// Invitation is a single-use survey link. Only its token's hash is stored.
type Invitation struct {
	ID                int64  `gorm:"primaryKey"`
	TokenHash         string `gorm:"not null"`
	ResidentID        int64  `gorm:"not null"`
	ProgramID         int64  `gorm:"not null"`
	MeetingDate       *string
	InstrumentKey     string    `gorm:"not null"`
	InstrumentVersion int       `gorm:"not null"`
	Status            string    `gorm:"not null"`
	ExpiresAt         time.Time `gorm:"not null"`
	CreatedAt         time.Time `gorm:"not null"`
	// MenteeKey is the pseudonym of the rostered mentee the link is for
	// (see DB.MenteeKey), nil for links made before the roster and erased
	// by the claim, a decline or expiry. Never shown.
	MenteeKey *string `json:"-"`
}

// EffectiveStatus is the status a person should see at time now.
func (inv *Invitation) EffectiveStatus(now time.Time) string {
	if inv.Status == StatusPending && !now.Before(inv.ExpiresAt) {
		return StatusExpired
	}
	return inv.Status
}

// NewInvitation describes a link to create.
type NewInvitation struct {
	ResidentID  int64
	MeetingDate *string // YYYY-MM-DD
	Lifetime    time.Duration
	// MenteeID is the rostered mentee the link is for; nil for a link made
	// without a roster, whose answer never counts as a distinct mentee.
	MenteeID *int64
}

// CreatedInvitation is a stored link with its token, which exists only here.
type CreatedInvitation struct {
	Invitation
	Token string
}

// CreateInvitation creates a link for an active resident.
func (d *DB) CreateInvitation(ctx context.Context, n NewInvitation) (*CreatedInvitation, error) {
	if n.Lifetime <= 0 {
		n.Lifetime = DefaultLinkLifetime
	}
	if n.MeetingDate != nil {
		if _, err := time.Parse(time.DateOnly, *n.MeetingDate); err != nil {
			return nil, surveys.Errorf(surveys.EINVALID, "meeting date %q must be YYYY-MM-DD", *n.MeetingDate)
		}
	}
	res, err := d.UserByID(ctx, n.ResidentID)
	if err != nil {
		return nil, err
	}
	if res.Role != RoleResident || res.ProgramID == nil {
		return nil, surveys.Errorf(surveys.EINVALID, "%s is not a resident; links are for residents' meetings", res.Email)
	}
	if !res.Active {
		return nil, surveys.Errorf(surveys.EINVALID, "%s is deactivated; reactivate them before creating links", res.Email)
	}
	prog, err := d.ProgramByID(ctx, *res.ProgramID)
	if err != nil {
		return nil, err
	}
	var menteeKey *string
	if n.MenteeID != nil {
		k, err := d.MenteeKey(ctx, *n.MenteeID)
		if err != nil {
			return nil, err
		}
		menteeKey = &k
	}
	// The link pins the version its program asks now; publishing another
	// later changes nothing for it.
	in, err := d.ProgramInstrument(ctx, prog)
	if err != nil {
		return nil, err
	}
	token, hash := surveys.NewToken()
	now := d.now()
	inv := Invitation{
		TokenHash:         hash,
		ResidentID:        res.ID,
		ProgramID:         *res.ProgramID,
		MeetingDate:       n.MeetingDate,
		InstrumentKey:     in.Key,
		InstrumentVersion: in.Version,
		Status:            StatusPending,
		ExpiresAt:         now.Add(n.Lifetime),
		CreatedAt:         now,
		MenteeKey:         menteeKey,
	}
	err = d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Create(&inv).Error; err != nil {
			return fmt.Errorf("create link: %w", err)
		}
		return d.countLink(ctx, inv.ResidentID, inv.ProgramID, prog.WindowOf(now).ID, 1, 0, 0)
	})
	if err != nil {
		return nil, err
	}
	return &CreatedInvitation{Invitation: inv, Token: token}, nil
}

// LinkView is what the mentee's page needs about a link.
type LinkView struct {
	Invitation
	ResidentName string
	ProgramName  string
	// The program's release rule, for the survey page's privacy note.
	ReleaseWindow          string
	AcademicYearStartMonth int
	MinMentees             int
	// SurveyLanguages are the program's, stored form (SurveyLanguageList).
	SurveyLanguages string
}

// Languages are the languages the link's page offers, the program's
// default first.
func (v *LinkView) Languages() []string { return SurveyLanguageList(v.SurveyLanguages) }

// LinkByToken finds the link for a token. An unknown or malformed token is
// not_found; the link is returned whatever its status (see OpenLink).
func (d *DB) LinkByToken(ctx context.Context, token string) (*LinkView, error) {
	if !surveys.WellFormedToken(token) {
		return nil, ErrLinkNotFound
	}
	var v LinkView
	err := d.db(ctx).Raw(`SELECT i.*, u.name AS resident_name, p.name AS program_name,
			p.release_window, p.academic_year_start_month, p.min_mentees, p.survey_languages
		FROM invitations i
		JOIN users u ON u.id = i.resident_id
		JOIN programs p ON p.id = i.program_id
		WHERE i.token_hash = ?`, surveys.HashToken(token)).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrLinkNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find link: %w", err)
	}
	return &v, nil
}

// OpenLink returns a link that can still take a response, or a gone error
// that says why not.
func (d *DB) OpenLink(ctx context.Context, token string) (*LinkView, error) {
	v, err := d.LinkByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := linkClosed(&v.Invitation, d.now()); err != nil {
		return v, err
	}
	return v, nil
}

// OpenSurvey is OpenLink with the instrument the link asks, for the pages
// and the JSON view that show a survey.
func (d *DB) OpenSurvey(ctx context.Context, token string) (*LinkView, *surveys.Instrument, error) {
	v, err := d.OpenLink(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	inst, err := d.InstrumentFor(ctx, v.InstrumentKey, v.InstrumentVersion)
	if err != nil {
		return nil, nil, err
	}
	return v, inst, nil
}

// Gone messages, one per reason a link cannot take a response.
const (
	MsgCompleted = "This survey has already been answered. Each link can be used once."
	MsgExpired   = "This survey link has expired. Ask your mentor for a new one if you still want to give feedback."
	MsgDeclined  = "This survey was closed because the meeting did not happen."
)

// Why a link cannot take a response. Each is an application error with the
// code (not_found or gone) and the message the mentee sees, so api maps it
// like any other, and callers that need the reason match it with errors.Is
// instead of reading the link again.
var (
	ErrLinkNotFound  = surveys.Errorf(surveys.ENOTFOUND, "This survey link does not exist. Check that the whole link was copied.")
	ErrLinkCompleted = surveys.Errorf(surveys.EGONE, MsgCompleted)
	ErrLinkExpired   = surveys.Errorf(surveys.EGONE, MsgExpired)
	ErrLinkDeclined  = surveys.Errorf(surveys.EGONE, MsgDeclined)
)

// linkClosed returns the error for a link that cannot take a response, or
// nil for an open one.
func linkClosed(inv *Invitation, now time.Time) error {
	switch inv.EffectiveStatus(now) {
	case StatusCompleted:
		return ErrLinkCompleted
	case StatusExpired:
		return ErrLinkExpired
	case StatusDeclined:
		return ErrLinkDeclined
	}
	return nil
}

// DeclineLink closes a pending link without a response ("the meeting did not
// happen"). A closed link is gone; an unknown one not_found.
func (d *DB) DeclineLink(ctx context.Context, token string) error {
	if !surveys.WellFormedToken(token) {
		return ErrLinkNotFound
	}
	now := d.now()
	declined := false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var rows []struct {
			ID, ResidentID, ProgramID int64
		}
		err := d.db(ctx).Raw(`UPDATE invitations SET status = ?, mentee_key = NULL
			WHERE token_hash = ? AND status = ? AND expires_at > ?
			RETURNING id, resident_id, program_id`,
			StatusDeclined, surveys.HashToken(token), StatusPending, now).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("decline link: %w", err)
		}
		if len(rows) != 1 {
			return nil
		}
		declined = true
		// The mentee's contact details go with the link.
		if err := d.closeMeeting(ctx, rows[0].ID, DeliveryDeclined); err != nil {
			return err
		}
		prog, err := d.ProgramByID(ctx, rows[0].ProgramID)
		if err != nil {
			return err
		}
		return d.countLink(ctx, rows[0].ResidentID, rows[0].ProgramID, prog.WindowOf(now).ID, 0, 0, 1)
	})
	if err != nil || declined {
		return err
	}
	return d.whyClosed(ctx, token)
}

// whyClosed is called after a conditional update matched nothing: one read
// of the link returns ErrLinkNotFound or the reason it is closed.
func (d *DB) whyClosed(ctx context.Context, token string) error {
	v, err := d.LinkByToken(ctx, token)
	if err != nil {
		return err
	}
	if err := linkClosed(&v.Invitation, d.now()); err != nil {
		return err
	}
	// Open, yet the update missed: a submission claimed it between our
	// statement and this read.
	return ErrLinkCompleted
}

// ExpireLinks marks pending links past their expiry as expired, erases the
// contact details of their meetings in the same transaction, and returns how
// many links it changed.
func (d *DB) ExpireLinks(ctx context.Context) (int64, error) {
	var n int64
	err := d.WithTx(ctx, func(ctx context.Context) error {
		res := d.db(ctx).Exec(`UPDATE invitations SET status = ?, mentee_key = NULL WHERE status = ? AND expires_at <= ?`,
			StatusExpired, StatusPending, d.now())
		if res.Error != nil {
			return fmt.Errorf("expire links: %w", res.Error)
		}
		n = res.RowsAffected
		return d.expireMeetings(ctx)
	})
	return n, err
}

// InvitationFilter narrows ListInvitations.
type InvitationFilter struct {
	ResidentID int64
	ProgramID  int64
	Status     string
	Limit      int
}

// ListInvitations lists links newest first, with their effective status, for
// operators and tests: no page or API shows a link's status to staff.
func (d *DB) ListInvitations(ctx context.Context, f InvitationFilter) ([]Invitation, error) {
	q := d.db(ctx).Model(&Invitation{})
	if f.ResidentID != 0 {
		q = q.Where("resident_id = ?", f.ResidentID)
	}
	if f.ProgramID != 0 {
		q = q.Where("program_id = ?", f.ProgramID)
	}
	now := d.now()
	switch f.Status {
	case "":
	case StatusPending:
		q = q.Where("status = ? AND expires_at > ?", StatusPending, now)
	case StatusExpired:
		q = q.Where("status = ? OR (status = ? AND expires_at <= ?)", StatusExpired, StatusPending, now)
	default:
		q = q.Where("status = ?", f.Status)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []Invitation
	if err := q.Order("created_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	for i := range out {
		out[i].Status = out[i].EffectiveStatus(now)
	}
	return out, nil
}
