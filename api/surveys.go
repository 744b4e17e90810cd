package api

import (
	"net/http"
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
}

type nameView struct {
	Name string `json:"name"`
}

func (s *Server) getSurvey(c echo.Context) error {
	link, inst, err := s.DB.OpenSurvey(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, surveyView{
		Resident:    nameView{link.ResidentName},
		Program:     nameView{link.ProgramName},
		MeetingDate: link.MeetingDate,
		ExpiresAt:   link.ExpiresAt.UTC().Truncate(time.Second),
		Instrument:  inst,
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
