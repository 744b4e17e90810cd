package surveys

import (
	"fmt"
	"time"
)

// MaxPeriodMonths bounds a report period, so a request cannot ask for a
// thousand years of empty quarters.
const MaxPeriodMonths = 120

// DefaultPeriodMonths is the length of the period when a request names none:
// the last twelve months, this one included.
const DefaultPeriodMonths = 12

// Period is a report period in whole months, both ends included ("2026-01"
// to "2026-03"). Reports have no finer filter, so no filter can single out a
// week or a day.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParseMonth parses "2026-03" into the first instant of that month (UTC).
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return time.Time{}, fmt.Errorf("%q is not a month like 2026-03", s)
	}
	return t, nil
}

// MonthOf returns the calendar month of t in UTC, e.g. "2026-03".
func MonthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// ParsePeriod checks a requested period. An empty to is the current month;
// an empty from is DefaultPeriodMonths before to.
func ParsePeriod(from, to string, now time.Time) (Period, error) {
	var fields []FieldError
	end := now.UTC()
	end = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	if to != "" {
		t, err := ParseMonth(to)
		if err != nil {
			fields = append(fields, FieldError{Field: "to", Message: err.Error()})
		}
		end = t
	}
	start := end.AddDate(0, -(DefaultPeriodMonths - 1), 0)
	if from != "" {
		t, err := ParseMonth(from)
		if err != nil {
			fields = append(fields, FieldError{Field: "from", Message: err.Error()})
		}
		start = t
	}
	if len(fields) > 0 {
		return Period{}, Invalid("the period is not valid", fields)
	}
	if start.After(end) {
		return Period{}, Invalid("the period is not valid", []FieldError{{Field: "from", Message: "must not be after to"}})
	}
	if monthsApart(start, end) >= MaxPeriodMonths {
		return Period{}, Invalid("the period is not valid", []FieldError{{Field: "from", Message: fmt.Sprintf("a period can span at most %d months", MaxPeriodMonths)}})
	}
	return Period{From: MonthOf(start), To: MonthOf(end)}, nil
}

func monthsApart(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// Contains reports whether a month ("2026-03") lies in the period. Months
// compare as strings because they are fixed-width.
func (p Period) Contains(month string) bool { return month >= p.From && month <= p.To }

// Quarter returns the quarter of a month, e.g. "2026-03" -> "2026-Q1".
func Quarter(month string) string {
	if len(month) != 7 {
		return month
	}
	m := (int(month[5]-'0')*10 + int(month[6]-'0') - 1) / 3
	return month[:4] + "-Q" + string(rune('1'+m))
}

// Quarters lists the quarters that overlap the period, oldest first.
func (p Period) Quarters() []string {
	start, err1 := ParseMonth(p.From)
	end, err2 := ParseMonth(p.To)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for t := start; !t.After(end); t = t.AddDate(0, 1, 0) {
		q := Quarter(MonthOf(t))
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}
