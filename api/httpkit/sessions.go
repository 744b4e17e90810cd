package httpkit

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// CheckPassword is the password sign-in's first step: it checks the rate
// limits and the credentials and audits a failure. What follows is
// CompleteSignIn. An email that is not text (surveys.CheckText) is invalid
// before anything else: no account could have it, and PostgreSQL could not
// even look it up.
//
// When single sign-on is the only way in for the account's role, a correct
// password is refused with a message naming the provider, and only then:
// checking before the password would tell anyone which addresses are staff
// accounts, and after it only whoever already knows the password learns
// that it is right (as they would today). When no password is accepted at
// all, every attempt is refused before anything is looked up.
func (s *Kit) CheckPassword(c echo.Context, email, password string) (*models.User, error) {
	if s.Cfg.OIDC.PasswordsRefused() {
		return nil, s.passwordNotAccepted()
	}
	if err := surveys.CheckText(email, false); err != nil {
		return nil, surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "email", Message: err.Error()}})
	}
	notFailed, err := s.AllowSignIn(c, email)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	u, err := s.DB.Authenticate(ctx, email, password)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		s.AuditFailedSignIn(ctx, u)
		return nil, err
	}
	// Only a failed sign-in counts against the account: switching between
	// accounts, or signing in on several devices, locks nobody out.
	notFailed()
	if err != nil {
		return nil, err
	}
	if !s.Cfg.OIDC.PasswordAllowed(u.Role) {
		s.auditSignInRefused(ctx, u, "password refused: single sign-on only")
		return nil, s.passwordNotAccepted()
	}
	return u, nil
}

// startSession ends any session the browser already had and starts a new
// one (a new id at every sign-in), sets its cookie and audits the sign-in
// with how it was made (detail, e.g. "password" or "password+totp").
func (s *Kit) startSession(c echo.Context, u *models.User, detail string) (*models.Session, error) {
	ctx := c.Request().Context()
	if old, err := c.Cookie(SessionCookie); err == nil {
		if err := s.DB.DeleteSession(ctx, old.Value); err != nil {
			return nil, err
		}
	}
	var value string
	var sess *models.Session
	err := s.DB.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if value, sess, err = s.DB.CreateDeviceSession(ctx, u.ID, s.SessionLimits(), DeviceOf(c.Request().UserAgent())); err != nil {
			return err
		}
		return s.DB.Audit(ctx, models.AuditEntry{ActorID: &u.ID, Action: models.ActionSignIn, Target: UserTarget(u.ID), ProgramID: u.ProgramID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	s.SetSessionCookie(c, value, sess.ExpiresAt)
	return sess, nil
}

// MethodPassword is the sign-in method a password records in the audit log;
// single sign-on records SSO.Method().
const MethodPassword = "password"

// AuditFailedSignIn records a failed attempt. What was typed into the email
// field is never kept: for an address of no account it may well be the
// password, typed into the wrong box, and the log is kept forever.
func (s *Kit) AuditFailedSignIn(ctx context.Context, u *models.User) {
	detail := "unknown email"
	if u != nil {
		detail = ""
		if !u.Active {
			detail = "account deactivated"
		}
	}
	s.auditSignInRefused(ctx, u, detail)
}

// auditSignInRefused records a refused sign-in with a reason from a fixed
// vocabulary, against the account when one is known.
func (s *Kit) auditSignInRefused(ctx context.Context, u *models.User, detail string) {
	e := models.AuditEntry{Action: models.ActionSignInFailed, Detail: detail}
	if u != nil {
		e.Target, e.ProgramID = UserTarget(u.ID), u.ProgramID
	}
	if err := s.DB.Audit(ctx, e); err != nil {
		s.Log.Warn("audit failed sign-in", "err", err)
	}
}

// endSession deletes the request's session, if it has one, and clears the
// cookie. With a bearer token there is nothing to end.
func (s *Kit) EndSession(c echo.Context) error {
	p := CurrentPrincipal(c)
	if p == nil || p.Session == nil {
		return nil
	}
	ctx := c.Request().Context()
	err := s.DB.WithTx(ctx, func(ctx context.Context) error {
		if err := s.DB.DeleteSessionByHash(ctx, p.Session.IDHash); err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionSignOut, Target: UserTarget(p.User.ID), ProgramID: p.User.ProgramID})
	})
	if err != nil {
		return err
	}
	s.ClearSessionCookie(c)
	return nil
}
