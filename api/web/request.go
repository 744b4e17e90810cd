package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/i18n"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The QR request page, GET and POST /r/{code}: a mentee scans their
// resident's QR code, types their email, and gets a personal single-use link
// in their inbox if they are on the roster. The page answers "check your
// inbox" whatever was typed, after the same work (the request is queued,
// never looked up before the answer), stores nothing of what was typed
// unless it names a mentee, and never shows a link.

// requestCSRFCookie protects the request form the way forgotCSRFCookie
// protects the forgotten-password form.
const requestCSRFCookie = "mentorpulse_request"

type requestPageData struct {
	menteeLang
	// Action is the form's target, carrying a chosen language.
	Action       string
	ResidentName string
	Code         string
	CSRFToken    string
	Email        string
	Error        string
	Sent         bool
}

// requestResident reads the code of the path; an unknown, replaced or
// malformed code, or one of a deactivated resident, is not_found.
func (s *Server) requestResident(c echo.Context) (*models.User, error) {
	if s.Cfg.Delivery == nil {
		return nil, models.ErrNoResidentCode
	}
	return s.DB.ResidentByCode(c.Request().Context(), c.Param("code"))
}

func (s *Server) requestPage(c echo.Context) error {
	res, err := s.requestResident(c)
	if err != nil {
		return err
	}
	return s.renderRequest(c, http.StatusOK, res, requestPageData{})
}

// requestLanguage picks the request page's language among the resident's
// program's survey languages.
func (s *Server) requestLanguage(c echo.Context, res *models.User) menteeLang {
	offered := []string{i18n.Reference}
	if res.ProgramID != nil {
		if p, err := s.DB.ProgramByID(c.Request().Context(), *res.ProgramID); err == nil {
			offered = p.Languages()
		}
	}
	return menteeLanguage(c, offeredLanguages(offered, surveys.Default()), "/r/"+c.Param("code"))
}

// renderRequest shows the form (or its answer) with a fresh form token.
func (s *Server) renderRequest(c echo.Context, status int, res *models.User, d requestPageData) error {
	d.ResidentName = res.Name
	d.menteeLang = s.requestLanguage(c, res)
	d.Code = c.Param("code")
	d.Action = "/r/" + d.Code
	if d.Chosen {
		d.Action = withLang(d.Action, d.Lang)
	}
	d.CSRFToken = httpkit.NewRequestID() + httpkit.NewRequestID()
	c.SetCookie(&http.Cookie{
		Name: requestCSRFCookie, Value: d.CSRFToken, Path: "/r/", MaxAge: 3600,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	httpkit.NoStore(c)
	return s.render(c, status, "request", d)
}

// requestForm queues the request and answers "check your inbox". Only an
// expired form, an empty field or a rate limit answer otherwise, and none of
// them depends on the address.
func (s *Server) requestForm(c echo.Context) error {
	res, err := s.requestResident(c)
	if err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxAccountFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")
	}
	form := c.Request().PostForm
	d := requestPageData{Email: strings.TrimSpace(form.Get("email"))}
	t := s.requestLanguage(c, res).P.T
	ck, err := c.Cookie(requestCSRFCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(form.Get(httpkit.CSRFField)), []byte(ck.Value)) != 1 {
		d.Error = t("request.expired")
		return s.renderRequest(c, http.StatusForbidden, res, d)
	}
	if d.Email == "" {
		d.Error = t("request.empty")
		return s.renderRequest(c, http.StatusUnprocessableEntity, res, d)
	}
	if surveys.CheckText(d.Email, false) != nil {
		// Shown again, it could break the page; the answer stays the same.
		d.Email = ""
	}
	if err := s.AllowLinkRequest(c, d.Email); err != nil {
		d.Error = t("request.too_many", c.Response().Header().Get("Retry-After"))
		return s.renderRequest(c, http.StatusTooManyRequests, res, d)
	}
	s.Cfg.Delivery.RequestLink(delivery.LinkRequest{ResidentID: res.ID, Email: d.Email})
	return s.renderRequest(c, http.StatusOK, res, requestPageData{Sent: true})
}

// requestCodeView is the home's QR request code: when the current one was
// made and, right after making a new one only, its URL and QR code.
type requestCodeView struct {
	Since *time.Time
	URL   string
	QR    []byte
}

// requestCode describes the resident's code for the home; newCode is a
// code just made, the only time it is shown (only its hash is kept).
func (s *Server) requestCode(c echo.Context, residentID int64, newCode string) (*requestCodeView, error) {
	v := &requestCodeView{}
	rc, err := s.DB.ResidentCodeOf(c.Request().Context(), residentID)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		v.Since = &rc.CreatedAt
	}
	if newCode != "" {
		v.URL = surveys.RequestURL(s.Cfg.BaseURL, newCode)
		if v.QR, err = qrPNG(v.URL); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// newCodeForm makes the signed-in resident a new QR request code, which
// replaces the old one at once, and shows it in the POST's own answer.
func (s *Server) newCodeForm(c echo.Context) error {
	me := httpkit.CurrentUser(c)
	if err := s.AuthorizeMeeting(c, me.ID); err != nil {
		return err
	}
	code, _, err := s.DB.NewResidentCode(c.Request().Context(), me.ID)
	if err != nil {
		return err
	}
	return s.renderHome(c, http.StatusOK, homeForms{NewCode: code})
}
