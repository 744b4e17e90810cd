package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// NewInvitation asks for a survey link for a resident's meeting with a
// rostered mentee (MenteeEmail). ExpiresInDays nil means
// models.DefaultLinkLifetime; a value, 0 included, must be a lifetime in
// range. Lifetime, for callers that count in hours (the command line), is
// used instead when set, up to MaxLinkLifetimeDays. MeetingDate, when set,
// is a meeting date as surveys.CheckMeetingDate has it.
type NewInvitation struct {
	ResidentID    *int64        `json:"resident_id" validate:"omitempty,id"`
	MenteeEmail   string        `json:"mentee_email" validate:"required,max=254,text"`
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

// CreateInvitation makes a survey link for a mentee who is on the
// resident's program's roster (active, or an address in its mentee domains,
// added on first use), and returns its URL. Only the operator may: they hold
// the database anyway. No signed-in user, admins included, ever holds a
// survey link; theirs travel by email to the mentee (delivery.Record).
func (s *Service) CreateInvitation(ctx context.Context, a Actor, in NewInvitation) (*CreatedInvitation, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if !a.IsOperator() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "survey links are emailed to mentees; nobody signed in may hold one")
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
	if in.ResidentID == nil {
		return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "resident_id", Message: "is required"}})
	}
	residentID := *in.ResidentID
	res, err := s.Resident(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if res.ProgramID == nil || res.Role != models.RoleResident {
		return nil, surveys.Errorf(surveys.EINVALID, "%s is not a resident; links are for residents' meetings", res.Email)
	}
	prog, err := s.db.ProgramByID(ctx, *res.ProgramID)
	if err != nil {
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
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		m, added, err := s.db.MenteeForLink(ctx, prog, models.MenteeRef{Email: in.MenteeEmail})
		if errors.Is(err, models.ErrNotAMentee) {
			return surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "mentee_email", Message: models.ErrNotAMentee.Message}})
		}
		if err != nil {
			return err
		}
		if added {
			if err := s.audit(ctx, a, menteeEntry(models.ActionMenteeAutoAdd, m, "address in the program's mentee domains, status active")); err != nil {
				return err
			}
		}
		if inv, err = s.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID, MeetingDate: in.MeetingDate, Lifetime: lifetime, MenteeID: &m.ID}); err != nil {
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
