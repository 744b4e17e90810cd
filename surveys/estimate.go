package surveys

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// The statistics of a report (docs/reports.md §3). A resident's figure for
// an attribute is the mean of the response scores; its interval treats the
// responses of one mentee as a cluster, because a few mentees rate the same
// resident again and again and their answers are alike. The cluster-robust
// variance of a mean from a handful of mentees is itself noisy (three
// mentees who all answered 5 have none), so it is moderated toward what the
// program's variance components predict for the same design, the way
// empirical-Bayes "moderated t" statistics are.

// Components are a program's variance components of one attribute's
// response scores: Within is the variance of one mentee's scores around
// their own mean, Between the variance of mentees' means around their
// resident's.
type Components struct {
	Within, Between float64
}

// DefaultComponents are assumed where a program has too little data of its
// own: a within-mentee SD of 0.6 and a between-mentee SD of 0.45, typical
// of mentoring ratings on a 1–5 scale (and the values the simulations in the
// tests use). A program's own estimates replace them as its data grow.
var DefaultComponents = Components{Within: 0.36, Between: 0.2025}

// componentsPriorDF is how many degrees of freedom DefaultComponents count
// for when they are blended with a program's own estimates.
const componentsPriorDF = 20

// moderationDF is how many degrees of freedom the program's components
// count for beside a resident's own clusters when the variance of the
// resident's mean is estimated.
const moderationDF = 4

// EstimateComponents estimates the variance components from groups built
// in memory (the release, and the simulations).
func EstimateComponents(groups []Moments) Components {
	var sums ComponentSums
	for _, m := range groups {
		sums = sums.Plus(m.ComponentSums())
	}
	return sums.Components()
}

// Components blends the method-of-moments estimates with
// DefaultComponents by their degrees of freedom.
func (s ComponentSums) Components() Components {
	var c Components
	c.Within = (componentsPriorDF*DefaultComponents.Within + s.WithinSS) / (componentsPriorDF + s.WithinDF)
	c.Between = DefaultComponents.Between
	if s.BetweenScale > 0 {
		est := math.Max(0, (s.BetweenSum-c.Within*s.BetweenNoise)/s.BetweenScale)
		c.Between = (componentsPriorDF*DefaultComponents.Between + s.BetweenDF*est) / (componentsPriorDF + s.BetweenDF)
	}
	return c
}

// Estimate is a mean with the variance of its sampling error.
type Estimate struct {
	Mean float64
	// Var is the moderated variance of Mean; DF the degrees of freedom of
	// the t quantile for its interval.
	Var, DF float64
}

// EstimateOf estimates the mean response score of pooled groups, or
// returns ok false without responses.
//
// A group's mean from N responses of G mentees, Kish-effectively E, has
// variance τ²/E + σ²/N under the program's components. The resident's own
// spread is taken into account through the total variance of their
// responses, moderated toward the program's τ² + σ² (as empirical-Bayes
// "moderated t" statistics do): less spread scales both components down;
// more is counted as disagreement between mentees.
//
// The period's mean weights groups by their responses. The groups' answer
// noise is independent, but their mentees may be the same people (nothing
// links one group's mentees to another's, and mentoring lasts), so the
// mentee parts are added as if perfectly correlated: (Σ w_g·sd_g)² rather
// than Σ w_g²·sd_g². That is right when the same mentees answer in every
// window and errs wide when they do not. The t quantile has the degrees of
// freedom of the moderated variance.
func EstimateOf(p Pooled, c Components) (e Estimate, ok bool) {
	if p.Responses == 0 {
		return Estimate{}, false
	}
	total := float64(p.Responses)
	programVar := c.Between + c.Within
	var menteeSD, noise, ownSS, ownDF, effDF float64
	for _, m := range p.groups {
		n := float64(m.Responses)
		if n > 1 {
			ownSS += math.Max(0, m.SumSq-m.Sum*m.Sum/n)
			ownDF += n - 1
		}
		effDF += float64(max(m.EffectiveClusters, 1)) - 1
	}
	// The resident's spread, with as many degrees of freedom as effective
	// mentees (responses of one mentee are alike, so they count for less).
	df := moderationDF + effDF
	between, within := c.Between, c.Within
	if ownDF > 0 && programVar > 0 {
		own := (moderationDF*programVar + effDF*ownSS/ownDF) / df
		if own <= programVar {
			between, within = between*own/programVar, within*own/programVar
		} else {
			// More spread than the program's: count the excess as
			// disagreement between mentees, the part that averages away
			// only with more mentees, which errs wide.
			between += own - programVar
		}
	}
	for _, m := range p.groups {
		n := float64(m.Responses)
		eff := float64(max(min(m.EffectiveClusters, m.Clusters), 1))
		if m.EffectiveClusters == 0 {
			eff = float64(max(m.Clusters, 1))
		}
		w := n / total
		menteeSD += w * math.Sqrt(between/eff)
		noise += w * w * within / n
	}
	return Estimate{Mean: p.Sum / total, Var: menteeSD*menteeSD + noise, DF: df}, true
}

// Interval95 is the estimate's 95% interval, a t interval clipped to the
// 1–5 scale.
func (e Estimate) Interval95() (lo, hi float64) {
	t := t975(e.DF)
	h := t * math.Sqrt(e.Var)
	return math.Max(1, e.Mean-h), math.Min(5, e.Mean+h)
}

// t975 is the 97.5% quantile of Student's t with df degrees of freedom,
// remembered: inverting the incomplete beta function is most of what a
// report costs otherwise. df is rounded to a hundredth up to 30 and to a
// whole number up to 1000 (each moves the quantile by less than 1e-3), and
// beyond that the normal quantile stands in (within 0.002), so the cache
// holds at most about 4,000 values.
func t975(df float64) float64 {
	if df >= 1000 {
		return z95
	}
	key := int64(math.Round(df * 100))
	if df > 30 {
		key = int64(math.Round(df)) * 100
	}
	if v, ok := tQuantiles.Load(key); ok {
		return v.(float64)
	}
	v := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(key) / 100}.Quantile(0.975)
	tQuantiles.Store(key, v)
	return v
}

// tQuantiles caches t975 by df in hundredths.
var tQuantiles sync.Map

// normalCDF is Φ.
func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Share is a proportion of answers with its 95% Wilson interval.
type Share struct {
	Share *float64    `json:"share"`
	CI95  *[2]float64 `json:"ci95"`
}

// WilsonShare is the share k/n with a Wilson score interval computed at an
// effective sample size n/designEffect: answers from the same mentee are
// alike, so n clustered answers carry the information of fewer independent
// ones.
func WilsonShare(k, n int64, designEffect float64) Share {
	if n <= 0 {
		return Share{}
	}
	p := float64(k) / float64(n)
	ne := float64(n) / math.Max(1, designEffect)
	z2 := z95 * z95
	denom := 1 + z2/ne
	centre := (p + z2/(2*ne)) / denom
	half := z95 * math.Sqrt(p*(1-p)/ne+z2/(4*ne*ne)) / denom
	s := Round2(p)
	return Share{Share: &s, CI95: &[2]float64{Round2(math.Max(0, centre-half)), Round2(math.Min(1, centre+half))}}
}

// DesignEffect is how much the mentee clustering inflates the variance of
// the mean over independent answers: the estimate's variance against the
// responses' variance over their number, between 1 and responses per
// cluster (so the effective sample size is never below the number of
// mentees).
func DesignEffect(m Pooled, e Estimate) float64 {
	n := float64(m.Responses)
	g := float64(max(m.Clusters, 1))
	if n < 2 {
		return 1
	}
	s2 := (m.SumSq - m.Sum*m.Sum/n) / (n - 1)
	if s2 <= 0 {
		return n / g
	}
	return math.Min(n/g, math.Max(1, e.Var*n/s2))
}
