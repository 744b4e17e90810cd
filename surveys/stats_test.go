package surveys

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestInterval95(t *testing.T) {
	tests := []struct {
		name   string
		mean   float64
		n      int64
		lo, hi float64
	}{
		// Five unanimous 5s are not certainty.
		{"five-fives-not-certain", 5, 5, 3.26, 5},
		{"five-ones-mirror", 1, 5, 1, 2.74},
		{"middle-small-n", 3, 5, 1.68, 4.32},
		{"large-n-narrow", 4, 100, 3.63, 4.30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := Interval95(tt.mean, tt.n)
			if Round2(lo) != tt.lo || Round2(hi) != tt.hi {
				t.Errorf("Interval95(%v, %d) = [%.2f, %.2f], want [%.2f, %.2f]", tt.mean, tt.n, lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

// TestInterval95Coverage checks, by simulation, the property the method is
// chosen for: on skewed 1–5 data with few responses, the interval covers the
// true mean at least 95% of the time (a t-interval does not).
func TestInterval95Coverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// A population of mostly 5s, as mentor ratings often are.
	weights := []float64{0.02, 0.03, 0.05, 0.30, 0.60}
	var trueMean float64
	for i, w := range weights {
		trueMean += float64(i+1) * w
	}
	draw := func() int {
		u := rng.Float64()
		for i, w := range weights {
			if u < w {
				return i + 1
			}
			u -= w
		}
		return 5
	}
	for _, n := range []int64{3, 5, 10, 30} {
		const trials = 4000
		covered := 0
		for range trials {
			var c Counts
			for range n {
				v := draw()
				c.Add(&v)
			}
			lo, hi := Interval95(c.Mean(), n)
			if lo <= trueMean && trueMean <= hi {
				covered++
			}
		}
		if rate := float64(covered) / trials; rate < 0.95 {
			t.Errorf("n=%d: coverage %.3f, want at least 0.95", n, rate)
		}
	}
}

func TestInterval95StaysOnScale(t *testing.T) {
	for _, n := range []int64{1, 2, 3, 5, 50, 1000} {
		for m := 1.0; m <= 5; m += 0.25 {
			lo, hi := Interval95(m, n)
			if lo < 1 || hi > 5 || lo > m || hi < m {
				t.Errorf("Interval95(%v, %d) = [%v, %v]: must lie in [1,5] around the mean", m, n, lo, hi)
			}
		}
	}
	if lo, _ := Interval95(3, 0); !math.IsNaN(lo) {
		t.Errorf("no responses must give no interval, got %v", lo)
	}
}

func TestCounts(t *testing.T) {
	var c Counts
	for _, v := range []int{1, 2, 2, 5} {
		c.Add(&v)
	}
	c.Add(nil)
	if c.Answers() != 4 || c.NotApplicable != 1 || c.Mean() != 2.5 {
		t.Errorf("got answers %d, n/a %d, mean %v; want 4, 1, 2.5", c.Answers(), c.NotApplicable, c.Mean())
	}
	if d := c.Plus(c); d.Answers() != 8 || d.Ratings[1] != 4 {
		t.Errorf("Plus: %+v", d)
	}
}
