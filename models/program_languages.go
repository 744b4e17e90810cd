package models

import (
	"context"
	"fmt"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// DefaultSurveyLanguage is the survey language of a program that set none.
const DefaultSurveyLanguage = "en"

// SurveyLanguageList reads a stored comma-separated survey_languages
// value: the languages a program's links offer, its default first.
func SurveyLanguageList(stored string) []string {
	var out []string
	for _, l := range strings.Split(stored, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return []string{DefaultSurveyLanguage}
	}
	return out
}

// Languages are the languages the program's survey links offer; the first
// is the language of its emails and reminders.
func (p *Program) Languages() []string { return SurveyLanguageList(p.SurveyLanguages) }

// UpdateSurveyLanguages stores a program's survey languages, already
// checked by the use case (accounts.UpdateProgram).
func (d *DB) UpdateSurveyLanguages(ctx context.Context, programID int64, langs []string) error {
	if len(langs) == 0 {
		return surveys.Invalid("the survey languages are not valid", []surveys.FieldError{{Field: "survey_languages", Message: "must name at least one language"}})
	}
	res := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Update("survey_languages", strings.Join(langs, ","))
	if res.Error != nil {
		return fmt.Errorf("update survey languages: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	return nil
}
