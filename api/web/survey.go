package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// messagePage is the data of the error, closed-link and thank-you pages.
// Nav is set on an error page seen by someone signed in, so they keep the
// header's links and sign-out.
type messagePage struct {
	Title, Detail, Hint string
	Nav                 *navView
	// BackURL and BackLabel lead a signed-in user back to their pages.
	BackURL, BackLabel string
}

// menteeMessage is a thank-you, closed-link or error page a mentee sees, in
// their language.
type menteeMessage struct {
	menteeLang
	Title, Detail, Hint string
}

func (s *Server) surveyPage(c echo.Context) error {
	link, inst, err := s.DB.OpenSurvey(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	// The page carries the token and the resident's name: keep it out of
	// shared caches, as the JSON view is.
	httpkit.NoStore(c)
	return s.renderSurvey(c, http.StatusOK, link, inst, nil, nil)
}

// maxFormBytes bounds a submitted form. It is larger than the JSON limit
// because a browser percent-encodes every non-ASCII byte: two 1,000-character
// comments in a non-Latin script take about 18 KiB, emoji up to 24 KiB.
const maxFormBytes = 32 << 10

func (s *Server) submitSurveyForm(c echo.Context) error {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxFormBytes)
	if err := c.Request().ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large to accept")
		}
		return echo.NewHTTPError(http.StatusBadRequest, "the form could not be read; please send it again")
	}
	var form map[string]string
	var asked *surveys.Instrument
	err := s.DB.Submit(c.Request().Context(), c.Param("token"), func(inst *surveys.Instrument) (surveys.Submission, error) {
		var raw surveys.RawSubmission
		asked = inst
		form, raw = formSubmission(c, inst)
		return inst.Validate(raw)
	})
	var invalid *models.InvalidAnswers
	var ae *surveys.Error
	if errors.As(err, &invalid) && errors.As(err, &ae) && ae.Code == surveys.EINVALID {
		return s.renderSurvey(c, http.StatusUnprocessableEntity, invalid.Link, invalid.Instrument, form, ae.Fields)
	}
	if err != nil && asked != nil && surveys.ErrorCode(err) == surveys.EINTERNAL {
		// The error handler decides whether the database was out of reach;
		// if so, renderError shows the form again with these answers.
		return &keptAnswers{err: err, instrument: asked, form: form}
	}
	if err != nil {
		return err
	}
	s.Metrics.SubmissionStored()
	// The thank-you page names the resident in one of the program's
	// languages; the submission read neither.
	resident, offered := "", asked.Langs()
	if link, err := s.DB.LinkByToken(c.Request().Context(), c.Param("token")); err == nil {
		resident, offered = link.ResidentName, link.Languages()
	}
	ml := menteeLanguage(c, offeredLanguages(offered, asked), "")
	if resident == "" {
		resident = ml.P.T("thanks.the_resident")
	}
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "thanks", menteeMessage{menteeLang: ml,
		Title: ml.P.T("thanks.title"), Detail: ml.P.T("thanks.detail", resident)})
}

// formSubmission turns form values into the same raw submission the JSON API
// validates, so both paths share one set of rules.
func formSubmission(c echo.Context, inst *surveys.Instrument) (map[string]string, surveys.RawSubmission) {
	form := map[string]string{}
	raw := surveys.RawSubmission{Answers: map[string]json.RawMessage{}, Comments: map[string]json.RawMessage{}}
	for _, it := range inst.Items {
		v := c.Request().PostForm.Get(it.Key)
		form[it.Key] = v
		switch {
		case v == "":
		case v == "na":
			raw.Answers[it.Key] = json.RawMessage("null")
		default:
			if _, err := strconv.Atoi(v); err == nil {
				raw.Answers[it.Key] = json.RawMessage(v)
			} else {
				raw.Answers[it.Key] = json.RawMessage(strconv.Quote(v))
			}
		}
	}
	for _, cp := range inst.Comments {
		v := c.Request().PostForm.Get(cp.Key)
		form[cp.Key] = v
		b, _ := json.Marshal(v)
		raw.Comments[cp.Key] = b
	}
	return form, raw
}

func (s *Server) declineSurveyForm(c echo.Context) error {
	// The program's languages choose the answer page's; the link names
	// them until the decline closes it.
	offered := offeredLanguages(surveys.Default().Langs(), nil)
	if link, err := s.DB.LinkByToken(c.Request().Context(), c.Param("token")); err == nil {
		offered = offeredLanguages(link.Languages(), nil)
	}
	if err := s.DB.DeclineLink(c.Request().Context(), c.Param("token")); err != nil {
		return err
	}
	p := menteeLanguage(c, offered, "")
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "thanks", menteeMessage{menteeLang: p,
		Title: p.P.T("declined.title"), Detail: p.P.T("declined.detail")})
}

// keptAnswers is a submission of the form that failed for a reason of ours:
// the answers as typed and the instrument they were read with, so that a
// 503 can show the form again instead of losing them.
type keptAnswers struct {
	err        error
	instrument *surveys.Instrument
	form       map[string]string
}

func (e *keptAnswers) Error() string { return e.err.Error() }
func (e *keptAnswers) Unwrap() error { return e.err }

// renderError shows a problem as a page a person can act on.
func (s *Server) renderError(c echo.Context, p httpkit.Problem, err error) error {
	var kept *keptAnswers
	if p.Status == http.StatusServiceUnavailable && errors.As(err, &kept) {
		// The link could not be read either: the form goes without the
		// resident's name, with every answer in place and a notice.
		return s.renderSurveyKept(c, p.Status, kept.instrument, kept.form)
	}
	if menteeRoute(c) {
		return s.renderMenteeError(c, p, err)
	}
	page := messagePage{Title: p.Title, Detail: sentence(p.Detail), Nav: s.nav(c)}
	switch p.Status {
	case http.StatusForbidden:
		forbiddenPage(&page, httpkit.CurrentPrincipal(c), c.Path())
	case http.StatusGone:
		page.Title, page.Hint = closedTitle(err)
	case http.StatusNotFound:
		page.Title = "Page not found"
		if errors.Is(err, models.ErrLinkNotFound) {
			page.Title = "Survey link not found"
			page.Hint = "If you scanned a QR code, try scanning it again, or ask your mentor for the link by email."
		}
	case http.StatusInternalServerError:
		page.Detail = "Something went wrong on our side. Your answers were not lost if you go back and send them again."
	case http.StatusServiceUnavailable:
		page.Title = "Please try again in a minute"
		page.Hint = "Nothing you sent was lost. Reload this page in a minute."
	}
	if errors.Is(err, models.ErrLinkCompleted) {
		// Most often the mentee's own retry after an answer whose
		// confirmation never arrived: it reads as the success it was.
		page.Detail = "This link has been used, and the answers sent with it are stored."
	}
	httpkit.NoStore(c)
	return s.render(c, p.Status, "error", page)
}

// closedTitle names why a survey link is closed, so the mentee sees at a
// glance whether they already answered, were too late, or declined. The
// reason is the error's own; the detail beneath comes from it too.
func closedTitle(err error) (title, hint string) {
	switch {
	case errors.Is(err, models.ErrLinkCompleted):
		return "Your answers were received", "Thank you. Nothing else is needed from you."
	case errors.Is(err, models.ErrLinkExpired):
		return "This link has expired", ""
	case errors.Is(err, models.ErrLinkDeclined):
		return "Survey closed", "Nothing else is needed from you."
	}
	return "This survey is closed", "Nothing else is needed from you."
}
