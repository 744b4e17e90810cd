package api_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// surveyForm is the mentee's form of a page (survey or preview) without
// what only one of them carries: its action, the preview's hidden fields.
func surveyForm(t *testing.T, page string) string {
	t.Helper()
	start := strings.Index(page, `<form method="post" action="`)
	for start >= 0 && !strings.Contains(page[start:start+200], `class="survey"`) {
		next := strings.Index(page[start+1:], `<form method="post" action="`)
		if next < 0 {
			start = -1
			break
		}
		start += 1 + next
	}
	if start < 0 {
		t.Fatalf("page has no survey form:\n%s", page)
	}
	form := page[start:]
	form = form[:strings.Index(form, "</form>")]
	form = regexp.MustCompile(`action="[^"]*"`).ReplaceAllString(form, `action=""`)
	form = regexp.MustCompile(`<input type="hidden" name="(csrf_token|lang)" value="[^"]*">`).ReplaceAllString(form, "")
	// Lines left blank by a template's conditionals are no difference.
	return regexp.MustCompile(`\n\s*\n`).ReplaceAllString(form, "\n")
}

// errorSummary is a page's error summary, or "".
func errorSummary(page string) string {
	start := strings.Index(page, `<div class="alert" role="alert" id="errors"`)
	if start < 0 {
		return ""
	}
	rest := page[start:]
	return rest[:strings.Index(rest, "</div>")]
}

// The preview of an instrument is the survey page a mentee gets: the same
// form, and for the same bad answers the same errors. It stores nothing.
func TestInstrumentPreviewIsTheMenteesPage(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	token := f.newLink()
	preview := "/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/instruments/resident-mentor/1/preview"

	survey := f.do("GET", "/s/"+token, "", "")
	shown := f.getPage(f.dirA, preview)
	if survey.Code != http.StatusOK || shown.Code != http.StatusOK {
		t.Fatalf("survey %d, preview %d; want 200 and 200: %s", survey.Code, shown.Code, shown.Body)
	}
	if a, b := surveyForm(t, survey.Body.String()), surveyForm(t, shown.Body.String()); a != b {
		t.Errorf("the preview's form differs from the survey's:\nsurvey:\n%s\npreview:\n%s", a, b)
	}
	wantText(t, shown, "Preview — answers are not saved")

	bad := validForm()
	bad.Del("A2")
	bad.Set("C3", "7")
	bad.Set("next_time", strings.Repeat("y", 1001))
	sent := f.do("POST", "/s/"+token, "application/x-www-form-urlencoded", bad.Encode())
	tried := f.postForm(f.dirA, preview, bad)
	if sent.Code != http.StatusUnprocessableEntity || tried.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad answers: survey %d, preview %d; want 422 and 422", sent.Code, tried.Code)
	}
	if a, b := errorSummary(sent.Body.String()), errorSummary(tried.Body.String()); a == "" || a != b {
		t.Errorf("the preview's error summary differs from the survey's:\nsurvey:\n%s\npreview:\n%s", a, b)
	}
	if a, b := surveyForm(t, sent.Body.String()), surveyForm(t, tried.Body.String()); a != b {
		t.Errorf("the preview's form with errors differs from the survey's:\nsurvey:\n%s\npreview:\n%s", a, b)
	}

	good := f.postForm(f.dirA, preview, validForm())
	if good.Code != http.StatusOK {
		t.Fatalf("valid answers in the preview: %d, want 200", good.Code)
	}
	wantText(t, good, "These answers are valid", "Nothing was stored")
	if n, err := f.db.CountAnswers(context.Background(), 0); err != nil || n != 0 {
		t.Errorf("stored answers = %d (%v), want 0: the preview stores nothing", n, err)
	}
}

// editorFields reads an editor page's form as a browser would send it:
// text and hidden inputs, checked boxes and radios, textareas, selected
// options. The buttons are left out; the caller adds "action".
func editorFields(t *testing.T, page string) url.Values {
	t.Helper()
	start := strings.Index(page, `class="editor"`)
	if start < 0 {
		t.Fatalf("page has no editor form:\n%s", page)
	}
	form := page[start:]
	form = form[:strings.Index(form, "</form>")]
	out := url.Values{}
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(form, -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		val, _ := attr(tag, "value")
		if (typ == "checkbox" || typ == "radio") && !strings.Contains(tag, " checked") {
			continue
		}
		out.Add(name, val)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		out.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			out.Set(m[1], sel[1])
		} else if first := regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(m[2]); first != nil {
			out.Set(m[1], first[1])
		}
	}
	out.Del("csrf_token")
	return out
}

// itemKeys lists the editor's items by key, in order.
func itemKeys(form url.Values) []string {
	n, _ := strconv.Atoi(form.Get("items"))
	var keys []string
	for i := range n {
		keys = append(keys, form.Get("item."+strconv.Itoa(i)+".key"))
	}
	return keys
}

// itemIndex is the position of the item with key in the editor's form.
func itemIndex(t *testing.T, form url.Values, key string) string {
	t.Helper()
	for i, k := range itemKeys(form) {
		if k == key {
			return strconv.Itoa(i)
		}
	}
	t.Fatalf("the editor has no item %s: %v", key, itemKeys(form))
	return ""
}

// A director copies the default into a draft, adds, removes, reorders,
// moves and rewords statements through the plain form, sees the
// validation's messages beside the fields, and publishes: the version is
// then read-only and the one new links use.
func TestInstrumentEditorRoundTrip(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	base := "/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/instruments"
	created := f.postForm(f.dirA, base, url.Values{"from_key": {"resident-mentor"}, "from_version": {"1"}})
	if created.Code != http.StatusSeeOther {
		t.Fatalf("new draft: %d, want 303: %s", created.Code, created.Body)
	}
	editor := created.Header().Get("Location")
	if !strings.HasPrefix(editor, base+"/") {
		t.Fatalf("new draft went to %q, want its editor under %s", editor, base)
	}
	load := func() url.Values {
		t.Helper()
		w := f.getPage(f.dirA, editor)
		if w.Code != http.StatusOK {
			t.Fatalf("editor: %d, want 200", w.Code)
		}
		return editorFields(t, w.Body.String())
	}
	post := func(form url.Values, action string, want int) *httptest.ResponseRecorder {
		t.Helper()
		form.Set("action", action)
		w := f.postForm(f.dirA, editor, form)
		if w.Code != want {
			t.Fatalf("%s: status %d, want %d:\n%s", action, w.Code, want, text(w))
		}
		return w
	}

	// The copy keeps the default's self-assessment wordings.
	form := load()
	if got := form.Get("item.0.self.en"); got != surveys.Default().Items[0].SelfText {
		t.Errorf("A1's self-assessment wording in the editor is %q, want the default's %q", got, surveys.Default().Items[0].SelfText)
	}
	// Add a competence statement, word it, and save.
	form.Set("add_attribute", "competence")
	w := post(form, "add", http.StatusOK)
	wantText(t, w, "Statement 10 of 10", "Changes not saved yet")
	form = editorFields(t, w.Body.String())
	if got := form.Get("item.9.key"); got != "C4" {
		t.Errorf("the added statement's suggested key is %q, want C4", got)
	}
	form.Set("item.9.attribute", "competence")
	form.Set("item.9.text.en", "My mentor explained the reasoning behind their advice.")
	// The default instrument is offered in Spanish too: every text in both.
	form.Set("item.9.text.es", "Mi mentor/a explicó el razonamiento de sus consejos.")
	// A self wording in Spanish alone is refused beside the English one.
	form.Set("item.9.self.es", "Expliqué el razonamiento de mis consejos.")
	w = post(form, "save", http.StatusUnprocessableEntity)
	if page := w.Body.String(); !strings.Contains(page, `id="f-items-9-self_text-en-error"`) || !strings.Contains(page, `href="#f-items-9-self_text-en"`) {
		t.Errorf("a Spanish self wording without the English one is not refused beside the English field:\n%s", text(w))
	}
	form = editorFields(t, w.Body.String())
	form.Set("item.9.self.en", "I explained the reasoning behind my advice.")
	post(form, "save", http.StatusSeeOther)
	form = load()
	if got := form.Get("item.9.text.en"); got != "My mentor explained the reasoning behind their advice." {
		t.Errorf("the added statement reads %q after saving", got)
	}
	if en, es := form.Get("item.9.self.en"), form.Get("item.9.self.es"); en != "I explained the reasoning behind my advice." || es != "Expliqué el razonamiento de mis consejos." {
		t.Errorf("the added statement's self wordings read %q and %q after saving", en, es)
	}
	if got := form.Get("item.0.self.en"); got != surveys.Default().Items[0].SelfText {
		t.Errorf("saving the draft changed A1's self-assessment wording to %q", got)
	}

	// Move A2 above A1, remove S3, move C3 to availability; save.
	w = post(form, "down:0", http.StatusOK)
	form = editorFields(t, w.Body.String())
	w = post(form, "remove:"+itemIndex(t, form, "S3"), http.StatusOK)
	form = editorFields(t, w.Body.String())
	form.Set("item."+itemIndex(t, form, "C3")+".attribute", "availability")
	saved := post(form, "save", http.StatusSeeOther)
	if w := f.getPage(f.dirA, saved.Header().Get("Location")); !strings.Contains(text(w), "C3 is now C3b") {
		t.Errorf("the saved page does not name the moved statement's new key:\n%s", text(w))
	}
	form = load()
	// A key means one attribute everywhere: the moved statement is a new
	// question with a new key, and the page says so.
	if got, want := strings.Join(itemKeys(form), " "), "A2 A1 C1 C2 C3b S1 S2 G C4"; got != want {
		t.Errorf("statements after reordering, removing and moving: %s, want %s", got, want)
	}
	if got := form.Get("item." + itemIndex(t, form, "C3b") + ".attribute"); got != "availability" {
		t.Errorf("C3b's attribute is %q, want availability", got)
	}

	// Reword A1 with the same meaning: the editor asks, and keeps the key.
	i := itemIndex(t, form, "A1")
	form.Set("item."+i+".text.en", "My mentor gave this meeting enough time; it never felt rushed.")
	w = post(form, "save", http.StatusUnprocessableEntity)
	wantText(t, w, "Did the meaning change?", "No, same meaning: keep the key A1", "nothing is saved yet")
	form = editorFields(t, w.Body.String())
	form.Set("item."+i+".meaning", "same")
	post(form, "save", http.StatusSeeOther)
	form = load()
	if got := form.Get("item." + i + ".key"); got != "A1" {
		t.Errorf("A1 reworded with the same meaning has key %q", got)
	}
	if got := form.Get("item." + i + ".text.en"); !strings.HasPrefix(got, "My mentor gave this meeting") {
		t.Errorf("A1's new wording was not saved: %q", got)
	}

	// Reword C1 with a new meaning: it becomes a new question, C1b.
	i = itemIndex(t, form, "C1")
	form.Set("item."+i+".text.en", "My mentor pointed me to people and resources beyond themselves.")
	w = post(form, "save", http.StatusUnprocessableEntity)
	wantText(t, w, "Yes: it is a new question (new key C1b)")
	form = editorFields(t, w.Body.String())
	form.Set("item."+i+".meaning", "new")
	post(form, "save", http.StatusSeeOther)
	form = load()
	if got := form.Get("item." + i + ".key"); got != "C1b" {
		t.Errorf("C1 reworded with a new meaning has key %q, want C1b", got)
	}

	// An empty statement is refused with its message beside the field and
	// in the summary, linking to it; nothing is saved.
	form.Set("item.0.text.en", "")
	w = post(form, "save", http.StatusUnprocessableEntity)
	page := w.Body.String()
	if !strings.Contains(page, `id="f-items-0-text-en-error"`) || !strings.Contains(page, `href="#f-items-0-text-en"`) {
		t.Errorf("the empty statement's error is not beside its field and in the summary:\n%s", text(w))
	}
	if got := load().Get("item.0.text.en"); got == "" {
		t.Error("a refused save emptied the statement")
	}

	// Publish: a confirmation first, then the version is current and read-only.
	confirm := f.getPage(f.dirA, editor+"/publish")
	wantText(t, confirm, "Survey links created from now on use this version", "can no longer change")
	if w := f.postForm(f.dirA, editor+"/publish", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d, want 303: %s", w.Code, text(w))
	}
	shown := f.getPage(f.dirA, editor)
	if strings.Contains(shown.Body.String(), `class="editor"`) {
		t.Error("a published version still shows the editor's form")
	}
	wantText(t, shown, "survey links created now use it", "C1b", "My mentor pointed me to people", "Self-assessment: I explained the reasoning behind my advice.")
	if w := f.postForm(f.dirA, editor, url.Values{"action": {"save"}}); w.Code != http.StatusConflict {
		t.Errorf("saving a published version: %d, want 409", w.Code)
	}
	list := f.getPage(f.dirA, base)
	row := `id="version-` + strings.ReplaceAll(strings.TrimPrefix(editor, base+"/"), "/", "-") + `"`
	if !regexp.MustCompile(`(?s)` + row + `[^>]*>.*?status-current.*?</tr>`).MatchString(list.Body.String()) {
		t.Errorf("the list does not show the published version as current:\n%s", text(list))
	}
	// A link made now asks the new version's statements.
	survey := f.do("GET", "/s/"+f.newLink(), "", "")
	wantText(t, survey, "My mentor pointed me to people and resources beyond themselves.")
}

// The instrument pages are a program's director's and the admins': a
// resident is refused, another program's director finds nothing.
func TestInstrumentPagesAccess(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	a := "/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/instruments"
	b := "/programs/" + strconv.FormatInt(f.progB.ID, 10) + "/instruments"
	created := f.postForm(f.dirA, a, url.Values{"from_key": {"resident-mentor"}, "from_version": {"1"}})
	if created.Code != http.StatusSeeOther {
		t.Fatalf("new draft: %d", created.Code)
	}
	draft := created.Header().Get("Location")
	tail := strings.TrimPrefix(draft, a)
	tests := []struct {
		name   string
		user   *models.User
		method string
		path   string
		want   int
	}{
		{"list-200-director", f.dirA, "GET", a, http.StatusOK},
		{"list-200-admin", f.admin, "GET", a, http.StatusOK},
		{"editor-200-admin", f.admin, "GET", draft, http.StatusOK},
		{"list-403-resident", f.resA1, "GET", a, http.StatusForbidden},
		{"editor-403-resident", f.resA1, "GET", draft, http.StatusForbidden},
		{"preview-403-resident", f.resA1, "GET", draft + "/preview", http.StatusForbidden},
		{"list-404-other-director", f.dirB, "GET", a, http.StatusNotFound},
		{"editor-404-other-director", f.dirB, "GET", draft, http.StatusNotFound},
		{"editor-404-through-own-program", f.dirB, "GET", b + tail, http.StatusNotFound},
		{"save-404-other-director", f.dirB, "POST", b + tail, http.StatusNotFound},
		{"publish-404-other-director", f.dirB, "POST", b + tail + "/publish", http.StatusNotFound},
		{"new-draft-403-resident", f.resA1, "POST", a, http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w *httptest.ResponseRecorder
			if tc.method == "GET" {
				w = f.getPage(tc.user, tc.path)
			} else {
				w = f.postForm(tc.user, tc.path, url.Values{"action": {"save"}, "from_key": {"resident-mentor"}, "from_version": {"1"}})
			}
			if w.Code != tc.want {
				t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, tc.user.Email, w.Code, tc.want)
			}
		})
	}
	// Nothing of program A's draft changed hands.
	if w := f.getPage(f.dirA, draft); w.Code != http.StatusOK {
		t.Errorf("the draft after the refused requests: %d", w.Code)
	}
}
