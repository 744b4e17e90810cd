package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The mentee's page in a real browser at a phone's size: filled by keyboard
// alone with JavaScript on, and with JavaScript off after a mistake.
func TestSurveyPageInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	srv, err := api.New(db, api.Config{BaseURL: "http://mentorpulse.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	resident := browserFixture(t, db)
	ctx := startBrowser(t, browser)

	t.Run("keyboard-only-submission-shows-thanks-and-stores-one-response", func(t *testing.T) {
		token := newBrowserLink(t, db, resident)
		tab := phoneTab(t, ctx, false)
		browserRun(t, tab, chromedp.Navigate(ts.URL+"/s/"+token), chromedp.WaitVisible(chromedp.CSS("form.survey")))

		if got := browserEval[string](t, tab, `document.querySelector("h1").innerText + " | " + document.querySelector(".meta").innerText`); !strings.Contains(got, "Dr. Ada Brown") || !strings.Contains(got, "20 November 2026") {
			t.Errorf("top of page = %q, want the resident's name and the meeting date", got)
		}
		if w := browserEval[int](t, tab, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("page is %d px wide at a 360 px viewport: it scrolls sideways", w)
		}
		if small := browserEval[[]string](t, tab, smallTapTargets); len(small) > 0 {
			t.Errorf("tap targets smaller than 44x44 px: %v", small)
		}

		// Tab from the top of the page: the skip link, then each statement's
		// radio group in order; within a group the arrow keys choose.
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserFocus(t, tab); got != "a skip" {
			t.Fatalf("first Tab focuses %q, want the skip link", got)
		}
		chosen := []struct{ key, value string }{
			{"A1", "4"}, {"A2", "na"}, {"C1", "5"}, {"C2", "1"}, {"C3", "3"},
			{"S1", "5"}, {"S2", "2"}, {"S3", "4"}, {"G", "5"},
		}
		for i, c := range chosen {
			browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
			if got, want := browserFocus(t, tab), "radio "+c.key+"=1"; got != want {
				t.Fatalf("Tab to statement %s focuses %q, want %q", c.key, got, want)
			}
			if i == 0 {
				if style := browserEval[string](t, tab, `getComputedStyle(document.activeElement.closest("label")).outlineStyle`); style == "none" {
					t.Errorf("the focused choice has no visible focus ring")
				}
			}
			if c.value == "1" {
				browserRun(t, tab, chromedp.KeyEvent(" "))
			}
			steps := map[string]int{"2": 1, "3": 2, "4": 3, "5": 4, "na": 5}[c.value]
			browserRun(t, tab, chromedp.KeyEvent(strings.Repeat(kb.ArrowRight, steps)))
			if got, want := browserFocus(t, tab), "radio "+c.key+"="+c.value+" checked"; got != want {
				t.Fatalf("after choosing %s for %s, focus is on %q, want %q", c.value, c.key, got, want)
			}
		}
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserFocus(t, tab); got != "textarea#keep_doing" {
			t.Fatalf("Tab after the last statement focuses %q, want the first comment box", got)
		}
		browserRun(t, tab, chromedp.KeyEvent("Clear next steps, every time."))
		// survey.js counts characters as they are typed: it loaded under the CSP.
		if got := browserEval[string](t, tab, `document.getElementById("keep_doing-count").innerText`); got != "971 characters left" {
			t.Errorf("character count = %q, want %q", got, "971 characters left")
		}
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserFocus(t, tab); got != "textarea#next_time" {
			t.Fatalf("second comment: focus on %q", got)
		}
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserFocus(t, tab); got != "button submit" {
			t.Fatalf("Tab after the comments focuses %q, want the send button", got)
		}
		resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter))
		if err != nil {
			t.Fatalf("submit with Enter: %v", err)
		}
		if resp.Status != http.StatusOK {
			t.Errorf("submission answered %d, want 200", resp.Status)
		}
		browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("h1")))
		if got := browserEval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(got, "Thank you") || !strings.Contains(got, "Your feedback was received") {
			t.Errorf("after submitting, the page says %q, want the thank-you page", got)
		}

		rs, err := db.StoredAnswersFor(context.Background(), resident.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 {
			t.Fatalf("%d responses stored, want exactly 1", len(rs))
		}
		got, err := rs[0].DecodedAnswers()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]*int{"A1": browserRating(4), "A2": nil, "C1": browserRating(5), "C2": browserRating(1), "C3": browserRating(3), "S1": browserRating(5), "S2": browserRating(2), "S3": browserRating(4), "G": browserRating(5)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("stored answers differ from the choices made (-want +got):\n%s", diff)
		}
		if rs[0].KeepDoing == nil || *rs[0].KeepDoing != "Clear next steps, every time." || rs[0].NextTime != nil {
			t.Errorf("stored comments = %v, %v; want the typed comment and no second one", browserText(rs[0].KeepDoing), browserText(rs[0].NextTime))
		}
	})

	t.Run("unanswered-item-without-javascript-shows-its-error-and-keeps-choices", func(t *testing.T) {
		token := newBrowserLink(t, db, resident)
		tab := phoneTab(t, ctx, true)
		browserRun(t, tab, chromedp.Navigate(ts.URL+"/s/"+token), chromedp.WaitVisible(chromedp.CSS("form.survey")))
		// Without survey.js the server-rendered hint stays as it is.
		if got := browserEval[string](t, tab, `document.getElementById("keep_doing-count").innerText`); got != "Up to 1,000 characters." {
			t.Fatalf("comment hint = %q: is JavaScript really off?", got)
		}
		chosen := map[string]string{"A1": "5", "A2": "4", "C1": "na", "C3": "2", "S1": "5", "S2": "5", "S3": "3", "G": "4"}
		for key, value := range chosen {
			// Tap the choice's label, not the small circle: the label is the target.
			browserRun(t, tab, chromedp.Click(chromedp.CSS(`label[for="`+key+`-`+value+`"] .word`)))
		}
		browserRun(t, tab, chromedp.SendKeys(chromedp.ID("next_time"), "More time for questions."))
		resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary")))
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		if resp.Status != http.StatusUnprocessableEntity {
			t.Errorf("submission with a missing answer answered %d, want 422", resp.Status)
		}
		browserRun(t, tab, chromedp.WaitVisible(chromedp.ID("err-C2")))
		if got := browserEval[string](t, tab, `document.getElementById("err-C2").innerText`); !strings.Contains(got, "Choose an answer") {
			t.Errorf("error beside statement C2 = %q", got)
		}
		if got := browserEval[string](t, tab, `document.getElementById("err-C2").closest("fieldset").id`); got != "item-C2" {
			t.Errorf("the error sits in %q, want the fieldset of C2", got)
		}
		if got := browserEval[[]string](t, tab, `[...document.querySelectorAll("#errors a")].map(a => a.getAttribute("href"))`); !cmp.Equal(got, []string{"#item-C2"}) {
			t.Errorf("error summary links to %v, want only #item-C2", got)
		}
		if n := browserEval[int](t, tab, `document.querySelectorAll(".field-error").length`); n != 1 {
			t.Errorf("%d items show an error, want 1", n)
		}
		for key, value := range chosen {
			if got := browserEval[string](t, tab, `(document.querySelector('input[name="`+key+`"]:checked') || {value: "none"}).value`); got != value {
				t.Errorf("after the error, %s has %q checked, want %q kept", key, got, value)
			}
		}
		if got := browserEval[string](t, tab, `document.getElementById("next_time").value`); got != "More time for questions." {
			t.Errorf("comment after the error = %q, want it kept", got)
		}
		if n, err := db.CountAnswers(context.Background(), resident.ID); err != nil || n != 1 {
			t.Fatalf("responses after a failed submission = %d, %v; want only the earlier one", n, err)
		}

		// Answering the missing statement and sending again completes it.
		browserRun(t, tab, chromedp.Click(chromedp.CSS(`label[for="C2-3"] .word`)))
		resp, err = chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary")))
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("second submission: %v, %v", resp, err)
		}
		if got := browserEval[string](t, tab, `document.querySelector("h1").innerText`); !strings.Contains(got, "Thank you") {
			t.Errorf("after fixing the error the page says %q", got)
		}
		if n, err := db.CountAnswers(context.Background(), resident.ID); err != nil || n != 2 {
			t.Errorf("responses = %d, %v; want 2", n, err)
		}
	})
}

// smallTapTargets lists the choices and buttons a thumb would struggle to hit.
const smallTapTargets = `[...document.querySelectorAll("label.choice, button, textarea")]
	.map(e => [e, e.getBoundingClientRect()])
	.filter(([e, r]) => r.width < 44 || r.height < 44)
	.map(([e, r]) => (e.htmlFor || e.id || e.innerText) + " " + Math.round(r.width) + "x" + Math.round(r.height))`

// focused describes the element that has keyboard focus.
func browserFocus(t *testing.T, tab context.Context) string {
	t.Helper()
	return browserEval[string](t, tab, `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "body";
		if (e.type === "radio") return "radio " + e.name + "=" + e.value + (e.checked ? " checked" : "");
		if (e.tagName === "BUTTON") return "button " + e.type;
		if (e.classList.contains("skip")) return "a skip";
		return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "");
	})()`)
}

func browserEval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func browserRun(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tab, steps...); err != nil {
		t.Fatal(err)
	}
}

// browserPath finds the system's Chromium. Without one the test is skipped,
// unless CI is set: CI must run it.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium, chromium-browser or google-chrome on PATH, and CI is set: install one")
	}
	announceBrowserSkip.Do(func() {
		// go test ./... shows nothing of a passing package, t.Skip
		// included: say it once on the terminal, when there is one.
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprintln(tty, "api: browser tests skipped: no Chromium on PATH (install chromium to run them)")
			tty.Close()
		}
	})
	t.Skip("no Chromium on PATH; install chromium to run the browser test")
	return ""
}

// announceBrowserSkip says once per test run that the browser tests were
// skipped.
var announceBrowserSkip sync.Once

// startBrowser starts one headless Chromium for the test, quiet and offline
// apart from the test server, with a profile of its own.
func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	// A guard against a hung browser, not a timed assertion.
	guard, cancelGuard := context.WithTimeout(context.Background(), 3*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(guard, opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); cancelGuard() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// phoneTab opens a tab the size of a small phone (360x740, touch, mobile
// viewport), with JavaScript off when noJS is set. Its console is watched:
// when the subtest ends, any script error or blocked inline code (CSP) in it
// fails the test.
func phoneTab(t *testing.T, browser context.Context, noJS bool) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	browserRun(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if noJS {
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			// HTTP statuses are checked where they matter (422 is expected).
			if ev.Entry.Source != cdplog.EntrySourceNetwork {
				problems = append(problems, string(ev.Entry.Source)+" "+string(ev.Entry.Level)+": "+ev.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("watch the console: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
	return tab
}

func browserFixture(t *testing.T, db *models.DB) *models.User {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: "Internal Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	u := &models.User{Email: "ada@example.org", Name: "Dr. Ada Brown", Role: models.RoleResident, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func newBrowserLink(t *testing.T, db *models.DB, resident *models.User) string {
	t.Helper()
	date := "2026-11-20"
	inv, err := db.CreateInvitation(context.Background(), models.NewInvitation{ResidentID: resident.ID, MeetingDate: &date})
	if err != nil {
		t.Fatal(err)
	}
	return inv.Token
}

func browserRating(n int) *int { return &n }

func browserText(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
