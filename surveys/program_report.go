package surveys

import "math"

// LinkCounts counts a resident's survey links over closed windows of a
// period: made, answered and declined in those windows. Counts only, and
// only of closed windows, so no count moves with one answer.
type LinkCounts struct {
	Created, Completed, Declined int64
}

// Invitations is the number of links that could have been answered: those
// created, less those declined because the meeting did not happen.
func (l LinkCounts) Invitations() int64 { return l.Created - l.Declined }

// ResponseRate is completed links over Invitations, or nil when there were
// none. Completed links count whether or not their group is released yet.
func (l LinkCounts) ResponseRate() *float64 {
	if l.Invitations() <= 0 {
		return nil
	}
	r := Round2(float64(l.Completed) / float64(l.Invitations()))
	return &r
}

// ResidentFigure is one attribute of one resident on a program report.
type ResidentFigure struct {
	Mean *float64    `json:"mean"`
	N    int64       `json:"n"`
	CI95 *[2]float64 `json:"ci95"`
	Basis
	Adjustment
	// ProbBelowProgram is the model's probability that the resident's true
	// mean lies more than FlagMargin below the other residents' mean.
	ProbBelowProgram *float64 `json:"prob_below_program"`
}

// ProgramResidentRow is one resident on a program report.
type ProgramResidentRow struct {
	ResidentRef
	Responses    int64                        `json:"responses"`
	Mentees      int64                        `json:"mentees"`
	Invitations  int64                        `json:"invitations"`
	ResponseRate *float64                     `json:"response_rate"`
	Suppressed   bool                         `json:"suppressed"`
	Attributes   map[Attribute]ResidentFigure `json:"attributes"`
	// Items is the resident's per-item view (as on their own report).
	Items []ItemSummary `json:"items"`
	Flags []string      `json:"flags"`
}

// ProgramReport is the JSON report for a program director.
type ProgramReport struct {
	Program       ProgramRef `json:"program"`
	Period        Period     `json:"period"`
	MinResponses  int        `json:"min_responses"`
	MinMentees    int        `json:"min_mentees"`
	ReleaseWindow string     `json:"release_window"`
	// Responses and Mentees are what the program-wide figures rest on: sums
	// over the period's releases, so a mentee who answered about two
	// residents counts once for each.
	Responses int64 `json:"responses"`
	Mentees   int64 `json:"mentees"`
	// Attributes' means weight each resident with a figure equally; their
	// distributions and shares pool the program's ratings.
	Attributes []ProgramAttribute   `json:"attributes"`
	Items      []ItemSummary        `json:"items"`
	Residents  []ProgramResidentRow `json:"residents"`
	// Funnel is, per attribute, what the funnel plot draws: the program
	// mean and the limits within which a resident's adjusted mean falls
	// by chance alone, by number of mentees.
	Funnel map[Attribute]Funnel `json:"funnel"`
}

// ProgramAttribute is a program-wide attribute: the mean of its residents'
// means, with Residents saying how many.
type ProgramAttribute struct {
	AttributeSummary
	Residents int `json:"residents"`
	// ResidentSD is the model's estimate of how much residents' true
	// means differ (at least the assumed floor).
	ResidentSD *float64 `json:"resident_sd"`
}

// ResidentData is one resident's aggregates for a program report.
type ResidentData struct {
	Resident ResidentRef
	Releases []Release
	Tallies  []Tally
	Moments  []ReleaseMoments
	Links    LinkCounts
}

// ProgramInput is what BuildProgramReport needs. ProgramTallies and
// ProgramReleases cover the whole program, whatever filter chose Residents,
// so a resident's flags do not change with the filter.
type ProgramInput struct {
	Program ProgramRef
	// Catalogue gives the per-item view its texts and order: the items of
	// every instrument the responses may have answered (nil: AllItems).
	Catalogue       []Item
	Period          Period
	MinResponses    int
	MinMentees      int
	ReleaseWindow   string
	ProgramReleases []Release
	ProgramTallies  []Tally
	// ProgramResidents are every resident of the program with released
	// groups, whatever filter chose Residents.
	ProgramResidents []ResidentMoments
	// Components are the program's variance-component sums per attribute.
	Components map[Attribute]ComponentSums
	// Instruments are the program's instrument versions (ResidentInput).
	Instruments []*Instrument
	// Fit, when given, is FitProgram of ProgramResidents and Components.
	Fit       *ProgramFit
	Residents []ResidentData
}

// Flag prefixes. A flag reads "below_program:availability".
const (
	// FlagBelowProgram: the model is at least FlagProbability sure that the
	// resident's true mean lies more than FlagMargin below the other
	// residents' mean.
	FlagBelowProgram = "below_program"
	// FlagBelow3: the model is at least FlagProbability sure that the
	// resident's true mean is under 3.0 ("neutral").
	FlagBelow3 = "below_3"
)

// BuildProgramReport computes a program report, residents in the given order.
func BuildProgramReport(in ProgramInput) ProgramReport {
	minMentees := max(in.MinMentees, MinMinMentees)
	programBasis := basisOf(in.ProgramReleases, in.Period.Contains)
	r := ProgramReport{Program: in.Program, Period: in.Period, MinResponses: in.MinResponses, MinMentees: minMentees,
		ReleaseWindow: in.ReleaseWindow, Responses: programBasis.Responses, Mentees: programBasis.Mentees,
		Residents: []ProgramResidentRow{}, Items: []ItemSummary{}, Funnel: map[Attribute]Funnel{}}
	residents := in.ProgramResidents
	missing := false
	for _, rd := range in.Residents {
		if len(rd.Releases) > 0 && !hasResident(residents, rd.Resident.ID) {
			residents = append(residents, ResidentMoments{ResidentID: rd.Resident.ID, Releases: rd.Releases, Moments: rd.Moments})
			missing = true
		}
	}
	fit := in.Fit
	if fit == nil || missing {
		fit = FitProgram(residents, in.Period, in.MinResponses, minMentees, in.Components)
	}
	models, comps := fit.models, fit.comps
	programSuppressed := suppressedBasis(programBasis, in.MinResponses, minMentees)
	var programMoments []ReleaseMoments
	for _, rm := range residents {
		keep := groupKeep(rm.Releases, in.Period)
		for _, m := range rm.Moments {
			if keep(m.Window) {
				m.Window = in.Period.From
				programMoments = append(programMoments, m)
			}
		}
	}
	pools := poolAttributes(in.ProgramTallies, programMoments, nil, in.Period.Contains)
	var summaries []AttributeSummary
	for _, a := range Attributes {
		pl := pools[a]
		if pl != nil {
			pl.moments.Mentees = programBasis.Mentees
		}
		s, _ := baseSummary(a, pl, shownFigure(pl, programSuppressed, in.MinResponses, minMentees), comps[a], programBasis)
		pa := ProgramAttribute{AttributeSummary: s}
		m := models[a]
		if !s.Suppressed() && len(m.fits) > 0 {
			pa.Mean, pa.CI95, pa.Residents = m.programMean()
			pa.ResidentSD = ptr(math.Sqrt(m.spread))
			r.Funnel[a] = m.funnel()
		}
		summaries = append(summaries, pa.AttributeSummary)
		r.Attributes = append(r.Attributes, pa)
	}
	// The program's per-item view pools the residents' per-item counts,
	// each from groups that asked the item of every response.
	if hasTallies(residents) {
		for _, pl := range pools {
			pl.items, pl.partial = map[string]Counts{}, map[string]bool{}
		}
		for _, rm := range residents {
			keep := groupKeep(rm.Releases, in.Period)
			for a, rp := range poolAttributes(rm.Tallies, nil, rm.Releases, keep) {
				pl := pools[a]
				if pl == nil {
					continue
				}
				for k, c := range rp.items {
					pl.items[k] = pl.items[k].Plus(c)
				}
				for k := range rp.partial {
					pl.partial[k] = true
				}
			}
		}
	}
	r.Items = itemSummaries(in.Catalogue, in.Instruments, pools, summaries, comps, in.MinResponses)
	for _, rd := range in.Residents {
		keep := groupKeep(rd.Releases, in.Period)
		basis := basisOf(rd.Releases, keep)
		row := ProgramResidentRow{
			ResidentRef:  rd.Resident,
			Responses:    basis.Responses,
			Mentees:      basis.Mentees,
			Invitations:  rd.Links.Invitations(),
			ResponseRate: rd.Links.ResponseRate(),
			Attributes:   map[Attribute]ResidentFigure{},
			Flags:        []string{},
		}
		row.Suppressed = suppressedBasis(basis, in.MinResponses, minMentees)
		rp := poolAttributes(rd.Tallies, rd.Moments, rd.Releases, keep)
		var shown []AttributeSummary
		for _, a := range Attributes {
			s, _ := baseSummary(a, rp[a], shownFigure(rp[a], row.Suppressed, in.MinResponses, minMentees), comps[a], basis)
			shown = append(shown, s)
			fig := ResidentFigure{Mean: s.Mean, N: s.N, CI95: s.CI95, Basis: s.Basis}
			if !s.Suppressed() {
				if adj, ok := models[a].adjust(rd.Resident.ID); ok {
					fig.Adjustment = adjustmentOf(adj)
					if adj.HasBenchmark {
						fig.ProbBelowProgram = ptr(adj.ProbBelow(FlagMargin))
					}
					row.Flags = append(row.Flags, flags(a, adj, s.Mentees, minMentees)...)
				}
			}
			row.Attributes[a] = fig
		}
		row.Items = itemSummaries(in.Catalogue, in.Instruments, rp, shown, comps, in.MinResponses)
		r.Residents = append(r.Residents, row)
	}
	return r
}

func hasTallies(rs []ResidentMoments) bool {
	for _, r := range rs {
		if len(r.Tallies) > 0 {
			return true
		}
	}
	return false
}

// flags are raised only on shown figures of the three mentor attributes
// (never on the overall item alone) resting on at least min_mentees
// mentees, when the model is at least FlagProbability sure.
func flags(a Attribute, adj Adjusted, mentees int64, minMentees int) []string {
	if a == Overall || mentees < int64(minMentees) {
		return nil
	}
	var out []string
	if adj.HasBenchmark && adj.ProbBelow(FlagMargin) >= FlagProbability {
		out = append(out, FlagBelowProgram+":"+string(a))
	}
	if adj.ProbUnder(3.0) >= FlagProbability {
		out = append(out, FlagBelow3+":"+string(a))
	}
	return out
}
