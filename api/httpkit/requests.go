package httpkit

import (
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

// InvitationRequest is the body of POST /api/v1/invitations.
type InvitationRequest struct {
	ResidentID    int64   `json:"resident_id" validate:"omitempty,min=1"`
	MeetingDate   *string `json:"meeting_date" validate:"omitempty,datetime=2006-01-02"`
	ExpiresInDays int     `json:"expires_in_days" validate:"omitempty,min=1,max=60"`
}

// Bounds of the delivery settings, as ProgramPatch validates them; the
// admin page shows them.
const (
	MinReminderAfterDays, MaxReminderAfterDays = 1, 30
	MaxMaxReminders                            = 3
	MinLinkLifetimeDays, MaxLinkLifetimeDays   = 1, 60
)

// ProgramRequest is the body of POST /api/v1/programs.
type ProgramRequest struct {
	Name         string `json:"name" validate:"required,max=200"`
	MinResponses int    `json:"min_responses" validate:"omitempty,min=3"`
}

// ProgramPatch is the body of PATCH /api/v1/programs/{id}. The delivery
// settings are narrower than the database allows: a reminder a month late
// or a fourth reminder helps nobody and starts to feel like spam.
type ProgramPatch struct {
	Name              *string `json:"name" validate:"omitempty,max=200"`
	MinResponses      *int    `json:"min_responses" validate:"omitempty,min=3"`
	ReminderAfterDays *int    `json:"reminder_after_days" validate:"omitempty,min=1,max=30"`
	MaxReminders      *int    `json:"max_reminders" validate:"omitempty,min=0,max=3"`
	LinkLifetimeDays  *int    `json:"link_lifetime_days" validate:"omitempty,min=1,max=60"`
}

// changesDelivery reports whether the patch touches the delivery settings.
func (p ProgramPatch) ChangesDelivery() bool {
	return p.ReminderAfterDays != nil || p.MaxReminders != nil || p.LinkLifetimeDays != nil
}

// MemberRequest is the body of POST /api/v1/programs/{id}/members.
type MemberRequest struct {
	Email   string `json:"email" validate:"required,max=254"`
	Name    string `json:"name" validate:"required,max=200"`
	Role    string `json:"role" validate:"required,oneof=resident director"`
	PGYYear *int   `json:"pgy_year" validate:"omitempty,min=1,max=7"`
}

func MemberDetail(u *models.User) string {
	d := fmt.Sprintf("%s %s %q", u.Role, u.Email, u.Name)
	if u.PGYYear != nil {
		d += fmt.Sprintf(" PGY-%d", *u.PGYYear)
	}
	return d
}

// UserPatch is the body of PATCH /api/v1/users/{id}.
type UserPatch struct {
	Name    *string `json:"name" validate:"omitempty,max=200"`
	PGYYear *int    `json:"pgy_year" validate:"omitempty,min=1,max=7"`
	Active  *bool   `json:"active"`
}

// PasswordLinkView is a set-password link, shown once to whoever made it.
type PasswordLinkView struct {
	URL       string    `json:"url"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
}

func APITime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func APITimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := APITime(*t)
	return &v
}

