package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// spanishFixture is a fixture whose program offers English and Spanish.
func spanishFixture(t *testing.T, langs ...string) *fixture {
	t.Helper()
	f := newFixture(t)
	if err := f.db.UpdateSurveyLanguages(context.Background(), f.program.ID, langs); err != nil {
		t.Fatal(err)
	}
	return f
}

// send makes a request with an Accept-Language header through the real
// Echo instance.
func (f *fixture) send(method, path, accept string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	var body string
	if form != nil {
		body = form.Encode()
	}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	rec := httptest.NewRecorder()
	serveChecked(f.t, f.srv.Handler(), rec, req)
	return rec
}

func pageSays(t *testing.T, what string, rec *httptest.ResponseRecorder, says ...string) {
	t.Helper()
	page := html.UnescapeString(rec.Body.String())
	for _, s := range says {
		if !strings.Contains(page, s) {
			t.Errorf("%s: the page does not say %q", what, s)
		}
	}
}

// TestSurveyLinkOpenedInSpanish: a link opened with Accept-Language: es
// shows the page and the instrument in Spanish, dates in Spanish, with a
// switcher to English; its errors, its thank-you page and a closed link's
// page stay in Spanish.
func TestSurveyLinkOpenedInSpanish(t *testing.T) {
	f := spanishFixture(t, "en", "es")
	token := f.newLink(linkPending)
	es := surveys.Default().In("es")

	rec := f.send("GET", "/s/"+token, "es-MX,es;q=0.9,en;q=0.5", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET: %d", rec.Code)
	}
	pageSays(t, "Spanish page", rec,
		`<html lang="es">`, "¿Cómo fue tu reunión con Dr. Ada Lovelace?", "Saltar al contenido",
		es.Items[0].Text, es.Comments[0].Prompt, "Totalmente de acuerdo", "No aplica / no se trató",
		"1 de 9 · Disponibilidad", "viernes 20 de noviembre de 2026",
		"cuando termine el trimestre (octubre–diciembre de 2026)", "Enviar opinión", "Hasta 1.000 caracteres.",
		`<nav class="langswitch" aria-label="Idioma">`,
		`<a href="/s/`+token+`?lang=en" lang="en" hreflang="en">English</a>`,
		`<a href="/s/`+token+`?lang=es" lang="es" hreflang="es" aria-current="true">Español</a>`)
	if strings.Contains(rec.Body.String(), surveys.Default().Items[0].Text) {
		t.Error("the Spanish page shows the English statement")
	}

	// The switcher's choice beats the browser's, and the form keeps it.
	rec = f.send("GET", "/s/"+token+"?lang=en", "es", nil)
	pageSays(t, "English by choice", rec, `<html lang="en">`, "How was your meeting with Dr. Ada Lovelace?",
		`action="/s/`+token+`?lang=en"`, `<a href="/s/`+token+`?lang=es" lang="es" hreflang="es">Español</a>`)

	// Mistakes are worded in Spanish, beside the items.
	rec = f.send("POST", "/s/"+token+"?lang=es", "", url.Values{})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: %d", rec.Code)
	}
	pageSays(t, "Spanish errors", rec, `<html lang="es">`, "Faltan por responder 9 afirmaciones",
		"Elige una respuesta, o «No aplica» si no se trató.", `action="/s/`+token+`?lang=es"`)
	rec = f.send("POST", "/s/"+token+"?lang=es", "", withValue(validForm(), "keep_doing", strings.Repeat("y", 1001)))
	pageSays(t, "Spanish comment error", rec, "Este comentario supera el límite de 1.000 caracteres.")

	rec = f.send("POST", "/s/"+token+"?lang=es", "", validForm())
	if rec.Code != http.StatusOK {
		t.Fatalf("valid form: %d", rec.Code)
	}
	pageSays(t, "Spanish thank-you", rec, `<html lang="es">`, "Gracias",
		"Recibimos tu opinión. Dr. Ada Lovelace la verá solo junto con las respuestas de otros mentorados.")

	rec = f.send("GET", "/s/"+token, "es", nil)
	if rec.Code != http.StatusGone {
		t.Fatalf("used link: %d", rec.Code)
	}
	pageSays(t, "Spanish closed link", rec, `<html lang="es">`, "<h1>Recibimos tus respuestas</h1>")
	rec = f.send("GET", "/s/"+f.newLink(linkUnknown), "es-ES", nil)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unknown link: %d", rec.Code)
	}
	pageSays(t, "Spanish unknown link", rec, `<html lang="es">`, "No se encontró el enlace de la encuesta")

	decl := f.newLink(linkPending)
	rec = f.send("POST", "/s/"+decl+"/decline?lang=es", "", url.Values{"reason": {"meeting_did_not_happen"}})
	pageSays(t, "Spanish decline", rec, `<html lang="es">`, "Encuesta cerrada", "no se guardó ninguna respuesta")
}

// TestSurveyLanguagesAreThePrograms: a program that offers English only
// shows English to a Spanish browser, without a switcher, and ignores a
// ?lang= it does not offer; one whose first language is Spanish shows
// Spanish to a browser that names neither.
func TestSurveyLanguagesAreThePrograms(t *testing.T) {
	f := spanishFixture(t, "en")
	token := f.newLink(linkPending)
	rec := f.send("GET", "/s/"+token+"?lang=es", "es", nil)
	pageSays(t, "English-only program", rec, `<html lang="en">`, "How was your meeting")
	if strings.Contains(rec.Body.String(), "langswitch") {
		t.Error("a program with one language shows a switcher")
	}

	g := spanishFixture(t, "es", "en")
	rec = g.send("GET", "/s/"+g.newLink(linkPending), "fr-FR", nil)
	pageSays(t, "Spanish-first program", rec, `<html lang="es">`, "¿Cómo fue tu reunión")
}

// TestTheAnswerLanguageIsStoredNowhere: the same answers given in Spanish
// and in English leave rows that differ in nothing but their ids, no table
// a response or its link lives in has a language column, and the request
// log does not name the language.
func TestTheAnswerLanguageIsStoredNowhere(t *testing.T) {
	f := spanishFixture(t, "en", "es")
	for _, lang := range []string{"es", "en"} {
		if rec := f.send("POST", "/s/"+f.newLink(linkPending)+"?lang="+lang, lang, validForm()); rec.Code != http.StatusOK {
			t.Fatalf("answer in %s: %d", lang, rec.Code)
		}
	}
	var rows []string
	f.scanRows(func(r *sql.Rows) error {
		var s string
		err := r.Scan(&s)
		rows = append(rows, s)
		return err
	}, `SELECT resident_id || '|' || program_id || '|' || window_id || '|' || instrument_key || '|' || instrument_version || '|' ||
		answers || '|' || COALESCE(keep_doing, '') || '|' || COALESCE(next_time, '') || '|' || COALESCE(mentee_hash, '') FROM held_responses`)
	if len(rows) != 2 || rows[0] != rows[1] {
		t.Errorf("held answers in two languages differ: %q", rows)
	}
	for _, table := range []string{"held_responses", "responses", "invitations", "meetings", "window_links", "window_mentees"} {
		for _, c := range f.columns(table) {
			if strings.Contains(c.Name, "lang") {
				t.Errorf("%s has a column %s", table, c.Name)
			}
		}
	}
	if logs := f.logs.String(); strings.Contains(logs, "lang=") || strings.Contains(logs, "Accept-Language") {
		t.Errorf("the request log names the language:\n%s", logs)
	}
}

// TestSurveyAPISpeaksTheLinksLanguages: GET /api/v1/surveys/{token}
// answers the instrument in the language asked (?lang=, else
// Accept-Language) among those the program offers, and says which.
func TestSurveyAPISpeaksTheLinksLanguages(t *testing.T) {
	f := spanishFixture(t, "en", "es")
	token := f.newLink(linkPending)
	get := func(path, accept string) (lang string, langs []string, firstItem string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		rec := httptest.NewRecorder()
		serveChecked(t, f.srv.Handler(), rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		var v struct {
			Language   string   `json:"language"`
			Languages  []string `json:"languages"`
			Instrument struct {
				Items []struct {
					Text string `json:"text"`
				} `json:"items"`
			} `json:"instrument"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		return v.Language, v.Languages, v.Instrument.Items[0].Text
	}
	es := surveys.Default().In("es").Items[0].Text
	if lang, langs, text := get("/api/v1/surveys/"+token, "es-MX,es;q=0.9"); lang != "es" || text != es || len(langs) != 2 {
		t.Errorf("Accept-Language es: %s %v %q, want Spanish", lang, langs, text)
	}
	if lang, _, text := get("/api/v1/surveys/"+token+"?lang=en", "es"); lang != "en" || text != surveys.Default().Items[0].Text {
		t.Errorf("?lang=en: %s %q, want English", lang, text)
	}
	g := spanishFixture(t, "en")
	other := g.newLink(linkPending)
	f = g
	if lang, langs, _ := get("/api/v1/surveys/"+other+"?lang=es", "es"); lang != "en" || len(langs) != 1 {
		t.Errorf("an English-only program: %s %v, want English only", lang, langs)
	}
}
