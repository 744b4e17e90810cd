package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerSurveyRoutes registers the mentee's JSON API. Everything here is
// public: the token is the only credential.
func (s *Server) registerSurveyRoutes(g *echo.Group) {
	g.GET("/surveys/:token", s.getSurvey)
	g.POST("/surveys/:token", s.submitSurvey)
	g.POST("/surveys/:token/decline", s.declineSurvey)
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
	link, err := s.db.OpenLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	inst, err := surveys.Lookup(link.InstrumentKey, link.InstrumentVersion)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, surveyView{
		Resident:    nameView{link.ResidentName},
		Program:     nameView{link.ProgramName},
		MeetingDate: link.MeetingDate,
		ExpiresAt:   link.ExpiresAt.UTC().Truncate(time.Second),
		Instrument:  inst,
	})
}

func (s *Server) submitSurvey(c echo.Context) error {
	body, err := readJSONBody(c, surveys.MaxBodyBytes)
	if err != nil {
		return err
	}
	err = s.submitAnswers(c, func(inst *surveys.Instrument) (surveys.Submission, error) {
		return inst.DecodeSubmission(body)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"status": "received"})
}

// submitAnswers is the submission of the JSON API and of the form alike:
// the link is the path's token, the answers whatever decode makes of the
// body for the instrument the link asks (see models.DB.Submit).
func (s *Server) submitAnswers(c echo.Context, decode models.DecodeFunc) error {
	return s.db.Submit(c.Request().Context(), c.Param("token"), decode)
}

// declineRequest is the body of POST /api/v1/surveys/{token}/decline.
type declineRequest struct {
	Reason string `json:"reason" validate:"required,oneof=meeting_did_not_happen"`
}

func (s *Server) declineSurvey(c echo.Context) error {
	var req declineRequest
	if err := bindJSON(c, &req, 1<<10); err != nil {
		return err
	}
	if err := s.db.DeclineLink(c.Request().Context(), c.Param("token")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// readJSONBody checks the content type and reads at most limit bytes.
func readJSONBody(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != echo.MIMEApplicationJSON {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as JSON with Content-Type: application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is too large")
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the request body could not be read")
	}
	return body, nil
}

// bindJSON strictly decodes a JSON body (unknown fields rejected) into v and
// validates it.
func bindJSON(c echo.Context, v any, limit int64) error {
	body, err := readJSONBody(c, limit)
	if err != nil {
		return err
	}
	if err := surveys.DecodeJSON(body, v); err != nil {
		return err
	}
	return c.Validate(v)
}

func noStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}
