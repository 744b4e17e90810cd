package api_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// A resident on a phone, by keyboard: from the home page rates themselves
// for the window and sets a goal from a suggestion, then finds both on the
// home and in My feedback. Every page passes axe-core and fits 360 px.
func TestResidentRatesThemselvesAndSetsAGoalInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	srv, err := api.New(db, api.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	resident := browserResident(t, db)
	tab := phoneTab(t, startBrowser(t, browser), false)
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), resident.Email),
		chromedp.SendKeys(chromedp.ID("password"), acctPassword),
		chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.ID("self-title")))
	if got := browserEval[string](t, tab, `location.pathname + " " + document.querySelector("main").innerText.slice(0, 300)`); !strings.HasPrefix(got, "/home ") {
		t.Fatalf("after signing in: %s", got)
	}
	check := func(name string) {
		t.Helper()
		checkPhoneLayout(t, tab)
		axeCheck(t, tab, name)
		screenshots(t, tab, name)
	}
	check("home")
	if got := browserEval[string](t, tab, `document.querySelector(".usernav").innerText`); !strings.Contains(got, "Home") || !strings.Contains(got, "My feedback") {
		t.Errorf("the resident's menu says %q, want Home and My feedback as in the README", got)
	}

	// The self-assessment, answered with the keyboard only.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`a[href^="/home/self-assessment/"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("fieldset.item")))
	check("self_assessment")
	keys := browserEval[[]string](t, tab, `[...document.querySelectorAll("fieldset.item")].map(f => f.id.replace("self-", ""))`)
	if len(keys) != 9 {
		t.Fatalf("the self-assessment asks %d statements, want the instrument's 9", len(keys))
	}
	for _, k := range keys {
		browserRun(t, tab, chromedp.Focus(chromedp.CSS("#self-"+k+"-4")), chromedp.KeyEvent(" "))
	}
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`form button.primary`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("self-title")))
	if got := browserEval[string](t, tab, `document.getElementById("self").innerText`); !strings.Contains(got, "You rated yourself for") {
		t.Errorf("after saving, the home's self-assessment card says %q", got)
	}

	// A goal from a suggestion.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`a[href="/home/goals/new"]`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("goal-text")))
	check("goal_new")
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("goal-text"), "Mentees hear back from me within a day."),
		chromedp.Focus(chromedp.CSS("#sugg-0")), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.CSS(`form button.primary`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("progress-title")))
	check("goal")
	if got := browserEval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(got, "Mentees hear back from me within a day.") || !strings.Contains(got, "Not enough data yet") {
		t.Errorf("the goal page says %q", got)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/dashboard"), chromedp.WaitVisible(chromedp.ID("goals-title")))
	check("dashboard_goals")
	if got := browserEval[string](t, tab, `document.getElementById("goals").innerText`); !strings.Contains(got, "Mentees hear back from me within a day.") {
		t.Errorf("My feedback's goals say %q", got)
	}
}
