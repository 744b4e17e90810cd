package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// programCSVHeader is the column order of the program report export, as the
// issue fixes it.
var programCSVHeader = []string{
	"resident_id", "resident_name", "pgy_year", "responses", "invitations", "response_rate",
	"availability_mean", "competence_mean", "altruistic_support_mean", "overall_mean", "suppressed", "flags",
}

// csvFlushEvery is how many rows go out before the writer flushes, so the
// export streams with flat memory however many residents there are.
const csvFlushEvery = 50

// writeProgramCSV streams a program report as CSV. Quoting of commas,
// quotes and line breaks is encoding/csv's; cells a spreadsheet would read
// as a formula are neutralised by safeCell.
func writeProgramCSV(c echo.Context, rep *surveys.ProgramReport) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="program-%d-report-%s-to-%s.csv"`,
		rep.Program.ID, rep.Period.From, rep.Period.To))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write(programCSVHeader); err != nil {
		return err
	}
	for i, r := range rep.Residents {
		pgy := ""
		if r.PGYYear != nil {
			pgy = strconv.Itoa(*r.PGYYear)
		}
		row := []string{
			strconv.FormatInt(r.ID, 10), safeCell(r.Name), pgy,
			strconv.FormatInt(r.Responses, 10), strconv.FormatInt(r.Invitations, 10), decimal(r.ResponseRate),
		}
		for _, a := range surveys.Attributes {
			row = append(row, decimal(r.Attributes[a].Mean))
		}
		row = append(row, strconv.FormatBool(r.Suppressed), safeCell(strings.Join(r.Flags, ";")))
		if err := w.Write(row); err != nil {
			return err
		}
		if i%csvFlushEvery == csvFlushEvery-1 {
			w.Flush()
			c.Response().Flush()
		}
	}
	w.Flush()
	return w.Error()
}

// safeCell neutralises spreadsheet formula injection: a cell that starts
// with =, +, -, @, a tab or a carriage return gets a leading single quote,
// which spreadsheets show as text.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// decimal writes a figure with two decimals, or nothing when suppressed.
func decimal(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}
