package httpkit

import (
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// PeriodQuery is the period of a report request, in whole months.
type PeriodQuery struct {
	From string `query:"from" json:"from"`
	To   string `query:"to" json:"to"`
}

// ProgramReportQuery is the query of GET /api/v1/programs/{id}/report.
type ProgramReportQuery struct {
	// Not an embedded PeriodQuery: Echo's binder skips embedded structs.
	From    string `query:"from" json:"from"`
	To      string `query:"to" json:"to"`
	PGYYear *int   `query:"pgy_year" json:"pgy_year" validate:"omitempty,pgy_year"`
	Format  string `query:"format" json:"format" validate:"omitempty,oneof=json csv"`
}

// ParsePeriod reads a report period, relative to the database clock.
func (s *Kit) ParsePeriod(q PeriodQuery) (surveys.Period, error) {
	return surveys.ParsePeriod(q.From, q.To, s.DB.Now())
}

// BindQuery binds and validates query parameters only. The report
// queries' one parameter that can fail to bind is pgy_year (from and to are
// strings, checked by ParsePeriod), so a binding error names it.
func BindQuery(c echo.Context, v any) error {
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, v); err != nil {
		msg := fmt.Sprintf("must be a whole number from %d to %d", models.MinPGYYear, models.MaxPGYYear)
		if y := c.QueryParam("pgy_year"); y != "" {
			if _, perr := strconv.Atoi(y); perr != nil {
				return surveys.Invalid("the query is not valid", []surveys.FieldError{{Field: "pgy_year", Message: msg}})
			}
		}
		return surveys.Errorf(surveys.EINVALID, "the query is not valid: use from=YYYY-MM, to=YYYY-MM and pgy_year %s", msg)
	}
	return c.Validate(v)
}

// LoadResidentReport checks access and the query, computes the report the
// request asks, and records the view in the audit log. A request refused
// for its access or its query is not audited: nothing was seen.
func (s *Kit) LoadResidentReport(c echo.Context, residentID int64) (*surveys.ResidentReport, error) {
	res, q, err := s.ResidentReportRequest(c, residentID)
	if err != nil {
		return nil, err
	}
	period, err := s.ParsePeriod(q)
	if err != nil {
		return nil, err
	}
	return s.ResidentReportFor(c, res, period)
}

// ResidentReportRequest checks access to a resident's report and binds the
// query, without reading the period: a page shows its own form when the
// period is wrong.
func (s *Kit) ResidentReportRequest(c echo.Context, residentID int64) (*models.User, PeriodQuery, error) {
	var q PeriodQuery
	res, err := s.authorizeResidentReport(c, residentID)
	if err != nil {
		return nil, q, err
	}
	return res, q, BindQuery(c, &q)
}

// ResidentReportFor computes the report of a resident the request was
// allowed (ResidentReportRequest) and records the view.
func (s *Kit) ResidentReportFor(c echo.Context, res *models.User, period surveys.Period) (*surveys.ResidentReport, error) {
	ctx := c.Request().Context()
	rep, err := s.DB.ResidentReport(ctx, res.ID, period)
	if err != nil {
		return nil, err
	}
	err = s.Audit(ctx, c, models.AuditEntry{Action: models.ActionReportView, Target: UserTarget(res.ID),
		ProgramID: res.ProgramID, Detail: "resident report"})
	return rep, err
}

// LoadProgramReport checks access and the query, computes the program
// report the request asks, for the JSON/CSV endpoint and the page alike, and
// records the view in the audit log (not for a refused request).
func (s *Kit) LoadProgramReport(c echo.Context) (int64, ProgramReportQuery, *surveys.ProgramReport, error) {
	prog, q, err := s.ProgramReportRequest(c)
	if err != nil {
		return 0, q, nil, err
	}
	period, err := s.ParsePeriod(PeriodQuery{q.From, q.To})
	if err != nil {
		return 0, q, nil, err
	}
	rep, err := s.ProgramReportFor(c, prog, period, q.PGYYear)
	return prog.ID, q, rep, err
}

// ProgramReportRequest checks access to a program's report and binds the
// query, without reading the period (see ResidentReportRequest).
func (s *Kit) ProgramReportRequest(c echo.Context) (*models.Program, ProgramReportQuery, error) {
	var q ProgramReportQuery
	id, err := PathID(c, "id", "program")
	if err != nil {
		return nil, q, err
	}
	prog, err := s.authorizeProgramReport(c, id)
	if err != nil {
		return nil, q, err
	}
	return prog, q, BindQuery(c, &q)
}

// ProgramReportFor computes the report of a program the request was allowed
// (ProgramReportRequest) and records the view.
func (s *Kit) ProgramReportFor(c echo.Context, prog *models.Program, period surveys.Period, pgy *int) (*surveys.ProgramReport, error) {
	ctx := c.Request().Context()
	rep, err := s.DB.ProgramReportOf(ctx, prog, models.ProgramReportFilter{Period: period, PGYYear: pgy})
	if err != nil {
		return nil, err
	}
	err = s.Audit(ctx, c, models.AuditEntry{Action: models.ActionReportView,
		Target: ProgramTarget(prog.ID), ProgramID: &prog.ID, Detail: "program report"})
	return rep, err
}
