package surveys

import (
	"crypto/sha256"
	"sort"
	"strconv"
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
	Mean  *float64  `json:"mean"`
	// N is the number of ratings of the attribute's items (one response
	// contributes one per item it rated), so Distribution sums to N.
	N             int64            `json:"n"`
	CI95          *[2]float64      `json:"ci95"`
	Distribution  map[string]int64 `json:"distribution"`
	NotApplicable int64            `json:"not_applicable"`
	// Responses and Mentees are what the figure rests on: the released
	// responses of the period and the distinct mentees they came from.
	Basis
	// respondents is a lower bound on the responses that rated the
	// attribute: the most-answered item's count.
	respondents int64
}

// Suppressed reports whether the attribute's figures are withheld.
func (a AttributeSummary) Suppressed() bool { return a.Mean == nil }

// ResidentAttribute is an attribute on a resident's report, beside the
// program's mean for the same period.
type ResidentAttribute struct {
	AttributeSummary
	ProgramMean *float64 `json:"program_mean"`
	// ProgramResponses and ProgramMentees are what the program mean rests on.
	ProgramResponses int64 `json:"program_responses"`
	ProgramMentees   int64 `json:"program_mentees"`
}

// TrendValue is one attribute at one trend point.
type TrendValue struct {
	Mean *float64 `json:"mean"`
	N    int64    `json:"n"`
	Basis
}

// TrendPoint is one release window of a resident's trend: the groups
// released at its close. A window whose releases rest on fewer than
// min_responses responses or min_mentees mentees is suppressed: its means
// are null. Period is the window's id, kept for clients of the quarterly
// trend.
type TrendPoint struct {
	Period     string                   `json:"period"`
	Window     Window                   `json:"window"`
	Suppressed bool                     `json:"suppressed"`
	Responses  int64                    `json:"responses"`
	Mentees    int64                    `json:"mentees"`
	Attributes map[Attribute]TrendValue `json:"attributes"`
}

// Comments are the released free-text answers, in an order that says
// nothing about when they were given.
type Comments struct {
	KeepDoing []string `json:"keep_doing"`
	NextTime  []string `json:"next_time"`
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
	Comments Comments  `json:"comments"`
	Focus    Focus     `json:"focus"`
	// AwaitingRelease counts responses of closed windows that were judged
	// and carried over (too few mentees or responses). It changes only when
	// a window closes, never with one more answer.
	AwaitingRelease int64 `json:"awaiting_release"`
}

// ResidentInput is what BuildResidentReport needs, all of it aggregates.
type ResidentInput struct {
	Resident      ResidentRef
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
	AwaitingRelease  int64
	// Comments from the released groups of the period.
	KeepDoing, NextTime []string
}

// BuildResidentReport computes a resident's report.
func BuildResidentReport(in ResidentInput) ResidentReport {
	inPeriod := in.Period.Contains
	basis := basisOf(in.Releases, inPeriod)
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
		Comments:        Comments{KeepDoing: []string{}, NextTime: []string{}},
	}
	r.Suppressed = suppressedBasis(basis, in.MinResponses, r.MinMentees)
	mine := summarize(in.Tallies, inPeriod, r.Suppressed, in.MinResponses, basis)
	// Program means rest on released groups of many residents; each one
	// still needs min_responses ratings and min_mentees mentees.
	programBasis := basisOf(in.ProgramReleases, inPeriod)
	program := summarize(in.ProgramTallies, inPeriod, suppressedBasis(programBasis, in.MinResponses, r.MinMentees), in.MinResponses, programBasis)
	for i, a := range mine {
		ra := ResidentAttribute{AttributeSummary: a, ProgramResponses: programBasis.Responses, ProgramMentees: programBasis.Mentees}
		if !r.Suppressed {
			ra.ProgramMean = program[i].Mean
		}
		r.Attributes = append(r.Attributes, ra)
	}
	for _, w := range in.Windows {
		inW := func(id string) bool { return inPeriod(id) && id == w.ID }
		b := basisOf(in.Releases, inW)
		tp := TrendPoint{Period: w.ID, Window: w, Responses: b.Responses, Mentees: b.Mentees,
			Suppressed: suppressedBasis(b, in.MinResponses, r.MinMentees), Attributes: map[Attribute]TrendValue{}}
		for _, a := range summarize(in.Tallies, inW, tp.Suppressed, in.MinResponses, b) {
			tp.Attributes[a.Key] = TrendValue{Mean: a.Mean, N: a.N, Basis: b}
		}
		r.Trend = append(r.Trend, tp)
	}
	for _, rel := range in.Releases {
		if inPeriod(rel.Window.ID) {
			r.Releases = append(r.Releases, rel)
		}
	}
	sort.Slice(r.Releases, func(i, j int) bool { return r.Releases[i].Window.ID < r.Releases[j].Window.ID })
	if !r.Suppressed {
		r.Comments.KeepDoing = shuffleByHash(in.KeepDoing)
		r.Comments.NextTime = shuffleByHash(in.NextTime)
	}
	r.Focus = ChooseFocus(mine)
	return r
}

// summarize pools tallies per attribute over the release windows keep
// accepts. A figure is suppressed when the whole report is, or when fewer
// than min responses rated the attribute. basis is what the figures rest on.
func summarize(tallies []Tally, keep func(string) bool, suppressed bool, min int, basis Basis) []AttributeSummary {
	pooled := map[Attribute]Counts{}
	perItem := map[string]Counts{}
	itemAttr := map[string]Attribute{}
	for _, t := range tallies {
		if !keep(t.Window) {
			continue
		}
		pooled[t.Attribute] = pooled[t.Attribute].Plus(t.Counts)
		perItem[t.Item] = perItem[t.Item].Plus(t.Counts)
		itemAttr[t.Item] = t.Attribute
	}
	out := make([]AttributeSummary, 0, len(Attributes))
	for _, a := range Attributes {
		c := pooled[a]
		s := AttributeSummary{Key: a, Label: a.Label(), N: c.Answers(), NotApplicable: c.NotApplicable, Basis: basis}
		for item, ic := range perItem {
			if itemAttr[item] == a {
				s.respondents = max(s.respondents, ic.Answers())
			}
		}
		if !suppressed && s.respondents >= int64(min) && s.N > 0 {
			mean := c.Mean()
			s.Mean = round2p(mean)
			lo, hi := Interval95(mean, s.respondents)
			s.CI95 = &[2]float64{Round2(lo), Round2(hi)}
			s.Distribution = make(map[string]int64, 5)
			for v, k := range c.Ratings {
				s.Distribution[strconv.Itoa(v+1)] = k
			}
		}
		out = append(out, s)
	}
	return out
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
