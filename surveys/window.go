package surveys

import (
	"fmt"
	"strings"
	"time"
)

// Release windows.
//
// A response belongs to the window in which it was submitted, and nothing
// about it is finer than that window. A window is a month, a quarter or a
// half-year, aligned to the program's academic year (which starts in
// AcademicYearStartMonth, July by default): with quarters from July they
// are July–September, October–December, January–March and April–June. A
// window is named by its first month, so "2026-10" is October–December 2026.

// Window kinds, a program's release_window.
const (
	WindowMonth   = "month"
	WindowQuarter = "quarter"
	WindowHalf    = "half"
)

// Program defaults for windows.
const (
	DefaultWindow                 = WindowQuarter
	DefaultAcademicYearStartMonth = 7
)

// WindowKinds lists the kinds a program may choose, shortest first.
func WindowKinds() []string { return []string{WindowMonth, WindowQuarter, WindowHalf} }

// WindowMonths is the length of a window kind in months, or 0 for an
// unknown kind.
func WindowMonths(kind string) int {
	switch kind {
	case WindowMonth:
		return 1
	case WindowQuarter:
		return 3
	case WindowHalf:
		return 6
	}
	return 0
}

// Window is one release window: its id (its first month) and its first and
// last months, both included.
type Window struct {
	ID   string `json:"id"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Start is the first instant of the window (UTC).
func (w Window) Start() time.Time {
	t, _ := ParseMonth(w.From)
	return t
}

// End is the first instant after the window (UTC): when it closes.
func (w Window) End() time.Time {
	t, _ := ParseMonth(w.To)
	return t.AddDate(0, 1, 0)
}

// Contains reports whether a month ("2026-03") lies in the window.
func (w Window) Contains(month string) bool { return month >= w.From && month <= w.To }

// Next is the window after w.
func (w Window) Next(kind string, startMonth int) Window {
	return WindowOf(w.End(), kind, startMonth)
}

// Previous is the window before w.
func (w Window) Previous(kind string, startMonth int) Window {
	return WindowOf(w.Start().AddDate(0, 0, -1), kind, startMonth)
}

// WindowOf returns the window of kind that holds t (in UTC), with windows
// aligned to an academic year starting in startMonth (1–12). An unknown
// kind counts as DefaultWindow and a start month out of range as
// DefaultAcademicYearStartMonth, so a bad setting can never make a window
// shorter than intended.
func WindowOf(t time.Time, kind string, startMonth int) Window {
	n := WindowMonths(kind)
	if n == 0 {
		n = WindowMonths(DefaultWindow)
	}
	if startMonth < 1 || startMonth > 12 {
		startMonth = DefaultAcademicYearStartMonth
	}
	t = t.UTC()
	abs := monthIndex(t.Year(), int(t.Month()))
	pos := ((abs-(startMonth-1))%n + n) % n
	first := abs - pos
	return Window{ID: monthName(first), From: monthName(first), To: monthName(first + n - 1)}
}

// WindowOfMonth is WindowOf for a month string ("2026-11").
func WindowOfMonth(month, kind string, startMonth int) (Window, error) {
	t, err := ParseMonth(month)
	if err != nil {
		return Window{}, err
	}
	return WindowOf(t, kind, startMonth), nil
}

// monthIndex counts months from year 0: year*12 + month - 1.
func monthIndex(year, month int) int { return year*12 + month - 1 }

// MonthIndex is monthIndex of t in UTC; the PostgreSQL submission statement
// computes a window from it (see models.windowSQL).
func MonthIndex(t time.Time) int {
	t = t.UTC()
	return monthIndex(t.Year(), int(t.Month()))
}

func monthName(i int) string { return fmt.Sprintf("%04d-%02d", i/12, i%12+1) }

// AlignPeriod widens a period to whole windows: from moves back to the first
// month of its window, to forward to the last month of its window. A report
// therefore always covers whole windows, whatever months were asked.
func AlignPeriod(p Period, kind string, startMonth int) Period {
	from, err1 := WindowOfMonth(p.From, kind, startMonth)
	to, err2 := WindowOfMonth(p.To, kind, startMonth)
	if err1 != nil || err2 != nil {
		return p
	}
	return Period{From: from.From, To: to.To}
}

// Windows lists the windows that overlap the period, oldest first.
func (p Period) Windows(kind string, startMonth int) []Window {
	start, err1 := ParseMonth(p.From)
	end, err2 := ParseMonth(p.To)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []Window
	for w := WindowOf(start, kind, startMonth); !w.Start().After(end); w = w.Next(kind, startMonth) {
		out = append(out, w)
	}
	return out
}

// ValidWindowKind reports whether kind is a release_window a program may set.
func ValidWindowKind(kind string) bool { return WindowMonths(kind) > 0 }

// WindowKindList is the kinds as a sentence fragment, for messages.
func WindowKindList() string { return strings.Join(WindowKinds(), ", ") }

// Months names the window's months as people read them: "October–December
// 2026", "December 2026–May 2027", or "October 2026" for a month.
func (w Window) Months() string {
	from, errF := ParseMonth(w.From)
	to, errT := ParseMonth(w.To)
	if errF != nil || errT != nil {
		return w.From + "–" + w.To
	}
	switch {
	case w.From == w.To:
		return from.Format("January 2006")
	case from.Year() == to.Year():
		return from.Format("January") + "–" + to.Format("January 2006")
	}
	return from.Format("January 2006") + "–" + to.Format("January 2006")
}

// Label names a window with its kind: "quarter (October–December 2026)".
func (w Window) Label(kind string) string { return kind + " (" + w.Months() + ")" }
