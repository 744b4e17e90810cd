package api

import (
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerReportRoutes registers the report API. Access is decided by
// authorizeResidentReport and authorizeProgramReport (report_access.go).
func (s *Server) registerReportRoutes(g *echo.Group) {
	auth := s.apiAuth()
	g.GET("/me/report", s.myReport, auth...)
	g.GET("/residents/:id/report", s.residentReport, auth...)
	g.GET("/residents/:id/report.pdf", s.residentReportPDF, auth...)
	g.GET("/programs/:id/report", s.programReport, auth...)
}

// periodQuery is the period of a report request, in whole months.
type periodQuery struct {
	From string `query:"from" json:"from"`
	To   string `query:"to" json:"to"`
}

// programReportQuery is the query of GET /api/v1/programs/{id}/report.
type programReportQuery struct {
	// Not an embedded periodQuery: Echo's binder skips embedded structs.
	From    string `query:"from" json:"from"`
	To      string `query:"to" json:"to"`
	PGYYear *int   `query:"pgy_year" json:"pgy_year" validate:"omitempty,min=1,max=7"`
	Format  string `query:"format" json:"format" validate:"omitempty,oneof=json csv"`
}

func (s *Server) parsePeriod(q periodQuery) (surveys.Period, error) {
	return surveys.ParsePeriod(q.From, q.To, s.db.Now())
}

// bindQuery binds and validates query parameters only.
func bindQuery(c echo.Context, v any) error {
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, v); err != nil {
		return surveys.Errorf(surveys.EINVALID, "the query is not valid: use from=YYYY-MM, to=YYYY-MM and pgy_year from 1 to 7")
	}
	return c.Validate(v)
}

func (s *Server) myReport(c echo.Context) error {
	id, err := currentResidentID(c)
	if err != nil {
		return err
	}
	return s.writeResidentReport(c, id)
}

func (s *Server) residentReport(c echo.Context) error {
	id, err := pathID(c, "id", "resident")
	if err != nil {
		return err
	}
	return s.writeResidentReport(c, id)
}

// loadResidentReport checks access and computes the report the request asks.
func (s *Server) loadResidentReport(c echo.Context, residentID int64) (*surveys.ResidentReport, error) {
	if err := s.authorizeResidentReport(c, residentID); err != nil {
		return nil, err
	}
	var q periodQuery
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	period, err := s.parsePeriod(q)
	if err != nil {
		return nil, err
	}
	return s.db.ResidentReport(c.Request().Context(), residentID, period)
}

func (s *Server) writeResidentReport(c echo.Context, residentID int64) error {
	rep, err := s.loadResidentReport(c, residentID)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, rep)
}

// loadProgramReport checks access and computes the program report the
// request asks, for the JSON/CSV endpoint and the page alike.
func (s *Server) loadProgramReport(c echo.Context) (int64, programReportQuery, *surveys.ProgramReport, error) {
	var q programReportQuery
	id, err := pathID(c, "id", "program")
	if err != nil {
		return 0, q, nil, err
	}
	if err := s.authorizeProgramReport(c, id); err != nil {
		return 0, q, nil, err
	}
	if err := bindQuery(c, &q); err != nil {
		return 0, q, nil, err
	}
	period, err := s.parsePeriod(periodQuery{q.From, q.To})
	if err != nil {
		return 0, q, nil, err
	}
	rep, err := s.db.ProgramReport(c.Request().Context(), id, models.ProgramReportFilter{Period: period, PGYYear: q.PGYYear})
	return id, q, rep, err
}

func (s *Server) programReport(c echo.Context) error {
	id, q, rep, err := s.loadProgramReport(c)
	if err != nil {
		return err
	}
	noStore(c)
	c.Response().Header().Add("Vary", "Accept")
	if q.Format == "csv" || (q.Format == "" && acceptsCSV(c.Request().Header.Get("Accept"))) {
		if err := s.recordExport(c, "program_report_csv", id, programTarget(id)); err != nil {
			return err
		}
		return writeProgramCSV(c, rep)
	}
	return c.JSON(http.StatusOK, rep)
}

// acceptsCSV reports whether an Accept header asks for CSV.
func acceptsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == "text/csv" && params["q"] != "0" {
			return true
		}
	}
	return false
}
