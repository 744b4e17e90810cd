package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// loginCSRFCookie protects the sign-in form itself (login CSRF: another site
// signing a browser into the attacker's account). The form's hidden
// csrf_token must equal it.
const loginCSRFCookie = "mentorpulse_login"

// maxAccountFormBytes bounds the account forms.
const maxAccountFormBytes = 8 << 10

type loginPageData struct {
	User      *models.User
	CSRFToken string
	Next      string
	Email     string
	Error     string
	// SSOName is the provider's name on the "Sign in with" button; "" is
	// no single sign-on. PasswordForm is false when no password is
	// accepted. ProviderLogout, after signing out, links to the
	// provider's own sign-out (oidc.go).
	SSOName        string
	PasswordForm   bool
	SignedOut      bool
	ProviderLogout string
}

func (s *Server) loginPage(c echo.Context) error {
	d := loginPageData{Next: safeNext(c.QueryParam("next")), SignedOut: c.QueryParam("signed_out") != ""}
	if d.SignedOut && s.SSO != nil {
		d.ProviderLogout = s.SSO.LogoutURL()
	}
	return s.renderLogin(c, http.StatusOK, d)
}

// renderLogin shows the sign-in form with a fresh form token.
func (s *Server) renderLogin(c echo.Context, status int, d loginPageData) error {
	d.CSRFToken = httpkit.NewRequestID() + httpkit.NewRequestID()
	c.SetCookie(&http.Cookie{
		Name: loginCSRFCookie, Value: d.CSRFToken, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	if d.User == nil {
		if ck, err := c.Cookie(httpkit.SessionCookie); err == nil {
			if _, u, err := s.DB.SessionByToken(c.Request().Context(), ck.Value, s.SessionLimits()); err == nil {
				d.User = u
			}
		}
	}
	if s.SSO != nil {
		d.SSOName = s.SSO.Name()
	}
	d.PasswordForm = !s.Cfg.OIDC.PasswordsRefused()
	httpkit.NoStore(c)
	return s.render(c, status, "login", d)
}

func (s *Server) loginForm(c echo.Context) error {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxAccountFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")
	}
	form := c.Request().PostForm
	d := loginPageData{Next: safeNext(form.Get("next")), Email: strings.TrimSpace(form.Get("email"))}
	ck, err := c.Cookie(loginCSRFCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(form.Get(httpkit.CSRFField)), []byte(ck.Value)) != 1 {
		d.Error = "The sign-in form had expired. Please sign in again."
		return s.renderLogin(c, http.StatusForbidden, d)
	}
	u, err := s.CheckPassword(c, d.Email, form.Get("password"))
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EUNAUTHORIZED:
		d.Error = "The email or password is incorrect."
		return s.renderLogin(c, http.StatusUnauthorized, d)
	case surveys.EINVALID:
		// What was typed is not text: show the reason, not the bytes.
		d.Error, d.Email = "The email address "+fieldMessage(err, "email")+".", ""
		return s.renderLogin(c, http.StatusUnprocessableEntity, d)
	case surveys.EFORBIDDEN:
		// Single sign-on is the only way in for this account (or for all).
		d.Error = surveys.ErrorMessage(err)
		return s.renderLogin(c, http.StatusForbidden, d)
	case surveys.ERATELIMITED:
		d.Error = "Too many sign-in attempts. Please wait " + c.Response().Header().Get("Retry-After") + " seconds and try again."
		return s.renderLogin(c, http.StatusTooManyRequests, d)
	default:
		return err
	}
	step, err := s.CompleteSignIn(c, u, "password", false)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, afterFirstStep(step, d.Next))
}

// fieldMessage is the message an invalid error gives for field.
func fieldMessage(err error, field string) string {
	var ae *surveys.Error
	if errors.As(err, &ae) {
		for _, fe := range ae.Fields {
			if fe.Field == field {
				return fe.Message
			}
		}
	}
	return "is not valid"
}

// safeNext keeps a post-sign-in redirect on this site: next must parse
// (net/url refuses control characters such as the tab that browsers strip)
// as a path-absolute reference, with no scheme, host or user, whose path
// does not start with a second slash or a backslash (which browsers read as
// "//host"). Anything else goes home. What is returned is the parsed URL
// written out again, so the redirect is what was checked.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsRune(u.Path, '\\') ||
		strings.ContainsFunc(u.Path, unicode.IsControl) {
		return "/"
	}
	return (&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery, Fragment: u.Fragment, RawFragment: u.RawFragment}).String()
}

// logoutForm ends the session (the form carries csrf_token) and returns to
// the sign-in page, which with single sign-on offers the provider's own
// sign-out: ours does not end the provider's session.
func (s *Server) logoutForm(c echo.Context) error {
	if err := s.EndSession(c); err != nil {
		return err
	}
	if s.SSO != nil {
		return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

type setPasswordData struct {
	Token     string
	Email     string
	Purpose   string
	ExpiresAt time.Time
	MinLength int
	Error     string
	Done      bool
}

func (s *Server) setPasswordPage(c echo.Context) error {
	token := c.Param("token")
	link, u, err := s.DB.OpenPasswordLink(c.Request().Context(), token)
	if err != nil {
		return s.passwordLinkError(c, err)
	}
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "set_password", setPasswordData{Token: token, Email: u.Email,
		Purpose: link.Purpose, ExpiresAt: link.ExpiresAt, MinLength: models.MinPasswordLength})
}

func (s *Server) setPasswordForm(c echo.Context) error {
	if err := s.AllowPasswordForm(c); err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxAccountFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")
	}
	token := c.Param("token")
	ctx := c.Request().Context()
	link, u, err := s.DB.OpenPasswordLink(ctx, token)
	if err != nil {
		return s.passwordLinkError(c, err)
	}
	d := setPasswordData{Token: token, Email: u.Email, Purpose: link.Purpose, ExpiresAt: link.ExpiresAt, MinLength: models.MinPasswordLength}
	password := c.Request().PostForm.Get("password")
	httpkit.NoStore(c)
	if password != c.Request().PostForm.Get("confirm") {
		d.Error = "The two passwords are not the same. Please type them again."
		return s.render(c, http.StatusUnprocessableEntity, "set_password", d)
	}
	if _, err := s.DB.UsePasswordLink(ctx, token, password); err != nil {
		switch surveys.ErrorCode(err) {
		case surveys.EINVALID:
			d.Error = "That password cannot be used: " + surveys.ErrorMessage(err) + "."
			return s.render(c, http.StatusUnprocessableEntity, "set_password", d)
		case surveys.ENOTFOUND, surveys.EGONE:
			return s.passwordLinkError(c, err)
		}
		return err
	}
	err = s.DB.Audit(ctx, models.AuditEntry{ActorID: &u.ID, Action: models.ActionPasswordSet, Target: httpkit.UserTarget(u.ID), ProgramID: u.ProgramID, Detail: link.Purpose})
	if err != nil {
		s.Log.Warn("audit password set", "err", err)
	}
	return s.render(c, http.StatusOK, "set_password", setPasswordData{Done: true, Email: u.Email})
}

// passwordLinkError shows an unknown, used or expired link as a page that
// says so (the generic error page speaks of surveys).
func (s *Server) passwordLinkError(c echo.Context, err error) error {
	var ae *surveys.Error
	if !errors.As(err, &ae) || (ae.Code != surveys.ENOTFOUND && ae.Code != surveys.EGONE) {
		return err
	}
	httpkit.NoStore(c)
	return s.render(c, httpkit.StatusOf(ae.Code), "error", messagePage{
		Title:  "This link cannot be used",
		Detail: ae.Message,
	})
}

// afterFirstStep is where a browser goes once its password (or single
// sign-on) step is done: next when the session started, else the code
// step or the enrolment, which carry next on.
func afterFirstStep(step httpkit.SignInStep, next string) string {
	switch step.Next {
	case httpkit.NextCode:
		return httpkit.CodePath + "?next=" + url.QueryEscape(next)
	case httpkit.NextEnrol:
		return httpkit.EnrolPath + "?next=" + url.QueryEscape(next)
	}
	return next
}
