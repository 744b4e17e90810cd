package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// A director onboards a new resident from a phone, by keyboard: adds them
// with the roster's form, sees the set-password email on its way and then
// sent, resends it and sees the confirmation, and a second email arrives.
func TestRosterOnboardingInBrowser(t *testing.T) {
	path := browserPath(t)
	db := dbtest.New(t)
	smtp := deliverytest.NewSMTPServer(t)
	program, director := rosterBrowserFixture(t, db)
	ts := rosterBrowserServer(t, db, smtp)
	tab := phoneTab(t, startBrowser(t, path), false)
	rosterPath := fmt.Sprintf("/programs/%d/roster", program.ID)

	browserRun(t, tab, chromedp.Navigate(ts.URL+rosterPath), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), director.Email), chromedp.SendKeys(chromedp.ID("password"), acctPassword))
	if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary"))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("sign in: %v, %v", resp, err)
	}
	browserRun(t, tab, chromedp.WaitVisible(chromedp.ID("add-email")))
	if got := browserEval[string](t, tab, `location.pathname`); got != rosterPath {
		t.Fatalf("after signing in the browser is on %q, want the roster %q", got, rosterPath)
	}

	// By keyboard: the "Add a member" jump link, then through the form's
	// fields in order, choosing PGY-2 with the arrow keys.
	tabTo(t, tab, `document.activeElement.getAttribute("href") === "#add"`, 12, "the Add a member jump link")
	browserRun(t, tab, chromedp.KeyEvent(kb.Enter))
	browserWait(t, tab, `location.hash === "#add"`)
	steps := []struct{ focus, keys string }{
		{"add-email", "nia@example.org"},
		{"add-name", "Dr. Nia Okoro"},
		{"add-role", ""}, // Resident is already chosen
		{"add-pgy", kb.ArrowDown + kb.ArrowDown},
	}
	for _, s := range steps {
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if got := browserEval[string](t, tab, `document.activeElement.id`); got != s.focus {
			t.Fatalf("Tab focuses %q, want #%s", got, s.focus)
		}
		if s.keys != "" {
			browserRun(t, tab, chromedp.KeyEvent(s.keys))
		}
	}
	if got := browserEval[string](t, tab, `document.getElementById("add-role").value + " " + document.getElementById("add-pgy").value`); got != "resident 2" {
		t.Fatalf("role and PGY year chosen by keyboard read %q, want resident 2", got)
	}
	browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
	if got := browserEval[string](t, tab, `document.activeElement.innerText`); got != "Add member" {
		t.Fatalf("Tab after the PGY year focuses %q, want the Add member button", got)
	}
	if resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter)); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("add the member: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `(document.querySelector(".done[role=status]") || {innerText: ""}).innerText`); !strings.Contains(got, "Dr. Nia Okoro is added. An email with their set-password link is on its way to nia@example.org") {
		t.Errorf("after adding, the notice reads %q, want the email on its way", got)
	}
	if browserEval[bool](t, tab, `document.documentElement.outerHTML.includes("/set-password/")`) {
		t.Error("the page shows the set-password link that went by email")
	}
	nia, err := db.UserByEmail(context.Background(), "nia@example.org")
	if err != nil {
		t.Fatalf("the added member is not stored: %v", err)
	}
	if nia.Role != models.RoleResident || nia.PGYYear == nil || *nia.PGYYear != 2 || nia.ProgramID == nil || *nia.ProgramID != program.ID {
		t.Errorf("stored member %+v, want a PGY-2 resident of the program", nia)
	}
	row := "member-" + strconv.FormatInt(nia.ID, 10)
	checkPhoneLayout(t, tab)
	axeAtBothWidths(t, tab, "roster after adding")
	screenshots(t, tab, "roster_added")

	first := smtp.WaitForMails(1)[0]
	if first.To != "nia@example.org" || setPasswordLinkRE.FindString(first.Text) == "" {
		t.Fatalf("want the set-password link emailed to the new member, got %+v", first)
	}
	waitRowStatus(t, tab, ts.URL+rosterPath, row, "set-password email: sent")

	// By keyboard again: from the member's row, Tab to Resend and press Enter.
	browserRun(t, tab, chromedp.Navigate(ts.URL+rosterPath+"#"+row), chromedp.WaitVisible(chromedp.ID(row)))
	tabTo(t, tab, `(document.activeElement.getAttribute("aria-label") || "") === "Resend the set-password email to Dr. Nia Okoro"`, 6, "Nia's Resend button")
	if got := browserEval[string](t, tab, `document.activeElement.closest("tr") ? document.activeElement.closest("tr").id : ""`); got != row {
		t.Fatalf("the focused Resend button is in row %q, want %q", got, row)
	}
	if resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter)); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("resend: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `(document.querySelector(".done[role=status]") || {innerText: ""}).innerText`); !strings.Contains(got, "A new set-password email to Dr. Nia Okoro is queued") {
		t.Errorf("after resending, the notice reads %q, want the confirmation", got)
	}
	if got := browserEval[string](t, tab, `location.hash`); got != "#"+row {
		t.Errorf("after resending the page is at %q, want back at the member's row", got)
	}
	checkPhoneLayout(t, tab)
	axeAtBothWidths(t, tab, "roster after resending")
	screenshots(t, tab, "roster_resent")

	var again deliverytest.Mail
	deliverytest.WaitFor(t, "the resent email", func() bool {
		for _, m := range smtp.Mails() {
			if m.To == "nia@example.org" && m.Text != first.Text {
				again = m
				return true
			}
		}
		return false
	})
	if setPasswordLinkRE.FindString(again.Text) == "" {
		t.Errorf("the second email holds no set-password link:\n%s", again.Text)
	}
	if n := len(smtp.Mails()); n != 2 {
		t.Errorf("%d emails sent, want 2: the first and the resent one", n)
	}
	waitRowStatus(t, tab, ts.URL+rosterPath, row, "set-password email: sent")
}

// rosterBrowserFixture makes a program and its director, who has a password.
func rosterBrowserFixture(t *testing.T, db *models.DB) (*models.Program, *models.User) {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: "Internal Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	hash, err := models.HashPassword(acctPassword)
	if err != nil {
		t.Fatal(err)
	}
	d := &models.User{Email: "director@example.org", Name: "Dr. Dana Director", Role: models.RoleDirector, ProgramID: &p.ID, PasswordHash: hash}
	if err := db.CreateUser(ctx, d); err != nil {
		t.Fatal(err)
	}
	return p, d
}

// rosterBrowserServer serves the app with a started delivery service that
// mails through smtp, so the roster emails new members their links. The
// database keeps real time: the browser drops a session cookie that expires
// in the past.
func rosterBrowserServer(t *testing.T, db *models.DB, smtp *deliverytest.SMTPServer) *httptest.Server {
	t.Helper()
	mailer, err := delivery.NewSMTPMailer(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := delivery.NewKeyring("roster browser test secret, thirty-two characters")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := delivery.New(db, delivery.Config{BaseURL: acctBaseURL, Mailer: mailer, Keyring: keys,
		Logger: quietLog, PollInterval: 20 * time.Millisecond, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		svc.Stop(ctx)
	})
	srv, err := api.New(db, api.Config{BaseURL: acctBaseURL, Logger: quietLog, Delivery: svc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.WaitAfterResponse(context.Background()) })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// tabTo presses Tab, at most limit times, until the JavaScript condition on
// the focused element holds.
func tabTo(t *testing.T, tab context.Context, cond string, limit int, what string) {
	t.Helper()
	for range limit {
		browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		if browserEval[bool](t, tab, cond) {
			return
		}
	}
	t.Fatalf("%d presses of Tab never reach %s; focus is on %q", limit, what, browserEval[string](t, tab, `document.activeElement.outerHTML.slice(0, 120)`))
}

// waitRowStatus reloads the roster until the member's row shows status:
// the page says what became of the email when it is loaded, not live.
func waitRowStatus(t *testing.T, tab context.Context, url, row, status string) {
	t.Helper()
	deliverytest.WaitFor(t, "the row "+row+" to say "+status, func() bool {
		browserRun(t, tab, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID(row)))
		got := browserEval[string](t, tab, `[...document.querySelectorAll("#`+row+` .status")].map(s => s.innerText).join(" | ")`)
		return strings.Contains(got, status)
	})
}
