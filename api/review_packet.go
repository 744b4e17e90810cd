package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/api/web"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// reviewPacketPDF answers GET /api/v1/residents/{id}/review-packet.pdf
// ?academic_year=YYYY (the calendar year the academic year starts in; the
// current one when absent): the resident and their program's directors
// and admins may download it, and each download is audited as an export.
// A director's packet holds only the goals and self-assessments the
// resident shared.
func (s *Server) reviewPacketPDF(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "resident")
	if err != nil {
		return err
	}
	res, err := s.AuthorizeResidentReport(c, id)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	prog, err := s.DB.ProgramByID(ctx, *res.ProgramID)
	if err != nil {
		return err
	}
	now := s.DB.Now().UTC()
	year := now.Year()
	if int(now.Month()) < prog.AcademicYearStartMonth {
		year--
	}
	if v := c.QueryParam("academic_year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > year {
			return surveys.Invalid("the academic year is not valid", []surveys.FieldError{{Field: "academic_year",
				Message: fmt.Sprintf("must be the year an academic year starts in, from 2000 to %d", year)}})
		}
		year = y
	}
	from := time.Date(year, time.Month(prog.AcademicYearStartMonth), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, -1, 0)
	if to.After(now) {
		to = now
	}
	period := surveys.Period{From: surveys.MonthOf(from), To: surveys.MonthOf(to)}
	rep, err := s.DB.ResidentReport(ctx, id, period)
	if err != nil {
		return err
	}
	a := httpkit.ActorOf(c)
	pk := web.ReviewPacket{Report: rep, ProgramName: prog.Name, Own: httpkit.CurrentUser(c).ID == id,
		Year: from.Format("January 2006") + " to " + from.AddDate(1, -1, 0).Format("January 2006")}
	sas, err := s.Growth.SelfAssessments(ctx, a, id)
	if err != nil {
		return err
	}
	for _, sa := range sas {
		if period.Contains(sa.Window.ID) {
			pk.Self = append(pk.Self, sa)
		}
	}
	if pk.Goals, err = s.Growth.Goals(ctx, a, id); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := web.ReviewPacketPDF(&buf, pk, s.DB.Now(), true); err != nil {
		return fmt.Errorf("render review packet: %w", err)
	}
	if err := s.RecordExport(c, "review_packet_pdf", *res.ProgramID, httpkit.UserTarget(id)); err != nil {
		return err
	}
	httpkit.NoStore(c)
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="resident-%d-review-packet-%d-%d.pdf"`, id, year, year+1))
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}
