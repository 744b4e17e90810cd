package surveys

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
	Flags        []string                     `json:"flags"`
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
	Responses  int64                `json:"responses"`
	Mentees    int64                `json:"mentees"`
	Attributes []AttributeSummary   `json:"attributes"`
	Residents  []ProgramResidentRow `json:"residents"`
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
	Program         ProgramRef
	Period          Period
	MinResponses    int
	MinMentees      int
	ReleaseWindow   string
	ProgramReleases []Release
	ProgramTallies  []Tally
	// ProgramResidents are every resident of the program with released
	// groups, whatever filter chose Residents.
	ProgramResidents []ResidentMoments
	Residents        []ResidentData
}

// Flag prefixes. A flag reads "below_program:availability".
const (
	// FlagBelowProgram: the resident's 95% interval lies wholly below the
	// program mean.
	FlagBelowProgram = "below_program"
	// FlagBelow3: the resident's mean is under 3.0 ("neutral").
	FlagBelow3 = "below_3"
)

// BuildProgramReport computes a program report, residents in the given order.
func BuildProgramReport(in ProgramInput) ProgramReport {
	minMentees := max(in.MinMentees, MinMinMentees)
	programBasis := basisOf(in.ProgramReleases, in.Period.Contains)
	r := ProgramReport{Program: in.Program, Period: in.Period, MinResponses: in.MinResponses, MinMentees: minMentees,
		ReleaseWindow: in.ReleaseWindow, Responses: programBasis.Responses, Mentees: programBasis.Mentees, Residents: []ProgramResidentRow{}}
	programSuppressed := suppressedBasis(programBasis, in.MinResponses, minMentees)
	r.Attributes = summarize(in.ProgramTallies, in.Period.Contains, programSuppressed, in.MinResponses, programBasis)
	programMean := map[Attribute]*float64{}
	for _, a := range r.Attributes {
		programMean[a.Key] = a.Mean
	}
	for _, rd := range in.Residents {
		basis := basisOf(rd.Releases, in.Period.Contains)
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
		for _, a := range summarize(rd.Tallies, in.Period.Contains, row.Suppressed, in.MinResponses, basis) {
			row.Attributes[a.Key] = ResidentFigure{Mean: a.Mean, N: a.N, CI95: a.CI95, Basis: basis}
			row.Flags = append(row.Flags, flags(a, programMean[a.Key])...)
		}
		r.Residents = append(r.Residents, row)
	}
	return r
}

// flags are raised only on figures that are shown, and are decided on the
// rounded figures a reader sees, so the numbers always bear the flag out.
func flags(a AttributeSummary, programMean *float64) []string {
	if a.Suppressed() {
		return nil
	}
	var out []string
	if programMean != nil && a.CI95 != nil && a.CI95[1] < *programMean {
		out = append(out, FlagBelowProgram+":"+string(a.Key))
	}
	if *a.Mean < 3.0 {
		out = append(out, FlagBelow3+":"+string(a.Key))
	}
	return out
}
