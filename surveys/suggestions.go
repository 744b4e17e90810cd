package surveys

// The suggestion library: concrete actions a resident mentor can take next
// week, per item of the default instrument and per attribute, each naming
// the publication it draws on (docs/instrument.md, "Suggestion library and
// its sources"). Items of a program's own instrument that the library does
// not know get their attribute's suggestions.

// Source keys of the library.
const (
	SourceKhan2017      = "khan2017"
	SourceRamani2006    = "ramani2006"
	SourceStraus2013    = "straus2013"
	SourceSambunjak2006 = "sambunjak2006"
	SourceEnde1983      = "ende1983"
)

var suggestionSources = []SuggestionSource{
	{SourceKhan2017, "Khan NR, Rialon KL, Buretta KJ, Deslauriers JR, Harwood JL, Jardine DA. Residents as mentors: the development of resident mentorship milestones. J Grad Med Educ. 2017;9(4):551-554. doi:10.4300/JGME-D-17-00415.1"},
	{SourceRamani2006, "Ramani S, Gruppen L, Kachur EK. Twelve tips for developing effective mentors. Med Teach. 2006;28(5):404-408."},
	{SourceStraus2013, "Straus SE, Johnson MO, Marquez C, Feldman MD. Characteristics of successful and failed mentoring relationships: a qualitative study across two academic health centers. Acad Med. 2013;88(1):82-89."},
	{SourceSambunjak2006, "Sambunjak D, Straus SE, Marušić A. Mentoring in academic medicine: a systematic review. JAMA. 2006;296(9):1103-1115."},
	{SourceEnde1983, "Ende J. Feedback in clinical medical education. JAMA. 1983;250(6):777-781."},
}

// attributeSuggestions are the habits of good resident mentors per
// attribute (Focus.Suggestions shows them for the weakest attribute).
var attributeSuggestions = map[Attribute][]Suggestion{
	Availability: {
		{"Offer short, frequent, predictable check-ins, for example 15 minutes at the same time every two weeks, rather than rare long meetings.", SourceKhan2017},
		{"Tell your mentee how to reach you between meetings (message, email or pager) and how soon they can expect a reply.", SourceKhan2017},
		{"Protect the meeting: agree on the date of the next one before you part, and keep interruptions out.", SourceRamani2006},
	},
	Competence: {
		{"Know what you are good at and say so; for questions outside it, point your mentee to someone better placed.", SourceKhan2017},
		{"Turn advice into next steps: end each meeting with one or two concrete actions and a date to review them.", SourceRamani2006},
		{"Give specific feedback tied to something you saw, rather than general praise or criticism.", SourceEnde1983},
	},
	AltruisticSupport: {
		{"Give timely, constructive feedback: soon after the event, with what to keep doing and what to change.", SourceEnde1983},
		{"Open doors: introduce your mentee to people, projects and opportunities that serve their goals.", SourceSambunjak2006},
		{"Let your mentee define their own success: ask what they want from residency before you advise.", SourceKhan2017},
	},
}

// itemSuggestions are the actions per item key of the default instrument.
var itemSuggestions = map[string][]Suggestion{
	"A1": {
		{"Book the next meeting before this one ends, so it is in both calendars.", SourceRamani2006},
		{"Start each meeting by asking how much time your mentee has and what they most want to cover, then keep to it.", SourceStraus2013},
		{"If you are called away, say so and offer a new time within the week rather than rushing through.", SourceKhan2017},
	},
	"A2": {
		{"Tell each mentee the best way to reach you between meetings and how soon you usually reply.", SourceStraus2013},
		{"Answer a mentee's message within two working days, even if only to say when you can reply in full.", SourceStraus2013},
		{"Send a short check-in message in the weeks you do not meet.", SourceKhan2017},
	},
	"C1": {
		{"Ask what your mentee has already tried and what they want before you give advice.", SourceRamani2006},
		{"Say where your experience ends, and introduce your mentee to someone better placed for questions beyond it.", SourceStraus2013},
		{"Check a rule or a fact before you pass it on, and come back to your mentee with the answer.", SourceKhan2017},
	},
	"C2": {
		{"End each meeting by agreeing on one or two concrete actions, each with a date.", SourceRamani2006},
		{"Send your mentee the agreed next steps in a short message after the meeting.", SourceStraus2013},
		{"Open the next meeting by reviewing the actions you agreed last time.", SourceRamani2006},
	},
	"C3": {
		{"Base feedback on something you saw yourself, and describe what happened rather than judging the person.", SourceEnde1983},
		{"Give feedback soon after the event, and tell your mentee beforehand that you will.", SourceEnde1983},
		{"Keep each round of feedback to one or two things your mentee can change.", SourceEnde1983},
	},
	"S1": {
		{"Ask how your mentee is doing, beyond work, at the start of each meeting.", SourceStraus2013},
		{"Follow up on something your mentee told you last time, such as an exam or a hard rotation.", SourceStraus2013},
		{"Put your mentee forward for one opportunity that fits their goals: a project, a talk or a useful contact.", SourceSambunjak2006},
	},
	"S2": {
		{"Tell your mentee early on that workload, stress and personal matters are welcome topics.", SourceKhan2017},
		{"When a concern comes up, listen to the end before you suggest anything.", SourceRamani2006},
		{"Know where your program sends residents for well-being support, and offer to help your mentee get there.", SourceKhan2017},
	},
	"S3": {
		{"Ask your mentee what success in residency means to them before you share your own path.", SourceKhan2017},
		{"When your advice differs from their plan, offer it as one option and leave the choice to them.", SourceStraus2013},
	},
	"G": {
		{"Ask at the start what your mentee wants from the meeting, and check at the end whether they got it.", SourceStraus2013},
		{"Agree with your mentee how often you will meet and what the meetings are for, and revisit it each term.", SourceStraus2013},
		{"Every few months, ask your mentee what would make the meetings more useful, and change one thing.", SourceRamani2006},
	},
}

// SuggestionsFor lists the library's actions for a target: an item's own
// first, then its attribute's. An unknown target has none.
//
// An item's attribute comes from the registered instruments (a key keeps
// its attribute across them). An attribute with no suggestions of its own
// (overall) gets its default-instrument items'.
func SuggestionsFor(t GoalTarget) []Suggestion {
	out := []Suggestion{}
	switch t.Kind {
	case TargetItem:
		out = append(out, itemSuggestions[t.Key]...)
		for _, it := range AllItems() {
			if it.Key == t.Key {
				out = append(out, attributeSuggestions[it.Attribute]...)
				break
			}
		}
	case TargetAttribute:
		a := Attribute(t.Key)
		if s, ok := attributeSuggestions[a]; ok {
			return append(out, s...)
		}
		for _, it := range Default().ItemsFor(a) {
			out = append(out, itemSuggestions[it.Key]...)
		}
	}
	return out
}

// SuggestionSources lists every source the library cites.
func SuggestionSources() []SuggestionSource {
	return append([]SuggestionSource(nil), suggestionSources...)
}

// attributeSuggestionTexts are an attribute's suggestions as plain texts
// (Focus.Suggestions).
func attributeSuggestionTexts(a Attribute) []string {
	var out []string
	for _, s := range attributeSuggestions[a] {
		out = append(out, s.Text)
	}
	return out
}
