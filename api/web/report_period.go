package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// periodForm is the From and To fields of a report page: the months shown,
// or after a wrong period the months typed with a message beside them.
type periodForm struct {
	From, To string
	Form     formState
}

// Failed reports whether the period could not be read: the page then shows
// its form with the messages and no figures.
func (p periodForm) Failed() bool { return p.Form.HasErrors() }

// periodFields are the period's inputs, for the messages beside them.
var periodFields = []formField{{Name: "from", ID: "period-from", Label: "From"}, {Name: "to", ID: "period-to", Label: "To"}}

// periodFailure turns a period that ParsePeriod refused into the form as
// typed with its messages; ok is false for any other error.
func periodFailure(err error, from, to string) (periodForm, bool) {
	p := periodForm{From: from, To: to}
	if !failForm(&p.Form, err, periodFields, "") {
		return p, false
	}
	for k, msg := range p.Form.Errors {
		p.Form.Errors[k] = strings.Replace(msg, " after to.", " after To.", 1)
	}
	for i, l := range p.Form.Summary {
		p.Form.Summary[i].Text = strings.Replace(l.Text, " after to.", " after To.", 1)
	}
	return p, true
}

// academicYear is the twelve months of the program's academic year (from
// its academic_year_start_month) that hold t.
func academicYear(t time.Time, startMonth int) surveys.Period {
	if startMonth < 1 || startMonth > 12 {
		startMonth = surveys.DefaultAcademicYearStartMonth
	}
	t = t.UTC()
	year := t.Year()
	if int(t.Month()) < startMonth {
		year--
	}
	first := time.Date(year, time.Month(startMonth), 1, 0, 0, 0, 0, time.UTC)
	return surveys.Period{From: surveys.MonthOf(first), To: surveys.MonthOf(first.AddDate(0, 11, 0))}
}

// presetLink is one ready-made period of the program page; Current marks
// the one shown (aria-current).
type presetLink struct {
	Label, Months, URL string
	Current            bool
}

// periodPresets are the program page's periods at a click: the window
// that holds now, the one before it, this academic year and the last.
// base keeps the filter and sort; shown is the period on the page.
func periodPresets(p *models.Program, now time.Time, action string, base url.Values, shown surveys.Period) []presetLink {
	kind, start := p.ReleaseWindow, p.AcademicYearStartMonth
	this := surveys.WindowOf(now, kind, start)
	last := this.Previous(kind, start)
	year := academicYear(now, start)
	from, _ := surveys.ParseMonth(year.From)
	lastYear := academicYear(from.AddDate(0, -1, 0), start)
	presets := []struct {
		label string
		p     surveys.Period
	}{
		{"This " + kind, surveys.Period{From: this.From, To: this.To}},
		{"Last " + kind, surveys.Period{From: last.From, To: last.To}},
		{"This academic year", year},
		{"Last academic year", lastYear},
	}
	var out []presetLink
	for _, pr := range presets {
		v := url.Values{}
		for k, vals := range base {
			v[k] = vals
		}
		v.Set("from", pr.p.From)
		v.Set("to", pr.p.To)
		w := surveys.Window{From: pr.p.From, To: pr.p.To}
		out = append(out, presetLink{Label: pr.label, Months: w.Months(), URL: action + "?" + v.Encode(), Current: pr.p == shown})
	}
	return out
}
