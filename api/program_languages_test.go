package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

// TestAdminSetsTheProgramsSurveyLanguages: PATCH /api/v1/programs/{id}
// sets the ordered survey_languages; a new program offers English only;
// an absent field changes nothing; an empty list, an unknown language or a
// repeat is a 422 naming the entry and the languages to choose from.
func TestAdminSetsTheProgramsSurveyLanguages(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	a := strconv.FormatInt(f.progA.ID, 10)
	path := "/api/v1/programs/" + a
	langs := func() []any {
		t.Helper()
		w := f.do("GET", path, "", "", f.as(f.admin))
		return decode[map[string]any](t, w.Body.Bytes())["survey_languages"].([]any)
	}
	if got := langs(); len(got) != 1 || got[0] != "en" {
		t.Errorf("a new program offers %v, want [en]", got)
	}
	if w := f.do("PATCH", path, "application/json", `{"survey_languages":["ES"," en"]}`, f.as(f.admin)); w.Code != http.StatusOK {
		t.Fatalf("set [es en]: %d %s", w.Code, w.Body)
	}
	if got := langs(); len(got) != 2 || got[0] != "es" || got[1] != "en" {
		t.Errorf("after setting [es en] the program offers %v", got)
	}
	if w := f.do("PATCH", path, "application/json", `{"min_responses":6}`, f.as(f.admin)); w.Code != http.StatusOK {
		t.Fatalf("patch without languages: %d", w.Code)
	}
	if got := langs(); len(got) != 2 || got[0] != "es" {
		t.Errorf("a patch without survey_languages changed them to %v", got)
	}
	for _, c := range []struct{ name, body, field, says string }{
		{"422-empty-list", `{"survey_languages":[]}`, "survey_languages", "at least one language"},
		{"422-unknown-language", `{"survey_languages":["en","fr"]}`, "survey_languages[1]", `"fr" is not a language surveys can be offered in; choose from en (English), es (Spanish)`},
		{"422-repeat", `{"survey_languages":["es","es"]}`, "survey_languages[1]", "Spanish is listed twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.do("PATCH", path, "application/json", c.body, f.as(f.admin))
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d, want 422", c.body, w.Code)
			}
			p := readProblem(t, w)
			says := false
			for _, e := range p.Errors {
				says = says || (e.Field == c.field && strings.Contains(e.Message, c.says))
			}
			if !slices.Contains(p.fields(), c.field) || !says {
				t.Errorf("%s: errors %s, want %s saying %q", c.body, w.Body, c.field, c.says)
			}
			if got := langs(); len(got) != 2 || got[0] != "es" {
				t.Errorf("a refused patch changed the languages to %v", got)
			}
		})
	}
}

// TestAdminSetsTheSurveyLanguagesOnTheProgramsPage: the release form shows
// the languages, saves them through the same use case, and puts a refusal
// beside the field.
func TestAdminSetsTheSurveyLanguagesOnTheProgramsPage(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	a := strconv.FormatInt(f.progA.ID, 10)
	path := "/admin/programs/" + a + "/release"
	form := func(langs string) url.Values {
		return url.Values{"release_window": {"quarter"}, "academic_year_start_month": {"7"}, "min_mentees": {"3"},
			"mentee_email_domains": {"student.example"}, "survey_languages": {langs}}
	}
	w := f.postForm(f.admin, path, form("es, en"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, text(w))
	}
	w = f.getPage(f.admin, w.Header().Get("Location"))
	wantText(t, w, "Survey pages offer Spanish, English; emails and reminders are in Spanish.")
	if !strings.Contains(w.Body.String(), `name="survey_languages"`) || !strings.Contains(w.Body.String(), `value="es,en"`) {
		t.Error("the programs page does not show the saved languages in their field")
	}
	w = f.postForm(f.admin, path, form("en, de"))
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("de: %d, want 422", w.Code)
	}
	wantText(t, w, `"de" is not a language surveys can be offered in`)
	if !strings.Contains(w.Body.String(), `id="languages-`+a+`-error"`) || !strings.Contains(w.Body.String(), `value="en, de"`) {
		t.Error("the message is not beside the field, or the form lost the value")
	}
	if p, _ := f.db.ProgramByID(t.Context(), f.progA.ID); p.SurveyLanguages != "es,en" {
		t.Errorf("a refused form changed the languages to %q", p.SurveyLanguages)
	}
}

// TestQRRequestPageSpeaksTheProgramsLanguages: the QR request page of a
// program that offers Spanish first is Spanish to a browser that names no
// language, English to one that prefers it, and English only for a
// program that offers nothing else.
func TestQRRequestPageSpeaksTheProgramsLanguages(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	code := f.requestCode()
	w := f.do("GET", "/r/"+code, "", "", func(r *http.Request) { r.Header.Set("Accept-Language", "es-AR") })
	wantText(t, w, "Feedback for res.a2", "Email me my link")

	if err := f.db.UpdateSurveyLanguages(t.Context(), f.progA.ID, []string{"es", "en"}); err != nil {
		t.Fatal(err)
	}
	w = f.do("GET", "/r/"+code, "", "")
	if !strings.Contains(w.Body.String(), `<html lang="es">`) {
		t.Error("the request page of a Spanish-first program is not marked Spanish")
	}
	wantText(t, w, "Opinión sobre res.a2", "Tu correo", "Enviarme mi enlace", "Nada de lo que escribas aquí se muestra a res.a2.")
	w = f.do("GET", "/r/"+code, "", "", func(r *http.Request) { r.Header.Set("Accept-Language", "en-GB,en;q=0.9") })
	wantText(t, w, "Feedback for res.a2", "Español")
}
