package accounts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mentorpulse/mentorpulse/i18n"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// SurveyLanguageChoices are the languages a program may offer its mentees:
// those the catalogue speaks (pages and emails) and the program's
// instrument has texts in.
func SurveyLanguageChoices() []string {
	var out []string
	inst := surveys.Default().Langs()
	for _, l := range i18n.Languages() {
		if slices.Contains(inst, l) {
			out = append(out, l)
		}
	}
	return out
}

// checkSurveyLanguages lower-cases and trims a program's survey languages
// and refuses an empty list, a repeat, or a language the pages, emails or
// instrument cannot speak.
func checkSurveyLanguages(in []string) ([]string, error) {
	choices := SurveyLanguageChoices()
	var named []string
	for _, c := range choices {
		named = append(named, c+" ("+surveys.LanguageName(c)+")")
	}
	var out []string
	var fields []surveys.FieldError
	for i, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		field := fmt.Sprintf("survey_languages[%d]", i)
		switch {
		case !slices.Contains(choices, l):
			fields = append(fields, surveys.FieldError{Field: field, Message: fmt.Sprintf("%q is not a language surveys can be offered in; choose from %s", l, strings.Join(named, ", "))})
		case slices.Contains(out, l):
			fields = append(fields, surveys.FieldError{Field: field, Message: fmt.Sprintf("%s is listed twice; list each language once", surveys.LanguageName(l))})
		default:
			out = append(out, l)
		}
	}
	if len(in) == 0 {
		fields = append(fields, surveys.FieldError{Field: "survey_languages", Message: "must name at least one language, such as en; the first is the language of emails and reminders"})
	}
	if len(fields) > 0 {
		return nil, surveys.Invalid(msgInvalid, fields)
	}
	return out, nil
}
