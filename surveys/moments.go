package surveys

import "math"

// Moments is what a released group keeps of one attribute, without any
// reference to a mentee: sums over the group's responses, how many mentees
// they came from, and how evenly (EffectiveClusters). A response's score
// for an attribute is the mean of its answered items of that attribute
// (Instrument.Scores); a response that answered none of them does not
// count.
//
// Why nothing finer: a resident knows how often each mentee met them, and
// a copy of the database knows which links were answered, so each n_j.
// Any sum over mentees that groups responses by mentee — Σ n_j·T_j, Σ T_j²,
// Σ T_j/n_j, or the clusters' residual sum of squares, with T_j the total
// of mentee j — would then pin down a mentee's mean in most small groups
// (TestStoredMomentsDoNotRevealAMenteesMean finds the residual sum of
// squares alone does so in 161 of 190 cases for three mentees). So the
// mentee structure of a group is used once, when the group is released,
// for the program's variance components (ComponentSums, kept sealed and
// summed over the program), and never stored per group.
//
// Responses whose mentee is unknown (links made without a rostered mentee,
// answers stored before mentee-level sums existed) are clusters of one.
type Moments struct {
	// Responses is the number of responses that rated the attribute; Sum
	// and SumSq are the sum of their scores and of their squares.
	Responses int64   `json:"responses"`
	Sum       float64 `json:"sum"`
	SumSq     float64 `json:"sum_sq"`
	// Mentees counts the distinct rostered mentees among those responses;
	// Clusters counts them and the responses of unknown mentees.
	Mentees  int64 `json:"mentees"`
	Clusters int64 `json:"clusters"`
	// EffectiveClusters is ⌊N²/Σ n_j²⌋ (at least 1), Kish's effective
	// number of clusters: as many as the clusters when they are of equal
	// size, fewer when one mentee answered far more often than the others
	// (then the group says less than its count of mentees suggests).
	EffectiveClusters int64 `json:"effective_clusters"`

	// While a group is built: Σ T_j², Σ n_j·T_j and Σ n_j². Never stored.
	totalSq, cross, countSq float64
}

// AddCluster adds one mentee's (or one unknown rater's) scores to a group
// being built, given as their count, total and sum of squares. known says
// whether the cluster is a rostered mentee.
func (m *Moments) AddCluster(n int64, total, sumSq float64, known bool) {
	if n <= 0 {
		return
	}
	m.Responses += n
	m.Sum += total
	m.SumSq += sumSq
	if known {
		m.Mentees++
	}
	m.Clusters++
	nf := float64(n)
	m.totalSq += total * total
	m.cross += nf * total
	m.countSq += nf * nf
	m.finish()
}

// AddSingles adds n responses of unknown raters to a group being built,
// each a cluster of its own, given as their count, total and sum of
// squares.
func (m *Moments) AddSingles(n int64, total, sumSq float64) {
	if n <= 0 {
		return
	}
	m.Responses += n
	m.Sum += total
	m.SumSq += sumSq
	m.Clusters += n
	m.totalSq += sumSq
	m.cross += total
	m.countSq += float64(n)
	m.finish()
}

func (m *Moments) finish() {
	n := float64(m.Responses)
	// The epsilon keeps N²/Σn² = 3 from flooring to 2 by rounding.
	m.EffectiveClusters = max(1, int64(math.Floor(n*n/m.countSq+1e-9)))
}

// Mean is the mean response score, or NaN without responses.
func (m Moments) Mean() float64 {
	if m.Responses == 0 {
		return math.NaN()
	}
	return m.Sum / float64(m.Responses)
}

// ComponentSums are one or more groups' contributions to the estimate of
// the program's variance components (EstimateComponents), by the method
// of moments: with N responses from G mentees of about n = N/G each, the
// total sum of squares less R/n estimates σ²·(N − G), and
// E[R] = (N − n)·(τ²·n + σ²), R being Σ_j (T_j − n_j·ȳ)². They add over
// groups; a program keeps their sum, sealed (docs/privacy.md).
type ComponentSums struct {
	WithinSS, WithinDF                                float64
	BetweenSum, BetweenNoise, BetweenScale, BetweenDF float64
}

// Plus adds two sums.
func (c ComponentSums) Plus(o ComponentSums) ComponentSums {
	c.WithinSS += o.WithinSS
	c.WithinDF += o.WithinDF
	c.BetweenSum += o.BetweenSum
	c.BetweenNoise += o.BetweenNoise
	c.BetweenScale += o.BetweenScale
	c.BetweenDF += o.BetweenDF
	return c
}

// ComponentSums returns a group's contribution to the program's variance
// components. Only a group built with AddCluster/AddSingles has one: what
// it needs is never stored.
func (m Moments) ComponentSums() ComponentSums {
	var c ComponentSums
	if m.Responses == 0 || m.Clusters == 0 || m.countSq == 0 {
		return c
	}
	n, g := float64(m.Responses), float64(m.Clusters)
	mean := m.Sum / n
	r := max(0, m.totalSq-2*mean*m.cross+mean*mean*m.countSq)
	each := n / g
	total := max(0, m.SumSq-m.Sum*m.Sum/n)
	c.WithinSS = max(0, total-r/each)
	c.WithinDF = n - g
	if g > 1 {
		c.BetweenSum = r / each
		c.BetweenNoise = (n - each) / each
		c.BetweenScale = n - each
		c.BetweenDF = g - 1
	}
	return c
}

// Pooled is several released groups' moments of one attribute together. A
// mentee who answered in two groups is two clusters, since nothing links a
// group's mentees to another's.
type Pooled struct {
	Responses         int64
	Sum, SumSq        float64
	Mentees, Clusters int64
	groups            []Moments
}

// PoolOf pools groups.
func PoolOf(groups ...Moments) Pooled {
	var p Pooled
	for _, m := range groups {
		p.Add(m)
	}
	return p
}

// Add pools one more group.
func (p *Pooled) Add(m Moments) {
	if m.Responses == 0 {
		return
	}
	p.Responses += m.Responses
	p.Sum += m.Sum
	p.SumSq += m.SumSq
	p.Mentees += m.Mentees
	p.Clusters += m.Clusters
	p.groups = append(p.groups, m)
}

// Mean is the mean response score, or NaN without responses.
func (p Pooled) Mean() float64 {
	if p.Responses == 0 {
		return math.NaN()
	}
	return p.Sum / float64(p.Responses)
}

// ReleaseMoments are one released group's moments for one attribute, keyed
// like a Tally by the group's release window.
type ReleaseMoments struct {
	Window    string
	Attribute Attribute
	Moments
}

// ResidentMoments are one resident's released groups and their moments: what
// the program-level model (benchmarks, shrinkage, flags) needs of each
// resident.
type ResidentMoments struct {
	ResidentID int64
	Releases   []Release
	Moments    []ReleaseMoments
	// Tallies are the resident's released item tallies, by release
	// window: the program's per-item view pools them.
	Tallies []Tally
}
