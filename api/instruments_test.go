package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestInstrumentDraftErrorsNameTheFieldToFix: a director sending a broken
// document learns every problem against its field, and nothing changes.
func TestInstrumentDraftErrorsNameTheFieldToFix(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := f.instrumentDraftPath()
	var doc map[string]any
	if err := json.Unmarshal([]byte(f.draftDocument()), &doc); err != nil {
		t.Fatal(err)
	}
	items := doc["items"].([]any)
	items[1].(map[string]any)["key"] = "A1"
	items[4].(map[string]any)["attribute"] = ""
	items[3].(map[string]any)["text"] = map[string]any{"en": "", "es": "Hola", "fr": "Bonjour"}
	broken, _ := json.Marshal(doc)
	cases := []struct {
		name, body string
		status     int
		fields     []string
	}{
		{"422-every-rule-at-once", string(broken), 422, []string{"items[1].key", "items[3].text.en", "items[3].text.fr", "items[4].attribute"}},
		{"422-unknown-item-field", strings.Replace(f.draftDocument(), `"allow_not_applicable"`, `"allow_not_aplicable"`, 1), 422, []string{"items[0].allow_not_aplicable"}},
		{"422-unknown-top-field", strings.Replace(f.draftDocument(), `"title"`, `"titel"`, 1), 422, []string{"titel"}},
		{"400-malformed", `{"key":`, 400, nil},
		{"422-other-version", strings.Replace(f.draftDocument(), `"version":1`, `"version":3`, 1), 422, []string{"version"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := f.do(http.MethodPut, path, "application/json", c.body, f.as(f.dirA))
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			p := readProblem(t, w)
			got := strings.Join(p.fields(), " ")
			for _, want := range c.fields {
				if !strings.Contains(" "+got+" ", " "+want+" ") {
					t.Errorf("errors %s lack %s", got, want)
				}
			}
		})
	}
	w := f.do(http.MethodGet, path, "", "", f.as(f.dirA))
	var v instrumentBody
	json.Unmarshal(w.Body.Bytes(), &v)
	if v.Document.Items[1].Key != "A2" || v.Document.Items[4].Attribute != surveys.Competence {
		t.Errorf("a refused document changed the draft: %+v", v.Document.Items[:5])
	}
	// A resident sending garbage is refused for who they are, not for the body.
	if w := f.do(http.MethodPut, path, "application/json", `{"key":`, f.as(f.resA1)); w.Code != http.StatusForbidden {
		t.Errorf("resident's malformed body: %d, want 403", w.Code)
	}
}

// TestExportedInstrumentImportsIntoAnotherProgram: program A's file, as
// downloaded, becomes program B's draft under B's own key.
func TestExportedInstrumentImportsIntoAnotherProgram(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := f.instrumentDraftPath()
	w := f.do(http.MethodGet, path+"?download=1", "", "", f.as(f.dirA))
	key := "program-" + strconv.FormatInt(f.progA.ID, 10)
	if w.Code != 200 || w.Header().Get("Content-Disposition") != `attachment; filename="`+key+`-v1.json"` {
		t.Fatalf("download: %d %q", w.Code, w.Header().Get("Content-Disposition"))
	}
	file := w.Body.String()
	if !strings.HasPrefix(file, `{"key":"`+key+`"`) {
		t.Fatalf("the file is not the document: %.80s", file)
	}
	w = f.do(http.MethodPost, "/api/v1/programs/"+strconv.FormatInt(f.progB.ID, 10)+"/instruments", "application/json",
		`{"document":`+file+`}`, f.as(f.dirB))
	if w.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	var v instrumentBody
	json.Unmarshal(w.Body.Bytes(), &v)
	if v.Key != "program-"+strconv.FormatInt(f.progB.ID, 10) || v.Version != 1 || v.Status != "draft" || len(v.Document.Items) != 9 {
		t.Errorf("imported as %s@%d %s with %d items", v.Key, v.Version, v.Status, len(v.Document.Items))
	}
	// A broken file names its fields under document.
	bad := strings.Replace(file, `"attribute":"availability"`, `"attribute":"speed"`, 1)
	f.exec(`DELETE FROM instrument_versions WHERE status = 'draft'`)
	w = f.do(http.MethodPost, "/api/v1/programs/"+strconv.FormatInt(f.progB.ID, 10)+"/instruments", "application/json",
		`{"document":`+bad+`}`, f.as(f.dirB))
	if w.Code != 422 || !strings.Contains(strings.Join(readProblem(t, w).fields(), " "), "document.items[0].attribute") {
		t.Errorf("broken import: %d %s", w.Code, w.Body)
	}
	// Neither from nor document.
	w = f.do(http.MethodPost, "/api/v1/programs/"+strconv.FormatInt(f.progB.ID, 10)+"/instruments", "application/json", `{}`, f.as(f.dirB))
	if w.Code != 422 {
		t.Errorf("empty body: %d", w.Code)
	}
}
