package surveys

import (
	"math"
	"sort"
	"strconv"
)

// groupKeep says which released groups count in a period: a group counts
// when the period holds the windows its responses were given in (first to
// last) and the window whose close released it. So figures belong to the
// windows the answers were given in, and a group carried over from one
// window to the next is never split: it counts whole, or not at all.
func groupKeep(rs []Release, p Period) func(window string) bool {
	ok := map[string]bool{}
	for _, r := range rs {
		first := r.FirstWindow
		if first == "" {
			first = r.Window.ID
		}
		if p.Contains(r.Window.ID) && first >= p.From {
			ok[r.Window.ID] = true
		}
	}
	return func(w string) bool { return ok[w] }
}

// pooled is what a set of released groups holds for one attribute.
type pooled struct {
	counts  Counts
	items   map[string]Counts
	moments Pooled
	// partial marks items left out of some group's per-item figures:
	// asked of only some of its responses (see poolAttributes).
	partial map[string]bool
}

// poolAttributes pools tallies and moments over the release windows keep
// accepts; per-item counts only from groups that asked the item of every
// response (when releases are given). Releases say how many mentees stand behind each group; a group
// whose moments do not know its mentees (released before mentee-level sums
// were kept) counts its release's mentees.
func poolAttributes(tallies []Tally, moments []ReleaseMoments, releases []Release, keep func(string) bool) map[Attribute]*pooled {
	out := map[Attribute]*pooled{}
	get := func(a Attribute) *pooled {
		if out[a] == nil {
			out[a] = &pooled{items: map[string]Counts{}, partial: map[string]bool{}}
		}
		return out[a]
	}
	hasMoments := map[[2]string]bool{}
	relMentees := map[string]int64{}
	relResponses := map[string]int64{}
	for _, r := range releases {
		relMentees[r.Window.ID] += r.Mentees
		relResponses[r.Window.ID] += r.Responses
	}
	for _, m := range moments {
		if !keep(m.Window) || m.Responses == 0 {
			continue
		}
		hasMoments[[2]string{m.Window, string(m.Attribute)}] = true
		mm := m.Moments
		if mm.Mentees == 0 {
			mm.Mentees = relMentees[m.Window]
		}
		get(m.Attribute).moments.Add(mm)
	}
	fallback := map[[2]string]Counts{}
	for _, t := range tallies {
		if !keep(t.Window) {
			continue
		}
		p := get(t.Attribute)
		p.counts = p.counts.Plus(t.Counts)
		// An item a group asked of only some of its responses (a version
		// that added or dropped it was published mid-group) was answered
		// by only some of the group's mentees, perhaps one: its answers in
		// that group stay out of the per-item view. The attribute's
		// figures keep them (its mentees are counted).
		if n, ok := relResponses[t.Window]; ok && t.Answers()+t.NotApplicable < n {
			p.partial[t.Item] = true
		} else {
			p.items[t.Item] = p.items[t.Item].Plus(t.Counts)
		}
		k := [2]string{t.Window, string(t.Attribute)}
		if !hasMoments[k] {
			fallback[k] = fallback[k].Plus(t.Counts)
		}
	}
	// Tallies without moments (should not occur once migration 0009 has
	// run): each rating counts as a response of its own.
	for k, c := range fallback {
		var m Moments
		var total, sq float64
		for v, n := range c.Ratings {
			total += float64(int64(v+1) * n)
			sq += float64(int64((v+1)*(v+1)) * n)
		}
		m.AddSingles(c.Answers(), total, sq)
		if m.Responses == 0 {
			continue
		}
		m.Mentees = relMentees[k[0]]
		get(Attribute(k[1])).moments.Add(m)
	}
	return out
}

// shownFigure reports whether an attribute's pooled data may be shown: the
// report is not suppressed, at least min responses rated it, and, where
// the mentees who rated it are known, at least minMentees of them.
func shownFigure(p *pooled, suppressed bool, minResponses, minMentees int) bool {
	if suppressed || p == nil || p.moments.Responses < int64(minResponses) || p.moments.Responses == 0 {
		return false
	}
	return p.moments.Mentees >= int64(max(minMentees, MinMinMentees))
}

// baseSummary fills an attribute's raw figures from pooled data.
func baseSummary(a Attribute, p *pooled, shown bool, comps Components, basis Basis) (AttributeSummary, Estimate) {
	s := AttributeSummary{Key: a, Label: a.Label(), Basis: basis, TopBox: Share{}, ThreeOrLower: Share{}}
	if p == nil {
		return s, Estimate{}
	}
	s.N = p.counts.Answers()
	s.NotApplicable = p.counts.NotApplicable
	s.Basis = Basis{Responses: p.moments.Responses, Mentees: p.moments.Mentees}
	if !shown {
		return s, Estimate{}
	}
	e, ok := EstimateOf(p.moments, comps)
	if !ok {
		return s, Estimate{}
	}
	s.Mean = round2p(e.Mean)
	lo, hi := e.Interval95()
	s.CI95 = &[2]float64{Round2(lo), Round2(hi)}
	s.Distribution = distribution(p.counts)
	deff := DesignEffect(p.moments, e)
	s.TopBox = WilsonShare(p.counts.Ratings[4], s.N, deff)
	s.ThreeOrLower = WilsonShare(p.counts.Ratings[0]+p.counts.Ratings[1]+p.counts.Ratings[2], s.N, deff)
	s.designEffect = deff
	s.est = &e
	return s, e
}

func distribution(c Counts) map[string]int64 {
	d := make(map[string]int64, 5)
	for v, k := range c.Ratings {
		d[strconv.Itoa(v+1)] = k
	}
	return d
}

// ProgramFit is the program model of a period, per attribute: what a
// resident's benchmark, adjusted estimates, flags and focus are computed
// from. It depends only on the program's released groups, so a caller may
// fit it once and reuse it until the next release (FitProgram).
type ProgramFit struct {
	models map[Attribute]*attributeModel
	comps  map[Attribute]Components
}

// FitProgram fits the program model to the residents' released groups in
// the period (see programModels).
func FitProgram(residents []ResidentMoments, p Period, minResponses, minMentees int, sums map[Attribute]ComponentSums) *ProgramFit {
	m, c := programModels(residents, p, minResponses, max(minMentees, MinMinMentees), sums)
	return &ProgramFit{models: m, comps: c}
}

// programModels fits, per attribute, the program model to every resident
// with a shown figure in the period.
//
// The variance components come from sums: the program's, kept at each
// release (models), plus whatever groups built in memory carry (tests).
func programModels(residents []ResidentMoments, p Period, minResponses, minMentees int, sums map[Attribute]ComponentSums) (map[Attribute]*attributeModel, map[Attribute]Components) {
	type residentPools struct {
		id    int64
		pools map[Attribute]*pooled
		basis Basis
	}
	var all []residentPools
	groups := map[Attribute][]Moments{}
	for _, r := range residents {
		keep := groupKeep(r.Releases, p)
		pools := poolAttributes(nil, r.Moments, r.Releases, keep)
		var b Basis
		for _, rel := range r.Releases {
			if keep(rel.Window.ID) {
				b.Responses += rel.Responses
				b.Mentees += rel.Mentees
			}
		}
		all = append(all, residentPools{r.ResidentID, pools, b})
		for a, pl := range pools {
			groups[a] = append(groups[a], pl.moments.groups...)
		}
	}
	comps := map[Attribute]Components{}
	models := map[Attribute]*attributeModel{}
	for _, a := range Attributes {
		cs := sums[a]
		for _, m := range groups[a] {
			cs = cs.Plus(m.ComponentSums())
		}
		comps[a] = cs.Components()
		var fits []residentFit
		for _, r := range all {
			pl := r.pools[a]
			if suppressedBasis(r.basis, minResponses, minMentees) || !shownFigure(pl, false, minResponses, minMentees) {
				continue
			}
			e, ok := EstimateOf(pl.moments, comps[a])
			if !ok {
				continue
			}
			g := float64(max(pl.moments.Clusters, 1))
			fits = append(fits, residentFit{id: r.id, est: e, responses: pl.moments.Responses, mentees: pl.moments.Mentees, menteeVar: e.Var * g})
		}
		sort.Slice(fits, func(i, j int) bool { return fits[i].id < fits[j].id })
		models[a] = newAttributeModel(fits, comps[a])
	}
	return models, comps
}

// ptr returns a pointer to x rounded to two decimals, or nil for NaN.
func ptr(x float64) *float64 { return round2p(x) }

// interval returns a rounded interval.
func interval(lo, hi float64) *[2]float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return nil
	}
	return &[2]float64{Round2(lo), Round2(hi)}
}
