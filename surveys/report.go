package surveys

import (
	"crypto/sha256"
	"sort"
)

// Tally is the released count of one item in one release window (its id),
// for one resident or summed over a program. Reports are computed from
// tallies only, never from individual answers.
type Tally struct {
	Window    string
	Item      string
	Attribute Attribute
	Counts
}

// ResidentRef names the resident a report is about.
type ResidentRef struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	PGYYear *int   `json:"pgy_year"`
}

// ProgramRef names the program a report is about.
type ProgramRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// AttributeSummary is one attribute's figures over a period. Mean, CI95 and
// Distribution are nil (null) when suppressed; the counts always show.
type AttributeSummary struct {
	Key   Attribute `json:"key"`
	Label string    `json:"label"`
	// Mean is the mean of the response scores (a response's score is the
	// mean of its answered items of the attribute).
	Mean *float64 `json:"mean"`
	// N is the number of ratings of the attribute's items (one response
	// contributes one per item it rated), so Distribution sums to N.
	N int64 `json:"n"`
	// CI95 treats each mentee's responses as a cluster (docs/reports.md §3).
	CI95          *[2]float64      `json:"ci95"`
	Distribution  map[string]int64 `json:"distribution"`
	NotApplicable int64            `json:"not_applicable"`
	// TopBox is the share of ratings that are 5, ThreeOrLower the share
	// of 3 or lower, each with a Wilson interval.
	TopBox       Share `json:"top_box"`
	ThreeOrLower Share `json:"three_or_lower"`
	// Responses and Mentees are what the figure rests on: the released
	// responses that rated the attribute and the mentees they came from.
	Basis
	designEffect float64
	// est is the estimate behind Mean and CI95 (nil when suppressed), for
	// comparing figures (ChangeOf).
	est *Estimate
}

// Suppressed reports whether the attribute's figures are withheld.
func (a AttributeSummary) Suppressed() bool { return a.Mean == nil }

// ResidentAttribute is an attribute on a resident's report, beside the
// mean of the program's other residents for the same period.
type ResidentAttribute struct {
	AttributeSummary
	// ProgramMean is the benchmark: the mean of the other residents'
	// means, each resident weighted equally; ProgramResidents how many.
	ProgramMean      *float64 `json:"program_mean"`
	ProgramResidents int      `json:"program_residents"`
	// ProgramResponses and ProgramMentees are what the benchmark rests on.
	ProgramResponses int64 `json:"program_responses"`
	ProgramMentees   int64 `json:"program_mentees"`
	Adjustment
}

// Adjustment is the adjusted estimate of a resident's attribute: the raw
// mean pulled toward the other residents' mean by how little data it rests
// on (empirical Bayes). Reliability is 0–1; MoreMenteesForReliable how many
// more mentees would make it ReliableAt.
type Adjustment struct {
	AdjustedMean           *float64    `json:"adjusted_mean"`
	AdjustedCI95           *[2]float64 `json:"adjusted_ci95"`
	Reliability            *float64    `json:"reliability"`
	MoreMenteesForReliable *int64      `json:"more_mentees_for_reliable"`
	adjusted               *Adjusted
}

func adjustmentOf(a Adjusted) Adjustment {
	lo, hi := a.Interval95()
	rel := Round2(a.Reliability)
	more := a.MoreMentees
	return Adjustment{AdjustedMean: ptr(a.Mean), AdjustedCI95: interval(lo, hi), Reliability: &rel, MoreMenteesForReliable: &more, adjusted: &a}
}

// TrendValue is one attribute at one trend point.
type TrendValue struct {
	Mean *float64    `json:"mean"`
	N    int64       `json:"n"`
	CI95 *[2]float64 `json:"ci95"`
	Basis
}

// TrendPoint is one release window of a resident's trend: the groups
// released at its close. A window whose releases rest on fewer than
// min_responses responses or min_mentees mentees is suppressed: its means
// are null. Period is the window's id, kept for clients of the quarterly
// trend.
type TrendPoint struct {
	Period     string `json:"period"`
	Window     Window `json:"window"`
	Suppressed bool   `json:"suppressed"`
	Responses  int64  `json:"responses"`
	Mentees    int64  `json:"mentees"`
	// FirstWindow is the earliest window the point's answers were given
	// in: before Window when a group was carried over.
	FirstWindow string                   `json:"first_window"`
	Attributes  map[Attribute]TrendValue `json:"attributes"`
	// Items are the shown items of the point, by item key.
	Items map[string]TrendValue `json:"items"`
}

// Comments are the released free-text answers, in an order that says
// nothing about when they were given.
type Comments struct {
	KeepDoing []string `json:"keep_doing"`
	NextTime  []string `json:"next_time"`
	// Other answers a program's third prompt, when its instrument asks one.
	Other []string `json:"other"`
}

// ResidentReport is the JSON report for one resident.
type ResidentReport struct {
	Resident     ResidentRef `json:"resident"`
	Period       Period      `json:"period"`
	MinResponses int         `json:"min_responses"`
	MinMentees   int         `json:"min_mentees"`
	// ReleaseWindow is the program's window kind (month, quarter, half).
	ReleaseWindow string              `json:"release_window"`
	Responses     int64               `json:"responses"`
	Mentees       int64               `json:"mentees"`
	Suppressed    bool                `json:"suppressed"`
	Attributes    []ResidentAttribute `json:"attributes"`
	Trend         []TrendPoint        `json:"trend"`
	// Releases are the groups released in the period, oldest first; a
	// group whose first_window differs from last_window spans windows.
	Releases []Release `json:"releases"`
	// Items is the per-item view, in the instrument's order.
	Items    []ItemSummary `json:"items"`
	Comments Comments      `json:"comments"`
	Focus    Focus         `json:"focus"`
	// AwaitingRelease counts responses of closed windows that were judged
	// and carried over (too few mentees or responses). It changes only when
	// a window closes, never with one more answer.
	AwaitingRelease int64 `json:"awaiting_release"`
}

// ResidentInput is what BuildResidentReport needs, all of it aggregates.
type ResidentInput struct {
	Resident ResidentRef
	// Catalogue gives the per-item view its texts and order (nil:
	// AllItems), as ProgramInput.Catalogue.
	Catalogue     []Item
	Period        Period
	MinResponses  int
	MinMentees    int
	ReleaseWindow string
	// Windows are the windows of the period, oldest first (the trend).
	Windows []Window
	// Releases are the resident's releases; ProgramReleases the whole
	// program's. Releases outside the period are ignored.
	Releases        []Release
	ProgramReleases []Release
	// Tallies are the resident's released tallies; ProgramTallies the
	// whole program's. Windows outside the period are ignored.
	Tallies        []Tally
	ProgramTallies []Tally
	// Moments are the resident's released moments; ProgramResidents every
	// resident of the program with released groups (this one included),
	// whatever the period: groups outside it are ignored.
	Moments          []ReleaseMoments
	ProgramResidents []ResidentMoments
	// Components are the program's variance-component sums per attribute,
	// over all its releases.
	Components map[Attribute]ComponentSums
	// Instruments are the program's instrument versions, oldest first (the
	// default when empty): the per-item view lists those that ask each
	// item, says when its wording changed and shows the newest text.
	Instruments []*Instrument
	// Fit, when given, is FitProgram of ProgramResidents and Components,
	// fitted once for many reports.
	Fit             *ProgramFit
	AwaitingRelease int64
	// Comments from the released groups of the period.
	KeepDoing, NextTime, Other []string
}

// BuildResidentReport computes a resident's report.
func BuildResidentReport(in ResidentInput) ResidentReport {
	keep := groupKeep(in.Releases, in.Period)
	basis := basisOf(in.Releases, keep)
	r := ResidentReport{
		Resident:        in.Resident,
		Period:          in.Period,
		MinResponses:    in.MinResponses,
		MinMentees:      max(in.MinMentees, MinMinMentees),
		ReleaseWindow:   in.ReleaseWindow,
		Responses:       basis.Responses,
		Mentees:         basis.Mentees,
		AwaitingRelease: in.AwaitingRelease,
		Releases:        []Release{},
		Items:           []ItemSummary{},
		Comments:        Comments{KeepDoing: []string{}, NextTime: []string{}, Other: []string{}},
	}
	r.Suppressed = suppressedBasis(basis, in.MinResponses, r.MinMentees)
	fit := in.Fit
	if fit == nil || !hasResident(in.ProgramResidents, in.Resident.ID) {
		residents := in.ProgramResidents
		if !hasResident(residents, in.Resident.ID) {
			residents = append(residents, ResidentMoments{ResidentID: in.Resident.ID, Releases: in.Releases, Moments: in.Moments})
		}
		fit = FitProgram(residents, in.Period, in.MinResponses, r.MinMentees, in.Components)
	}
	models, comps := fit.models, fit.comps
	pools := poolAttributes(in.Tallies, in.Moments, in.Releases, keep)
	for _, a := range Attributes {
		s, _ := baseSummary(a, pools[a], shownFigure(pools[a], r.Suppressed, in.MinResponses, r.MinMentees), comps[a], basis)
		ra := ResidentAttribute{AttributeSummary: s}
		if !s.Suppressed() {
			if adj, ok := models[a].adjust(in.Resident.ID); ok {
				ra.Adjustment = adjustmentOf(adj)
				if adj.HasBenchmark {
					ra.ProgramMean = ptr(adj.Benchmark)
					ra.ProgramResidents = adj.Others
					ra.ProgramResponses, ra.ProgramMentees = adj.OthersBasis.Responses, adj.OthersBasis.Mentees
				}
			}
		}
		r.Attributes = append(r.Attributes, ra)
	}
	summaries := make([]AttributeSummary, len(r.Attributes))
	for i, a := range r.Attributes {
		summaries[i] = a.AttributeSummary
	}
	r.Items = itemSummaries(in.Catalogue, in.Instruments, pools, summaries, comps, in.MinResponses)
	for _, w := range in.Windows {
		inW := func(id string) bool { return keep(id) && id == w.ID }
		b := basisOf(in.Releases, inW)
		tp := TrendPoint{Period: w.ID, Window: w, FirstWindow: w.ID, Responses: b.Responses, Mentees: b.Mentees,
			Suppressed: suppressedBasis(b, in.MinResponses, r.MinMentees), Attributes: map[Attribute]TrendValue{}}
		for _, rel := range in.Releases {
			if inW(rel.Window.ID) && rel.FirstWindow != "" && rel.FirstWindow < tp.FirstWindow {
				tp.FirstWindow = rel.FirstWindow
			}
		}
		wp := poolAttributes(in.Tallies, in.Moments, in.Releases, inW)
		var shown []AttributeSummary
		for _, a := range Attributes {
			s, _ := baseSummary(a, wp[a], shownFigure(wp[a], tp.Suppressed, in.MinResponses, r.MinMentees), comps[a], b)
			tp.Attributes[a] = TrendValue{Mean: s.Mean, N: s.N, CI95: s.CI95, Basis: s.Basis}
			shown = append(shown, s)
		}
		// Item trends follow an item key across the versions that ask it
		// (the per-item view says when the wording changed).
		tp.Items = map[string]TrendValue{}
		for _, it := range itemSummaries(in.Catalogue, in.Instruments, wp, shown, comps, in.MinResponses) {
			if it.Mean != nil {
				tp.Items[it.Key] = TrendValue{Mean: it.Mean, N: it.N, CI95: it.CI95, Basis: tp.Attributes[it.Attribute].Basis}
			}
		}
		r.Trend = append(r.Trend, tp)
	}
	for _, rel := range in.Releases {
		if keep(rel.Window.ID) {
			r.Releases = append(r.Releases, rel)
		}
	}
	sort.Slice(r.Releases, func(i, j int) bool { return r.Releases[i].Window.ID < r.Releases[j].Window.ID })
	if !r.Suppressed {
		r.Comments.KeepDoing = shuffleByHash(in.KeepDoing)
		r.Comments.NextTime = shuffleByHash(in.NextTime)
		r.Comments.Other = shuffleByHash(in.Other)
	}
	r.Focus = ChooseFocus(r.Attributes).withWeakestItem(r.Items)
	return r
}

func hasResident(rs []ResidentMoments, id int64) bool {
	for _, r := range rs {
		if r.ResidentID == id {
			return true
		}
	}
	return false
}

// shuffleByHash orders comments by the SHA-256 of their text: stable, and
// unrelated to the order in which they were written.
func shuffleByHash(in []string) []string {
	type keyed struct {
		key  [32]byte
		text string
	}
	ks := make([]keyed, len(in))
	for i, s := range in {
		ks[i] = keyed{sha256.Sum256([]byte(s)), s}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].key != ks[j].key {
			return string(ks[i].key[:]) < string(ks[j].key[:])
		}
		return ks[i].text < ks[j].text
	})
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.text
	}
	return out
}
