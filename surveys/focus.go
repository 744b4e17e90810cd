package surveys

// Focus names the strongest and weakest attribute when they differ
// meaningfully, with suggestions for the weak one. All fields are null/empty
// otherwise.
type Focus struct {
	Strength    *Attribute `json:"strength"`
	Focus       *Attribute `json:"focus"`
	Suggestions []string   `json:"suggestions"`
	// FocusProbability and StrengthProbability are the model's
	// probabilities that the named attribute is truly the weakest
	// (strongest); null when none is named.
	FocusProbability    *float64 `json:"focus_probability"`
	StrengthProbability *float64 `json:"strength_probability"`
}

// Suggestions are concrete habits of good resident mentors, per attribute,
// drawn from the mentorship literature the instrument is built on.
var Suggestions = map[Attribute][]string{
	Availability: {
		"Offer short, frequent, predictable check-ins, for example 15 minutes at the same time every two weeks, rather than rare long meetings.",
		"Tell your mentee how to reach you between meetings (message, email or pager) and how soon they can expect a reply.",
		"Protect the meeting: agree on the date of the next one before you part, and keep interruptions out.",
	},
	Competence: {
		"Know what you are good at and say so; for questions outside it, point your mentee to someone better placed.",
		"Turn advice into next steps: end each meeting with one or two concrete actions and a date to review them.",
		"Give specific feedback tied to something you saw, rather than general praise or criticism.",
	},
	AltruisticSupport: {
		"Give timely, constructive feedback: soon after the event, with what to keep doing and what to change.",
		"Open doors: introduce your mentee to people, projects and opportunities that serve their goals.",
		"Let your mentee define their own success: ask what they want from residency before you advise.",
	},
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
	f := Focus{Suggestions: []string{}}
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
			f.Suggestions = append(f.Suggestions, Suggestions[k]...)
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
