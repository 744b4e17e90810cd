package surveys

import "math"

// Counts is a tally of answers to one item (or to several items pooled):
// how many of each rating 1..5, and how many "not applicable". It is the
// unit the report aggregates store, so every figure is computed from it.
type Counts struct {
	// Ratings[v-1] counts the answers v, for v from 1 to 5.
	Ratings       [5]int64
	NotApplicable int64
}

// Add counts one answer; nil is "not applicable".
func (c *Counts) Add(v *int) {
	if v == nil {
		c.NotApplicable++
		return
	}
	if *v >= 1 && *v <= 5 {
		c.Ratings[*v-1]++
	}
}

// Plus returns the sum of two tallies.
func (c Counts) Plus(o Counts) Counts {
	for i := range c.Ratings {
		c.Ratings[i] += o.Ratings[i]
	}
	c.NotApplicable += o.NotApplicable
	return c
}

// Answers is the number of ratings (not-applicable excluded).
func (c Counts) Answers() int64 {
	var n int64
	for _, k := range c.Ratings {
		n += k
	}
	return n
}

// Mean is the mean rating, or NaN when there is none.
func (c Counts) Mean() float64 {
	n := c.Answers()
	if n == 0 {
		return math.NaN()
	}
	var sum int64
	for i, k := range c.Ratings {
		sum += int64(i+1) * k
	}
	return float64(sum) / float64(n)
}

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959963984540054

// Round2 rounds to two decimals, the precision every report shows.
func Round2(x float64) float64 { return math.Round(x*100) / 100 }

// round2p returns a pointer to x rounded, or nil for NaN.
func round2p(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	r := Round2(x)
	return &r
}
