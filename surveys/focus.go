package surveys

// MeaningfulDifference is the smallest gap, in scale points between the
// strongest and the weakest attribute's displayed means, for which a report
// names a focus. Intervals from a handful of responses overlap almost always,
// so "non-overlapping intervals" would name a focus only for residents with
// many responses; 0.3 points is about a third of the typical spread of one
// mentee's ratings and well above rounding, and the suggestions it triggers
// are harmless if the gap is chance.
const MeaningfulDifference = 0.3

// Focus names the strongest and weakest attribute when they differ
// meaningfully, with suggestions for the weak one. All fields are null/empty
// otherwise.
type Focus struct {
	Strength    *Attribute `json:"strength"`
	Focus       *Attribute `json:"focus"`
	Suggestions []string   `json:"suggestions"`
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

// ChooseFocus picks the strongest and weakest of the three mentor attributes
// (overall is a summary, not something to work on) among those shown, when
// their displayed means differ by at least MeaningfulDifference. Ties go to
// the attribute listed first.
func ChooseFocus(attrs []AttributeSummary) Focus {
	f := Focus{Suggestions: []string{}}
	var best, worst *AttributeSummary
	for i := range attrs {
		a := &attrs[i]
		if a.Key == Overall || a.Mean == nil {
			continue
		}
		if best == nil || *a.Mean > *best.Mean {
			best = a
		}
		if worst == nil || *a.Mean < *worst.Mean {
			worst = a
		}
	}
	if best == nil || best == worst || Round2(*best.Mean-*worst.Mean) < MeaningfulDifference {
		return f
	}
	strong, weak := best.Key, worst.Key
	f.Strength, f.Focus = &strong, &weak
	f.Suggestions = append(f.Suggestions, Suggestions[weak]...)
	return f
}
