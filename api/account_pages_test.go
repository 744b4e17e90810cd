package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

var hiddenCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// loginForm fetches the sign-in page and returns its form token and cookie.
func (f *acctFixture) loginForm() (token string, cookie *http.Cookie) {
	f.t.Helper()
	w := f.do("GET", "/login?next=/home", "", "")
	if w.Code != http.StatusOK {
		f.t.Fatalf("GET /login: %d", w.Code)
	}
	m := hiddenCSRF.FindStringSubmatch(w.Body.String())
	c := responseCookie(w, "mentorpulse_login")
	if m == nil || c == nil || c.Value != m[1] || !c.HttpOnly {
		f.t.Fatalf("sign-in page has no form token matching its cookie: %v %+v", m, c)
	}
	if !strings.Contains(w.Body.String(), `name="next" value="/home"`) {
		f.t.Error("the sign-in page forgets where to go next")
	}
	return m[1], c
}

func TestSignInPage(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	token, cookie := f.loginForm()
	post := func(form url.Values, withCookie bool) *http.Response {
		var opts []func(*http.Request)
		if withCookie {
			opts = append(opts, func(r *http.Request) { r.AddCookie(cookie) })
		}
		return f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), opts...).Result()
	}
	good := url.Values{"csrf_token": {token}, "email": {"res.a2@example.org"}, "password": {acctPassword}, "next": {"/home"}}

	if r := post(good, false); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in form without its cookie: %d, want 403", r.StatusCode)
	}
	bad := url.Values{"csrf_token": {token}, "email": {"res.a2@example.org"}, "password": {"wrong password here"}}
	if r := post(bad, true); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", r.StatusCode)
	}
	r := post(good, true)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/home" {
		t.Fatalf("sign in: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	var session string
	for _, c := range r.Cookies() {
		if c.Name == api.SessionCookie {
			session = c.Value
		}
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(session, "")); w.Code != http.StatusOK {
		t.Fatalf("the page's session does not work on the API: %d", w.Code)
	}
	for next, want := range map[string]string{"//evil.example/": "/", "https://evil.example/": "/", "/\\evil.example": "/", "/reports?x=1": "/reports?x=1"} {
		form := url.Values{"csrf_token": {token}, "email": {"res.a2@example.org"}, "password": {acctPassword}, "next": {next}}
		if loc := post(form, true).Header.Get("Location"); loc != want {
			t.Errorf("next=%q redirected to %q, want %q", next, loc, want)
		}
	}
}

func TestSetPasswordLinkLetsANewMemberSignIn(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do("POST", "/api/v1/programs/"+strconv.FormatInt(f.progA.ID, 10)+"/members", "application/json",
		`{"email":"ines@example.org","name":"Inês Costa","role":"resident","pgy_year":1}`, f.as(f.dirA))
	if w.Code != http.StatusCreated {
		t.Fatalf("add member: %d", w.Code)
	}
	setup := decode[map[string]any](t, w.Body.Bytes())["setup_url"].(string)
	path := strings.TrimPrefix(setup, acctBaseURL)

	w = f.do("GET", path, "", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "ines@example.org") || !strings.Contains(w.Body.String(), `autocomplete="new-password"`) {
		t.Fatalf("set-password page: %d\n%s", w.Code, w.Body)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the set-password page may be cached")
	}
	form := func(pw, confirm string) string { return url.Values{"password": {pw}, "confirm": {confirm}}.Encode() }
	for _, tc := range []struct{ pw, confirm, says string }{
		{"short", "short", "at least 12 characters"},
		{"Password2026!", "Password2026!", "too common"},
		{"amber lantern orchard", "amber lantern orchid", "not the same"},
	} {
		w := f.do("POST", path, "application/x-www-form-urlencoded", form(tc.pw, tc.confirm))
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), tc.says) {
			t.Errorf("password %q: %d, want 422 saying %q", tc.pw, w.Code, tc.says)
		}
	}
	if code, _, _ := f.signIn("ines@example.org", "amber lantern orchard"); code != http.StatusUnauthorized {
		t.Fatalf("signed in before setting a password: %d", code)
	}
	w = f.do("POST", path, "application/x-www-form-urlencoded", form("amber lantern orchard", "amber lantern orchard"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `href="/login"`) {
		t.Fatalf("set password: %d\n%s", w.Code, w.Body)
	}
	if code, _, _ := f.signIn("ines@example.org", "amber lantern orchard"); code != http.StatusOK {
		t.Fatalf("sign in with the new password: %d", code)
	}
	for _, method := range []string{"GET", "POST"} {
		w := f.do(method, path, "application/x-www-form-urlencoded", form("another good phrase", "another good phrase"))
		if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), "already used") {
			t.Errorf("%s a used link: %d, want 410 saying so", method, w.Code)
		}
	}
	if w := f.do("GET", "/set-password/not-a-token", "", ""); w.Code != http.StatusNotFound {
		t.Errorf("unknown link: %d, want 404", w.Code)
	}

	// A reset link from the director replaces the password and ends sessions.
	_, cookie, _ := f.signIn("ines@example.org", "amber lantern orchard")
	w = f.do("POST", "/api/v1/users/"+strconv.FormatInt(decodeID(t, f, "ines@example.org"), 10)+"/password-link", "", "", f.as(f.dirA))
	if w.Code != http.StatusCreated || decode[map[string]any](t, w.Body.Bytes())["purpose"] != "reset" {
		t.Fatalf("reset link: %d %s", w.Code, w.Body)
	}
	reset := strings.TrimPrefix(decode[map[string]any](t, w.Body.Bytes())["url"].(string), acctBaseURL)
	if w := f.do("POST", reset, "application/x-www-form-urlencoded", form("copper meadow violin", "copper meadow violin")); w.Code != http.StatusOK {
		t.Fatalf("use reset link: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("a session survived a password reset: %d", w.Code)
	}
}

func decodeID(t *testing.T, f *acctFixture, email string) int64 {
	t.Helper()
	u, err := f.db.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
