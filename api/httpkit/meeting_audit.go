package httpkit

import (
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// AuditMeetingImport records a meeting import: a bulk action that sends
// email, so the log says who ran it and what it did (never an address).
// Meeting imports belong to delivery, not to accounts, so the JSON import
// and the roster page's share it here.
func (s *Kit) AuditMeetingImport(c echo.Context, programID int64, rep *delivery.ImportReport) error {
	return s.Audit(c.Request().Context(), c, models.AuditEntry{Action: models.ActionMeetingImport,
		Target: ProgramTarget(programID), ProgramID: &programID,
		Detail: fmt.Sprintf("rows=%d created=%d skipped=%d rejected=%d", rep.Rows, rep.Created, rep.Skipped, len(rep.Errors))})
}
