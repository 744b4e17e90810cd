package surveys

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
func CompareSelf(point TrendPoint, catalogue []Item, ratings map[string]*int) SelfComparison {
	panic("not implemented")
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
func ProgressOf(before, after ResidentReport, t GoalTarget) GoalProgress {
	panic("not implemented")
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

// SuggestionsFor lists the library's actions for a target: an item's own
// first, then its attribute's. An unknown target has none.
func SuggestionsFor(t GoalTarget) []Suggestion {
	panic("not implemented")
}

// SuggestionSources lists every source the library cites.
func SuggestionSources() []SuggestionSource {
	panic("not implemented")
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
