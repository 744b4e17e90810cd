package web

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// changeView is the program page's "change since the previous window":
// the last window of the period that has closed against the one before it,
// per attribute, program-wide.
type changeView struct {
	// After and Before name the two windows; both "" when the period has
	// no closed window.
	After, Before string
	Rows          []changeRow
}

// changeRow is one attribute's change: the difference and its 95%
// interval in words, and a verdict that calls a change only when the
// interval excludes none.
type changeRow struct {
	Label, Difference, Interval, Verdict string
	// Clear says the verdict is a real change (improved or declined).
	Clear bool
}

// windowChange compares the program's figures in the last closed window
// of the period with the window before it, through surveys.ChangeOf.
func (s *Server) windowChange(ctx context.Context, prog *models.Program, period surveys.Period, now time.Time) (changeView, error) {
	kind, start := prog.ReleaseWindow, prog.AcademicYearStartMonth
	after, err := surveys.WindowOfMonth(period.To, kind, start)
	if err != nil {
		return changeView{}, nil
	}
	for after.End().After(now) && after.To >= period.From {
		after = after.Previous(kind, start)
	}
	if after.To < period.From {
		return changeView{}, nil
	}
	before := after.Previous(kind, start)
	read := func(w surveys.Window) (*surveys.ProgramReport, error) {
		return s.DB.ProgramReportOf(ctx, prog, models.ProgramReportFilter{Period: surveys.Period{From: w.From, To: w.To}})
	}
	a, err := read(after)
	if err != nil {
		return changeView{}, err
	}
	b, err := read(before)
	if err != nil {
		return changeView{}, err
	}
	v := changeView{After: after.Months(), Before: before.Months()}
	for _, attr := range surveys.Attributes {
		var sa, sb surveys.AttributeSummary
		for _, x := range a.Attributes {
			if x.Key == attr {
				sa = x.AttributeSummary
			}
		}
		for _, x := range b.Attributes {
			if x.Key == attr {
				sb = x.AttributeSummary
			}
		}
		v.Rows = append(v.Rows, changeRowOf(attr.Label(), surveys.ChangeOf(sb, sa)))
	}
	return v, nil
}

// changeRowOf writes a change for people: a signed difference with its
// interval, and the verdict in words.
func changeRowOf(label string, ch surveys.Change) changeRow {
	r := changeRow{Label: label, Difference: "–", Interval: "–"}
	if ch.Difference != nil && ch.CI95 != nil {
		r.Difference = fmt.Sprintf("%+.2f", *ch.Difference)
		r.Interval = fmt.Sprintf("%+.2f to %+.2f", ch.CI95[0], ch.CI95[1])
	}
	switch ch.Verdict {
	case surveys.Improved:
		r.Verdict, r.Clear = "clearly higher", true
	case surveys.Declined:
		r.Verdict, r.Clear = "clearly lower", true
	case surveys.NoClearChange:
		r.Verdict = "no clear change"
	default:
		r.Verdict = "not enough data to compare"
	}
	return r
}
