package surveys

import "testing"

func TestEstimateIntervalStaysOnScale(t *testing.T) {
	for _, n := range []int64{1, 2, 3, 5, 50, 1000} {
		for v := 1.0; v <= 5; v += 0.5 {
			var m Moments
			m.AddSingles(n, v*float64(n), v*v*float64(n))
			e, ok := EstimateOf(PoolOf(m), DefaultComponents)
			lo, hi := e.Interval95()
			if !ok || lo < 1 || hi > 5 || lo > v || hi < v || hi-lo <= 0 {
				t.Errorf("%d answers of %v: [%v, %v] must lie in [1,5] around the mean with some width", n, v, lo, hi)
			}
		}
	}
	if _, ok := EstimateOf(Pooled{}, DefaultComponents); ok {
		t.Errorf("no responses must give no estimate")
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

func TestT975(t *testing.T) {
	for _, c := range []struct{ df, want float64 }{{1, 12.706}, {4, 2.776}, {10, 2.228}, {30, 2.042}, {120, 1.980}, {5000, 1.960}} {
		if got := t975(c.df); got < c.want-0.002 || got > c.want+0.002 {
			t.Errorf("t975(%v) = %.4f, want %.3f", c.df, got, c.want)
		}
	}
}
