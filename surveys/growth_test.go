package surveys

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func fp(x float64) *float64 { return &x }

func ip(n int) *int { return &n }

// onePoint is a released window with A1 and availability at mean 3.50,
// interval 3.20–3.80, and nothing else shown.
func onePoint() TrendPoint {
	v := TrendValue{Mean: fp(3.5), N: 20, CI95: &[2]float64{3.2, 3.8}, Basis: Basis{Responses: 10, Mentees: 5}}
	return TrendPoint{Period: "2026-01", Responses: 10, Mentees: 5,
		Attributes: map[Attribute]TrendValue{Availability: v}, Items: map[string]TrendValue{"A1": v}}
}

func rowOf(rows []SelfGap, key string) SelfGap {
	for _, r := range rows {
		if r.Key == key {
			return r
		}
	}
	return SelfGap{}
}

func TestCompareSelfNamesOnlyCredibleGaps(t *testing.T) {
	cases := []struct {
		name    string
		ci      [2]float64
		self    int
		mean    float64
		verdict string
	}{
		{"blind-spot-gap-0.5", [2]float64{3.2, 3.8}, 4, 3.5, BlindSpot},
		{"gap-0.49-matches-though-outside-interval", [2]float64{3.31, 3.71}, 4, 3.51, ViewsMatch},
		{"hidden-strength-gap-minus-0.5", [2]float64{3.2, 3.8}, 3, 3.5, HiddenStrength},
		{"gap-minus-0.49-matches", [2]float64{3.29, 3.69}, 3, 3.49, ViewsMatch},
		{"interval-contains-self-matches", [2]float64{2.9, 4.1}, 4, 3.3, ViewsMatch},
		{"self-on-the-bound-matches", [2]float64{3.0, 4.0}, 4, 3.4, ViewsMatch},
		{"large-gap-blind-spot", [2]float64{2.5, 3.1}, 5, 2.8, BlindSpot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := onePoint()
			v := TrendValue{Mean: fp(c.mean), CI95: &c.ci, Basis: Basis{Responses: 10, Mentees: 5}}
			p.Items["A1"] = v
			got := rowOf(CompareSelf(p, Default().Items, map[string]*int{"A1": ip(c.self)}).Items, "A1")
			if got.Verdict != c.verdict {
				t.Errorf("self %d beside %.2f (%v): %s, want %s", c.self, c.mean, c.ci, got.Verdict, c.verdict)
			}
			if got.Gap == nil || *got.Gap != Round2(float64(c.self)-c.mean) || got.Mentees == nil || *got.Mentees != c.mean || got.Basis.Mentees != 5 {
				t.Errorf("row %+v", got)
			}
		})
	}
}

func TestCompareSelfWithoutAMenteeView(t *testing.T) {
	all := map[string]*int{}
	for _, it := range Default().Items {
		all[it.Key] = ip(5)
	}
	suppressed := onePoint()
	suppressed.Suppressed = true
	c := CompareSelf(suppressed, Default().Items, all)
	if c.Window != "2026-01" || len(c.Items) != len(Default().Items) || len(c.Attributes) != len(Attributes) {
		t.Fatalf("comparison %+v", c)
	}
	for _, r := range append(c.Items, c.Attributes...) {
		if r.Verdict != NoMenteeView || r.Mentees != nil || r.Gap != nil || r.Self == nil {
			t.Errorf("suppressed point, row %s: %+v", r.Key, r)
		}
	}
	// Released, but C1 has no figure and A1 no self-rating.
	c = CompareSelf(onePoint(), Default().Items, map[string]*int{"C1": ip(5), "A2": ip(1)})
	if r := rowOf(c.Items, "C1"); r.Verdict != NoMenteeView || r.Self == nil || r.Mentees != nil {
		t.Errorf("item without a figure: %+v", r)
	}
	if r := rowOf(c.Items, "A1"); r.Verdict != NoMenteeView || r.Self != nil || r.Mentees == nil || r.Label != Default().Items[0].SelfStatement() {
		t.Errorf("item not self-rated: %+v", r)
	}
}

func TestCompareSelfAttributeIsTheMeanOfRatedItems(t *testing.T) {
	p := onePoint()
	p.Attributes[Availability] = TrendValue{Mean: fp(3.5), CI95: &[2]float64{3.2, 3.8}}
	// A1 5, A2 not applicable: availability's self score is 5.
	c := CompareSelf(p, Default().Items, map[string]*int{"A1": ip(5), "A2": nil, "C1": ip(2), "C2": ip(3), "C3": ip(3)})
	a := rowOf(c.Attributes, string(Availability))
	if a.Self == nil || *a.Self != 5 || a.Verdict != BlindSpot || a.Label != "Availability" || a.Attribute != Availability {
		t.Errorf("availability %+v", a)
	}
	if co := rowOf(c.Attributes, string(Competence)); co.Self == nil || *co.Self != 2.67 || co.Verdict != NoMenteeView {
		t.Errorf("competence %+v", co)
	}
	if keys := []string{c.Attributes[0].Key, c.Attributes[3].Key, c.Items[0].Key, c.Items[8].Key}; strings.Join(keys, " ") != "availability overall A1 G" {
		t.Errorf("order %v", keys)
	}
	// A rating off the scale counts as missing.
	c = CompareSelf(p, Default().Items, map[string]*int{"A1": ip(9)})
	if r := rowOf(c.Items, "A1"); r.Self != nil || r.Verdict != NoMenteeView {
		t.Errorf("rating 9: %+v", r)
	}
}

// goalReports are a resident's reports of two windows before a goal and
// two after, availability at before and after.
func goalReports(before, after float64) (ResidentReport, ResidentReport) {
	ws := growthQuarters(4)
	var g growthData
	rng := newTestRand(5)
	effects := menteeEffects(rng)
	for i, w := range ws {
		level := before
		if i >= 2 {
			level = after
		}
		g.simGrowthWindow(rng, w, map[Attribute]float64{Availability: level, Competence: 4, AltruisticSupport: 4, Overall: 4}, effects, 3)
	}
	return g.report(0, 1), g.report(2, 3)
}

func TestProgressOfComparesTheTargetAcrossTheGoal(t *testing.T) {
	b, a := goalReports(levelFor(2.5), levelFor(4.5))
	p := ProgressOf(b, a, GoalTarget{TargetAttribute, string(Availability)})
	if p.Verdict != Improved || p.VerdictText != GoalVerdictText(Improved) || !strings.HasPrefix(p.VerdictText, "Clear improvement") {
		t.Errorf("a two-point rise: %s %q", p.Verdict, p.VerdictText)
	}
	if p.Before.Period != b.Period || p.After.Period != a.Period || p.Before.Mean == nil || p.After.Mean == nil || p.Before.Basis.Responses == 0 {
		t.Fatalf("figures %+v / %+v", p.Before, p.After)
	}
	// The difference is of the unrounded means: within a cent of the
	// shown ones'.
	if d := *p.After.Mean - *p.Before.Mean; p.Difference == nil || math.Abs(*p.Difference-d) > 0.011 || p.DifferenceCI95 == nil || p.DifferenceCI95[0] > d || p.DifferenceCI95[1] < d {
		t.Errorf("difference %v %v, want %.2f inside", p.Difference, p.DifferenceCI95, d)
	}
	// Reversed, the same figures are a decline; the item follows suit.
	if p := ProgressOf(a, b, GoalTarget{TargetItem, "A1"}); p.Verdict != Declined || !strings.HasPrefix(p.VerdictText, "Clearly lower than before") || p.Before.Mean == nil || p.Before.Basis.Mentees == 0 {
		t.Errorf("reversed item: %+v", p)
	}
	b, a = goalReports(levelFor(4), levelFor(4))
	if p := ProgressOf(b, a, GoalTarget{TargetAttribute, string(Competence)}); p.Verdict != NoClearChange || !strings.HasPrefix(p.VerdictText, "No clear change yet") {
		t.Errorf("no change: %+v", p)
	}
}

func TestProgressOfWithoutTwoFigures(t *testing.T) {
	b, a := goalReports(4, 4)
	empty := BuildResidentReport(ResidentInput{Resident: ResidentRef{ID: 1}, Period: Period{"2027-01", "2027-03"}, MinResponses: 3, MinMentees: 3})
	for _, c := range []struct {
		name          string
		before, after ResidentReport
		t             GoalTarget
	}{
		{"nothing-released-after", b, empty, GoalTarget{TargetAttribute, string(Availability)}},
		{"nothing-released-before-item", empty, a, GoalTarget{TargetItem, "C2"}},
		{"unknown-item", b, a, GoalTarget{TargetItem, "Z9"}},
		{"unknown-attribute", b, a, GoalTarget{TargetAttribute, "kindness"}},
		{"unknown-kind", b, a, GoalTarget{"habit", "A1"}},
	} {
		p := ProgressOf(c.before, c.after, c.t)
		if p.Verdict != NotEnoughData || p.Difference != nil || p.DifferenceCI95 != nil || !strings.HasPrefix(p.VerdictText, "Not enough data yet") {
			t.Errorf("%s: %+v", c.name, p)
		}
		if p.After.Period != c.after.Period {
			t.Errorf("%s: after period %v", c.name, p.After.Period)
		}
	}
}
