package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// NewMember is a resident (who needs a PGY year) or director to add to a
// program. ProgramID is taken from the path, never from the body.
type NewMember struct {
	ProgramID int64  `json:"-"`
	Email     string `json:"email" validate:"required,max=254,text"`
	Name      string `json:"name" validate:"required,max=200,text"`
	Role      string `json:"role" validate:"required,oneof=resident director"`
	PGYYear   *int   `json:"pgy_year" validate:"omitempty,pgy_year"`
}

// AddedMember is a new member and their set-password link's URL, which holds
// the link's token and exists only here: show it once, never log it.
// SetupEmail is models.LinkEmailQueued when the link is also on its way by
// email (Config.SetupEmails), and empty when the URL is the only way it
// reaches the member; the pages then show the URL, the JSON API always
// returns it.
type AddedMember struct {
	User           *models.User
	SetPasswordURL string
	SetupEmail     string
}

// AddMember adds a resident or director to a program the actor manages,
// with a single-use set-password link, emailed to them when the deployment
// sends mail.
func (s *Service) AddMember(ctx context.Context, a Actor, in NewMember) (*AddedMember, error) {
	if _, err := s.Program(ctx, a, in.ProgramID, Manage); err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	var u *models.User
	var token string
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.notAMentee(ctx, in.Email); err != nil {
			return err
		}
		var err error
		u, err = s.db.CreateMember(ctx, in.ProgramID, models.NewMember{Email: in.Email, Name: in.Name, Role: in.Role, PGYYear: in.PGYYear})
		if err != nil {
			return err
		}
		var emailed bool
		if token, emailed, err = s.newSetupLink(ctx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionMemberCreate, Target: userTarget(u.ID),
			ProgramID: &in.ProgramID, Detail: memberDetail(u) + emailedDetail(emailed)})
	})
	if err != nil {
		return nil, err
	}
	out := &AddedMember{User: u, SetPasswordURL: surveys.SetPasswordURL(s.cfg.BaseURL, token)}
	if s.EmailsSetupLinks() {
		out.SetupEmail = models.LinkEmailQueued
	}
	return out, nil
}

// newSetupLink makes a setup link for a user in ctx's transaction and,
// when the deployment sends mail, queues its email in the same
// transaction. Older unused setup links of the user stop working.
func (s *Service) newSetupLink(ctx context.Context, userID int64) (token string, emailed bool, err error) {
	token, link, err := s.db.CreatePasswordLink(ctx, userID, models.PurposeSetup)
	if err != nil {
		return "", false, err
	}
	if s.cfg.SetupEmails == nil {
		return token, false, nil
	}
	if err := s.cfg.SetupEmails.QueueSetupEmail(ctx, link.ID, token); err != nil {
		return "", false, fmt.Errorf("queue setup email: %w", err)
	}
	return token, true, nil
}

// emailedDetail is the audit detail's note that a link went by email.
func emailedDetail(emailed bool) string {
	if emailed {
		return ", set-password link emailed"
	}
	return ""
}

// notAMentee refuses a staff account for an address on any program's
// mentee roster (models.ErrMenteeEmail): a person is staff or a mentee,
// never both, or staff could answer surveys about their colleagues.
func (s *Service) notAMentee(ctx context.Context, email string) error {
	mentee, err := s.db.EmailIsMentee(ctx, email)
	if err != nil {
		return err
	}
	if mentee {
		return models.ErrMenteeEmail
	}
	return nil
}

// NewAccount is any account, an admin's included, as the operator creates
// them. A resident or director needs ProgramID; Password, when set, must
// pass models.CheckPassword, and is never recorded.
type NewAccount struct {
	Email     string `json:"email" validate:"required,max=254,text"`
	Name      string `json:"name" validate:"required,max=200,text"`
	Role      string `json:"role" validate:"required,oneof=admin director resident"`
	ProgramID *int64 `json:"program_id" validate:"omitempty,id"`
	PGYYear   *int   `json:"pgy_year" validate:"omitempty,pgy_year"`
	Password  string `json:"password"`
}

// CreateAccount creates an account of any role; only an admin or the
// operator may. Unlike AddMember it issues no set-password link: with no
// password the user sets one through "forgot password" or a link made later.
func (s *Service) CreateAccount(ctx context.Context, a Actor, in NewAccount) (*models.User, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not do this")
	}
	if in.ProgramID != nil {
		if _, err := s.Program(ctx, a, *in.ProgramID, Manage); err != nil {
			return nil, err
		}
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	if in.Role != models.RoleAdmin && in.ProgramID == nil {
		return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "program_id", Message: "is required"}})
	}
	u := &models.User{Email: in.Email, Name: in.Name, Role: in.Role, ProgramID: in.ProgramID, PGYYear: in.PGYYear}
	if in.Password != "" {
		var err error
		if u.PasswordHash, err = models.HashPassword(in.Password); err != nil {
			return nil, err
		}
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.notAMentee(ctx, in.Email); err != nil {
			return err
		}
		if err := s.db.CreateUser(ctx, u); err != nil {
			return err
		}
		detail := memberDetail(u)
		if in.Password != "" {
			detail += ", password set"
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionMemberCreate, Target: userTarget(u.ID),
			ProgramID: u.ProgramID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// MemberImport is a CSV of members (email,name,role,pgy_year; see
// models.DB.ImportMembers) for a program.
type MemberImport struct {
	ProgramID int64
	CSV       io.Reader
}

// ImportMembers applies a CSV of members to a program the actor manages.
// Each applied row commits alone with its audit entry and, for a new member
// when the deployment sends mail, their set-password link and its queued
// email; the import itself is audited last with its counts. Without mail,
// new members get no link here (the roster issues one per member).
func (s *Service) ImportMembers(ctx context.Context, a Actor, in MemberImport) (*models.ImportResult, error) {
	if _, err := s.Program(ctx, a, in.ProgramID, Manage); err != nil {
		return nil, err
	}
	if in.CSV == nil {
		return nil, errors.New("import members: no CSV")
	}
	res, err := s.db.ImportMembers(ctx, in.ProgramID, in.CSV, func(ctx context.Context, u *models.User, created bool) error {
		action, detail := models.ActionMemberUpdate, "import: "+memberDetail(u)
		if created {
			// The row's account is rolled back and its line reported.
			if err := s.notAMentee(ctx, u.Email); err != nil {
				return err
			}
			action = models.ActionMemberCreate
			if s.EmailsSetupLinks() {
				if _, _, err := s.newSetupLink(ctx, u.ID); err != nil {
					return err
				}
				detail += emailedDetail(true)
			}
		}
		return s.audit(ctx, a, models.AuditEntry{Action: action, Target: userTarget(u.ID), ProgramID: &in.ProgramID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionMemberImport, Target: programTarget(in.ProgramID), ProgramID: &in.ProgramID,
			Detail: fmt.Sprintf("created %d, updated %d, rows not applied %d", res.Created, res.Updated, len(res.Errors))})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// UserChanges changes an account's name, PGY year or active flag; nil
// fields are left alone. ID is taken from the path, never from the body.
type UserChanges struct {
	ID      int64   `json:"-"`
	Name    *string `json:"name" validate:"omitempty,min=1,max=200,text"`
	PGYYear *int    `json:"pgy_year" validate:"omitempty,pgy_year"`
	Active  *bool   `json:"active"`
}

// UpdateUser changes an account the actor manages. Deactivating ends the
// user's sessions and tokens at once; nobody may deactivate themselves (it
// could lock the last admin out).
func (s *Service) UpdateUser(ctx context.Context, a Actor, in UserChanges) (*models.User, error) {
	if _, err := s.User(ctx, a, in.ID, Manage); err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	if in.Active != nil && !*in.Active && a.is(in.ID) {
		return nil, surveys.Invalid("the update is not valid", []surveys.FieldError{{Field: "active", Message: "you cannot deactivate your own account"}})
	}
	var u *models.User
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.db.UpdateUser(ctx, in.ID, models.UserUpdate{Name: in.Name, PGYYear: in.PGYYear, Active: in.Active}); err != nil {
			return err
		}
		detail := memberDetail(u)
		if in.Active != nil {
			detail += fmt.Sprintf(", active %t", *in.Active)
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionMemberUpdate, Target: userTarget(in.ID), ProgramID: u.ProgramID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// PasswordLinkRequest asks for a new set-password link for an account.
type PasswordLinkRequest struct {
	UserID int64 `json:"-"`
}

// PasswordLink is a set-password link. URL holds its token, which exists
// only here: show it once to whoever asked, never log it.
type PasswordLink struct {
	URL       string
	Purpose   string // models.PurposeSetup or models.PurposeReset
	ExpiresAt time.Time
}

// IssuePasswordLink issues a single-use set-password link for an active
// account the actor manages (see Actor.ManagesAccount): setup if they never
// set a password, reset otherwise. Their older links of the same purpose
// stop working. A director may not issue one for themselves: whoever holds
// their session could otherwise replace their password (forgotten
// passwords go through the emailed link).
func (s *Service) IssuePasswordLink(ctx context.Context, a Actor, in PasswordLinkRequest) (*PasswordLink, error) {
	u, err := s.User(ctx, a, in.UserID, Manage)
	if err != nil {
		return nil, err
	}
	if a.is(u.ID) && !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this account")
	}
	if !u.Active {
		return nil, surveys.Errorf(surveys.EINVALID, "%s is deactivated; reactivate the account first", u.Email)
	}
	purpose := models.PurposeReset
	if u.PasswordHash == "" {
		purpose = models.PurposeSetup
	}
	var token string
	var link *models.PasswordLink
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if token, link, err = s.db.CreatePasswordLink(ctx, u.ID, purpose); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionPasswordLink, Target: userTarget(u.ID), ProgramID: u.ProgramID, Detail: purpose})
	})
	if err != nil {
		return nil, err
	}
	return &PasswordLink{URL: surveys.SetPasswordURL(s.cfg.BaseURL, token), Purpose: purpose, ExpiresAt: link.ExpiresAt}, nil
}

// ResendSetupEmail emails a member who has not set a password yet a new
// setup link, for an active account the actor manages (as
// IssuePasswordLink): their older setup links stop working. It is audited
// as a password-link issue. Without mail it is invalid: the roster offers
// IssuePasswordLink instead.
func (s *Service) ResendSetupEmail(ctx context.Context, a Actor, in PasswordLinkRequest) error {
	u, err := s.User(ctx, a, in.UserID, Manage)
	if err != nil {
		return err
	}
	if a.is(u.ID) && !a.Admin() {
		return surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this account")
	}
	switch {
	case !s.EmailsSetupLinks():
		return surveys.Errorf(surveys.EINVALID, "email is not set up, so no email can be sent; make a password link and pass it on yourself")
	case !u.Active:
		return surveys.Errorf(surveys.EINVALID, "%s is deactivated; reactivate the account first", u.Email)
	case u.PasswordHash != "":
		return surveys.Errorf(surveys.EINVALID, "%s has set a password already; they can use “forgot password”", u.Email)
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, _, err := s.newSetupLink(ctx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionPasswordLink, Target: userTarget(u.ID), ProgramID: u.ProgramID,
			Detail: models.PurposeSetup + emailedDetail(true)})
	})
}
