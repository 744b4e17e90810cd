package surveys_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestScores(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name    string
		answers map[string]*int
		want    map[surveys.Attribute]*float64
	}{
		{
			name:    "score-mean-of-every-item",
			answers: map[string]*int{"A1": intp(5), "A2": intp(4), "C1": intp(1), "C2": intp(2), "C3": intp(4), "S1": intp(3), "S2": intp(3), "S3": intp(4), "G": intp(5)},
			want:    map[surveys.Attribute]*float64{surveys.Availability: f(4.5), surveys.Competence: f(7.0 / 3), surveys.AltruisticSupport: f(10.0 / 3), surveys.Overall: f(5)},
		},
		{
			name:    "score-null-excluded-from-mean",
			answers: map[string]*int{"A1": intp(2), "A2": nil, "C1": intp(5), "C2": nil, "C3": intp(3), "S1": nil, "S2": nil, "S3": intp(1), "G": intp(4)},
			want:    map[surveys.Attribute]*float64{surveys.Availability: f(2), surveys.Competence: f(4), surveys.AltruisticSupport: f(1), surveys.Overall: f(4)},
		},
		{
			name:    "score-nil-when-no-item-answered",
			answers: map[string]*int{"A1": nil, "A2": nil, "C1": nil, "C2": nil, "C3": nil, "S1": nil, "S2": nil, "S3": nil, "G": intp(3)},
			want:    map[surveys.Attribute]*float64{surveys.Availability: nil, surveys.Competence: nil, surveys.AltruisticSupport: nil, surveys.Overall: f(3)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := surveys.Default().Scores(tt.answers)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInstrumentMatchesIssue(t *testing.T) {
	in := surveys.Default()
	if in.Key != "resident-mentor" || in.Version != 1 {
		t.Errorf("default instrument = %s v%d, want resident-mentor v1", in.Key, in.Version)
	}
	var got []string
	for _, it := range in.Items {
		got = append(got, it.Key+":"+string(it.Attribute))
	}
	want := []string{"A1:availability", "A2:availability", "C1:competence", "C2:competence", "C3:competence",
		"S1:altruistic_support", "S2:altruistic_support", "S3:altruistic_support", "G:overall"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]string{1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}, in.Scale.Labels); diff != "" {
		t.Errorf("scale labels (-want +got):\n%s", diff)
	}
	for _, c := range in.Comments {
		if c.MaxLength != 1000 {
			t.Errorf("comment %s max length = %d, want 1000", c.Key, c.MaxLength)
		}
	}
	if _, err := surveys.Lookup("resident-mentor", 99); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("Lookup of an unknown version: error %v, want not_found", err)
	}
}

func TestWeek(t *testing.T) {
	tests := []struct {
		name string
		at   string
		want string
	}{
		{"week-mid-year", "2026-11-25", "2026-W48"},
		{"week-first-days-of-january-in-last-years-w53", "2021-01-03", "2020-W53"},
		{"week-new-years-day-2027-in-2026-w53", "2027-01-01", "2026-W53"},
		{"week-late-december-in-next-years-w01", "2024-12-30", "2025-W01"},
		{"week-single-digit-padded", "2026-01-05", "2026-W02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, _ := time.Parse(time.DateOnly, tt.at)
			if got := surveys.Week(at.Add(13 * time.Hour)); got != tt.want {
				t.Errorf("Week(%s) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
}

func TestWeekStartAndMonth(t *testing.T) {
	// Years with an ISO week 53 start on a Thursday, or are leap years
	// starting on a Wednesday: 2015, 2020, 2026, 2032 here.
	tests := []struct {
		name      string
		week      string
		wantStart string
		wantMonth string
		wantErr   bool
	}{
		{name: "week-start-mid-year", week: "2026-W48", wantStart: "2026-11-23", wantMonth: "2026-11"},
		{name: "week-start-w01-begins-in-previous-december", week: "2026-W01", wantStart: "2025-12-29", wantMonth: "2026-01"},
		{name: "week-start-w01-thursday-in-january", week: "2025-W01", wantStart: "2024-12-30", wantMonth: "2025-01"},
		{name: "week-start-2026-w53", week: "2026-W53", wantStart: "2026-12-28", wantMonth: "2026-12"},
		{name: "week-start-2020-w53", week: "2020-W53", wantStart: "2020-12-28", wantMonth: "2020-12"},
		{name: "week-start-2015-w53", week: "2015-W53", wantStart: "2015-12-28", wantMonth: "2015-12"},
		{name: "week-month-by-thursday-across-month-end", week: "2026-W27", wantStart: "2026-06-29", wantMonth: "2026-07"},
		{name: "week-month-by-thursday-before-month-end", week: "2026-W22", wantStart: "2026-05-25", wantMonth: "2026-05"},
		{name: "week-reject-w53-in-52-week-year", week: "2025-W53", wantErr: true},
		{name: "week-reject-w53-in-2027", week: "2027-W53", wantErr: true},
		{name: "week-reject-w00", week: "2026-W00", wantErr: true},
		{name: "week-reject-w54", week: "2026-W54", wantErr: true},
		{name: "week-reject-lowercase-w", week: "2026-w48", wantErr: true},
		{name: "week-reject-short", week: "2026-W8", wantErr: true},
		{name: "week-reject-letters", week: "20x6-W48", wantErr: true},
		{name: "week-reject-empty", week: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, err := surveys.WeekStart(tt.week)
			month, merr := surveys.WeekMonth(tt.week)
			if tt.wantErr {
				if err == nil || merr == nil {
					t.Fatalf("WeekStart(%q) = %v, %v; WeekMonth = %q, %v; want errors", tt.week, start, err, month, merr)
				}
				return
			}
			if err != nil || merr != nil {
				t.Fatalf("WeekStart(%q): %v; WeekMonth: %v", tt.week, err, merr)
			}
			if got := start.Format(time.DateOnly); got != tt.wantStart || start.Weekday() != time.Monday || start.Location() != time.UTC {
				t.Errorf("WeekStart(%q) = %v, want Monday %s UTC", tt.week, start, tt.wantStart)
			}
			if month != tt.wantMonth {
				t.Errorf("WeekMonth(%q) = %s, want %s", tt.week, month, tt.wantMonth)
			}
			if back := surveys.Week(start); back != tt.week {
				t.Errorf("Week(WeekStart(%q)) = %s, want the same week", tt.week, back)
			}
		})
	}
}
