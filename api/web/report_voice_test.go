package web

import (
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestFormalNameFindsTheSurname(t *testing.T) {
	for name, want := range map[string]string{
		"Ana Rivera":           "Dr. Rivera",
		"Dr. Ana Rivera":       "Dr. Rivera",
		"Dr Ana Rivera":        "Dr. Rivera",
		"Rivera, Ana":          "Dr. Rivera",
		"Ana Rivera, MD":       "Dr. Rivera",
		"Ana Rivera M.D.":      "Dr. Rivera",
		"Ana de la Cruz":       "Dr. de la Cruz",
		"Ludwig van Beethoven": "Dr. van Beethoven",
		"  Eun-ji Han ":        "Dr. Han",
		"Rivera":               "Rivera",
		"Dr. Rivera":           "Dr. Rivera",
		"":                     "",
	} {
		if got := formalName(name); got != want {
			t.Errorf("formalName(%q) = %q, want %q", name, got, want)
		}
	}
	if got := voiceFor("Ana Rivera", false).Whose(); got != "Dr. Rivera's" {
		t.Errorf("a director reads %q", got)
	}
	if got := voiceFor("Ana Rivera", true).Whose(); got != "Your" {
		t.Errorf("the resident reads %q", got)
	}
}

func TestAcademicYearFollowsTheStartMonth(t *testing.T) {
	at := func(y int, m time.Month) time.Time { return time.Date(y, m, 15, 12, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		now   time.Time
		start int
		want  surveys.Period
	}{
		{at(2026, 6), 7, surveys.Period{From: "2025-07", To: "2026-06"}},
		{at(2026, 7), 7, surveys.Period{From: "2026-07", To: "2027-06"}},
		{at(2026, 1), 1, surveys.Period{From: "2026-01", To: "2026-12"}},
		{at(2026, 8), 9, surveys.Period{From: "2025-09", To: "2026-08"}},
		{at(2026, 8), 0, surveys.Period{From: "2026-07", To: "2027-06"}},
	} {
		if got := academicYear(tc.now, tc.start); got != tc.want {
			t.Errorf("academic year of %s from month %d: %v, want %v", tc.now.Format("2006-01"), tc.start, got, tc.want)
		}
	}
}
