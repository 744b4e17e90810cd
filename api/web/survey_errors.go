package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/i18n"
	"github.com/mentorpulse/mentorpulse/models"
)

// menteeRoute reports whether the request is for a mentee's page (a survey
// link or the QR request page), whose errors speak the mentee's language.
func menteeRoute(c echo.Context) bool {
	return strings.HasPrefix(c.Path(), "/s/") || strings.HasPrefix(c.Path(), "/r/")
}

// renderMenteeError shows a problem on a mentee's route in their language.
// The error is all it has (the link may not exist, and reading it again is
// what closedTitle avoids), so it offers every language of the catalogue,
// chosen by ?lang= or Accept-Language; English when neither says.
func (s *Server) renderMenteeError(c echo.Context, p httpkit.Problem, err error) error {
	switchPath := ""
	if c.Request().Method == http.MethodGet {
		switchPath = c.Request().URL.Path
	}
	ml := menteeLanguage(c, i18n.Languages(), switchPath)
	t := ml.P.T
	page := menteeMessage{menteeLang: ml}
	switch {
	case errors.Is(err, models.ErrLinkCompleted):
		// Most often the mentee's own retry after an answer whose
		// confirmation never arrived: it reads as the success it was.
		page.Title, page.Detail, page.Hint = t("closed.completed_title"), t("closed.completed_detail"), t("closed.completed_hint")
	case errors.Is(err, models.ErrLinkExpired):
		page.Title, page.Detail = t("closed.expired_title"), t("closed.expired_detail")
	case errors.Is(err, models.ErrLinkDeclined):
		page.Title, page.Detail, page.Hint = t("closed.declined_title"), t("closed.declined_detail"), t("closed.nothing_needed")
	case p.Status == http.StatusGone:
		page.Title, page.Detail, page.Hint = t("closed.other_title"), t("closed.other_detail"), t("closed.nothing_needed")
	case p.Status == http.StatusNotFound:
		page.Title, page.Detail, page.Hint = t("notfound.title"), t("notfound.detail"), t("notfound.hint")
	case p.Status == http.StatusRequestEntityTooLarge:
		page.Title, page.Detail = t("error.too_large_title"), t("error.too_large_detail")
	case p.Status == http.StatusBadRequest:
		page.Title, page.Detail = t("error.bad_form_title"), t("error.bad_form_detail")
	case p.Status == http.StatusTooManyRequests:
		page.Title, page.Detail = t("error.rate_limited_title"), t("error.rate_limited_detail")
	case p.Status == http.StatusServiceUnavailable:
		page.Title, page.Detail, page.Hint = t("error.unavailable_title"), t("error.unavailable_detail"), t("error.unavailable_hint")
	case p.Status >= 500:
		page.Title, page.Detail = t("error.internal_title"), t("error.internal_detail")
	default:
		page.Title, page.Detail = t("error.other_title"), t("error.other_detail")
	}
	httpkit.NoStore(c)
	return s.render(c, p.Status, "survey_error", page)
}
