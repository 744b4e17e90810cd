package surveys

import (
	"math"
)

// z998 is the two-sided 99.8% normal quantile, the outer funnel limit.
const z998 = 3.090232306167813

// Funnel is what a funnel plot of one attribute draws: residents' adjusted
// means against their number of mentees, and around the program mean the
// limits within which an adjusted mean falls 95% and 99.8% of the time
// when the resident's true level is the program's. The limits narrow as
// mentees grow: a point outside them is unlikely to be chance.
type Funnel struct {
	ProgramMean *float64 `json:"program_mean"`
	// ResponsesPerMentee is the program's average, used for the limits.
	ResponsesPerMentee float64       `json:"responses_per_mentee"`
	Limits             []FunnelLimit `json:"limits"`
}

// FunnelLimit is the funnel at one number of mentees.
type FunnelLimit struct {
	Mentees int64      `json:"mentees"`
	Inner   [2]float64 `json:"inner"` // 95%
	Outer   [2]float64 `json:"outer"` // 99.8%
}

// programMean is the mean of the residents' means, each resident weighted
// equally, with a t interval from their spread.
func (m *attributeModel) programMean() (*float64, *[2]float64, int) {
	r := len(m.fits)
	if r == 0 {
		return nil, nil, 0
	}
	mean := m.sum / float64(r)
	if r == 1 {
		lo, hi := m.fits[0].est.Interval95()
		return ptr(mean), interval(lo, hi), 1
	}
	var ss float64
	for _, f := range m.fits {
		ss += (f.est.Mean - mean) * (f.est.Mean - mean)
	}
	se := math.Sqrt(ss / float64(r-1) / float64(r))
	t := t975(float64(r - 1))
	return ptr(mean), interval(math.Max(1, mean-t*se), math.Min(5, mean+t*se)), r
}

// funnel computes the funnel limits from 3 mentees to the most any
// resident has (at least 20), that number always among them.
func (m *attributeModel) funnel() Funnel {
	f := Funnel{Limits: []FunnelLimit{}}
	if len(m.fits) == 0 {
		return f
	}
	mean := m.sum / float64(len(m.fits))
	f.ProgramMean = ptr(mean)
	var responses, clusters, most int64
	for _, fit := range m.fits {
		responses += fit.responses
		clusters += max(fit.mentees, 1)
		most = max(most, fit.mentees)
	}
	perMentee := float64(responses) / float64(max(clusters, 1))
	f.ResponsesPerMentee = Round2(perMentee)
	perMenteeVar := m.comps.Between + m.comps.Within/math.Max(1, perMentee)
	// The shrinkage's prior, as adjust uses it: the spread of residents
	// and a typical benchmark's own uncertainty.
	prior := m.spread
	if r := len(m.fits); r > 1 {
		var v float64
		for _, fit := range m.fits {
			v += fit.est.Var
		}
		prior += (m.spread + v/float64(r)) / float64(r-1)
	}
	top := max(most, 20)
	for k := int64(MinMinMentees); ; k = min(nextFunnelStep(k), top) {
		v := perMenteeVar / float64(k)
		lambda := prior / (prior + v)
		sd := lambda * math.Sqrt(v)
		f.Limits = append(f.Limits, FunnelLimit{Mentees: k,
			Inner: [2]float64{Round2(math.Max(1, mean-z95*sd)), Round2(math.Min(5, mean+z95*sd))},
			Outer: [2]float64{Round2(math.Max(1, mean-z998*sd)), Round2(math.Min(5, mean+z998*sd))}})
		if k >= top {
			break
		}
	}
	return f
}

// nextFunnelStep spaces the funnel's points: every mentee up to 20, then
// wider steps.
func nextFunnelStep(k int64) int64 {
	switch {
	case k < 20:
		return k + 1
	case k < 50:
		return k + 5
	default:
		return k + 25
	}
}
