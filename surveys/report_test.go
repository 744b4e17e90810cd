package surveys

import (
	"encoding/json"
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
	in := ResidentInput{
		Period: Period{"2026-01", "2026-03"}, MinResponses: 5, MinMentees: 3,
		Windows:         quarters(Period{"2026-01", "2026-03"}),
		Releases:        []Release{released("2026-01", 5, 4)},
		ProgramReleases: []Release{released("2026-01", 50, 20)},
		Tallies: tallies("2026-01", map[string][]int{
			"A1": {2, 2, 3, 3, 2}, "A2": {2, 3, 3, 3, 0},
			"C1": rep(5, 5), "C2": rep(5, 4), "C3": rep(5, 5),
			"S1": rep(5, 4), "S2": rep(5, 4), "S3": rep(5, 4), "G": rep(5, 4),
		}),
		ProgramTallies: tallies("2026-01", map[string][]int{"A1": rep(50, 4), "C1": rep(50, 4), "S1": rep(50, 4), "G": rep(50, 4)}),
		KeepDoing:      []string{"b", "a", "c"},
	}
	r := BuildResidentReport(in)
	if r.Suppressed {
		t.Fatal("5 of 5 responses must be shown")
	}
	av := r.Attributes[0]
	if av.Key != Availability || *av.Mean != 2.56 || av.N != 9 || av.NotApplicable != 1 || av.Distribution["2"] != 4 {
		t.Errorf("availability: mean %v n %d n/a %d dist %v; want 2.56 from 9 ratings with 1 n/a", *av.Mean, av.N, av.NotApplicable, av.Distribution)
	}
	if av.ProgramMean == nil || *av.ProgramMean != 4 || av.ProgramMentees != 20 || av.ProgramResponses != 50 {
		t.Errorf("program mean beside availability: %v on %d/%d", av.ProgramMean, av.ProgramResponses, av.ProgramMentees)
	}
	if av.Responses != 5 || av.Mentees != 4 || r.Mentees != 4 {
		t.Errorf("availability rests on %d responses from %d mentees, want 5 from 4", av.Responses, av.Mentees)
	}
	if r.Focus.Strength == nil || *r.Focus.Strength != Competence || *r.Focus.Focus != Availability || len(r.Focus.Suggestions) < 2 {
		t.Errorf("focus: %+v", r.Focus)
	}
	if len(r.Comments.KeepDoing) != 3 {
		t.Errorf("comments: %v", r.Comments.KeepDoing)
	}
	if len(r.Trend) != 1 || r.Trend[0].Period != "2026-01" || r.Trend[0].Window.To != "2026-03" || r.Trend[0].Suppressed || *r.Trend[0].Attributes[Overall].Mean != 4 {
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

func TestFocusNeedsMeaningfulDifference(t *testing.T) {
	mean := func(x float64) *float64 { return &x }
	attrs := []AttributeSummary{
		{Key: Availability, Mean: mean(4.1)}, {Key: Competence, Mean: mean(4.3)},
		{Key: AltruisticSupport, Mean: mean(4.2)}, {Key: Overall, Mean: mean(1.0)},
	}
	if f := ChooseFocus(attrs); f.Focus != nil {
		t.Errorf("0.2 apart is not meaningful, got focus %v", *f.Focus)
	}
	attrs[0].Mean = mean(4.0)
	f := ChooseFocus(attrs)
	if f.Focus == nil || *f.Focus != Availability || *f.Strength != Competence || len(f.Suggestions) != 3 {
		t.Errorf("0.3 apart: want focus availability, strength competence, 3 suggestions; got %+v", f)
	}
}

func TestProgramReportFlags(t *testing.T) {
	good := tallies("2026-01", map[string][]int{"A1": rep(40, 5), "C1": rep(40, 4), "G": rep(40, 4)})
	weak := tallies("2026-01", map[string][]int{"A1": rep(10, 2), "C1": rep(10, 4), "G": rep(10, 4)})
	few := tallies("2026-01", map[string][]int{"A1": rep(3, 1)})
	program := append(append(append([]Tally{}, good...), weak...), few...)
	r := BuildProgramReport(ProgramInput{
		Period: Period{"2026-01", "2026-01"}, MinResponses: 5,
		ProgramReleases: []Release{released("2026-01", 53, 30)}, ProgramTallies: program,
		Residents: []ResidentData{
			{Resident: ResidentRef{ID: 1}, Releases: []Release{released("2026-01", 40, 20)}, Tallies: good, Links: LinkCounts{Created: 50, Completed: 40, Declined: 2}},
			{Resident: ResidentRef{ID: 2}, Releases: []Release{released("2026-01", 10, 7)}, Tallies: weak},
			{Resident: ResidentRef{ID: 3}, Releases: []Release{released("2026-01", 3, 3)}, Tallies: few},
		},
	})
	if len(r.Residents[0].Flags) != 0 || *r.Residents[0].ResponseRate != 0.83 || r.Residents[0].Invitations != 48 {
		t.Errorf("strong resident: flags %v rate %v invitations %d", r.Residents[0].Flags, r.Residents[0].ResponseRate, r.Residents[0].Invitations)
	}
	if want := []string{"below_program:availability", "below_3:availability"}; !slices.Equal(r.Residents[1].Flags, want) {
		t.Errorf("weak resident flags %v, want %v", r.Residents[1].Flags, want)
	}
	if !r.Residents[2].Suppressed || len(r.Residents[2].Flags) != 0 || r.Residents[2].Attributes[Availability].Mean != nil {
		t.Errorf("a resident with 3 responses must be suppressed and unflagged: %+v", r.Residents[2])
	}
	if r.Residents[1].ResponseRate != nil {
		t.Errorf("no links: rate must be null")
	}
	if r.Responses != 53 || r.Mentees != 30 || r.Residents[0].Mentees != 20 || r.Residents[0].Attributes[Availability].Mentees != 20 {
		t.Errorf("what the figures rest on: program %d/%d, resident %+v", r.Responses, r.Mentees, r.Residents[0])
	}
}
