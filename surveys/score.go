package surveys

import (
	"errors"
	"fmt"
	"time"
)

// Scores returns each attribute's score for one response: the mean of its
// answered items, or nil when none of them was answered.
func (in *Instrument) Scores(answers map[string]*int) map[Attribute]*float64 {
	out := make(map[Attribute]*float64, len(Attributes))
	for _, a := range Attributes {
		sum, n := 0, 0
		for _, it := range in.ItemsFor(a) {
			if v := answers[it.Key]; v != nil {
				sum += *v
				n++
			}
		}
		if n > 0 {
			m := float64(sum) / float64(n)
			out[a] = &m
		} else {
			out[a] = nil
		}
	}
	return out
}

// Week returns the ISO week of t as "2026-W48": the only time a response keeps.
func Week(t time.Time) string {
	y, w := t.ISOWeek()
	return isoWeekString(y, w)
}

func isoWeekString(y, w int) string {
	b := []byte("0000-W00")
	for i, n := 3, y; i >= 0; i, n = i-1, n/10 {
		b[i] = byte('0' + n%10)
	}
	b[6] = byte('0' + w/10)
	b[7] = byte('0' + w%10)
	return string(b)
}

// WeekStart returns the Monday (UTC) of an ISO week string.
func WeekStart(week string) (time.Time, error) {
	if len(week) != 8 || week[4:6] != "-W" {
		return time.Time{}, errors.New("week must look like 2026-W48")
	}
	y, w := 0, 0
	for _, c := range week[:4] {
		if c < '0' || c > '9' {
			return time.Time{}, errors.New("week must look like 2026-W48")
		}
		y = y*10 + int(c-'0')
	}
	for _, c := range week[6:] {
		if c < '0' || c > '9' {
			return time.Time{}, errors.New("week must look like 2026-W48")
		}
		w = w*10 + int(c-'0')
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, (w-1)*7)
	// W00, W54 and W53 of a 52-week year name no week; without this check
	// they would silently become a week of the neighbouring year.
	if gy, gw := start.ISOWeek(); w < 1 || gy != y || gw != w {
		return time.Time{}, fmt.Errorf("%s is not a week: %d has weeks 1 to %d", week, y, weeksIn(y))
	}
	return start, nil
}

// WeekMonth returns the month ("2026-11") an ISO week belongs to, by its
// Thursday, so every week falls in exactly one month.
func WeekMonth(week string) (string, error) {
	start, err := WeekStart(week)
	if err != nil {
		return "", err
	}
	return start.AddDate(0, 0, 3).Format("2006-01"), nil
}

// weeksIn returns how many ISO weeks a year has: 28 December is always in
// its last week.
func weeksIn(year int) int {
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}
