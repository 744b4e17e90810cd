package surveys

// Focus names the strongest and weakest attribute when they differ
// meaningfully, with suggestions for the weak one (null/empty otherwise),
// and the resident's weakest shown item with the library's suggestions for
// it.
type Focus struct {
	Strength *Attribute `json:"strength"`
	Focus    *Attribute `json:"focus"`
	// Suggestions are the library's suggestions for Focus, as texts.
	Suggestions []string `json:"suggestions"`
	// WeakestItem is the shown item with the lowest mean (the first in the
	// catalogue's order on a tie); null when no item is shown. It is the
	// lowest figure, not a tested difference: the suggestions for it are
	// a place to start, not a finding.
	WeakestItem *string `json:"weakest_item"`
	// ItemSuggestions are SuggestionsFor the weakest item.
	ItemSuggestions []Suggestion `json:"item_suggestions"`
	// FocusProbability and StrengthProbability are the model's
	// probabilities that the named attribute is truly the weakest
	// (strongest); null when none is named.
	FocusProbability    *float64 `json:"focus_probability"`
	StrengthProbability *float64 `json:"strength_probability"`
}

// ChooseFocus names the weakest of the three mentor attributes (overall is
// a summary, not something to work on) when the adjusted estimates make it
// at least FocusProbability likely to be truly the weakest, and likewise
// the strongest. The probabilities come from the same model as the flags
// (each attribute's difference from the other residents' level, with the
// uncertainty of that level), and treat the attributes' errors as
// independent; they share mentees, so the truth is a little surer than
// that, and the rule errs toward saying nothing stands out.
func ChooseFocus(attrs []ResidentAttribute) Focus {
	f := Focus{Suggestions: []string{}, ItemSuggestions: []Suggestion{}}
	var keys []Attribute
	var means, sds, neg []float64
	for _, a := range attrs {
		if a.Key == Overall || a.Suppressed() || a.adjusted == nil || a.adjusted.SD <= 0 {
			continue
		}
		mean, sd := a.adjusted.focusPosterior()
		keys = append(keys, a.Key)
		means = append(means, mean)
		neg = append(neg, -mean)
		sds = append(sds, sd)
	}
	if len(keys) < 2 {
		return f
	}
	for i, p := range probLowest(means, sds) {
		if p >= FocusProbability {
			k := keys[i]
			f.Focus, f.FocusProbability = &k, ptr(p)
			f.Suggestions = append(f.Suggestions, attributeSuggestionTexts(k)...)
		}
	}
	for i, p := range probLowest(neg, sds) {
		if p >= FocusProbability {
			k := keys[i]
			f.Strength, f.StrengthProbability = &k, ptr(p)
		}
	}
	return f
}

// withWeakestItem names the weakest of the shown items (in the catalogue's
// order, as a report lists them) and its suggestions.
func (f Focus) withWeakestItem(items []ItemSummary) Focus {
	var weakest *ItemSummary
	for i := range items {
		if it := &items[i]; it.Mean != nil && (weakest == nil || *it.Mean < *weakest.Mean) {
			weakest = it
		}
	}
	f.ItemSuggestions = []Suggestion{}
	if weakest != nil {
		key := weakest.Key
		f.WeakestItem = &key
		f.ItemSuggestions = SuggestionsFor(GoalTarget{Kind: TargetItem, Key: key})
	}
	return f
}
