package web

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The second step of a sign-in (httpkit.CompleteSignIn): the code page, and
// the enrolment a user the program setting covers must finish before any
// other page. Both work from the pending sign-in's cookie, never from a
// session, and check its own CSRF token on every form.

type codePageData struct {
	CSRFToken string
	Next      string
	Error     string
}

// pendingAt returns the request's pending sign-in at stage, or sends the
// browser back to the sign-in page (or to the other stage).
func (s *Server) pendingAt(c echo.Context, stage string) (*models.PendingSignIn, *models.User, error) {
	p, u, err := s.PendingSignIn(c)
	if err != nil {
		s.ClearPendingCookie(c)
		return nil, nil, c.Redirect(http.StatusSeeOther, "/login?next="+safeNext(c.QueryParam("next")))
	}
	if p.Stage != stage {
		return nil, nil, c.Redirect(http.StatusSeeOther, httpkit.PendingPath(p))
	}
	return p, u, nil
}

// pendingFormOK parses a form of the second step and checks its CSRF token
// against the pending sign-in's.
func pendingFormOK(c echo.Context, p *models.PendingSignIn) error {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxAccountFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")
	}
	if subtle.ConstantTimeCompare([]byte(c.Request().PostForm.Get(httpkit.CSRFField)), []byte(p.CSRFToken)) != 1 {
		return surveys.Errorf(surveys.EFORBIDDEN, "This form has expired or came from another site, so it was not sent. Go back, reload the page and try again.")
	}
	return nil
}

func (s *Server) codePage(c echo.Context) error {
	p, _, err := s.pendingAt(c, models.StageCode)
	if p == nil {
		return err
	}
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "second_factor_code", codePageData{CSRFToken: p.CSRFToken, Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) codeForm(c echo.Context) error {
	p, _, err := s.pendingAt(c, models.StageCode)
	if p == nil {
		return err
	}
	if err := pendingFormOK(c, p); err != nil {
		return err
	}
	d := codePageData{CSRFToken: p.CSRFToken, Next: safeNext(c.Request().PostForm.Get("next"))}
	httpkit.NoStore(c)
	_, _, err = s.SubmitSecondFactor(c, c.Request().PostForm.Get("code"))
	switch surveys.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, d.Next)
	case surveys.EUNAUTHORIZED:
		d.Error = "That code is not right, or was used already. Type the code your app shows now, or a recovery code."
		if errors.Is(err, models.ErrCodeReused) {
			d.Error = "That code was used already. Wait for your app to show the next one."
		}
		return s.render(c, http.StatusUnauthorized, "second_factor_code", d)
	case surveys.ERATELIMITED:
		d.Error = "Too many attempts. Please wait " + c.Response().Header().Get("Retry-After") + " seconds and try again."
		return s.render(c, http.StatusTooManyRequests, "second_factor_code", d)
	}
	return err
}

type enrolPageData struct {
	Email        string
	SecondFactor secondFactorView
}

// enrolView is the partial's data at sign-in, with the pending secret
// (made on the first visit, the same one on a reload).
func (s *Server) enrolView(c echo.Context, p *models.PendingSignIn, u *models.User, next string) (secondFactorView, error) {
	ctx := c.Request().Context()
	e, err := s.DB.PendingTOTPEnrolment(ctx, u)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		e, err = s.DB.StartTOTPEnrolment(ctx, u)
	}
	if err != nil {
		return secondFactorView{}, err
	}
	ev, err := newEnrolmentView(e)
	if err != nil {
		return secondFactorView{}, err
	}
	return secondFactorView{CSRFToken: p.CSRFToken, Base: httpkit.EnrolPath, Enrolment: ev, Required: true, SignIn: true, Next: next}, nil
}

func (s *Server) enrolPage(c echo.Context) error {
	p, u, err := s.pendingAt(c, models.StageEnrol)
	if p == nil {
		return err
	}
	v, err := s.enrolView(c, p, u, safeNext(c.QueryParam("next")))
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "second_factor_enrol", enrolPageData{Email: u.Email, SecondFactor: v})
}

// enrolForm confirms the secret, starts the session and shows the recovery
// codes once, with a link on to where the sign-in was going.
func (s *Server) enrolForm(c echo.Context) error {
	p, u, err := s.pendingAt(c, models.StageEnrol)
	if p == nil {
		return err
	}
	if err := pendingFormOK(c, p); err != nil {
		return err
	}
	next := safeNext(c.Request().PostForm.Get("next"))
	httpkit.NoStore(c)
	codes, err := s.confirmEnrolment(c, u, false)
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EUNAUTHORIZED, surveys.ERATELIMITED:
		v, verr := s.enrolView(c, p, u, next)
		if verr != nil {
			return verr
		}
		v.Error = "That code is not right. Type the 6 digits the app shows now."
		status := http.StatusUnprocessableEntity
		if surveys.ErrorCode(err) == surveys.ERATELIMITED {
			v.Error, status = "Too many attempts. Please wait "+c.Response().Header().Get("Retry-After")+" seconds and try again.", http.StatusTooManyRequests
		}
		return s.render(c, status, "second_factor_enrol", enrolPageData{Email: u.Email, SecondFactor: v})
	default:
		return err
	}
	sess, err := s.FinishEnrolment(c, p, u)
	if err != nil {
		return err
	}
	v := secondFactorView{CSRFToken: sess.CSRFToken, Base: accountSecondFactorBase, RecoveryCodes: codes, SignIn: true, Next: next,
		Status: models.SecondFactorStatus{Enrolled: true, RecoveryLeft: len(codes)}}
	return s.render(c, http.StatusOK, "second_factor_enrol", enrolPageData{Email: u.Email, SecondFactor: v})
}
