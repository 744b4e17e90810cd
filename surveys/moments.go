package surveys

import "math"

// Moments is what the mentee-level statistics need of one attribute over a
// set of responses, kept without any reference to a mentee: sums over the
// responses, and sums over the mentees ("clusters") of each mentee's total
// and count, unordered and unlabelled. A response's score for an attribute
// is the mean of its answered items of that attribute (Instrument.Scores);
// a response that answered none of them does not count.
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
	// With T_j the total and n_j the number of scores of cluster j:
	// ClusterTotalSq = Σ T_j², ClusterCross = Σ n_j·T_j,
	// ClusterCountSq = Σ n_j², ClusterMeanSq = Σ T_j²/n_j.
	ClusterTotalSq float64 `json:"cluster_total_sq"`
	ClusterCross   float64 `json:"cluster_cross"`
	ClusterCountSq float64 `json:"cluster_count_sq"`
	ClusterMeanSq  float64 `json:"cluster_mean_sq"`
}

// Plus adds two sets of moments over disjoint responses. Clusters of two
// released groups are counted apart: a mentee who answered in two groups
// is two clusters, since nothing links a group's mentees to another's.
func (m Moments) Plus(o Moments) Moments {
	m.Responses += o.Responses
	m.Sum += o.Sum
	m.SumSq += o.SumSq
	m.Mentees += o.Mentees
	m.Clusters += o.Clusters
	m.ClusterTotalSq += o.ClusterTotalSq
	m.ClusterCross += o.ClusterCross
	m.ClusterCountSq += o.ClusterCountSq
	m.ClusterMeanSq += o.ClusterMeanSq
	return m
}

// AddCluster adds one mentee's (or one unknown rater's) scores, given as
// their count, total and sum of squares. known says whether the cluster is
// a rostered mentee.
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
	m.ClusterTotalSq += total * total
	m.ClusterCross += nf * total
	m.ClusterCountSq += nf * nf
	m.ClusterMeanSq += total * total / nf
}

// AddSingles adds n responses of unknown raters, each a cluster of its own,
// given as their count, total and sum of squares.
func (m *Moments) AddSingles(n int64, total, sumSq float64) {
	if n <= 0 {
		return
	}
	m.Responses += n
	m.Sum += total
	m.SumSq += sumSq
	m.Clusters += n
	m.ClusterTotalSq += sumSq
	m.ClusterCross += total
	m.ClusterCountSq += float64(n)
	m.ClusterMeanSq += sumSq
}

// Mean is the mean response score, or NaN without responses.
func (m Moments) Mean() float64 {
	if m.Responses == 0 {
		return math.NaN()
	}
	return m.Sum / float64(m.Responses)
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
}
