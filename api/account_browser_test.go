package api_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// A resident, by keyboard: from the menu to the account page, ends the
// session on another device, makes an API token (shown once) and revokes
// it. Every state of the page passes axe-core at 360 and 1280 px and fits
// a phone.
func TestAccountPageInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	srv, err := api.New(db, api.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	resident := browserResident(t, db)
	// Signed in on another device too.
	other, _, err := db.CreateDeviceSession(context.Background(), resident.ID, models.SessionLimits{}, "Safari on iPhone")
	if err != nil {
		t.Fatal(err)
	}
	tab := phoneTab(t, startBrowser(t, browser), false)
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), resident.Email),
		chromedp.SendKeys(chromedp.ID("password"), acctPassword),
		chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.ID("self-title")))
	check := func(name string) {
		t.Helper()
		checkPhoneLayout(t, tab)
		axeAtBothWidths(t, tab, name)
		screenshots(t, tab, name)
	}

	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`.usernav a[href="/account"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("sessions-title")))
	check("account")
	sessions := browserEval[string](t, tab, `document.getElementById("sessions").innerText`)
	if !strings.Contains(sessions, "Safari on iPhone") || !strings.Contains(sessions, "this browser") {
		t.Fatalf("the sessions say %q", sessions)
	}

	// End the other device's session.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`button[aria-label^="End the session on Safari on iPhone"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`p.done[role="status"]`)))
	if got := browserEval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(got, "The session has ended") || strings.Contains(got, "Safari on iPhone") {
		t.Errorf("after ending the other session the page says %q", got)
	}
	if _, _, err := db.SessionByToken(context.Background(), other, models.SessionLimits{}); err == nil {
		t.Error("the other device's session still works")
	}

	// A token, shown once.
	browserRun(t, tab, chromedp.Focus(chromedp.ID("token-name")), chromedp.SendKeys(chromedp.ID("token-name"), "my script"),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("new-token")))
	check("account_new_token")
	secret := browserEval[string](t, tab, `document.getElementById("new-token-secret").value`)
	if !strings.HasPrefix(secret, models.APITokenPrefix) {
		t.Fatalf("the new token's box holds %q", secret)
	}
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`button[aria-label="Revoke the token my script"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`p.done[role="status"]`)))
	if got := browserEval[string](t, tab, `document.getElementById("tokens").innerText`); !strings.Contains(got, "revoked") || strings.Contains(got, secret) {
		t.Errorf("after revoking, the tokens say %q", got)
	}
	if _, _, err := db.APITokenUser(context.Background(), secret); err == nil {
		t.Error("the revoked token still works")
	}
}
