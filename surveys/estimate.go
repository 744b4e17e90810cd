package surveys

import (
	"math"

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
// resident's. DF is how many degrees of freedom the within estimate rests
// on.
type Components struct {
	Within, Between float64
	DF              float64
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

// EstimateComponents pools the variance components over released groups
// (each element one group's moments of one attribute) by the method of
// moments of one-way ANOVA, blended with DefaultComponents by their degrees
// of freedom.
func EstimateComponents(groups []Moments) Components {
	var withinSS, withinDF, betweenSS, betweenDF, betweenScale float64
	for _, m := range groups {
		if m.Responses == 0 || m.Clusters == 0 {
			continue
		}
		n, g := float64(m.Responses), float64(m.Clusters)
		withinSS += math.Max(0, m.SumSq-m.ClusterMeanSq)
		withinDF += n - g
		if g > 1 {
			betweenSS += math.Max(0, m.ClusterMeanSq-m.Sum*m.Sum/n)
			betweenDF += g - 1
			betweenScale += n - m.ClusterCountSq/n
		}
	}
	c := Components{DF: withinDF}
	w := DefaultComponents.Within
	if withinDF > 0 {
		w = (componentsPriorDF*DefaultComponents.Within + withinSS) / (componentsPriorDF + withinDF)
	}
	c.Within = w
	b := DefaultComponents.Between
	if betweenDF > 0 && betweenScale > 0 {
		est := math.Max(0, (betweenSS-w*betweenDF)/betweenScale)
		b = (componentsPriorDF*DefaultComponents.Between + betweenDF*est) / (componentsPriorDF + betweenDF)
	}
	c.Between = b
	return c
}

// Estimate is a mean with the variance of its sampling error.
type Estimate struct {
	Mean float64
	// Var is the moderated variance of Mean; DF the degrees of freedom of
	// the t quantile for its interval.
	Var, DF float64
}

// EstimateOf estimates the mean response score from moments, or returns
// ok false without responses.
func EstimateOf(m Moments, c Components) (e Estimate, ok bool) {
	if m.Responses == 0 {
		return Estimate{}, false
	}
	n := float64(m.Responses)
	g := float64(m.Clusters)
	if g == 0 {
		g = n
	}
	mean := m.Sum / n
	// What the program's components predict for this design: mentees of
	// n_j responses each.
	p := m.ClusterCountSq
	if p == 0 {
		p = n
	}
	prior := (c.Between*p + c.Within*n) / (n * n)
	robust := 0.0
	if g > 1 {
		ss := m.ClusterTotalSq - 2*mean*m.ClusterCross + mean*mean*p
		robust = g / (g - 1) * math.Max(0, ss) / (n * n)
	}
	df := moderationDF + g - 1
	v := (moderationDF*prior + (g-1)*robust) / df
	return Estimate{Mean: mean, Var: v, DF: df}, true
}

// Interval95 is the estimate's 95% interval, a t interval clipped to the
// 1–5 scale.
func (e Estimate) Interval95() (lo, hi float64) {
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: e.DF}.Quantile(0.975)
	h := t * math.Sqrt(e.Var)
	return math.Max(1, e.Mean-h), math.Min(5, e.Mean+h)
}

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
func DesignEffect(m Moments, e Estimate) float64 {
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
