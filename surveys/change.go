package surveys

import "math"

// Change is the difference between two released figures of the same
// thing (later − earlier) with its 95% interval and a plain verdict.
type Change struct {
	Difference *float64    `json:"difference"`
	CI95       *[2]float64 `json:"ci95"`
	// Verdict is Improved, Declined, NoClearChange or NotEnoughData.
	Verdict string `json:"verdict"`
}

// ChangeOf compares an attribute's figure in two periods. Either figure
// withheld gives NotEnoughData.
func ChangeOf(before, after AttributeSummary) Change { return changeOf(before.est, after.est) }

// ItemChangeOf compares an item's figure in two periods.
func ItemChangeOf(before, after ItemSummary) Change { return changeOf(before.est, after.est) }

// changeOf treats the two estimates as independent. Figures of one
// resident in two periods often share mentees, whose answers correlate
// positively, so the true variance of the difference is smaller than the
// sum and the interval errs wide: a change is called only when it is
// clear. The t quantile takes Welch–Satterthwaite degrees of freedom.
func changeOf(b, a *Estimate) Change {
	if a == nil || b == nil {
		return Change{Verdict: NotEnoughData}
	}
	d := a.Mean - b.Mean
	v := a.Var + b.Var
	if v <= 0 {
		return Change{Verdict: NotEnoughData}
	}
	df := v * v / (a.Var*a.Var/math.Max(a.DF, 1) + b.Var*b.Var/math.Max(b.DF, 1))
	q := t975(df) * math.Sqrt(v)
	lo, hi := d-q, d+q
	c := Change{Difference: ptr(d), CI95: &[2]float64{Round2(lo), Round2(hi)}, Verdict: NoClearChange}
	switch {
	case lo > 0:
		c.Verdict = Improved
	case hi < 0:
		c.Verdict = Declined
	}
	return c
}
