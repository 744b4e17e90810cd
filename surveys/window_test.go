package surveys

import (
	"testing"
	"time"
)

func TestWindowOfAlignsToTheAcademicYear(t *testing.T) {
	for _, c := range []struct {
		month, kind string
		start       int
		want        Window
	}{
		{"2026-10", WindowQuarter, 7, Window{"2026-10", "2026-10", "2026-12"}},
		{"2026-12", WindowQuarter, 7, Window{"2026-10", "2026-10", "2026-12"}},
		{"2027-01", WindowQuarter, 7, Window{"2027-01", "2027-01", "2027-03"}},
		{"2026-07", WindowQuarter, 7, Window{"2026-07", "2026-07", "2026-09"}},
		{"2026-06", WindowQuarter, 7, Window{"2026-04", "2026-04", "2026-06"}},
		{"2026-08", WindowHalf, 7, Window{"2026-07", "2026-07", "2026-12"}},
		{"2027-03", WindowHalf, 7, Window{"2027-01", "2027-01", "2027-06"}},
		{"2026-08", WindowMonth, 7, Window{"2026-08", "2026-08", "2026-08"}},
		{"2026-05", WindowQuarter, 1, Window{"2026-04", "2026-04", "2026-06"}},
		// Quarters from September cross the calendar year.
		{"2027-02", WindowQuarter, 9, Window{"2026-12", "2026-12", "2027-02"}},
		{"2026-12", WindowQuarter, 9, Window{"2026-12", "2026-12", "2027-02"}},
		{"2027-01", WindowHalf, 9, Window{"2026-09", "2026-09", "2027-02"}},
		// Bad settings fall back to the defaults, never a shorter window.
		{"2026-10", "week", 0, Window{"2026-10", "2026-10", "2026-12"}},
	} {
		got, err := WindowOfMonth(c.month, c.kind, c.start)
		if err != nil || got != c.want {
			t.Errorf("%s, %s from %d: %+v (%v), want %+v", c.month, c.kind, c.start, got, err, c.want)
		}
	}
}

// TestWindowsTileTheCalendar: for every kind and start month, each month of
// three years lies in exactly one window, windows follow each other without
// gaps, and Start, End, Next and Previous agree.
func TestWindowsTileTheCalendar(t *testing.T) {
	for _, kind := range WindowKinds() {
		for start := 1; start <= 12; start++ {
			t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			w := WindowOf(t0, kind, start)
			for m := range 36 {
				at := t0.AddDate(0, m, 14)
				got := WindowOf(at, kind, start)
				if got != w {
					if got != w.Next(kind, start) || got.Previous(kind, start) != w || got.Start() != w.End() {
						t.Fatalf("%s from %d: %+v does not follow %+v", kind, start, got, w)
					}
					w = got
				}
				if !w.Contains(MonthOf(at)) || at.Before(w.Start()) || !at.Before(w.End()) {
					t.Fatalf("%s from %d: %s not in %+v", kind, start, MonthOf(at), w)
				}
				if first := int(w.Start().Month()); (first-start+12)%WindowMonths(kind) != 0 {
					t.Fatalf("%s from %d: %+v is not aligned to the academic year", kind, start, w)
				}
			}
		}
	}
}

func TestAlignPeriodTakesWholeWindows(t *testing.T) {
	got := AlignPeriod(Period{"2026-08", "2026-11"}, WindowQuarter, 7)
	if got != (Period{"2026-07", "2026-12"}) {
		t.Errorf("aligned %+v", got)
	}
	ws := got.Windows(WindowQuarter, 7)
	if len(ws) != 2 || ws[0].ID != "2026-07" || ws[1].ID != "2026-10" {
		t.Errorf("windows %+v", ws)
	}
}

// TestWindowLabelNamesItsMonths: the survey page tells a mentee when the
// window ends in words, across a year boundary too.
func TestWindowLabelNamesItsMonths(t *testing.T) {
	for _, c := range []struct {
		w    Window
		kind string
		want string
	}{
		{Window{"2026-10", "2026-10", "2026-12"}, WindowQuarter, "quarter (October–December 2026)"},
		{Window{"2026-12", "2026-12", "2027-02"}, WindowQuarter, "quarter (December 2026–February 2027)"},
		{Window{"2026-08", "2026-08", "2026-08"}, WindowMonth, "month (August 2026)"},
	} {
		if got := c.w.Label(c.kind); got != c.want {
			t.Errorf("%+v: %q, want %q", c.w, got, c.want)
		}
	}
}
