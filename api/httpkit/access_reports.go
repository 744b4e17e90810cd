package httpkit

import (
	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Access to reports, on the accounts rules (access.go): another program's
// resident or program is 404, a member of the program whose role may not
// see it gets 403.

// authorizeResidentReport allows a resident's report to the resident, their
// program's directors and admins, and returns the resident. The view is
// audited by the caller once the request has proved valid.
func (s *Kit) authorizeResidentReport(c echo.Context, residentID int64) (*models.User, error) {
	res, err := s.ResidentAccess(c, residentID)
	if err != nil {
		return nil, err
	}
	if res.Role != models.RoleResident || res.ProgramID == nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "user %d is not a resident", residentID)
	}
	return res, nil
}

// authorizeProgramReport allows a program's report to its directors and
// admins.
func (s *Kit) authorizeProgramReport(c echo.Context, programID int64) (*models.Program, error) {
	return s.ProgramAccess(c, programID, accounts.Manage)
}

// currentResidentID is the signed-in resident, for GET /api/v1/me/report and
// the dashboard.
func CurrentResidentID(c echo.Context) (int64, error) {
	u := CurrentUser(c)
	if u == nil {
		return 0, surveys.Errorf(surveys.EUNAUTHORIZED, "sign in to see your report")
	}
	if u.Role != models.RoleResident {
		return 0, surveys.Errorf(surveys.EFORBIDDEN, "the feedback dashboard is for residents; program directors see their program's report")
	}
	return u.ID, nil
}

// recordExport notes a report export (CSV or PDF) in the audit log.
func (s *Kit) RecordExport(c echo.Context, kind string, programID int64, target string) error {
	return s.Audit(c.Request().Context(), c, models.AuditEntry{Action: models.ActionReportExport,
		Target: target, ProgramID: &programID, Detail: kind})
}

// AuthorizeResidentReport is authorizeResidentReport for handlers outside
// this package that build a report of their own period (the review
// packet): the resident, their program's directors and admins.
func (s *Kit) AuthorizeResidentReport(c echo.Context, residentID int64) (*models.User, error) {
	return s.authorizeResidentReport(c, residentID)
}
