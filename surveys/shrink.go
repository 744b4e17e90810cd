package surveys

import "math"

// The program-level model of one attribute: every resident's estimate, the
// program mean that weights each resident equally, how much residents
// truly differ, and from those an empirical-Bayes ("adjusted") estimate of
// each resident pulled toward the others' mean by how little data it rests
// on. Sorting, flags and the focus use the adjusted estimate, so a resident
// with three mentees is not ranked last, flagged or told what to work on
// because of one unlucky meeting.

// FlagMargin is how far below the others' mean (in scale points) a
// resident's true mean must be, with FlagProbability, for a below_program
// flag.
const FlagMargin = 0.25

// FlagProbability is how sure the model must be before a flag fires.
const FlagProbability = 0.9

// FocusProbability is how sure the model must be that an attribute is truly
// the weakest (or strongest) before a report names it.
const FocusProbability = 0.8

// ReliableAt is the reliability at which an estimate counts as reliable
// ("about N more mentees for a reliable estimate").
const ReliableAt = 0.7

// minResidentSpread is the smallest SD between residents' true means the
// model assumes: a program whose residents look alike in one period is
// not thereby shown to have no differences, and a floor keeps one
// resident far from the others from being pulled all the way back.
const minResidentSpread = 0.3

// residentFit is one resident's raw estimate of one attribute.
type residentFit struct {
	id                 int64
	est                Estimate
	responses, mentees int64
	// menteeVar is the variance of the mean times the number of clusters:
	// what one more mentee is worth.
	menteeVar float64
}

// attributeModel is the program-level model of one attribute in a period.
type attributeModel struct {
	fits   []residentFit
	byID   map[int64]int
	sum    float64
	spread float64 // ω², variance of residents' true means
	comps  Components
}

// Adjusted is a resident's estimate of one attribute under the program
// model.
type Adjusted struct {
	// Mean is the adjusted (shrunk) estimate; SD its posterior SD, never
	// more than the raw estimate's.
	Mean, SD float64
	// Reliability is the share of the spread of raw means that is real
	// difference between residents rather than noise, 0–1.
	Reliability float64
	// MoreMentees is how many more mentees (with as many responses each
	// as so far) would bring Reliability to ReliableAt; 0 once reached.
	MoreMentees int64
	// Benchmark is the mean of the other residents (each weighted
	// equally), BenchmarkVar its sampling variance; OK false when no
	// other resident has a figure.
	Benchmark    float64
	BenchmarkVar float64
	Others       int
	OthersBasis  Basis
	HasBenchmark bool
	// diff is the posterior of (true mean − benchmark).
	diffMean, diffSD float64
}

// newAttributeModel fits the model to the residents' estimates.
func newAttributeModel(fits []residentFit, comps Components) *attributeModel {
	m := &attributeModel{fits: fits, byID: map[int64]int{}, comps: comps}
	for i, f := range fits {
		m.byID[f.id] = i
		m.sum += f.est.Mean
	}
	m.spread = minResidentSpread * minResidentSpread
	if r := len(fits); r >= 3 {
		mean := m.sum / float64(r)
		var ss, v float64
		for _, f := range fits {
			ss += (f.est.Mean - mean) * (f.est.Mean - mean)
			v += f.est.Var
		}
		m.spread = math.Max(m.spread, ss/float64(r-1)-v/float64(r))
	}
	return m
}

// adjust returns resident id's adjusted estimate, or ok false when the
// resident has no figure in the model.
func (m *attributeModel) adjust(id int64) (Adjusted, bool) {
	i, ok := m.byID[id]
	if !ok {
		return Adjusted{}, false
	}
	f := m.fits[i]
	a := Adjusted{Others: len(m.fits) - 1}
	a.Reliability = m.spread / (m.spread + f.est.Var)
	if a.Reliability < ReliableAt && f.menteeVar > 0 {
		need := f.menteeVar / (m.spread * (1/ReliableAt - 1))
		a.MoreMentees = max(0, int64(math.Ceil(need))-max(f.mentees, 1))
	}
	if a.Others == 0 {
		// Nobody to compare with: the raw estimate stands.
		a.Mean, a.SD = f.est.Mean, math.Sqrt(f.est.Var)
		a.diffSD = a.SD
		return a, true
	}
	var others float64
	for j, o := range m.fits {
		if j != i {
			others += o.est.Var
			a.OthersBasis.Responses += o.responses
			a.OthersBasis.Mentees += o.mentees
		}
	}
	k := float64(a.Others)
	a.HasBenchmark = true
	a.Benchmark = (m.sum - f.est.Mean) / k
	a.BenchmarkVar = (m.spread*k + others) / (k * k)
	// The adjusted estimate: the prior says the resident's true mean lies
	// around the benchmark, with the spread of residents and the
	// benchmark's own uncertainty; the data say the raw mean, with its
	// sampling variance.
	prior := m.spread + a.BenchmarkVar
	lambda := prior / (prior + f.est.Var)
	a.Mean = a.Benchmark + lambda*(f.est.Mean-a.Benchmark)
	a.SD = math.Sqrt(lambda * f.est.Var)
	// For flags, the difference from the program's level: the prior says
	// residents differ from it with variance ω²; the data say (raw −
	// benchmark), with the noise of both.
	noise := f.est.Var + a.BenchmarkVar
	lambdaD := m.spread / (m.spread + noise)
	a.diffMean = lambdaD * (f.est.Mean - a.Benchmark)
	a.diffSD = math.Sqrt(lambdaD * noise)
	return a, true
}

// focusPosterior is the posterior the focus compares attributes by: the
// benchmark plus the flags' posterior of the difference from it, or the
// adjusted estimate when there is no benchmark.
func (a Adjusted) focusPosterior() (mean, sd float64) {
	if !a.HasBenchmark {
		return a.Mean, a.SD
	}
	return a.Benchmark + a.diffMean, a.diffSD
}

// ProbBelow is the probability that the resident's true mean lies more
// than margin below the benchmark.
func (a Adjusted) ProbBelow(margin float64) float64 {
	if !a.HasBenchmark || a.diffSD <= 0 {
		return 0
	}
	return normalCDF((-margin - a.diffMean) / a.diffSD)
}

// ProbUnder is the probability that the resident's true mean is under x,
// on the flags' footing.
func (a Adjusted) ProbUnder(x float64) float64 {
	mean, sd := a.focusPosterior()
	if sd <= 0 {
		return 0
	}
	return normalCDF((x - mean) / sd)
}

// Interval95 is the adjusted estimate's 95% interval on the scale.
func (a Adjusted) Interval95() (lo, hi float64) {
	return math.Max(1, a.Mean-z95*a.SD), math.Min(5, a.Mean+z95*a.SD)
}

// probLowest returns, for each of the normals N(means[i], sds[i]²), the
// probability that it is the lowest, by numerical integration:
// P(i lowest) = ∫ φ_i(x) Π_{j≠i} (1 − Φ_j(x)) dx.
func probLowest(means, sds []float64) []float64 {
	out := make([]float64, len(means))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range means {
		lo = math.Min(lo, means[i]-8*sds[i])
		hi = math.Max(hi, means[i]+8*sds[i])
	}
	const steps = 800
	h := (hi - lo) / steps
	for i := range means {
		if sds[i] <= 0 {
			continue
		}
		var sum float64
		for s := 0; s <= steps; s++ {
			x := lo + float64(s)*h
			z := (x - means[i]) / sds[i]
			v := math.Exp(-z*z/2) / (sds[i] * math.Sqrt(2*math.Pi))
			for j := range means {
				if j != i && sds[j] > 0 {
					v *= 1 - normalCDF((x-means[j])/sds[j])
				}
			}
			w := 2.0
			if s == 0 || s == steps {
				w = 1
			} else if s%2 == 1 {
				w = 4
			}
			sum += w * v
		}
		out[i] = sum * h / 3
	}
	return out
}
