package web

import (
	"strings"
	"unicode"
)

// reportVoice is who a resident's report speaks to: the resident reading
// their own ("Your strongest attribute") or a director or admin reading
// about them ("Dr. Rivera's strongest attribute").
type reportVoice struct {
	Self bool
	// Formal is how the report names the resident to others: "Dr. Rivera".
	Formal string
}

// voiceFor is the voice of a report on the resident named name, read by
// the resident themselves when self.
func voiceFor(name string, self bool) reportVoice {
	return reportVoice{Self: self, Formal: formalName(name)}
}

// Whose is the possessive that starts a sentence: "Your", "Dr. Rivera's".
func (v reportVoice) Whose() string {
	if v.Self {
		return "Your"
	}
	return possessive(v.Formal)
}

// whose is Whose inside a sentence: "your", "Dr. Rivera's".
func (v reportVoice) whose() string {
	if v.Self {
		return "your"
	}
	return possessive(v.Formal)
}

// MenteesValue heads the first list of comments.
func (v reportVoice) MenteesValue() string { return "What " + v.whose() + " mentees value" }

// IdeasLead introduces the suggestions under the focus.
func (v reportVoice) IdeasLead() string {
	if v.Self {
		return "Ideas good mentors use, to try:"
	}
	return "Ideas good mentors use, to discuss with " + v.Formal + ":"
}

func possessive(name string) string { return name + "'s" }

// credentials are letters after a name that are not a surname.
var credentials = map[string]bool{"md": true, "do": true, "mbbs": true, "mbchb": true, "phd": true, "mph": true, "jr": true, "sr": true}

// formalName names a resident as a colleague would: "Dr." and the surname.
// The surname is the part before the comma of "Rivera, Ana"; otherwise the
// last word, with the lowercase particles before it ("Ana de la Cruz" is
// Dr. de la Cruz), after dropping a leading title ("Dr.") and trailing
// credentials ("MD", "PhD"). A name of one word, or one that leaves
// nothing once those are dropped, is used whole, as stored.
func formalName(name string) string {
	full := strings.TrimSpace(name)
	if before, after, ok := strings.Cut(full, ","); ok && !credentials[bare(after)] {
		words := strings.Fields(before)
		if len(words) > 0 && len(strings.Fields(after)) > 0 {
			return "Dr. " + strings.Join(dropTitle(words), " ")
		}
	}
	words := dropTitle(strings.Fields(strings.ReplaceAll(full, ",", " ")))
	for len(words) > 0 && credentials[bare(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	if len(words) < 2 {
		return full
	}
	i := len(words) - 1
	for i > 1 && startsLower(words[i-1]) {
		i--
	}
	return "Dr. " + strings.Join(words[i:], " ")
}

// dropTitle removes a leading "Dr" or "Dr.".
func dropTitle(words []string) []string {
	if len(words) > 1 && bare(words[0]) == "dr" {
		return words[1:]
	}
	return words
}

// bare is a word in lower case without its dots and spaces: "M.D." is "md".
func bare(w string) string {
	return strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(w))
}

func startsLower(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}
