package httpkit

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// PendingCookie holds a sign-in that passed its first step and waits for
// a second factor or an enrolment (models.PendingSignIn). It is never a
// session: only the code step and the enrolment pages read it.
const PendingCookie = "mentorpulse_pending"

// Where a browser goes between the steps: the code step, and the enrolment
// a covered user must finish before any other page.
const (
	CodePath  = "/login/second-factor"
	EnrolPath = "/login/second-factor/enrol"
)

// Next is what a sign-in needs after its first step.
type Next int

// What CompleteSignIn did.
const (
	// NextNone: the session is started and its cookie set.
	NextNone Next = iota
	// NextCode: a TOTP or recovery code is due; the pending cookie is set.
	NextCode
	// NextEnrol: the user must set up a second factor before any page; the
	// pending cookie is set.
	NextEnrol
)

// SignInStep is the outcome of CompleteSignIn.
type SignInStep struct {
	Next Next
	// Session is the new session when Next is NextNone.
	Session *models.Session
	// Pending is the pending sign-in otherwise.
	Pending *models.PendingSignIn
}

// Started reports whether the sign-in ended in a session.
func (st SignInStep) Started() bool { return st.Next == NextNone }

// CompleteSignIn is where every successful first step (a password, or a
// single sign-on callback) ends. method is "password" or "oidc:<provider>";
// mfaAsserted says the identity provider vouches for a second factor of its
// own. A user with a TOTP secret owes a code unless mfaAsserted; a user the
// program setting covers who has none must enrol first; anyone else gets a
// session now. It never starts a session on the first step alone for a
// user who owes a second factor.
func (s *Kit) CompleteSignIn(c echo.Context, u *models.User, method string, mfaAsserted bool) (SignInStep, error) {
	ctx := c.Request().Context()
	if mfaAsserted {
		sess, err := s.startSession(c, u, method+"+idp_mfa")
		return SignInStep{Session: sess}, err
	}
	enrolled, err := s.DB.HasSecondFactor(ctx, u.ID)
	if err != nil {
		return SignInStep{}, err
	}
	stage := models.StageCode
	if !enrolled {
		required, err := s.DB.SecondFactorRequired(ctx, u)
		if err != nil {
			return SignInStep{}, err
		}
		if !required {
			sess, err := s.startSession(c, u, method)
			return SignInStep{Session: sess}, err
		}
		stage = models.StageEnrol
	}
	// The browser's old session, if any, ends now: it must not outlive a
	// sign-in as somebody else, nor be what the next page shows.
	if old, err := c.Cookie(SessionCookie); err == nil {
		if err := s.DB.DeleteSession(ctx, old.Value); err != nil {
			return SignInStep{}, err
		}
		s.ClearSessionCookie(c)
	}
	value, p, err := s.DB.CreatePendingSignIn(ctx, u.ID, stage, method)
	if err != nil {
		return SignInStep{}, err
	}
	c.SetCookie(&http.Cookie{Name: PendingCookie, Value: value, Path: "/", Expires: p.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode})
	if stage == models.StageEnrol {
		return SignInStep{Next: NextEnrol, Pending: p}, nil
	}
	return SignInStep{Next: NextCode, Pending: p}, nil
}

// PendingSignIn returns the request's pending sign-in and its user, or an
// unauthorized error.
func (s *Kit) PendingSignIn(c echo.Context) (*models.PendingSignIn, *models.User, error) {
	ck, err := c.Cookie(PendingCookie)
	if err != nil || ck.Value == "" {
		return nil, nil, surveys.Errorf(surveys.EUNAUTHORIZED, "sign in with your password first")
	}
	return s.DB.PendingSignInByToken(c.Request().Context(), ck.Value)
}

// ClearPendingCookie removes the pending sign-in's cookie.
func (s *Kit) ClearPendingCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: PendingCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// SubmitSecondFactor is the code step: it checks a TOTP or recovery code
// against the pending sign-in (stage code), rate-limited like passwords,
// and starts the session. A wrong or reused code is audited as a failed
// sign-in and leaves the pending sign-in for another try.
func (s *Kit) SubmitSecondFactor(c echo.Context, code string) (*models.User, *models.Session, error) {
	p, u, err := s.PendingSignIn(c)
	if err != nil {
		return nil, nil, err
	}
	if p.Stage != models.StageCode {
		return nil, nil, surveys.Errorf(surveys.EFORBIDDEN, "set up a second factor on the web page first (%s)", EnrolPath)
	}
	notFailed, err := s.AllowSecondFactorCode(c, u.ID)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	recovery, err := s.DB.CheckSecondFactor(ctx, u.ID, code)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		e := models.AuditEntry{Action: models.ActionSignInFailed, Target: UserTarget(u.ID), ProgramID: u.ProgramID, Detail: "wrong second factor code"}
		if errors.Is(err, models.ErrCodeReused) {
			e.Detail = "reused second factor code"
		}
		if aerr := s.DB.Audit(ctx, e); aerr != nil {
			s.Log.Warn("audit failed code", "err", aerr)
		}
		return nil, nil, err
	}
	notFailed()
	if err != nil {
		return nil, nil, err
	}
	detail := p.Method + "+totp"
	if recovery {
		detail = p.Method + "+recovery_code"
	}
	if err := s.DB.DeletePendingSignIn(ctx, p.IDHash); err != nil {
		return nil, nil, err
	}
	s.ClearPendingCookie(c)
	sess, err := s.startSession(c, u, detail)
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// FinishEnrolment ends a pending sign-in at stage enrol whose user has just
// confirmed a second factor, and starts the session: the code that
// confirmed it was the second step.
func (s *Kit) FinishEnrolment(c echo.Context, p *models.PendingSignIn, u *models.User) (*models.Session, error) {
	if err := s.DB.DeletePendingSignIn(c.Request().Context(), p.IDHash); err != nil {
		return nil, err
	}
	s.ClearPendingCookie(c)
	return s.startSession(c, u, p.Method+"+totp_enrolment")
}
