package surveys

// Release by windows and distinct mentees.
//
// Nothing about a resident is released mid-window. When a window closes,
// all the resident's responses of closed windows that are not yet released
// form one group; the group is released if it comes from at least
// min_mentees distinct mentees and holds at least min_responses responses.
// Otherwise it carries over and is judged again, with whatever the next
// window adds, when that window closes. A released group can therefore
// span several windows; it is recorded under the window whose close
// released it. Reports only ever add or remove whole released groups, each
// resting on at least min_mentees people, so no difference of two reports
// isolates one person's answers.

// MinMinMentees is the lowest min_mentees a program may set.
const MinMinMentees = 3

// DefaultMinMentees is a new program's min_mentees.
const DefaultMinMentees = 3

// Group is a resident's unreleased responses of closed windows, as the
// release job sees them at a window's close.
type Group struct {
	Responses int
	Mentees   int
}

// Releases reports whether the group may be released under the thresholds.
func (g Group) Releases(minResponses, minMentees int) bool {
	return g.Responses >= minResponses && g.Mentees >= max(minMentees, MinMinMentees)
}

// Release is one released group: the window whose close released it, the
// first and last windows its responses came from, and what it rests on.
type Release struct {
	Window      Window `json:"window"`
	FirstWindow string `json:"first_window"`
	LastWindow  string `json:"last_window"`
	Responses   int64  `json:"responses"`
	Mentees     int64  `json:"mentees"`
}

// Basis is what a figure rests on: released responses and the distinct
// mentees they came from, summed over releases (a mentee who answered about
// two residents, or in two released groups, counts once in each).
type Basis struct {
	Responses int64 `json:"responses"`
	Mentees   int64 `json:"mentees"`
}

// basisOf sums the releases keep accepts (by release window id).
func basisOf(rs []Release, keep func(window string) bool) Basis {
	var b Basis
	for _, r := range rs {
		if keep(r.Window.ID) {
			b.Responses += r.Responses
			b.Mentees += r.Mentees
		}
	}
	return b
}

// suppressedBasis reports whether figures resting on b are withheld.
func suppressedBasis(b Basis, minResponses, minMentees int) bool {
	return b.Responses < int64(minResponses) || b.Mentees < int64(max(minMentees, MinMinMentees))
}
