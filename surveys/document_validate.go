package surveys

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// The rules of a document (docs/instrument.md, "The document"). Messages
// name the field as the JSON does and say what to change, for a director
// editing a draft or importing a file.
const (
	ScaleMin = 1
	ScaleMax = 5
	// MaxRatedItems is the most rated items an instrument may ask: a
	// longer form is answered carelessly or not at all.
	MaxRatedItems = 15
	// MinItemsPerAttribute is the fewest items an attribute other than
	// overall needs, so its score is never one statement's.
	MinItemsPerAttribute = 2
	// MaxCommentPrompts is the most free-text questions.
	MaxCommentPrompts = 3
	// MaxCommentLength bounds a comment prompt's max_length.
	MaxCommentLength = 2000
	maxTitleLength   = 200
	maxItemLength    = 300
	maxPromptLength  = 200
)

// SupportedLanguages are the languages the service can show a survey in.
var SupportedLanguages = []string{"en", "es"}

var (
	instrumentKeyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	itemKeyPattern       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,31}$`)
)

// StoredComments are the comment keys a response has room for: a prompt
// may be reworded or dropped, but its answers are kept under one of these.
var StoredComments = []string{CommentKeepDoing, CommentNextTime, CommentOther}

// Validate reports every problem of the document at once, each against its
// field ("items[3].text.es: the Spanish text is empty"); none means the
// document can become an instrument.
func (d Document) Validate() []FieldError {
	v := &docCheck{}
	if !instrumentKeyPattern.MatchString(d.Key) {
		v.add("key", "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (e.g. program-12)")
	}
	if d.Version < 1 {
		v.add("version", "must be 1 or more")
	}
	v.languages(d.Languages)
	v.texts("title", "the title", d.Title, maxTitleLength)
	v.scale(d)
	v.items(d.Items)
	v.comments(d.Comments)
	return v.errs
}

type docCheck struct {
	errs  []FieldError
	langs []string
}

func (v *docCheck) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *docCheck) languages(langs []string) {
	if len(langs) == 0 {
		v.add("languages", "list the languages the instrument is written in, its source language first (en or es)")
		return
	}
	seen := map[string]bool{}
	for i, l := range langs {
		field := fmt.Sprintf("languages[%d]", i)
		switch {
		case !supported(l):
			v.add(field, "%q is not a language surveys can be shown in; choose %s", l, strings.Join(SupportedLanguages, " or "))
		case seen[l]:
			v.add(field, "%s is listed twice", LanguageName(l))
		default:
			seen[l] = true
			v.langs = append(v.langs, l)
		}
	}
}

func supported(lang string) bool {
	for _, l := range SupportedLanguages {
		if l == lang {
			return true
		}
	}
	return false
}

// texts checks a text per declared language: present, clean, not too long,
// and no text in a language the instrument does not declare.
func (v *docCheck) texts(field, what string, m map[string]string, max int) {
	for _, lang := range v.langs {
		f := field + "." + lang
		s, ok := m[lang]
		switch {
		case !ok || strings.TrimSpace(s) == "":
			v.add(f, "the %s text is empty", LanguageName(lang))
		case CheckText(s, false) != nil:
			v.add(f, "%s in %s must be plain text on one line", what, LanguageName(lang))
		case utf8.RuneCountInString(s) > max:
			v.add(f, "%s in %s is %d characters long; the limit is %d", what, LanguageName(lang), utf8.RuneCountInString(s), max)
		}
	}
	v.undeclared(field, mapKeys(m))
}

// optionalTexts checks a text that may be left out altogether: when any
// language has one, the source language needs one, and every text given
// follows the rules of texts. A declared language other than the source
// may go without.
func (v *docCheck) optionalTexts(field, what string, m map[string]string, max int) {
	if len(m) == 0 || len(v.langs) == 0 {
		return
	}
	for i, lang := range v.langs {
		f := field + "." + lang
		s, ok := m[lang]
		switch {
		case !ok && i > 0:
		case !ok || strings.TrimSpace(s) == "":
			if i == 0 {
				v.add(f, "the %s text is empty; write it, or remove %s in every language", LanguageName(lang), what)
			} else {
				v.add(f, "the %s text is empty; write it or remove it", LanguageName(lang))
			}
		case CheckText(s, false) != nil:
			v.add(f, "%s in %s must be plain text on one line", what, LanguageName(lang))
		case utf8.RuneCountInString(s) > max:
			v.add(f, "%s in %s is %d characters long; the limit is %d", what, LanguageName(lang), utf8.RuneCountInString(s), max)
		}
	}
	v.undeclared(field, mapKeys(m))
}

func (v *docCheck) undeclared(field string, langs []string) {
	for _, lang := range langs {
		if !contains(v.langs, lang) {
			v.add(field+"."+lang, "the instrument does not declare %s; add it to languages or remove this text", LanguageName(lang))
		}
	}
}

func (v *docCheck) scale(d Document) {
	for _, lang := range v.langs {
		labels := d.Scale.Labels[lang]
		for n := ScaleMin; n <= ScaleMax; n++ {
			f := fmt.Sprintf("scale.labels.%s.%d", lang, n)
			s := labels[n]
			switch {
			case strings.TrimSpace(s) == "":
				v.add(f, "the %s label for %d is empty", LanguageName(lang), n)
			case CheckText(s, false) != nil || utf8.RuneCountInString(s) > 60:
				v.add(f, "the label for %d must be plain text of at most 60 characters", n)
			}
		}
		for n := range labels {
			if n < ScaleMin || n > ScaleMax {
				v.add(fmt.Sprintf("scale.labels.%s.%d", lang, n), "the scale runs from %d to %d; remove the label for %d", ScaleMin, ScaleMax, n)
			}
		}
	}
	v.undeclared("scale.labels", mapKeys(d.Scale.Labels))
	anyNA := false
	for _, it := range d.Items {
		anyNA = anyNA || it.AllowNotApplicable
	}
	if anyNA {
		v.texts("scale.not_applicable", "the \u201cnot applicable\u201d label", d.Scale.NotApplicable, 60)
	} else {
		v.undeclared("scale.not_applicable", mapKeys(d.Scale.NotApplicable))
	}
}

func (v *docCheck) items(items []DocumentItem) {
	if len(items) > MaxRatedItems {
		v.add("items", "at most %d rated items; this has %d", MaxRatedItems, len(items))
	}
	seen := map[string]bool{}
	count := map[Attribute]int{}
	for i, it := range items {
		base := fmt.Sprintf("items[%d]", i)
		switch {
		case !itemKeyPattern.MatchString(it.Key):
			v.add(base+".key", "use 1 to 32 letters, digits and underscores, starting with a letter (e.g. A3)")
		case seen[it.Key]:
			v.add(base+".key", "%s is used twice; give each statement its own key", it.Key)
		default:
			seen[it.Key] = true
		}
		if !validAttribute(it.Attribute) {
			v.add(base+".attribute", "choose availability, competence, altruistic_support or overall")
		} else {
			count[it.Attribute]++
		}
		v.texts(base+".text", "the statement", it.Text, maxItemLength)
		v.optionalTexts(base+".self_text", "the self-assessment statement", it.SelfText, maxItemLength)
	}
	for _, a := range Attributes {
		if a == Overall || count[a] >= MinItemsPerAttribute {
			continue
		}
		has := "none"
		if count[a] == 1 {
			has = "one"
		}
		v.add("items", "%s needs at least %s items; it has %s", a, numberWord(MinItemsPerAttribute), has)
	}
}

func (v *docCheck) comments(cs []DocumentComment) {
	if len(cs) > MaxCommentPrompts {
		v.add("comments", "at most %s prompts; this has %d", numberWord(MaxCommentPrompts), len(cs))
	}
	seen := map[string]bool{}
	for i, c := range cs {
		base := fmt.Sprintf("comments[%d]", i)
		switch {
		case !contains(StoredComments, c.Key):
			v.add(base+".key", "choose %s: answers are kept under these keys", strings.Join(StoredComments, " or "))
		case seen[c.Key]:
			v.add(base+".key", "%s is used twice; give each prompt its own key", c.Key)
		default:
			seen[c.Key] = true
		}
		if c.MaxLength < 1 || c.MaxLength > MaxCommentLength {
			v.add(base+".max_length", "must be from 1 to %d characters", MaxCommentLength)
		}
		v.texts(base+".prompt", "the prompt", c.Prompt, maxPromptLength)
	}
}

func validAttribute(a Attribute) bool {
	for _, b := range Attributes {
		if a == b {
			return true
		}
	}
	return false
}

func numberWord(n int) string {
	if n >= 0 && n < 4 {
		return []string{"zero", "one", "two", "three"}[n]
	}
	return itoa(n)
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
