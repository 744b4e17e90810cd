package httpkit

import (
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
	PGYYear *int   `query:"pgy_year" json:"pgy_year" validate:"omitempty,min=1,max=7"`
	Format  string `query:"format" json:"format" validate:"omitempty,oneof=json csv"`
}

func (s *Kit) ParsePeriod(q PeriodQuery) (surveys.Period, error) {
	return surveys.ParsePeriod(q.From, q.To, s.DB.Now())
}

// bindQuery binds and validates query parameters only.
func BindQuery(c echo.Context, v any) error {
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, v); err != nil {
		return surveys.Errorf(surveys.EINVALID, "the query is not valid: use from=YYYY-MM, to=YYYY-MM and pgy_year from 1 to 7")
	}
	return c.Validate(v)
}

// loadResidentReport checks access and computes the report the request asks.
func (s *Kit) LoadResidentReport(c echo.Context, residentID int64) (*surveys.ResidentReport, error) {
	if err := s.AuthorizeResidentReport(c, residentID); err != nil {
		return nil, err
	}
	var q PeriodQuery
	if err := BindQuery(c, &q); err != nil {
		return nil, err
	}
	period, err := s.ParsePeriod(q)
	if err != nil {
		return nil, err
	}
	return s.DB.ResidentReport(c.Request().Context(), residentID, period)
}

// loadProgramReport checks access and computes the program report the
// request asks, for the JSON/CSV endpoint and the page alike.
func (s *Kit) LoadProgramReport(c echo.Context) (int64, ProgramReportQuery, *surveys.ProgramReport, error) {
	var q ProgramReportQuery
	id, err := PathID(c, "id", "program")
	if err != nil {
		return 0, q, nil, err
	}
	if err := s.AuthorizeProgramReport(c, id); err != nil {
		return 0, q, nil, err
	}
	if err := BindQuery(c, &q); err != nil {
		return 0, q, nil, err
	}
	period, err := s.ParsePeriod(PeriodQuery{q.From, q.To})
	if err != nil {
		return 0, q, nil, err
	}
	rep, err := s.DB.ProgramReport(c.Request().Context(), id, models.ProgramReportFilter{Period: period, PGYYear: q.PGYYear})
	return id, q, rep, err
}
