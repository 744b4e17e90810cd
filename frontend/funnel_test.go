package frontend

import (
	"strings"
	"testing"
)

func TestFunnelOutsideInterpolatesAndHoldsPastTheLastStep(t *testing.T) {
	f := Funnel{Mean: 4, Limits: []FunnelLimit{
		{Mentees: 3, Inner: [2]float64{3.4, 4.6}, Outer: [2]float64{3.1, 4.9}},
		{Mentees: 5, Inner: [2]float64{3.6, 4.4}, Outer: [2]float64{3.3, 4.7}},
	}}
	for _, tc := range []struct {
		name    string
		mentees int64
		v       float64
		want    int
	}{
		{"inside", 3, 4.5, 0},
		{"above-95", 3, 4.7, 1},
		{"below-99.8", 3, 3.0, -2},
		// Halfway between 3 and 5 mentees the inner limit is 3.5.
		{"interpolated-inside", 4, 3.55, 0},
		{"interpolated-below-95", 4, 3.45, -1},
		// Past the last step the last limits hold.
		{"past-the-last-step", 40, 3.5, -1},
	} {
		if got := f.Outside(tc.mentees, tc.v); got != tc.want {
			t.Errorf("%s: Outside(%d, %.2f) = %d, want %d", tc.name, tc.mentees, tc.v, got, tc.want)
		}
	}
}

func TestFunnelChartTellsPointsApartByShape(t *testing.T) {
	f := Funnel{Title: "Availability", Mean: 4, Limits: []FunnelLimit{
		{Mentees: 3, Inner: [2]float64{3.4, 4.6}, Outer: [2]float64{3.1, 4.9}},
		{Mentees: 20, Inner: [2]float64{3.8, 4.2}, Outer: [2]float64{3.7, 4.3}},
	}, Points: []FunnelPoint{{"Dr. In", 10, 4.0}, {"Dr. Out <95>", 20, 3.75}, {"Dr. Far", 20, 3.0}}}
	svg := string(FunnelChart(f, "what the chart shows"))
	for _, want := range []string{"<title>Availability</title>", "<desc>what the chart shows</desc>", "<circle", "<rect", "<path d=", "Dr. Out &lt;95&gt;: 3.75, 20 mentees"} {
		if !strings.Contains(svg, want) {
			t.Errorf("funnel SVG lacks %q", want)
		}
	}
	if FunnelChart(Funnel{}, "") != "" {
		t.Error("a funnel without limits should draw nothing")
	}
}
