package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/api"
)

// An admin on a phone reaches System status from the menu, meets no
// accessibility violation at 360 or 1280 px, and sends a test email by
// keyboard alone.
func TestSystemStatusInBrowser(t *testing.T) {
	browser := browserPath(t)
	f, smtp, _ := newForgotFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	t.Cleanup(ts.Close)
	tab := phoneTab(t, startBrowser(t, browser), false)
	cookie, _ := f.session(f.admin)
	if _, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{Name: api.SessionCookie, Value: cookie, URL: ts.URL}); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/admin/programs"), chromedp.WaitVisible(chromedp.CSS("nav.usernav")))
	if resp, err := chromedp.RunResponse(tab, chromedp.Click(linkText("nav.usernav", "System status"))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("the admin's System status link: %v, %v", resp, err)
	}
	browserRun(t, tab, chromedp.WaitVisible(chromedp.ID("test-to")))
	noSidewaysScroll(t, tab, "system status")
	axeAtBothWidths(t, tab, "system status")
	screenshots(t, tab, "admin_status")

	// By keyboard: type the address, Tab to the button, Enter.
	browserRun(t, tab, chromedp.Focus(chromedp.ID("test-to")), chromedp.KeyEvent(testEmailTo), chromedp.KeyEvent(kb.Tab))
	if got := browserFocus(t, tab); got != "button submit" {
		t.Fatalf("Tab from the address reaches %q, want the send button", got)
	}
	if resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter)); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("send the test email by keyboard: %v, %v", resp, err)
	}
	if got := browserEval[string](t, tab, `(document.querySelector("main [role=status]") || {}).innerText || ""`); got != "Test email sent: the mail server accepted it. Check that inbox." {
		t.Errorf("after sending, the page says %q", got)
	}
	if m := smtp.Mails(); len(m) != 1 || m[0].To != testEmailTo {
		t.Errorf("the server got %+v, want one email to %s", m, testEmailTo)
	}
	noSidewaysScroll(t, tab, "system status after a test email")
	axeAtBothWidths(t, tab, "system status after a test email")
}
