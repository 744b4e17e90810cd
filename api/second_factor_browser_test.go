package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// A director whose program requires a second factor signs in, is taken to
// the enrolment, scans (reads) the secret, confirms it, sees the recovery
// codes and goes on; at the next sign-in the code step follows the
// password. Each page passes axe-core at 360 and 1280 px.
func TestSecondFactorEnrolmentAndCodeStepInBrowser(t *testing.T) {
	path := browserPath(t)
	db := dbtest.New(t)
	// Real time (the browser drops cookies that expire in the past) plus an
	// offset the test moves on by whole time steps.
	var offset atomic.Int64
	db.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	program, director := rosterBrowserFixture(t, db)
	if err := db.UpdateSecondFactorPolicy(context.Background(), program.ID, models.SecondFactorDirectors); err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(db, api.Config{BaseURL: acctBaseURL, Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.WaitAfterResponse(context.Background()) })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	tab := phoneTab(t, startBrowser(t, path), false)
	rosterPath := fmt.Sprintf("/programs/%d/roster", program.ID)
	code := func(secret string) string {
		c, err := totp.GenerateCodeCustom(secret, db.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	signIn := func() {
		browserRun(t, tab, chromedp.Navigate(ts.URL+rosterPath), chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), director.Email), chromedp.SendKeys(chromedp.ID("password"), acctPassword))
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary"))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("sign in: %v, %v", resp, err)
		}
	}

	signIn()
	if got := browserEval[string](t, tab, `location.pathname`); got != "/login/second-factor/enrol" {
		t.Fatalf("after the password the browser is on %q, want the enrolment", got)
	}
	if !browserEval[bool](t, tab, `document.querySelector("img.totp-qr").naturalWidth > 0`) {
		t.Error("the QR code does not show")
	}
	axeAtBothWidths(t, tab, "second-factor enrolment")
	secret := browserEval[string](t, tab, `document.getElementById("totp-secret").innerText`)
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("sf-confirm-code"), code(secret)))
	if resp, err := chromedp.RunResponse(tab, chromedp.Submit(chromedp.ID("sf-confirm-code"))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("confirm: %v, %v", resp, err)
	}
	if n := browserEval[int](t, tab, `document.querySelectorAll(".recovery-codes li").length`); n != 10 {
		t.Fatalf("%d recovery codes shown, want 10", n)
	}
	axeAtBothWidths(t, tab, "recovery codes")
	if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("a.button.primary"))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("continue: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `location.pathname`); got != rosterPath {
		t.Fatalf("after enrolling the browser is on %q, want the roster", got)
	}

	// Sign out; the next sign-in asks for a code.
	if _, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("form.signout button"))); err != nil {
		t.Fatal(err)
	}
	offset.Add(int64(30 * time.Second))
	signIn()
	if got := browserEval[string](t, tab, `location.pathname`); got != "/login/second-factor" {
		t.Fatalf("after the password the browser is on %q, want the code step", got)
	}
	axeAtBothWidths(t, tab, "code step")
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("code"), "000000"))
	if resp, err := chromedp.RunResponse(tab, chromedp.Submit(chromedp.ID("code"))); err != nil || resp.Status != http.StatusUnauthorized {
		t.Fatalf("a wrong code: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `document.querySelector("[role=alert]").innerText`); !strings.Contains(got, "not right") {
		t.Errorf("a wrong code says %q", got)
	}
	axeAtBothWidths(t, tab, "code step with an error")
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("code"), code(secret)))
	if resp, err := chromedp.RunResponse(tab, chromedp.Submit(chromedp.ID("code"))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("the right code: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `location.pathname`); got != rosterPath {
		t.Errorf("after the code the browser is on %q, want the roster", got)
	}
}
