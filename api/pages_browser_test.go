package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// A resident at the end of a meeting, on a phone: signs in, makes their QR
// request code, shows it full screen, and signs out. The code opens the
// request page, never a survey.
func TestResidentMakesLinkAndSignsOutInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	// The survey URL is built on the base URL, so the server must know its
	// own address before it starts: route through a handler set just after.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	keys, err := delivery.NewKeyring("browser test secret, at least thirty-two characters")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := delivery.New(db, delivery.Config{BaseURL: ts.URL, Keyring: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(db, api.Config{BaseURL: ts.URL, Logger: slog.New(slog.DiscardHandler), Delivery: svc})
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Handler()
	resident := browserResident(t, db)
	tab := phoneTab(t, startBrowser(t, browser), false)

	// Signing in from a bookmarked /home comes back to /home.
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/home"), chromedp.WaitVisible(chromedp.ID("email")))
	if got := browserEval[string](t, tab, `location.pathname + location.search`); got != "/login?next=%2Fhome" {
		t.Fatalf("anonymous /home went to %q, want the sign-in page", got)
	}
	browserRun(t, tab,
		chromedp.SendKeys(chromedp.ID("email"), resident.Email),
		chromedp.SendKeys(chromedp.ID("password"), acctPassword),
		chromedp.Click(chromedp.CSS("button.primary")),
		chromedp.WaitVisible(chromedp.ID("qr-title")),
	)
	if got := browserEval[string](t, tab, `location.pathname`); got != "/home" {
		t.Fatalf("after signing in the browser is on %q, want /home", got)
	}
	if got := browserEval[string](t, tab, `document.querySelector(".who").innerText`); !strings.Contains(got, "Dr. Ada Brown") || !strings.Contains(got, "Sign out") {
		t.Errorf("the header says %q, want the resident's name and a sign-out button", got)
	}
	checkPhoneLayout(t, tab)

	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(`form[action="/home/code"] button`)))
	if err != nil {
		t.Fatalf("make the QR code: %v", err)
	}
	if resp.Status != http.StatusOK {
		t.Errorf("making the QR code answered %d, want 200", resp.Status)
	}
	browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("img.qr")))
	if got := browserEval[string](t, tab, `location.pathname`); got != "/home/code" {
		t.Errorf("the code is shown at %q; it must be the POST's own answer, not a redirect", got)
	}
	checkPhoneLayout(t, tab)

	// The QR code: an image the browser decoded, and a PNG in Go too.
	if w := browserEval[int](t, tab, `(() => { const i = document.querySelector("img.qr"); return i.complete ? i.naturalWidth : 0 })()`); w <= 0 {
		t.Errorf("the QR image did not load (natural width %d)", w)
	}
	if alt := browserEval[string](t, tab, `document.querySelector("img.qr").alt`); alt != "QR code of your request page" {
		t.Errorf("QR alt text = %q", alt)
	}
	if side := browserEval[float64](t, tab, `document.querySelector("img.qr").getBoundingClientRect().width`); side < 250 {
		t.Errorf("the QR code is %.0f px wide on a 360 px phone; too small to scan across a table", side)
	}
	src := browserEval[string](t, tab, `document.querySelector("img.qr").getAttribute("src")`)
	b64, ok := strings.CutPrefix(src, "data:image/png;base64,")
	if !ok {
		t.Fatalf("QR src = %.40q…, want a PNG data URI", src)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("QR data: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the QR code is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() == 0 || b.Dy() == 0 {
		t.Errorf("the QR PNG is %dx%d", b.Dx(), b.Dy())
	}

	// The request page's URL is on the page and opens the email form; no
	// survey URL is anywhere on it.
	url := browserEval[string](t, tab, `document.getElementById("request-url").value`)
	if !strings.HasPrefix(url, ts.URL+"/r/") {
		t.Fatalf("the page shows %q, want a request URL on %s", url, ts.URL)
	}
	if holdsSurveyURL(browserEval[string](t, tab, `document.documentElement.outerHTML`)) {
		t.Error("the resident's home holds a survey URL")
	}
	if !browserEval[bool](t, tab, `document.getElementById("request-url").getBoundingClientRect().height > 0`) {
		t.Error("the request URL box is not visible")
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET %s answered %d, want 200", url, res.StatusCode)
	}

	// links.js ran under the CSP: the copy button shows and answers a click.
	if browserEval[bool](t, tab, `document.querySelector("button[data-copy]").hidden`) {
		t.Fatal("the copy button is still hidden: links.js did not run")
	}
	browserRun(t, tab, chromedp.Click(chromedp.CSS("button[data-copy]")))
	browserWait(t, tab, `document.getElementById("request-url-status").innerText.length > 0`)
	if got := browserEval[string](t, tab, `document.getElementById("request-url-status").innerText`); got != "Link copied." && !strings.Contains(got, "Ctrl+C") {
		t.Errorf("after Copy the page says %q", got)
	}

	// Full screen: the code fills the phone.
	browserRun(t, tab, chromedp.Click(chromedp.CSS("a[data-fullscreen]")))
	browserWait(t, tab, `location.hash === "#show"`)
	if w := browserEval[float64](t, tab, `document.getElementById("show").getBoundingClientRect().width`); w < 360 {
		t.Errorf("the full-screen view is %.0f px wide, want the whole 360 px", w)
	}
	if got := browserEval[string](t, tab, `document.getElementById("show").innerText`); !strings.Contains(got, "Ask for a feedback link") {
		t.Errorf("the full-screen view says %q", got)
	}
	browserRun(t, tab, chromedp.Click(chromedp.CSS("#show .qr-close")))
	browserWait(t, tab, `location.hash === "#qr"`)

	// Sign out, then /home asks to sign in again.
	resp, err = chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(".signout button")))
	if err != nil {
		t.Fatalf("sign out: %v", err)
	}
	browserRun(t, tab, chromedp.WaitVisible(chromedp.ID("email")))
	if got := browserEval[string](t, tab, `location.pathname`); got != "/login" || resp.Status != http.StatusOK {
		t.Errorf("after signing out: %q (%d), want the sign-in page", got, resp.Status)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/home"), chromedp.WaitVisible(chromedp.ID("email")))
	if got := browserEval[string](t, tab, `location.pathname`); got != "/login" {
		t.Errorf("/home after signing out shows %q, want the sign-in page", got)
	}
	if _, err := db.ResidentCodeOf(context.Background(), resident.ID); err != nil {
		t.Errorf("no request code after the visit: %v", err)
	}
	if links, err := db.ListInvitations(context.Background(), models.InvitationFilter{ResidentID: resident.ID}); err != nil || len(links) != 0 {
		t.Errorf("links after the visit: %d, %v; want none", len(links), err)
	}
}

// checkPhoneLayout fails when the page scrolls sideways at 360 px or has a
// visible control smaller than a fingertip. A radio button or checkbox is
// measured by its label, which takes the tap.
func checkPhoneLayout(t *testing.T, tab context.Context) {
	t.Helper()
	if w := browserEval[int](t, tab, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("%s is %d px wide at a 360 px viewport: it scrolls sideways", browserEval[string](t, tab, `location.pathname`), w)
	}
	small := browserEval[[]string](t, tab, `[...document.querySelectorAll("button, input:not([type=hidden]), select, .button, .usernav a")]
		.map(e => [e, ((e.type === "radio" || e.type === "checkbox") && e.closest("label") || e).getBoundingClientRect()])
		.filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
		.map(([e, r]) => (e.id || e.innerText || e.name) + " " + Math.round(r.width) + "x" + Math.round(r.height))`)
	if len(small) > 0 {
		t.Errorf("tap targets smaller than 44x44 px: %v", small)
	}
}

// browserWait waits until a JavaScript expression is true.
func browserWait(t *testing.T, tab context.Context, expr string) {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr)); err != nil {
		t.Fatalf("wait for %s: %v", expr, err)
	}
}

// browserResident is the browser fixture's resident with a password set
// through a setup link, as a new member would.
func browserResident(t *testing.T, db *models.DB) *models.User {
	t.Helper()
	u := browserFixture(t, db)
	token, _, err := db.CreatePasswordLink(context.Background(), u.ID, models.PurposeSetup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UsePasswordLink(context.Background(), token, acctPassword); err != nil {
		t.Fatal(err)
	}
	return u
}
