package api

import (
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
)

// registerReportRoutes registers the report API. Access is decided by
// authorizeResidentReport and authorizeProgramReport (report_access.go).
func (s *Server) registerReportRoutes(g *echo.Group) {
	auth := s.APIAuth()
	g.GET("/me/report", s.myReport, auth...)
	g.GET("/residents/:id/report", s.residentReport, auth...)
	g.GET("/residents/:id/report.pdf", s.residentReportPDF, auth...)
	g.GET("/residents/:id/review-packet.pdf", s.reviewPacketPDF, auth...)
	g.GET("/programs/:id/report", s.programReport, auth...)
}

func (s *Server) myReport(c echo.Context) error {
	id, err := httpkit.CurrentResidentID(c)
	if err != nil {
		return err
	}
	return s.writeResidentReport(c, id)
}

func (s *Server) residentReport(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "resident")
	if err != nil {
		return err
	}
	return s.writeResidentReport(c, id)
}

func (s *Server) writeResidentReport(c echo.Context, residentID int64) error {
	rep, err := s.LoadResidentReport(c, residentID)
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, rep)
}

func (s *Server) programReport(c echo.Context) error {
	id, q, rep, err := s.LoadProgramReport(c)
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	c.Response().Header().Add("Vary", "Accept")
	if q.Format == "csv" || (q.Format == "" && acceptsCSV(c.Request().Header.Get("Accept"))) {
		if err := s.RecordExport(c, "program_report_csv", id, httpkit.ProgramTarget(id)); err != nil {
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
