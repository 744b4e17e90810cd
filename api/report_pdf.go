package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/api/web"
)

// residentReportPDF is the one-page report for the competency committee.
func (s *Server) residentReportPDF(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "resident")
	if err != nil {
		return err
	}
	rep, err := s.LoadResidentReport(c, id)
	if err != nil {
		return err
	}
	u, err := s.DB.ReportResident(c.Request().Context(), id)
	if err != nil {
		return err
	}
	programName := ""
	if p, err := s.DB.ProgramByID(c.Request().Context(), *u.ProgramID); err == nil {
		programName = p.Name
	}
	var buf bytes.Buffer
	self := httpkit.CurrentUser(c) != nil && httpkit.CurrentUser(c).ID == id
	if err := web.ReportPDF(&buf, rep, programName, s.DB.Now(), true, self); err != nil {
		return fmt.Errorf("render report pdf: %w", err)
	}
	if err := s.RecordExport(c, "resident_report_pdf", *u.ProgramID, httpkit.UserTarget(id)); err != nil {
		return err
	}
	httpkit.NoStore(c)
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="resident-%d-report-%s-to-%s.pdf"`, id, rep.Period.From, rep.Period.To))
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}
