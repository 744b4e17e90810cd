package httpkit

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The changes below are shared by the JSON API and the pages, so each rule
// and each audit entry is written once. Callers have already checked access
// (programAccess, userAccess) and validated the request with c.Validate;
// the pages fill the same request structs from their forms.

// saveNewProgram stores a program and audits it.
func (s *Kit) SaveNewProgram(c echo.Context, req ProgramRequest) (*models.Program, error) {
	prog := &models.Program{Name: req.Name, MinResponses: req.MinResponses}
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		if err := s.DB.CreateProgram(ctx, prog); err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionProgramCreate, Target: ProgramTarget(prog.ID),
			ProgramID: &prog.ID, Detail: fmt.Sprintf("name %q, min_responses %d", prog.Name, prog.MinResponses)})
	})
	if err != nil {
		return nil, err
	}
	return prog, nil
}

// requireAdminForProgram lets only an administrator change a program's
// settings: min_responses protects mentees' anonymity, so a program's own
// directors may not lower it.
func RequireAdminForProgram(c echo.Context) error {
	if !CurrentPrincipal(c).IsAdmin() {
		return surveys.Errorf(surveys.EFORBIDDEN, "only an administrator may change a program's settings")
	}
	return nil
}

// saveProgramPatch changes a program's name, min_responses or delivery
// settings and audits it, all in one transaction.
func (s *Kit) SaveProgramPatch(c echo.Context, id int64, req ProgramPatch) (*models.Program, error) {
	var prog *models.Program
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if prog, err = s.DB.UpdateProgram(ctx, id, models.ProgramUpdate{Name: req.Name, MinResponses: req.MinResponses}); err != nil {
			return err
		}
		detail := fmt.Sprintf("name %q, min_responses %d", prog.Name, prog.MinResponses)
		if req.ChangesDelivery() {
			ds := prog.DeliverySettings
			setIf(&ds.ReminderAfterDays, req.ReminderAfterDays)
			setIf(&ds.MaxReminders, req.MaxReminders)
			setIf(&ds.LinkLifetimeDays, req.LinkLifetimeDays)
			if err := s.DB.UpdateDeliverySettings(ctx, id, ds); err != nil {
				return err
			}
			prog.DeliverySettings = ds
			detail += fmt.Sprintf(", reminder_after_days %d, max_reminders %d, link_lifetime_days %d",
				ds.ReminderAfterDays, ds.MaxReminders, ds.LinkLifetimeDays)
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionProgramUpdate, Target: ProgramTarget(id),
			ProgramID: &id, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return prog, nil
}

func setIf(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

// saveNewMember adds a resident or director to a program with a single-use
// set-password link, and returns the member and that link's URL, which
// exists only here.
func (s *Kit) SaveNewMember(c echo.Context, programID int64, req MemberRequest) (*models.User, string, error) {
	var u *models.User
	var token string
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		u, err = s.DB.CreateMember(ctx, programID, models.NewMember{Email: req.Email, Name: req.Name, Role: req.Role, PGYYear: req.PGYYear})
		if err != nil {
			return err
		}
		if token, _, err = s.DB.CreatePasswordLink(ctx, u.ID, models.PurposeSetup); err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionMemberCreate, Target: UserTarget(u.ID),
			ProgramID: &programID, Detail: MemberDetail(u)})
	})
	if err != nil {
		return nil, "", err
	}
	return u, s.Cfg.BaseURL + "/set-password/" + token, nil
}

// runImport applies a CSV of members to a program, auditing each row it
// applies.
func (s *Kit) RunImport(c echo.Context, programID int64, csv io.Reader) (*models.ImportResult, error) {
	return s.DB.ImportMembers(c.Request().Context(), programID, csv, func(ctx context.Context, u *models.User, created bool) error {
		action, detail := models.ActionMemberUpdate, "import: "+MemberDetail(u)
		if created {
			action = models.ActionMemberCreate
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: action, Target: UserTarget(u.ID), ProgramID: &programID, Detail: detail})
	})
}

// saveUserPatch changes a member's name, PGY year or active flag and audits
// it. Deactivating ends their sessions and tokens at once; nobody may
// deactivate themselves (it could lock the last admin out).
func (s *Kit) SaveUserPatch(c echo.Context, id int64, req UserPatch) (*models.User, error) {
	if req.Active != nil && !*req.Active && id == CurrentUser(c).ID {
		return nil, surveys.Invalid("the update is not valid", []surveys.FieldError{{Field: "active", Message: "you cannot deactivate your own account"}})
	}
	var u *models.User
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if u, err = s.DB.UpdateUser(ctx, id, models.UserUpdate{Name: req.Name, PGYYear: req.PGYYear, Active: req.Active}); err != nil {
			return err
		}
		detail := MemberDetail(u)
		if req.Active != nil {
			detail += fmt.Sprintf(", active %t", *req.Active)
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionMemberUpdate, Target: UserTarget(id), ProgramID: u.ProgramID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// saveInvitation makes a survey link after checking who may make it: a
// resident for their own meetings (resident_id may be left out), a director
// for residents of their programs, an admin for anyone. The returned link
// carries its token, which exists only here: show it once, never log it.
func (s *Kit) SaveInvitation(c echo.Context, req InvitationRequest) (*models.CreatedInvitation, error) {
	p := CurrentPrincipal(c)
	ctx := c.Request().Context()
	residentID := req.ResidentID
	if residentID == 0 {
		if p.User.Role != models.RoleResident {
			return nil, surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "resident_id", Message: "is required"}})
		}
		residentID = p.User.ID
	}
	if _, err := s.ResidentAccess(ctx, c, residentID); err != nil {
		return nil, err
	}
	lifetime := models.DefaultLinkLifetime
	if req.ExpiresInDays > 0 {
		lifetime = time.Duration(req.ExpiresInDays) * 24 * time.Hour
	}
	return s.DB.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID, MeetingDate: req.MeetingDate, Lifetime: lifetime})
}

// saveNewPasswordLink issues a single-use set-password link for an active
// member (setup if they never set a password, reset otherwise) and audits
// it; their older links stop working. The URL exists only in the result.
func (s *Kit) SaveNewPasswordLink(c echo.Context, u *models.User) (PasswordLinkView, error) {
	if !u.Active {
		return PasswordLinkView{}, surveys.Errorf(surveys.EINVALID, "%s is deactivated; reactivate the account first", u.Email)
	}
	purpose := models.PurposeReset
	if u.PasswordHash == "" {
		purpose = models.PurposeSetup
	}
	var token string
	var link *models.PasswordLink
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if token, link, err = s.DB.CreatePasswordLink(ctx, u.ID, purpose); err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionPasswordLink, Target: UserTarget(u.ID), ProgramID: u.ProgramID, Detail: purpose})
	})
	if err != nil {
		return PasswordLinkView{}, err
	}
	return PasswordLinkView{URL: s.Cfg.BaseURL + "/set-password/" + token, Purpose: purpose, ExpiresAt: APITime(link.ExpiresAt)}, nil
}

// surveyURL is the public address of a survey link.
func (s *Kit) SurveyURL(token string) string { return s.Cfg.BaseURL + "/s/" + token }

// auditMeetingImport records a meeting import: a bulk action that sends
// email, so the log says who ran it and what it did (never an address).
func (s *Kit) AuditMeetingImport(c echo.Context, programID int64, rep *delivery.ImportReport) error {
	return s.Audit(c.Request().Context(), c, models.AuditEntry{Action: models.ActionMeetingImport,
		Target: ProgramTarget(programID), ProgramID: &programID,
		Detail: fmt.Sprintf("rows=%d created=%d skipped=%d rejected=%d", rep.Rows, rep.Created, rep.Skipped, len(rep.Errors))})
}
