package surveys

import (
	"slices"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 5, 17, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, from, to string
		want           Period
		bad            string
	}{
		{"default-last-twelve-months", "", "", Period{"2025-06", "2026-05"}, ""},
		{"explicit", "2026-01", "2026-03", Period{"2026-01", "2026-03"}, ""},
		{"to-only", "", "2025-12", Period{"2025-01", "2025-12"}, ""},
		{"reversed-invalid", "2026-04", "2026-03", Period{}, "from"},
		{"day-invalid", "2026-01-05", "", Period{}, "from"},
		{"garbage-invalid", "", "soon", Period{}, "to"},
		{"too-long-invalid", "2000-01", "2026-01", Period{}, "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePeriod(tt.from, tt.to, now)
			if tt.bad != "" {
				e, ok := err.(*Error)
				if !ok || e.Code != EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tt.bad {
					t.Fatalf("want invalid %s, got %v", tt.bad, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestQuarters(t *testing.T) {
	got := Period{"2025-11", "2026-04"}.Quarters()
	if want := []string{"2025-Q4", "2026-Q1", "2026-Q2"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if q := Quarter("2026-09"); q != "2026-Q3" {
		t.Errorf("Quarter(2026-09) = %s", q)
	}
}
