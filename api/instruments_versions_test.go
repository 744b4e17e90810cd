package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// instrumentBody is a version as the API answers it.
type instrumentBody struct {
	Key      string           `json:"key"`
	Version  int              `json:"version"`
	Status   string           `json:"status"`
	Current  bool             `json:"current"`
	Document surveys.Document `json:"document"`
}

func decodeInstrument(t *testing.T, body []byte) instrumentBody {
	t.Helper()
	var v instrumentBody
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// surveyItems is what a mentee's link asks: "key=text" per item.
func (e *attackEnv) surveyItems(token string) []string {
	e.t.Helper()
	w := e.call(nil, http.MethodGet, "/api/v1/surveys/"+token, "", "")
	if w.Code != http.StatusOK {
		e.t.Fatalf("survey: %d %s", w.Code, w.Body)
	}
	var v struct {
		Instrument struct {
			Key     string         `json:"key"`
			Version int            `json:"version"`
			Items   []surveys.Item `json:"items"`
		} `json:"instrument"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		e.t.Fatal(err)
	}
	out := []string{fmt.Sprintf("%s@%d", v.Instrument.Key, v.Instrument.Version)}
	for _, it := range v.Instrument.Items {
		out = append(out, it.Key+"="+it.Text)
	}
	return out
}

// submit answers a link with the given ratings and returns the status.
func (e *attackEnv) submit(token string, answers map[string]int) int {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"answers": answers})
	return e.call(nil, http.MethodPost, "/api/v1/surveys/"+token, "application/json", string(b)).Code
}

// figures are the parts of a report that rest on released answers only:
// per attribute and per item, the mean, the answers and the distribution.
func figures(attrs []surveys.AttributeSummary, items []surveys.ItemSummary) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		m := "withheld"
		if a.Mean != nil {
			m = fmt.Sprintf("%.4f", *a.Mean)
		}
		out[string(a.Key)] = fmt.Sprintf("mean %s n %d dist %v", m, a.N, a.Distribution)
	}
	for _, it := range items {
		m := "withheld"
		if it.Mean != nil {
			m = fmt.Sprintf("%.4f", *it.Mean)
		}
		out["item "+it.Key] = fmt.Sprintf("mean %s n %d na %d dist %v", m, it.N, it.NotApplicable, it.Distribution)
	}
	return out
}

func (e *attackEnv) residentFigures(from, to string) map[string]string {
	e.t.Helper()
	w := e.call(e.director, http.MethodGet, fmt.Sprintf("/api/v1/residents/%d/report?from=%s&to=%s", e.resident.ID, from, to), "", "")
	if w.Code != http.StatusOK {
		e.t.Fatalf("resident report: %d %s", w.Code, w.Body)
	}
	var r surveys.ResidentReport
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		e.t.Fatal(err)
	}
	attrs := make([]surveys.AttributeSummary, len(r.Attributes))
	for i, a := range r.Attributes {
		attrs[i] = a.AttributeSummary
	}
	return figures(attrs, r.Items)
}

func (e *attackEnv) programFigures(from, to string) map[string]string {
	e.t.Helper()
	w := e.call(e.director, http.MethodGet, fmt.Sprintf("/api/v1/programs/%d/report?from=%s&to=%s", e.program.ID, from, to), "", "")
	if w.Code != http.StatusOK {
		e.t.Fatalf("program report: %d %s", w.Code, w.Body)
	}
	var r surveys.ProgramReport
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		e.t.Fatal(err)
	}
	attrs := make([]surveys.AttributeSummary, len(r.Attributes))
	for i, a := range r.Attributes {
		attrs[i] = a.AttributeSummary
	}
	return figures(attrs, r.Items)
}

// TestPublishedVersionTwoLeavesEarlierLinksAndFiguresAlone is issue 12's
// contract: a program publishes version 2 with a new item (OR1, under
// competence), a reworded item keeping its key (C2) and a removed one
// (S3). Links made before answer version 1, links made after answer
// version 2; the figures of the answers released before are the same
// afterwards, and OR1 appears only where its answers are.
func TestPublishedVersionTwoLeavesEarlierLinksAndFiguresAlone(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	prog := fmt.Sprint(e.program.ID)
	d := e.director

	// Version 1: the program's copy of the default, published.
	w := e.call(d, http.MethodPost, "/api/v1/programs/"+prog+"/instruments", "application/json", `{"from":{"key":"resident-mentor","version":1}}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create draft: %d %s", w.Code, w.Body)
	}
	v1 := decodeInstrument(t, w.Body.Bytes())
	if w := e.call(d, http.MethodPost, fmt.Sprintf("/api/v1/instruments/%s/versions/1/publish", v1.Key), "", ""); w.Code != http.StatusOK {
		t.Fatalf("publish v1: %d %s", w.Code, w.Body)
	}

	// Three mentees answer version 1 in January–March; a fourth link is
	// made on 30 March and answered only after version 2 is out.
	v1Answers := map[string]int{"A1": 4, "A2": 5, "C1": 3, "C2": 4, "C3": 5, "S1": 4, "S2": 3, "S3": 5, "G": 4}
	for i := range 3 {
		m := fmt.Sprintf("early%d@student.example", i)
		if w := e.recordMeeting(d, e.resident, m, "2026-03-16"); w.Code != http.StatusCreated {
			t.Fatalf("meeting: %d %s", w.Code, w.Body)
		}
		if got := e.submit(e.tokensFor(m, 1)[0], v1Answers); got != http.StatusCreated {
			t.Fatalf("answer v1: %d", got)
		}
	}
	e.clock.Advance(14 * 24 * time.Hour) // 30 March
	if w := e.recordMeeting(d, e.resident, "late@student.example", "2026-03-30"); w.Code != http.StatusCreated {
		t.Fatalf("meeting: %d %s", w.Code, w.Body)
	}
	lateToken := e.tokensFor("late@student.example", 1)[0]
	e.clock.Advance(3 * 24 * time.Hour) // 2 April: January–March closed
	e.release()
	residentBefore := e.residentFigures("2026-01", "2026-03")
	programBefore := e.programFigures("2026-01", "2026-03")
	if _, ok := residentBefore["item OR1"]; ok {
		t.Fatalf("OR1 shown before it exists: %v", residentBefore)
	}

	// Version 2: OR1 added under competence, C2 reworded, S3 removed.
	w = e.call(d, http.MethodPost, "/api/v1/programs/"+prog+"/instruments", "application/json",
		fmt.Sprintf(`{"from":{"key":%q,"version":1}}`, v1.Key))
	if w.Code != http.StatusCreated {
		t.Fatalf("create v2 draft: %d %s", w.Code, w.Body)
	}
	v2 := decodeInstrument(t, w.Body.Bytes())
	if v2.Version != 2 || v2.Status != "draft" {
		t.Fatalf("draft is %s@%d %s", v2.Key, v2.Version, v2.Status)
	}
	doc := v2.Document
	var items []surveys.DocumentItem
	for _, it := range doc.Items {
		switch it.Key {
		case "S3":
			continue
		case "C2":
			it.Text = map[string]string{"en": "My mentor helped me plan concrete next steps.", "es": "Mi mentor/a me ayudó a planear próximos pasos concretos."}
		}
		items = append(items, it)
		if it.Key == "C3" {
			items = append(items, surveys.DocumentItem{Key: "OR1", Attribute: surveys.Competence, AllowNotApplicable: true,
				Text: map[string]string{"en": "My mentor pointed me to the right people and resources.", "es": "Mi mentor/a me orientó hacia las personas y los recursos adecuados."}})
		}
	}
	doc.Items = items
	body, _ := json.Marshal(doc)
	path := fmt.Sprintf("/api/v1/instruments/%s/versions/2", v2.Key)
	if w := e.call(d, http.MethodPut, path, "application/json", string(body)); w.Code != http.StatusOK {
		t.Fatalf("update draft: %d %s", w.Code, w.Body)
	}
	if w := e.call(d, http.MethodPost, path+"/publish", "", ""); w.Code != http.StatusOK {
		t.Fatalf("publish v2: %d %s", w.Code, w.Body)
	}
	if w := e.call(d, http.MethodPut, path, "application/json", string(body)); w.Code != http.StatusConflict {
		t.Errorf("changing published v2: %d, want 409", w.Code)
	}

	// The link made before answers version 1, S3 and the old C2 included.
	got := e.surveyItems(lateToken)
	if got[0] != v1.Key+"@1" || !contains(got, "S3=My mentor respected my own definition of success rather than imposing theirs.") ||
		!contains(got, "C2=My mentor helped me turn my goals into concrete next steps.") || hasItem(got, "OR1") {
		t.Errorf("the early link asks %v, want version 1", got)
	}
	withOR1 := map[string]int{"A1": 4, "A2": 5, "C1": 3, "C2": 4, "C3": 5, "OR1": 2, "S1": 4, "S2": 3, "S3": 5, "G": 4}
	if code := e.submit(lateToken, withOR1); code != http.StatusUnprocessableEntity {
		t.Errorf("version-2 answers to a version-1 link: %d, want 422", code)
	}
	if code := e.submit(lateToken, v1Answers); code != http.StatusCreated {
		t.Fatalf("version-1 answers to the early link: %d", code)
	}

	// Links made after ask version 2.
	v2Answers := map[string]int{"A1": 4, "A2": 5, "C1": 3, "C2": 4, "C3": 5, "OR1": 2, "S1": 4, "S2": 3, "G": 4}
	for i := range 3 {
		m := fmt.Sprintf("after%d@student.example", i)
		if w := e.recordMeeting(d, e.resident, m, "2026-04-02"); w.Code != http.StatusCreated {
			t.Fatalf("meeting: %d %s", w.Code, w.Body)
		}
		tok := e.tokensFor(m, 1)[0]
		got := e.surveyItems(tok)
		if got[0] != v2.Key+"@2" || hasItem(got, "S3") || !contains(got, "C2=My mentor helped me plan concrete next steps.") || !hasItem(got, "OR1") {
			t.Fatalf("a link made after asks %v, want version 2", got)
		}
		if code := e.submit(tok, v2Answers); code != http.StatusCreated {
			t.Fatalf("answer v2: %d", code)
		}
	}
	e.clock.Advance(91 * 24 * time.Hour) // 2 July: April–June closed
	e.release()

	// What was released before reads the same.
	for name, pair := range map[string][2]map[string]string{
		"resident": {residentBefore, e.residentFigures("2026-01", "2026-03")},
		"program":  {programBefore, e.programFigures("2026-01", "2026-03")},
	} {
		before, after := pair[0], pair[1]
		if len(before) != len(after) {
			t.Errorf("%s report January–March: %d figures before, %d after", name, len(before), len(after))
		}
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s report January–March %s: %s before version 2, %s after", name, k, v, after[k])
			}
		}
	}
	// April–June: one version-1 answer and three version-2 answers, a group
	// straddling the publish. It is released on the items all four were
	// asked (docs/privacy.md): OR1's three answers and S3's one would
	// otherwise let the single version-1 mentee's S3 be worked out. C2
	// keeps its key across the rewording, so all four count; the unchanged
	// figures read as they did, since every answer gave them the same.
	for name, fig := range map[string]map[string]string{
		"resident": e.residentFigures("2026-04", "2026-06"),
		"program":  e.programFigures("2026-04", "2026-06"),
	} {
		if v, ok := fig["item OR1"]; ok {
			t.Errorf("%s report April–June OR1: %q, want nothing from a group only partly asked it", name, v)
		}
		if v, ok := fig["item S3"]; ok {
			t.Errorf("%s report April–June S3: %q, want nothing from a group only partly asked it", name, v)
		}
		if !strings.Contains(fig["item C2"], " n 4 ") {
			t.Errorf("%s report April–June C2: %q, want all four answers under one key", name, fig["item C2"])
		}
		before := residentBefore
		if name == "program" {
			before = programBefore
		}
		for _, k := range []string{"availability", "overall", "item A1", "item A2", "item G", "item C1"} {
			b, a := meanOf(before[k]), meanOf(fig[k])
			if b == "" || a != b {
				t.Errorf("%s report %s: mean %q in January–March, %q in April–June; want the same", name, k, b, a)
			}
		}
	}
	// July–September, all on version 2: OR1 appears, with its data only.
	for i := range 3 {
		m := fmt.Sprintf("summer%d@student.example", i)
		if w := e.recordMeeting(d, e.resident, m, "2026-07-02"); w.Code != http.StatusCreated {
			t.Fatalf("meeting: %d %s", w.Code, w.Body)
		}
		if code := e.submit(e.tokensFor(m, 1)[0], v2Answers); code != http.StatusCreated {
			t.Fatalf("answer v2: %d", code)
		}
	}
	e.clock.Advance(92 * 24 * time.Hour) // 2 October: July–September closed
	e.release()
	for name, fig := range map[string]map[string]string{
		"resident": e.residentFigures("2026-07", "2026-09"),
		"program":  e.programFigures("2026-07", "2026-09"),
	} {
		if !strings.Contains(fig["item OR1"], " n 3 ") {
			t.Errorf("%s report July–September OR1: %q, want its three answers", name, fig["item OR1"])
		}
		if _, ok := fig["item S3"]; ok {
			t.Errorf("%s report July–September lists S3, which version 2 does not ask", name)
		}
	}
	if _, ok := e.residentFigures("2026-01", "2026-03")["item OR1"]; ok {
		t.Error("OR1 appears in January–March, where nobody was asked it")
	}
	// The export has OR1's columns when its answers are in the period.
	w = e.call(d, http.MethodGet, fmt.Sprintf("/api/v1/programs/%s/report?format=csv&from=2026-07&to=2026-09", prog), "", "")
	if header, _, _ := strings.Cut(w.Body.String(), "\n"); w.Code != http.StatusOK || !strings.Contains(header, "item_OR1_mean") {
		t.Errorf("program export %d lacks OR1: %.300s", w.Code, header)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func hasItem(list []string, key string) bool {
	for _, l := range list {
		if strings.HasPrefix(l, key+"=") {
			return true
		}
	}
	return false
}

// meanOf is the "mean …" part of a figure.
func meanOf(fig string) string {
	f := strings.Fields(fig)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}
