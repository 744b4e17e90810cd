package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

// After signing in, the browser goes back where it came from, but only on
// this site: every next that a browser could resolve to another origin
// (after stripping tabs and newlines, reading backslashes as slashes), and
// every path that decodes to one, goes home instead, whether it arrived in
// the sign-in page's query or in the form.
func TestSignInRedirectNeverLeavesTheSite(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	offsite := []string{
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
		"//evil.example/", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
		"https://evil.example/", "https:evil.example", "//user@evil.example", "javascript:alert(1)",
		" //evil.example", "/%2F/evil.example", "/%5Cevil.example", "evil.example", "",
	}
	for _, next := range offsite {
		t.Run("query/"+url.QueryEscape(next), func(t *testing.T) {
			w := f.do("GET", "/login?next="+url.QueryEscape(next), "", "")
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="next" value="/"`) {
				t.Errorf("the sign-in page keeps next=%q:\n%s", next, w.Body)
			}
		})
		t.Run("form/"+url.QueryEscape(next), func(t *testing.T) {
			if loc := f.signInForm(next); loc != "/" {
				t.Errorf("next=%q redirected to %q, want /", next, loc)
			}
		})
	}
	for next, want := range map[string]string{
		"/home":                      "/home",
		"/programs/1/roster?done=1":  "/programs/1/roster?done=1",
		"/residents/2/report#trends": "/residents/2/report#trends",
		"/reports?next=//evil":       "/reports?next=//evil",
		"/a%20b":                     "/a%20b",
	} {
		if loc := f.signInForm(next); loc != want {
			t.Errorf("next=%q redirected to %q, want %q", next, loc, want)
		}
	}
}

// signInForm signs res.a2 in through the page with next and returns where
// the browser is sent.
func (f *acctFixture) signInForm(next string) string {
	f.t.Helper()
	token, cookie := f.loginForm()
	form := url.Values{"csrf_token": {token}, "email": {"res.a2@example.org"}, "password": {acctPassword}, "next": {next}}
	w := f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) })
	if w.Code != http.StatusSeeOther {
		f.t.Fatalf("sign in with next=%q: %d", next, w.Code)
	}
	return w.Header().Get("Location")
}
