package api

import (
	"github.com/mentorpulse/mentorpulse/i18n"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerSurveyRoutes registers the mentee's JSON API on the rate-limited
// /api/v1/surveys group. Everything here is public: the token is the only
// credential.
func (s *Server) registerSurveyRoutes(g *httpkit.Routes) {
	g.GET("/:token", s.getSurvey)
	g.POST("/:token", s.submitSurvey)
	g.POST("/:token/decline", s.declineSurvey)
}

// surveyView is the JSON shape of GET /api/v1/surveys/{token}.
type surveyView struct {
	Resident    nameView            `json:"resident"`
	Program     nameView            `json:"program"`
	MeetingDate *string             `json:"meeting_date"`
	ExpiresAt   time.Time           `json:"expires_at"`
	Instrument  *surveys.Instrument `json:"instrument"`
	// Language is the language of the instrument's texts; Languages those
	// the link offers (?lang= picks one, else Accept-Language, else the
	// program's first), as on the mentee's page.
	Language  string   `json:"language"`
	Languages []string `json:"languages"`
}

type nameView struct {
	Name string `json:"name"`
}

func (s *Server) getSurvey(c echo.Context) error {
	link, inst, err := s.DB.OpenSurvey(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	var offered []string
	for _, l := range link.Languages() {
		if i18n.Has(l) && slices.Contains(inst.Langs(), l) && !slices.Contains(offered, l) {
			offered = append(offered, l)
		}
	}
	if len(offered) == 0 {
		offered = []string{inst.Source()}
	}
	lang := c.QueryParam("lang")
	if !slices.Contains(offered, lang) {
		lang = i18n.Negotiate(c.Request().Header.Get("Accept-Language"), offered)
	}
	c.Response().Header().Add("Vary", "Accept-Language")
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, surveyView{
		Resident:    nameView{link.ResidentName},
		Program:     nameView{link.ProgramName},
		MeetingDate: link.MeetingDate,
		ExpiresAt:   link.ExpiresAt.UTC().Truncate(time.Second),
		Instrument:  inst.In(lang),
		Language:    lang,
		Languages:   offered,
	})
}

func (s *Server) submitSurvey(c echo.Context) error {
	body, err := httpkit.ReadJSONBody(c, surveys.MaxBodyBytes)
	if err != nil {
		return err
	}
	err = s.DB.Submit(c.Request().Context(), c.Param("token"), func(inst *surveys.Instrument) (surveys.Submission, error) {
		return inst.DecodeSubmission(body)
	})
	if err != nil {
		return err
	}
	s.Metrics.SubmissionStored()
	return c.JSON(http.StatusCreated, map[string]string{"status": "received"})
}

// declineRequest is the body of POST /api/v1/surveys/{token}/decline.
type declineRequest struct {
	Reason string `json:"reason" validate:"required,oneof=meeting_did_not_happen"`
}

func (s *Server) declineSurvey(c echo.Context) error {
	var req declineRequest
	if err := httpkit.BindJSON(c, &req, 1<<10); err != nil {
		return err
	}
	if err := s.DB.DeclineLink(c.Request().Context(), c.Param("token")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
