package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// forgotCSRFCookie protects the forgotten-password form the way
// loginCSRFCookie protects the sign-in form: its hidden csrf_token must
// equal it, so another site cannot make a browser request resets.
const forgotCSRFCookie = "mentorpulse_forgot"

// Detail strings of the audit entry, for whoever reads the log.
const (
	resetDetailQueued      = "link emailed"
	resetDetailInactive    = "not sent: account deactivated"
	resetDetailNoDelivery  = "not sent: email delivery is not configured"
	resetAuditAction       = "password.reset_requested"
	forgotPasswordTemplate = "forgot_password"
)

type forgotPageData struct {
	CSRFToken string
	Email     string
	Error     string
	Sent      bool
}

func (s *Server) forgotPasswordPage(c echo.Context) error {
	return s.renderForgot(c, http.StatusOK, forgotPageData{})
}

// renderForgot shows the form (or its answer) with a fresh form token.
func (s *Server) renderForgot(c echo.Context, status int, d forgotPageData) error {
	d.CSRFToken = httpkit.NewRequestID() + httpkit.NewRequestID()
	c.SetCookie(&http.Cookie{
		Name: forgotCSRFCookie, Value: d.CSRFToken, Path: "/forgot-password", MaxAge: 3600,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	httpkit.NoStore(c)
	return s.render(c, status, forgotPasswordTemplate, d)
}

// forgotPasswordForm answers every well-formed request with the same page,
// whether or not the address belongs to an account, so the form cannot be
// used to find out who has one. The answer is written before the address is
// even looked up: what follows (a reset link made and emailed for an active
// account, an audit entry for any account) runs after the response, so
// neither the page nor its timing depends on the address.
func (s *Server) forgotPasswordForm(c echo.Context) error {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxAccountFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")
	}
	form := c.Request().PostForm
	d := forgotPageData{Email: strings.TrimSpace(form.Get("email"))}
	ck, err := c.Cookie(forgotCSRFCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(form.Get(httpkit.CSRFField)), []byte(ck.Value)) != 1 {
		d.Error = "The form had expired. Please try again."
		return s.renderForgot(c, http.StatusForbidden, d)
	}
	if d.Email == "" {
		d.Error = "Please enter the email address you sign in with."
		return s.renderForgot(c, http.StatusUnprocessableEntity, d)
	}
	if err := surveys.CheckText(d.Email, false); err != nil {
		d.Error, d.Email = "The email address "+err.Error()+".", ""
		return s.renderForgot(c, http.StatusUnprocessableEntity, d)
	}
	if err := s.AllowResetRequest(c, d.Email); err != nil {
		d.Error = "Too many requests. Please wait " + c.Response().Header().Get("Retry-After") + " seconds and try again."
		return s.renderForgot(c, http.StatusTooManyRequests, d)
	}
	if err := s.renderForgot(c, http.StatusOK, forgotPageData{Sent: true}); err != nil {
		return err
	}
	email := d.Email
	s.AfterResponse(c, "password reset request", func(ctx context.Context) error {
		return s.requestPasswordReset(ctx, email)
	})
	return nil
}

// requestPasswordReset queues a reset email for an active account, and
// audits the request for any account; an unknown address gets nothing. It
// runs after the answer (see forgotPasswordForm). Its errors never name the
// address.
func (s *Server) requestPasswordReset(ctx context.Context, email string) error {
	u, err := s.DB.UserByEmail(ctx, email)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err // "find user: …", from the driver: no address in it
	}
	entry := models.AuditEntry{Action: resetAuditAction, Target: httpkit.UserTarget(u.ID), ProgramID: u.ProgramID}
	switch {
	case !u.Active:
		entry.Detail = resetDetailInactive
		return s.DB.Audit(ctx, entry)
	case s.Cfg.Delivery == nil:
		s.Log.Warn("a password reset was requested but email delivery is not configured: nothing was sent", "user_id", u.ID)
		entry.Detail = resetDetailNoDelivery
		return s.DB.Audit(ctx, entry)
	}
	entry.Detail = resetDetailQueued
	return s.DB.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Cfg.Delivery.QueuePasswordReset(ctx, u.ID); err != nil {
			return err
		}
		return s.DB.Audit(ctx, entry)
	})
}
