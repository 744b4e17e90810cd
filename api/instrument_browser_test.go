package api_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/api"
)

// instrumentAxe runs axe-core (MENTORPULSE_AXE_JS, the path of axe.min.js)
// on the page and fails on any violation. Without the variable it checks
// nothing, so the suite runs without npm.
func instrumentAxe(t *testing.T, tab context.Context, page string) {
	t.Helper()
	path := os.Getenv("MENTORPULSE_AXE_JS")
	if path == "" {
		return
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	browserEval[bool](t, tab, string(src)+"\n;true")
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => v.id + ": " + v.help + " — " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	for _, v := range got {
		t.Errorf("axe, %s: %s", page, v)
	}
}

// A director in a browser: copies the default, works the editor by
// keyboard alone, previews the draft in both languages and meets no
// accessibility violation on the way. With MENTORPULSE_SHOTS set, the
// editor and the preview are saved at 360 and 1280 px.
func TestInstrumentEditorInBrowser(t *testing.T) {
	browser := browserPath(t)
	f := newAcctFixture(t, api.Config{})
	ts := httptest.NewServer(f.srv.Handler())
	t.Cleanup(ts.Close)
	tab := phoneTab(t, startBrowser(t, browser), false)
	base := ts.URL + "/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/instruments"

	cookie, _ := f.session(f.dirA)
	if _, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{Name: api.SessionCookie, Value: cookie, URL: ts.URL}); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	browserRun(t, tab, chromedp.Navigate(base), chromedp.WaitVisible(chromedp.ID("versions-title")))
	instrumentAxe(t, tab, "instrument list")
	screenshots(t, tab, "instruments")
	browserRun(t, tab, chromedp.Click(chromedp.CSS(`table.versions form.inline button`)), chromedp.WaitVisible(chromedp.CSS("form.editor")))
	instrumentAxe(t, tab, "editor")
	screenshots(t, tab, "editor")

	// By keyboard: the first stop in the form is "Save draft"; Tab reaches
	// the first statement's fields and its "Move down", which Enter presses.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`form.editor button[value="save"]`)))
	want := []string{"a", "input#f-lang-es", "button submit", "input#f-title-en"}
	for i, w := range want {
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserFocus(t, tab); got != w {
			t.Fatalf("Tab %d from Save draft focuses %q, want %q", i+1, got, w)
		}
	}
	seen := map[string]bool{}
	for range 40 {
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		got := browserFocus(t, tab)
		seen[got] = true
		if browserEval[string](t, tab, `document.activeElement.value || ""`) == "down:0" {
			break
		}
	}
	for _, w := range []string{"input#f-items-0-key", "select#f-items-0-attribute", "textarea#f-items-0-text-en", "input#f-items-0-allow_not_applicable"} {
		if !seen[w] {
			t.Errorf("tabbing through the first statement never focused %s (saw %v)", w, seen)
		}
	}
	if got := browserEval[string](t, tab, `document.activeElement.value || ""`); got != "down:0" {
		t.Fatalf("Tab never reached the first statement's Move down (at %q)", browserFocus(t, tab))
	}
	browserRun(t, tab, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if got := browserEval[string](t, tab, `document.getElementById("f-items-0-key").value`); got != "A2" {
		t.Errorf("after Move down by keyboard the first statement is %q, want A2", got)
	}

	// The default instrument is offered in Spanish too, so its copy is:
	// fill any empty Spanish text, reword A1 and save: the page asks about
	// the meaning.
	browserRun(t, tab, chromedp.WaitVisible(chromedp.ID("f-title-es")))
	browserEval[bool](t, tab, `(() => { document.querySelectorAll('form.editor [lang="es"]').forEach(e => { const en = document.getElementById(e.id.replace("-es", "-en")); if (!e.value && en && en.value) e.value = "Texto en español " + e.id; }); return true; })()`)
	browserEval[bool](t, tab, `(() => { document.getElementById("f-items-1-text-en").value = "My mentor gave this meeting enough time."; return true; })()`)
	browserRun(t, tab, chromedp.Click(chromedp.CSS(`form.editor button[value="save"]`)), chromedp.WaitVisible(chromedp.ID("errors")))
	if got := browserEval[string](t, tab, `document.getElementById("errors").innerText`); !strings.Contains(got, "reworded") {
		t.Errorf("the summary after rewording says %q", got)
	}
	instrumentAxe(t, tab, "editor asking about a reworded statement")
	screenshots(t, tab, "editor_meaning")
	browserRun(t, tab, chromedp.Click(chromedp.ID("f-items-1-same")), chromedp.Click(chromedp.CSS(`form.editor button[value="save"]`)), chromedp.WaitVisible(chromedp.CSS("p.done")))

	// The preview in each language, and with a mistake.
	for _, lang := range []string{"en", "es"} {
		browserRun(t, tab, chromedp.Click(chromedp.CSS(`.meta a[lang="`+lang+`"]`)), chromedp.WaitVisible(chromedp.CSS("form.survey")))
		if got := browserEval[string](t, tab, `document.querySelector(".preview-banner").innerText`); !strings.Contains(got, "Preview — answers are not saved") {
			t.Errorf("preview in %s: banner says %q", lang, got)
		}
		instrumentAxe(t, tab, "preview "+lang)
		screenshots(t, tab, "preview_"+lang)
		browserRun(t, tab, chromedp.Click(chromedp.CSS("form.survey button.primary")), chromedp.WaitVisible(chromedp.ID("errors")))
		instrumentAxe(t, tab, "preview "+lang+" with errors")
		if lang == "en" {
			screenshots(t, tab, "preview_errors")
		}
		browserRun(t, tab, chromedp.Click(chromedp.CSS(".preview-banner > p > a")), chromedp.WaitVisible(chromedp.CSS("form.editor")))
	}
}
