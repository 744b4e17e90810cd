package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// accountSecondFactorBase is where the account page's second-factor forms
// post.
const accountSecondFactorBase = "/account/second-factor"

// secondFactorView is the data of the "account-second-factor" partial, on
// the account page and on the enrolment a sign-in may require.
type secondFactorView struct {
	CSRFToken string
	// Base is the forms' path prefix: /account/second-factor, or the
	// enrolment's at sign-in.
	Base   string
	Status models.SecondFactorStatus
	// Enrolment, when set, is a new secret to scan and confirm.
	Enrolment *enrolmentView
	// RecoveryCodes are shown once, right after they are made.
	RecoveryCodes []string
	Required      bool
	Error         string
	// SignIn says the partial is the enrolment of a sign-in, which goes on
	// to Next once done.
	SignIn bool
	Next   string
}

// enrolmentView is a pending TOTP secret as the page shows it.
type enrolmentView struct {
	Secret string
	QR     []byte
}

// newEnrolmentView draws the secret's QR code here, so the secret never
// leaves the server for a QR service.
func newEnrolmentView(e *models.TOTPEnrolment) (*enrolmentView, error) {
	png, err := qrPNG(e.URL)
	if err != nil {
		return nil, err
	}
	return &enrolmentView{Secret: e.Secret, QR: png}, nil
}

// secondFactorSection is the partial's data for the signed-in user.
func (s *Server) secondFactorSection(c echo.Context) (secondFactorView, error) {
	ctx := c.Request().Context()
	u := httpkit.CurrentUser(c)
	st, err := s.DB.SecondFactorOf(ctx, u.ID)
	if err != nil {
		return secondFactorView{}, err
	}
	req, err := s.DB.SecondFactorRequired(ctx, u)
	if err != nil {
		return secondFactorView{}, err
	}
	return secondFactorView{CSRFToken: httpkit.CSRFToken(c), Base: accountSecondFactorBase, Status: st, Required: req}, nil
}

type accountSecondFactorPage struct {
	Nav          *navView
	SecondFactor secondFactorView
}

// renderSecondFactor shows the account's second-factor page with v.
func (s *Server) renderSecondFactor(c echo.Context, status int, v secondFactorView) error {
	httpkit.NoStore(c)
	return s.render(c, status, "account_second_factor", accountSecondFactorPage{Nav: s.nav(c), SecondFactor: v})
}

// secondFactorPage is the account's second-factor section on a page of its
// own (the account page shows the same partial).
func (s *Server) secondFactorPage(c echo.Context) error {
	v, err := s.secondFactorSection(c)
	if err != nil {
		return err
	}
	return s.renderSecondFactor(c, http.StatusOK, v)
}

// startSecondFactorForm makes a new secret to scan. Replacing an app that
// is set up needs a current code (or a recovery code), so a session left
// open on a shared computer cannot move the factor to another phone.
func (s *Server) startSecondFactorForm(c echo.Context) error {
	v, err := s.secondFactorSection(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := httpkit.CurrentUser(c)
	if v.Status.Enrolled {
		notFailed, err := s.AllowSecondFactorCode(c, u.ID)
		if err != nil {
			return err
		}
		if _, err := s.DB.CheckSecondFactor(ctx, u.ID, c.FormValue("code")); err != nil {
			if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
				v.Error = "That code is not right, or was used already. Type the code your app shows now."
				return s.renderSecondFactor(c, http.StatusUnprocessableEntity, v)
			}
			return err
		}
		notFailed()
	}
	e, err := s.DB.StartTOTPEnrolment(ctx, u)
	if err != nil {
		return err
	}
	if v.Enrolment, err = newEnrolmentView(e); err != nil {
		return err
	}
	return s.renderSecondFactor(c, http.StatusOK, v)
}

// confirmSecondFactorForm confirms the new secret with a code and shows the
// recovery codes once.
func (s *Server) confirmSecondFactorForm(c echo.Context) error {
	v, err := s.secondFactorSection(c)
	if err != nil {
		return err
	}
	u := httpkit.CurrentUser(c)
	codes, err := s.confirmEnrolment(c, u, v.Status.Enrolled)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		v.Error = "That code is not right. Type the 6 digits the app shows now."
		if e, perr := s.DB.PendingTOTPEnrolment(c.Request().Context(), u); perr == nil {
			v.Enrolment, _ = newEnrolmentView(e)
		}
		return s.renderSecondFactor(c, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	v.Status.Enrolled, v.RecoveryCodes = true, codes
	return s.renderSecondFactor(c, http.StatusOK, v)
}

// confirmEnrolment confirms u's pending secret with the form's code,
// rate-limited like the code step, and audits it in the same transaction.
func (s *Server) confirmEnrolment(c echo.Context, u *models.User, replacing bool) ([]string, error) {
	notFailed, err := s.AllowSecondFactorCode(c, u.ID)
	if err != nil {
		return nil, err
	}
	action := models.ActionSecondFactorEnrol
	if replacing {
		action = models.ActionSecondFactorReplaced
	}
	var codes []string
	err = s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if codes, err = s.DB.ConfirmTOTPEnrolment(ctx, u.ID, c.FormValue("code")); err != nil {
			return err
		}
		return s.DB.Audit(ctx, models.AuditEntry{ActorID: &u.ID, Action: action, Target: httpkit.UserTarget(u.ID), ProgramID: u.ProgramID})
	})
	if err == nil {
		notFailed()
	}
	return codes, err
}

// recoveryCodesForm replaces the recovery codes, given a current code from
// the app, and shows the new ones once.
func (s *Server) recoveryCodesForm(c echo.Context) error {
	v, err := s.secondFactorSection(c)
	if err != nil {
		return err
	}
	u := httpkit.CurrentUser(c)
	notFailed, err := s.AllowSecondFactorCode(c, u.ID)
	if err != nil {
		return err
	}
	var codes []string
	err = s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if codes, err = s.DB.RegenerateRecoveryCodes(ctx, u.ID, c.FormValue("code")); err != nil {
			return err
		}
		return s.DB.Audit(ctx, models.AuditEntry{ActorID: &u.ID, Action: models.ActionSecondFactorCodes, Target: httpkit.UserTarget(u.ID), ProgramID: u.ProgramID})
	})
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EUNAUTHORIZED, surveys.ECONFLICT:
		v.Error = "That code is not right, or was used already. Type the code your app shows now."
		return s.renderSecondFactor(c, http.StatusUnprocessableEntity, v)
	default:
		return err
	}
	notFailed()
	v.RecoveryCodes = codes
	return s.renderSecondFactor(c, http.StatusOK, v)
}

// resetSecondFactorForm is an admin's reset of a member's second factor,
// from the roster's member row.
func (s *Server) resetSecondFactorForm(c echo.Context) error {
	pid, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	uid, err := httpkit.PathID(c, "uid", "member")
	if err != nil {
		return err
	}
	if _, err := s.Accounts.ResetSecondFactor(c.Request().Context(), httpkit.ActorOf(c), uid); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, rosterPath(pid)+"?done=second-factor-reset&member="+strconv.FormatInt(uid, 10))
}
