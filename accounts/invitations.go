package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// NewInvitation asks for a survey link. A resident may leave ResidentID out
// (nil) for their own link. ExpiresInDays nil means
// models.DefaultLinkLifetime; a value, 0 included, must be a lifetime in
// range. Lifetime, for callers that count in hours (the command line), is
// used instead when set, up to MaxLinkLifetimeDays. MeetingDate, when set,
// is a meeting date as surveys.CheckMeetingDate has it.
type NewInvitation struct {
	ResidentID    *int64        `json:"resident_id" validate:"omitempty,id"`
	MeetingDate   *string       `json:"meeting_date" validate:"omitempty,datetime=2006-01-02"`
	ExpiresInDays *int          `json:"expires_in_days" validate:"omitempty,link_lifetime_days"`
	Lifetime      time.Duration `json:"-"`
}

// CreatedInvitation is a new survey link. SurveyURL holds its token, which
// exists only here: show it once, never log it.
type CreatedInvitation struct {
	Invitation models.Invitation
	SurveyURL  string
}

// CreateInvitation makes a survey link: a resident for themselves, a
// director for residents of their programs, an admin or the operator for
// anyone.
func (s *Service) CreateInvitation(ctx context.Context, a Actor, in NewInvitation) (*CreatedInvitation, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	maxLifetime := time.Duration(MaxLinkLifetimeDays) * 24 * time.Hour
	if in.Lifetime < 0 || in.Lifetime > maxLifetime {
		return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "expires_in", Message: fmt.Sprintf("must be positive and at most %d days", MaxLinkLifetimeDays)}})
	}
	if in.MeetingDate != nil {
		if err := surveys.CheckMeetingDate(*in.MeetingDate, s.db.Now()); err != nil {
			return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "meeting_date", Message: err.Error()}})
		}
	}
	var residentID int64
	if in.ResidentID != nil {
		residentID = *in.ResidentID
	} else {
		if a.user == nil || a.user.Role != models.RoleResident {
			return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "resident_id", Message: "is required"}})
		}
		residentID = a.user.ID
	}
	if _, err := s.Resident(ctx, a, residentID); err != nil {
		return nil, err
	}
	lifetime := models.DefaultLinkLifetime
	switch {
	case in.Lifetime > 0:
		lifetime = in.Lifetime
	case in.ExpiresInDays != nil:
		lifetime = time.Duration(*in.ExpiresInDays) * 24 * time.Hour
	}
	var inv *models.CreatedInvitation
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if inv, err = s.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID, MeetingDate: in.MeetingDate, Lifetime: lifetime}); err != nil {
			return err
		}
		// The link's id stays out: the entry says who made a link for whom.
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionInvitationCreate, Target: userTarget(residentID),
			ProgramID: &inv.ProgramID, Detail: "survey link"})
	})
	if err != nil {
		return nil, err
	}
	return &CreatedInvitation{Invitation: inv.Invitation, SurveyURL: surveys.SurveyURL(s.cfg.BaseURL, inv.Token)}, nil
}
