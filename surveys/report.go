package surveys

import (
	"crypto/sha256"
	"sort"
	"strconv"
)

// Tally is the released count of one item in one release month, for one
// resident or summed over a program. Reports are computed from tallies only,
// never from individual answers.
type Tally struct {
	Month     string
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
}

// TrendValue is one attribute at one trend point.
type TrendValue struct {
	Mean *float64 `json:"mean"`
	N    int64    `json:"n"`
}

// TrendPoint is one quarter of a resident's trend. A quarter that rests on
// fewer than min_responses responses is suppressed: its means are null.
type TrendPoint struct {
	Period     string                   `json:"period"`
	Suppressed bool                     `json:"suppressed"`
	Responses  int64                    `json:"responses"`
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
	Resident     ResidentRef         `json:"resident"`
	Period       Period              `json:"period"`
	MinResponses int                 `json:"min_responses"`
	Responses    int64               `json:"responses"`
	Suppressed   bool                `json:"suppressed"`
	Attributes   []ResidentAttribute `json:"attributes"`
	Trend        []TrendPoint        `json:"trend"`
	Comments     Comments            `json:"comments"`
	Focus        Focus               `json:"focus"`
	// AwaitingRelease counts responses received but not yet in any report
	// (the open batch). It is a count, which the rules allow to show.
	AwaitingRelease int64 `json:"awaiting_release"`
}

// ResidentInput is what BuildResidentReport needs, all of it aggregates.
type ResidentInput struct {
	Resident     ResidentRef
	Period       Period
	MinResponses int
	// Months counts released responses by release month.
	Months map[string]int64
	// Tallies are the resident's released tallies; ProgramTallies the
	// whole program's. Months outside the period are ignored.
	Tallies         []Tally
	ProgramTallies  []Tally
	AwaitingRelease int64
	// Comments from the released batches of the period.
	KeepDoing, NextTime []string
}

// BuildResidentReport computes a resident's report.
func BuildResidentReport(in ResidentInput) ResidentReport {
	r := ResidentReport{
		Resident:        in.Resident,
		Period:          in.Period,
		MinResponses:    in.MinResponses,
		Responses:       sumMonths(in.Months, in.Period.Contains),
		AwaitingRelease: in.AwaitingRelease,
		Comments:        Comments{KeepDoing: []string{}, NextTime: []string{}},
	}
	r.Suppressed = r.Responses < int64(in.MinResponses)
	mine := summarize(in.Tallies, in.Period.Contains, r.Suppressed, in.MinResponses)
	// Program means rest on released batches of many residents; each one
	// still needs min_responses ratings of its own.
	program := summarize(in.ProgramTallies, in.Period.Contains, false, in.MinResponses)
	for i, a := range mine {
		ra := ResidentAttribute{AttributeSummary: a}
		if !r.Suppressed {
			ra.ProgramMean = program[i].Mean
		}
		r.Attributes = append(r.Attributes, ra)
	}
	for _, q := range in.Period.Quarters() {
		inQ := func(m string) bool { return in.Period.Contains(m) && Quarter(m) == q }
		n := sumMonths(in.Months, inQ)
		tp := TrendPoint{Period: q, Responses: n, Suppressed: n < int64(in.MinResponses), Attributes: map[Attribute]TrendValue{}}
		for _, a := range summarize(in.Tallies, inQ, tp.Suppressed, in.MinResponses) {
			tp.Attributes[a.Key] = TrendValue{Mean: a.Mean, N: a.N}
		}
		r.Trend = append(r.Trend, tp)
	}
	if !r.Suppressed {
		r.Comments.KeepDoing = shuffleByHash(in.KeepDoing)
		r.Comments.NextTime = shuffleByHash(in.NextTime)
	}
	r.Focus = ChooseFocus(mine)
	return r
}

// summarize pools tallies per attribute over the months keep accepts. A
// figure is suppressed when the whole report is, or when fewer than min
// responses rated the attribute.
func summarize(tallies []Tally, keep func(string) bool, suppressed bool, min int) []AttributeSummary {
	pooled := map[Attribute]Counts{}
	perItem := map[string]Counts{}
	itemAttr := map[string]Attribute{}
	for _, t := range tallies {
		if !keep(t.Month) {
			continue
		}
		pooled[t.Attribute] = pooled[t.Attribute].Plus(t.Counts)
		perItem[t.Item] = perItem[t.Item].Plus(t.Counts)
		itemAttr[t.Item] = t.Attribute
	}
	out := make([]AttributeSummary, 0, len(Attributes))
	for _, a := range Attributes {
		c := pooled[a]
		s := AttributeSummary{Key: a, Label: a.Label(), N: c.Answers(), NotApplicable: c.NotApplicable}
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

func sumMonths(months map[string]int64, keep func(string) bool) int64 {
	var n int64
	for m, k := range months {
		if keep(m) {
			n += k
		}
	}
	return n
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
