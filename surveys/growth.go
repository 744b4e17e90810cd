package surveys

import "math"

// Growth: a resident's self-assessment beside their mentees' view, and the
// before/after figure of a goal. Both are computed from released figures
// only (a report's trend points and periods), never from single answers,
// and self-ratings never enter any mentee figure.

// SelfGapMin is the smallest gap between a self-rating and the mentees'
// mean that is named a blind spot or a hidden strength (and only when the
// mentees' 95% interval also excludes the self-rating).
const SelfGapMin = 0.5

// Self-comparison verdicts.
const (
	BlindSpot      = "blind_spot"      // self credibly higher than mentees
	HiddenStrength = "hidden_strength" // self credibly lower than mentees
	ViewsMatch     = "matches"         // no credible gap
	NoMenteeView   = "not_enough_data" // no released mentee figure, or no self-rating
)

// SelfGap is one attribute or item: the resident's own rating beside their
// mentees' released mean.
type SelfGap struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Attribute is the item's attribute (the attribute itself for an
	// attribute row).
	Attribute Attribute `json:"attribute"`
	// Self is the self-rating: an item's rating, or an attribute's mean of
	// its rated items; null when not rated (not applicable).
	Self *float64 `json:"self"`
	// Mentees and CI95 are the mentees' released mean and interval for the
	// same window; null when suppressed.
	Mentees *float64    `json:"mentees"`
	CI95    *[2]float64 `json:"ci95"`
	// Gap is Self − Mentees, when both exist.
	Gap     *float64 `json:"gap"`
	Verdict string   `json:"verdict"`
	Basis
}

// SelfComparison is a window's self-assessment beside the mentees' figures
// released at that window's close.
type SelfComparison struct {
	Window     string    `json:"window"`
	Attributes []SelfGap `json:"attributes"`
	Items      []SelfGap `json:"items"`
}

// CompareSelf compares self-ratings (item key → 1…5, nil for not
// applicable) with the mentees' figures of one trend point, item by item
// in the catalogue's order and per attribute.
//
// A gap is named (BlindSpot, HiddenStrength) only when it is credible: the
// mentees' 95% interval, as shown, excludes the self-rating and the gap,
// as shown (two decimals), is at least SelfGapMin. Otherwise ViewsMatch;
// NoMenteeView when the point is suppressed, the mentees' figure is
// withheld or the self-rating is missing. An attribute's self-rating is the
// mean of its rated items; a rating outside the scale counts as missing.
func CompareSelf(point TrendPoint, catalogue []Item, ratings map[string]*int) SelfComparison {
	c := SelfComparison{Window: point.Period, Attributes: []SelfGap{}, Items: []SelfGap{}}
	sums := map[Attribute]float64{}
	counts := map[Attribute]int{}
	for _, it := range catalogue {
		var self *float64
		if r := ratings[it.Key]; r != nil && *r >= ScaleMin && *r <= ScaleMax {
			v := float64(*r)
			self = &v
			sums[it.Attribute] += v
			counts[it.Attribute]++
		}
		var mentees TrendValue
		if !point.Suppressed {
			mentees = point.Items[it.Key]
		}
		c.Items = append(c.Items, selfGap(it.Key, it.SelfStatement(), it.Attribute, self, mentees))
	}
	for _, a := range Attributes {
		var self *float64
		if counts[a] > 0 {
			self = ptr(sums[a] / float64(counts[a]))
		}
		var mentees TrendValue
		if !point.Suppressed {
			mentees = point.Attributes[a]
		}
		c.Attributes = append(c.Attributes, selfGap(string(a), a.Label(), a, self, mentees))
	}
	return c
}

// selfGap judges one row. The verdict rests on the figures as shown, so a
// resident who reads "4.00 beside 3.50 (3.21–3.79)" sees why it was named.
func selfGap(key, label string, a Attribute, self *float64, mentees TrendValue) SelfGap {
	g := SelfGap{Key: key, Label: label, Attribute: a, Self: self, Verdict: NoMenteeView, Basis: mentees.Basis}
	if mentees.Mean == nil {
		return g
	}
	g.Mentees, g.CI95 = mentees.Mean, mentees.CI95
	if self == nil {
		return g
	}
	gap := Round2(*self - *mentees.Mean)
	g.Gap = &gap
	g.Verdict = ViewsMatch
	if g.CI95 == nil || math.Abs(gap) < SelfGapMin-1e-9 {
		return g
	}
	switch lo, hi := g.CI95[0], g.CI95[1]; {
	case *self > hi:
		g.Verdict = BlindSpot
	case *self < lo:
		g.Verdict = HiddenStrength
	}
	return g
}

// Goal targets and verdicts.
const (
	TargetAttribute = "attribute"
	TargetItem      = "item"

	Improved      = "improved"        // "clear improvement"
	NoClearChange = "no_clear_change" // "no clear change yet"
	Declined      = "declined"        // "clearly lower than before"
	NotEnoughData = "not_enough_data" // "not enough data yet"
)

// GoalTarget is what a goal works on: an attribute or an item key.
type GoalTarget struct {
	Kind string `json:"kind"`
	Key  string `json:"key"`
}

// GoalFigure is the target's released figure over a span of windows.
type GoalFigure struct {
	Period Period      `json:"period"`
	Mean   *float64    `json:"mean"`
	CI95   *[2]float64 `json:"ci95"`
	Basis
}

// GoalProgress compares the figure before a goal was set with the figure
// after it.
type GoalProgress struct {
	Before         GoalFigure  `json:"before"`
	After          GoalFigure  `json:"after"`
	Difference     *float64    `json:"difference"`
	DifferenceCI95 *[2]float64 `json:"difference_ci95"`
	Verdict        string      `json:"verdict"`
	// VerdictText is the plain sentence for the verdict.
	VerdictText string `json:"verdict_text"`
}

// ProgressOf compares a target in two reports of the same resident: before
// (the released windows before the goal was set) and after (the windows
// after it).
//
// The difference is after − before with its 95% interval (ChangeOf,
// ItemChangeOf: the two figures are treated as independent, which errs
// wide because they mostly share mentees). An unknown target, or a figure
// withheld on either side, gives NotEnoughData.
func ProgressOf(before, after ResidentReport, t GoalTarget) GoalProgress {
	b, bs, bi := goalFigure(before, t)
	a, as, ai := goalFigure(after, t)
	var ch Change
	switch {
	case t.Kind == TargetAttribute && bs != nil && as != nil:
		ch = ChangeOf(*bs, *as)
	case t.Kind == TargetItem && bi != nil && ai != nil:
		ch = ItemChangeOf(*bi, *ai)
	default:
		ch = Change{Verdict: NotEnoughData}
	}
	return GoalProgress{Before: b, After: a, Difference: ch.Difference, DifferenceCI95: ch.CI95,
		Verdict: ch.Verdict, VerdictText: GoalVerdictText(ch.Verdict)}
}

// goalFigure is the target's figure in a report, with the summary it comes
// from (nil when the report has none). An item's figure rests on the
// responses of its attribute, as in the trend.
func goalFigure(r ResidentReport, t GoalTarget) (GoalFigure, *AttributeSummary, *ItemSummary) {
	f := GoalFigure{Period: r.Period}
	attr := Attribute(t.Key)
	var item *ItemSummary
	if t.Kind == TargetItem {
		for i := range r.Items {
			if r.Items[i].Key == t.Key {
				item = &r.Items[i]
				attr = item.Attribute
				break
			}
		}
		if item == nil {
			return f, nil, nil
		}
	} else if t.Kind != TargetAttribute {
		return f, nil, nil
	}
	var summary *AttributeSummary
	for i := range r.Attributes {
		if r.Attributes[i].Key == attr {
			summary = &r.Attributes[i].AttributeSummary
			f.Basis = summary.Basis
		}
	}
	switch {
	case item != nil:
		f.Mean, f.CI95 = item.Mean, item.CI95
		return f, nil, item
	case summary != nil:
		f.Mean, f.CI95 = summary.Mean, summary.CI95
	}
	return f, summary, nil
}

// GoalVerdictText is the plain sentence a resident reads for a goal's
// verdict (Improved, NoClearChange, Declined, NotEnoughData).
func GoalVerdictText(verdict string) string {
	switch verdict {
	case Improved:
		return "Clear improvement: mentees rate this higher since the goal was set, by more than chance alone would explain."
	case Declined:
		return "Clearly lower than before: mentees rate this lower since the goal was set, by more than chance alone would explain."
	case NoClearChange:
		return "No clear change yet: the difference since the goal was set is within what chance alone could give."
	}
	return "Not enough data yet: this needs a released figure from before the goal and one from after it."
}

// Suggestion is one concrete action from the library, with the key of its
// source (SuggestionSources).
type Suggestion struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

// SuggestionSource is a reference the library draws on.
type SuggestionSource struct {
	Key      string `json:"key"`
	Citation string `json:"citation"`
}

// SelfStatement is the item's "I …" wording for a resident's
// self-assessment (Item.SelfText, or a fallback when an instrument gives
// none).
func (it Item) SelfStatement() string {
	if it.SelfText != "" {
		return it.SelfText
	}
	return SelfFallbackPrefix + it.Text
}

// SelfFallbackPrefix introduces an item's mentee wording when the
// instrument gives no self wording, so the resident rates the statement as
// their mentees read it.
const SelfFallbackPrefix = "As my mentees would put it: "
