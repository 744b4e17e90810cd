package surveys

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// tallies builds one release window's tallies from per-item answers, a
// helper for tests that think in answers rather than counts.
func tallies(window string, answers map[string][]int) []Tally {
	var out []Tally
	for key, vs := range answers {
		it, _ := Default().Item(key)
		t := Tally{Window: window, Item: key, Attribute: it.Attribute}
		for _, v := range vs {
			if v == 0 {
				t.Add(nil)
				continue
			}
			t.Add(&v)
		}
		out = append(out, t)
	}
	return out
}

func rep(n int, v int) []int { return slices.Repeat([]int{v}, n) }

// answered is one response in a test: the mentee who gave it (0: unknown)
// and its answers by item (0 is "not applicable", absent is unanswered).
type answered struct {
	mentee  int
	answers map[string]int
}

// group turns responses of one window into what a release stores: item
// tallies and per-attribute moments with each mentee a cluster, computed
// the way models does (Instrument.Scores per response).
func group(window string, rs []answered) ([]Tally, []ReleaseMoments) {
	byItem := map[string][]int{}
	type acc struct {
		n         int64
		total, sq float64
	}
	per := map[Attribute]map[int]*acc{}
	for _, r := range rs {
		ans := map[string]*int{}
		for k, v := range r.answers {
			byItem[k] = append(byItem[k], v)
			if v != 0 {
				v := v
				ans[k] = &v
			}
		}
		for a, sc := range Default().Scores(ans) {
			if sc == nil {
				continue
			}
			if per[a] == nil {
				per[a] = map[int]*acc{}
			}
			key := r.mentee
			if key == 0 {
				key = -len(per[a]) - 1000 // each unknown rater apart
			}
			if per[a][key] == nil {
				per[a][key] = &acc{}
			}
			c := per[a][key]
			c.n++
			c.total += *sc
			c.sq += *sc * *sc
		}
	}
	var ms []ReleaseMoments
	for _, a := range Attributes {
		var m Moments
		for k, c := range per[a] {
			if k > 0 {
				m.AddCluster(c.n, c.total, c.sq, true)
			} else {
				m.AddSingles(c.n, c.total, c.sq)
			}
		}
		if m.Responses > 0 {
			ms = append(ms, ReleaseMoments{Window: window, Attribute: a, Moments: m})
		}
	}
	return tallies(window, byItem), ms
}

// uniform is n responses from mentees 1..mentees in turn, every item
// answered v.
func uniform(n, mentees, v int) []answered {
	var out []answered
	for i := 0; i < n; i++ {
		ans := map[string]int{}
		for _, it := range Default().Items {
			ans[it.Key] = v
		}
		out = append(out, answered{mentee: i%mentees + 1, answers: ans})
	}
	return out
}

// released is one release of the quarter starting in window (quarters from
// July), resting on responses from mentees.
func released(window string, responses, mentees int64) Release {
	w, _ := WindowOfMonth(window, WindowQuarter, 7)
	return Release{Window: w, FirstWindow: window, LastWindow: window, Responses: responses, Mentees: mentees}
}

// quarters are the windows of a period, quarters from July.
func quarters(p Period) []Window { return p.Windows(WindowQuarter, 7) }

func TestResidentReportSuppressedBelowThreshold(t *testing.T) {
	in := ResidentInput{
		Period: Period{"2026-01", "2026-03"}, MinResponses: 5,
		Releases:  []Release{released("2026-01", 4, 4)},
		Tallies:   tallies("2026-01", map[string][]int{"A1": rep(4, 5), "G": rep(4, 4)}),
		KeepDoing: []string{"Listened."},
	}
	r := BuildResidentReport(in)
	if !r.Suppressed || r.Responses != 4 {
		t.Fatalf("4 of 5 responses: want suppressed with the count shown, got suppressed=%v responses=%d", r.Suppressed, r.Responses)
	}
	for _, a := range r.Attributes {
		if a.Mean != nil || a.CI95 != nil || a.Distribution != nil {
			t.Errorf("%s shows figures on 4 responses", a.Key)
		}
	}
	if len(r.Comments.KeepDoing) != 0 {
		t.Errorf("comments shown on a suppressed report")
	}
	if r.Focus.Focus != nil {
		t.Errorf("focus named on suppressed data")
	}
	body, _ := json.Marshal(r)
	var m map[string]any
	json.Unmarshal(body, &m)
	attrs := m["attributes"].([]any)
	if first := attrs[0].(map[string]any); first["mean"] != nil || first["distribution"] != nil {
		t.Errorf("suppressed figures must be null in JSON: %v", first)
	}
}

func TestResidentReportShowsAtThreshold(t *testing.T) {
	// Five responses from four mentees. Mentee 1 answered availability
	// twice; one response rated only one availability item, so the mean
	// of response scores (2.5) differs from the mean of item ratings (2.56).
	mine := []answered{
		{1, map[string]int{"A1": 2, "A2": 2, "C1": 5, "C2": 4, "C3": 5, "S1": 4, "S2": 4, "S3": 4, "G": 4}},
		{1, map[string]int{"A1": 2, "A2": 3, "C1": 5, "C2": 4, "C3": 5, "S1": 4, "S2": 4, "S3": 4, "G": 4}},
		{2, map[string]int{"A1": 3, "A2": 3, "C1": 5, "C2": 4, "C3": 5, "S1": 4, "S2": 4, "S3": 4, "G": 4}},
		{3, map[string]int{"A1": 3, "A2": 3, "C1": 5, "C2": 4, "C3": 5, "S1": 4, "S2": 4, "S3": 4, "G": 4}},
		{4, map[string]int{"A1": 2, "A2": 0, "C1": 5, "C2": 4, "C3": 5, "S1": 4, "S2": 4, "S3": 4, "G": 4}},
	}
	ts, ms := group("2026-01", mine)
	in := ResidentInput{
		Resident: ResidentRef{ID: 1}, Period: Period{"2026-01", "2026-03"}, MinResponses: 5, MinMentees: 3,
		Windows:  quarters(Period{"2026-01", "2026-03"}),
		Releases: []Release{released("2026-01", 5, 4)}, Tallies: ts, Moments: ms,
		KeepDoing: []string{"b", "a", "c"},
	}
	// Two other residents, 4.0 and 5.0 on every item: the benchmark is
	// their mean, 4.5, each weighted equally whatever their volume.
	for id, o := range map[int64]struct{ n, v int }{2: {40, 4}, 3: {10, 5}} {
		_, oms := group("2026-01", uniform(o.n, 5, o.v))
		in.ProgramResidents = append(in.ProgramResidents, ResidentMoments{ResidentID: id, Releases: []Release{released("2026-01", int64(o.n), 5)}, Moments: oms})
	}
	r := BuildResidentReport(in)
	if r.Suppressed {
		t.Fatal("5 of 5 responses must be shown")
	}
	av := r.Attributes[0]
	if av.Key != Availability || *av.Mean != 2.5 || av.N != 9 || av.NotApplicable != 1 || av.Distribution["2"] != 4 {
		t.Errorf("availability: mean %v n %d n/a %d dist %v; want 2.5 (mean of response scores) from 9 ratings with 1 n/a", *av.Mean, av.N, av.NotApplicable, av.Distribution)
	}
	if av.ProgramMean == nil || *av.ProgramMean != 4.5 || av.ProgramResidents != 2 || av.ProgramResponses != 50 || av.ProgramMentees != 10 {
		t.Errorf("benchmark beside availability: %v from %d residents on %d/%d, want 4.5 from 2 on 50/10", av.ProgramMean, av.ProgramResidents, av.ProgramResponses, av.ProgramMentees)
	}
	if av.Responses != 5 || av.Mentees != 4 || r.Mentees != 4 {
		t.Errorf("availability rests on %d responses from %d mentees, want 5 from 4", av.Responses, av.Mentees)
	}
	if av.AdjustedMean == nil || *av.AdjustedMean <= *av.Mean || *av.AdjustedMean >= 4.5 || av.Reliability == nil || *av.Reliability <= 0 || *av.Reliability >= 1 {
		t.Errorf("adjusted %v (reliability %v) must lie between the raw 2.5 and the benchmark 4.5", av.AdjustedMean, av.Reliability)
	}
	if av.CI95 == nil || av.CI95[0] > 2.5 || av.CI95[1] < 2.5 || av.TopBox.Share == nil || *av.TopBox.Share != 0 || *av.ThreeOrLower.Share != 1 {
		t.Errorf("interval %v, top box %+v, three or lower %+v", av.CI95, av.TopBox, av.ThreeOrLower)
	}
	if len(r.Items) != 9 || r.Items[0].Key != "A1" || *r.Items[0].Mean != 2.4 || r.Items[1].N != 4 || r.Items[1].NotApplicable != 1 {
		t.Errorf("items: %+v", r.Items)
	}
	if len(r.Comments.KeepDoing) != 3 {
		t.Errorf("comments: %v", r.Comments.KeepDoing)
	}
	if len(r.Trend) != 1 || r.Trend[0].Period != "2026-01" || r.Trend[0].Window.To != "2026-03" || r.Trend[0].Suppressed ||
		*r.Trend[0].Attributes[Overall].Mean != 4 || r.Trend[0].Attributes[Availability].CI95 == nil {
		t.Errorf("trend: %+v", r.Trend)
	}
}

func TestAttributeSuppressedWhenFewRatedIt(t *testing.T) {
	// Five responses, but only two rated availability at all.
	in := ResidentInput{
		Period: Period{"2026-01", "2026-01"}, MinResponses: 5,
		Releases: []Release{released("2026-01", 5, 5)},
		Tallies:  tallies("2026-01", map[string][]int{"A1": {1, 2, 0, 0, 0}, "A2": {1, 0, 0, 0, 0}, "G": rep(5, 4)}),
	}
	r := BuildResidentReport(in)
	if r.Attributes[0].Mean != nil {
		t.Errorf("availability rated by 2 of 5 must be suppressed, got %v", *r.Attributes[0].Mean)
	}
	if r.Attributes[3].Mean == nil {
		t.Errorf("overall rated by 5 must show")
	}
}

func TestTrendPointBelowThresholdSuppressed(t *testing.T) {
	in := ResidentInput{
		Period: Period{"2025-10", "2026-03"}, MinResponses: 5,
		Windows: quarters(Period{"2025-10", "2026-03"}),
		// Raising min_responses after release can leave an old group of 3.
		Releases: []Release{released("2025-10", 3, 3), released("2026-01", 6, 4)},
		Tallies:  append(tallies("2025-10", map[string][]int{"G": rep(3, 2)}), tallies("2026-01", map[string][]int{"G": rep(6, 4)})...),
	}
	r := BuildResidentReport(in)
	if len(r.Trend) != 2 || !r.Trend[0].Suppressed || r.Trend[0].Attributes[Overall].Mean != nil {
		t.Fatalf("window 2025-10 rests on 3 < 5 responses and must be suppressed: %+v", r.Trend)
	}
	if r.Trend[1].Suppressed || *r.Trend[1].Attributes[Overall].Mean != 4 || r.Trend[1].Mentees != 4 {
		t.Errorf("window 2026-01: %+v", r.Trend[1])
	}
}

// TestReportSuppressedBelowMinMentees: enough responses from too few people
// (a group released before mentees were counted records 0) show nothing.
func TestReportSuppressedBelowMinMentees(t *testing.T) {
	in := ResidentInput{
		Period: Period{"2026-01", "2026-03"}, MinResponses: 5, MinMentees: 3,
		Releases:  []Release{released("2026-01", 12, 0)},
		Tallies:   tallies("2026-01", map[string][]int{"G": rep(12, 4)}),
		KeepDoing: []string{"Listened."},
	}
	r := BuildResidentReport(in)
	if !r.Suppressed || r.Attributes[3].Mean != nil || len(r.Comments.KeepDoing) != 0 {
		t.Errorf("12 responses from 0 counted mentees must be withheld: %+v", r)
	}
	if r.MinMentees != 3 {
		t.Errorf("min_mentees %d, want 3", r.MinMentees)
	}
}

func TestCommentsOrderIgnoresArrival(t *testing.T) {
	a := shuffleByHash([]string{"one", "two", "three", "four"})
	b := shuffleByHash([]string{"four", "three", "two", "one"})
	if !slices.Equal(a, b) {
		t.Errorf("order depends on arrival: %v vs %v", a, b)
	}
}

func TestProgramReportFlags(t *testing.T) {
	in := ProgramInput{Period: Period{"2026-01", "2026-01"}, MinResponses: 5, MinMentees: 3}
	add := func(id int64, rs []answered, mentees int64, links LinkCounts) {
		ts, ms := group("2026-01", rs)
		rel := []Release{released("2026-01", int64(len(rs)), mentees)}
		in.Residents = append(in.Residents, ResidentData{Resident: ResidentRef{ID: id}, Releases: rel, Tallies: ts, Moments: ms, Links: links})
		in.ProgramResidents = append(in.ProgramResidents, ResidentMoments{ResidentID: id, Releases: rel, Moments: ms})
		in.ProgramReleases = append(in.ProgramReleases, rel...)
	}
	// Ten residents at 4 (one of them with response counts), one whose
	// twelve mentees all rate availability 2, one with three responses.
	add(1, uniform(40, 20, 4), 20, LinkCounts{Created: 50, Completed: 40, Declined: 2})
	for id := int64(2); id <= 10; id++ {
		add(id, uniform(20, 10, 4), 10, LinkCounts{})
	}
	weak := uniform(24, 12, 4)
	for i := range weak {
		weak[i].answers["A1"], weak[i].answers["A2"] = 2, 2
	}
	add(11, weak, 12, LinkCounts{})
	add(12, uniform(3, 3, 1), 3, LinkCounts{})
	r := BuildProgramReport(in)
	if len(r.Residents[0].Flags) != 0 || *r.Residents[0].ResponseRate != 0.83 || r.Residents[0].Invitations != 48 {
		t.Errorf("strong resident: flags %v rate %v invitations %d", r.Residents[0].Flags, r.Residents[0].ResponseRate, r.Residents[0].Invitations)
	}
	if want := []string{"below_program:availability", "below_3:availability"}; !slices.Equal(r.Residents[10].Flags, want) {
		t.Errorf("weak resident flags %v, want %v", r.Residents[10].Flags, want)
	}
	if !r.Residents[11].Suppressed || len(r.Residents[11].Flags) != 0 || r.Residents[11].Attributes[Availability].Mean != nil {
		t.Errorf("a resident with 3 responses must be suppressed and unflagged: %+v", r.Residents[11])
	}
	if r.Residents[1].ResponseRate != nil {
		t.Errorf("no links: rate must be null")
	}
	if r.Residents[0].Mentees != 20 || r.Residents[0].Attributes[Availability].Mentees != 20 || r.Attributes[0].Residents != 11 {
		t.Errorf("what the figures rest on: resident %+v, program availability from %d residents", r.Residents[0], r.Attributes[0].Residents)
	}
	// Equal weights: ten residents at 4 and one at 2 make 3.82, whatever
	// their volumes.
	if m := r.Attributes[0].Mean; m == nil || *m != 3.82 {
		t.Errorf("program availability %v, want 3.82", m)
	}
	if f := r.Funnel[Availability]; f.ProgramMean == nil || len(f.Limits) == 0 || f.Limits[0].Mentees != 3 || f.Limits[0].Outer[0] >= f.Limits[0].Inner[0] ||
		f.Limits[len(f.Limits)-1].Mentees != 20 {
		t.Errorf("funnel: %+v", f)
	}
}

// TestFunnelReachesTheLargestResident: the limits run to the most mentees
// any resident has, between the wider steps past 20.
func TestFunnelReachesTheLargestResident(t *testing.T) {
	m := newAttributeModel([]residentFit{
		{id: 1, est: Estimate{Mean: 4, Var: 0.05, DF: 10}, responses: 44, mentees: 22},
		{id: 2, est: Estimate{Mean: 4.2, Var: 0.05, DF: 10}, responses: 10, mentees: 5},
	}, DefaultComponents)
	f := m.funnel()
	last := f.Limits[len(f.Limits)-1]
	if last.Mentees != 22 || f.Limits[len(f.Limits)-2].Mentees != 20 {
		t.Errorf("funnel ends at %d mentees (before it %d), want 22 after 20", last.Mentees, f.Limits[len(f.Limits)-2].Mentees)
	}
	for i := 1; i < len(f.Limits); i++ {
		if w, p := f.Limits[i].Inner[1]-f.Limits[i].Inner[0], f.Limits[i-1].Inner[1]-f.Limits[i-1].Inner[0]; w > p {
			t.Errorf("the funnel widens from %d to %d mentees", f.Limits[i-1].Mentees, f.Limits[i].Mentees)
		}
	}
}

// TestAdjustedEstimateIsNeverLessSure: pulling toward the benchmark adds
// information, so the adjusted interval is never wider than the raw one,
// and the adjusted mean lies between the raw mean and the benchmark.
func TestAdjustedEstimateIsNeverLessSure(t *testing.T) {
	for _, spread := range []float64{0.01, 0.09, 0.5} {
		m := newAttributeModel([]residentFit{
			{id: 1, est: Estimate{Mean: 3.5, Var: 0.07, DF: 9}, mentees: 6},
			{id: 2, est: Estimate{Mean: 4.4, Var: 0.02, DF: 20}, mentees: 20},
		}, DefaultComponents)
		m.spread = spread
		a, _ := m.adjust(1)
		if a.SD > math.Sqrt(0.07)+1e-12 || a.Mean < 3.5 || a.Mean > 4.4 {
			t.Errorf("spread %v: adjusted %.3f ± %.3f, raw 3.5 ± %.3f, benchmark 4.4", spread, a.Mean, a.SD, math.Sqrt(0.07))
		}
	}
}

// TestItemAskedOfSomeResponsesStaysOutOfItsView: a version adding OR1 was
// published mid-window, so two of the group's six responses (perhaps one
// mentee) answered it. Its answers stay out of the per-item view, on the
// resident's report and the program's, while competence, whose mentees
// are counted, keeps them.
func TestItemAskedOfSomeResponsesStaysOutOfItsView(t *testing.T) {
	rs := uniform(6, 6, 4)
	for _, r := range rs[4:] {
		r.answers["OR1"] = 1
	}
	ts, ms := group("2026-01", rs)
	for i := range ts {
		if ts[i].Item == "OR1" {
			ts[i].Attribute = Competence
		}
	}
	rel := []Release{released("2026-01", 6, 6)}
	in := ResidentInput{Resident: ResidentRef{ID: 1}, Period: Period{"2026-01", "2026-03"}, MinResponses: 3, MinMentees: 3,
		Releases: rel, Tallies: ts, Moments: ms}
	r := BuildResidentReport(in)
	var or1, c1 *ItemSummary
	for i := range r.Items {
		switch r.Items[i].Key {
		case "OR1":
			or1 = &r.Items[i]
		case "C1":
			c1 = &r.Items[i]
		}
	}
	if or1 == nil || !or1.Partial || or1.Mean != nil || or1.N != 0 || or1.Distribution != nil {
		t.Errorf("OR1, asked of 2 of 6: %+v, want listed as partial with no figures", or1)
	}
	if c1 == nil || c1.Partial || c1.Mean == nil || *c1.Mean != 4 {
		t.Errorf("C1, asked of all: %+v", c1)
	}
	p := BuildProgramReport(ProgramInput{Period: in.Period, MinResponses: 3, MinMentees: 3, ProgramReleases: rel, ProgramTallies: ts,
		ProgramResidents: []ResidentMoments{{ResidentID: 1, Releases: rel, Moments: ms, Tallies: ts}}})
	for _, it := range p.Items {
		if it.Key == "OR1" && (!it.Partial || it.Mean != nil) {
			t.Errorf("program view of OR1: %+v", it)
		}
	}
}

// TestItemsNameTheVersionsTheyRanIn: a program's instrument in two
// versions, the second rewording C2 (same key: same meaning) and adding
// OR1; the per-item view lists each item's versions and says when the
// wording changed, with the newest text.
func TestItemsNameTheVersionsTheyRanIn(t *testing.T) {
	v1 := &Instrument{Key: "items-test", Version: 1, Scale: Default().Scale, Items: Default().Items}
	v2items := append([]Item{}, Default().Items...)
	v2items[3].Text = "My mentor helped me turn goals into next steps I could act on."
	v2items = append(v2items, Item{Key: "OR1", Attribute: Competence, Text: "My mentor taught me in the operating room."})
	v2 := &Instrument{Key: "items-test", Version: 2, Scale: Default().Scale, Items: v2items}
	for _, in := range []*Instrument{v1, v2} {
		if _, err := Lookup(in.Key, in.Version); err != nil {
			if err := Register(in); err != nil {
				t.Fatal(err)
			}
		}
	}
	rs := uniform(6, 6, 4)
	for _, r := range rs {
		r.answers["OR1"] = 5
	}
	ts, ms := group("2026-01", rs)
	for i := range ts {
		if ts[i].Item == "OR1" {
			ts[i].Attribute = Competence
		}
	}
	r := BuildResidentReport(ResidentInput{Resident: ResidentRef{ID: 1}, Period: Period{"2026-01", "2026-03"}, MinResponses: 3, MinMentees: 3,
		Releases: []Release{released("2026-01", 6, 6)}, Tallies: ts, Moments: ms, Instruments: []*Instrument{v1, v2}})
	got := map[string]ItemSummary{}
	for _, it := range r.Items {
		got[it.Key] = it
	}
	if c2 := got["C2"]; !slices.Equal(c2.Versions, []string{"items-test@1", "items-test@2"}) || !c2.WordingChanged || c2.Text != v2items[3].Text {
		t.Errorf("C2: %+v", c2)
	}
	if or1 := got["OR1"]; !slices.Equal(or1.Versions, []string{"items-test@2"}) || or1.WordingChanged || or1.Mean == nil || *or1.Mean != 5 {
		t.Errorf("OR1: %+v", or1)
	}
	if a1 := got["A1"]; len(a1.Versions) != 2 || a1.WordingChanged {
		t.Errorf("A1: %+v", a1)
	}
	if len(r.Trend) != 0 {
		t.Fatalf("no windows were asked for, got a trend of %d", len(r.Trend))
	}
	r = BuildResidentReport(ResidentInput{Resident: ResidentRef{ID: 1}, Period: Period{"2026-01", "2026-03"}, MinResponses: 3, MinMentees: 3,
		Windows: quarters(Period{"2026-01", "2026-03"}), Releases: []Release{released("2026-01", 6, 6)}, Tallies: ts, Moments: ms, Instruments: []*Instrument{v1, v2}})
	if v := r.Trend[0].Items["OR1"]; v.Mean == nil || *v.Mean != 5 || v.N != 6 {
		t.Errorf("OR1 on the trend: %+v", v)
	}
}
