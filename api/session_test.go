package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

type sessionBody struct {
	User struct {
		ID        int64  `json:"id"`
		Email     string `json:"email"`
		Name      string `json:"name"`
		Role      string `json:"role"`
		ProgramID *int64 `json:"program_id"`
		PGYYear   *int   `json:"pgy_year"`
	} `json:"user"`
	CSRFToken string `json:"csrf_token"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// signIn posts credentials and returns the response.
func (f *acctFixture) signIn(email, password string, opts ...func(*http.Request)) (int, string, sessionBody) {
	f.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	w := f.do("POST", "/api/v1/session", "application/json", string(body), opts...)
	var sb sessionBody
	if w.Code == http.StatusOK {
		sb = decode[sessionBody](f.t, w.Body.Bytes())
	}
	cookie := ""
	if c := responseCookie(w, api.SessionCookie); c != nil {
		cookie = c.Value
	}
	return w.Code, cookie, sb
}

func TestSignInReturnsUserCSRFTokenAndASafeCookie(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do("POST", "/api/v1/session", "application/json", `{"email":"RES.A1@example.org","password":"`+acctPassword+`"}`)
	if w.Code != http.StatusOK {
		t.Fatalf("sign in: %d %s", w.Code, w.Body)
	}
	got := decode[map[string]any](t, w.Body.Bytes())
	user := got["user"].(map[string]any)
	want := map[string]any{"id": float64(f.resA1.ID), "email": "res.a1@example.org", "name": "res.a1", "role": "resident",
		"program_id": float64(f.progA.ID), "pgy_year": float64(1)}
	if diff := cmp.Diff(want, user); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	csrf, _ := got["csrf_token"].(string)
	if len(csrf) < 32 {
		t.Errorf("csrf_token %q is missing or short", csrf)
	}
	c := responseCookie(w, api.SessionCookie)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on http", c)
	}
	w = f.do("GET", "/api/v1/session", "", "", withSession(c.Value, ""))
	if w.Code != http.StatusOK || decode[sessionBody](t, w.Body.Bytes()).CSRFToken != csrf {
		t.Fatalf("GET session: %d %s", w.Code, w.Body)
	}

	https := newAcctFixture(t, api.Config{BaseURL: "https://feedback.example.org"})
	if _, cookie, _ := https.signIn("admin@example.org", acctPassword); cookie == "" {
		t.Fatal("no cookie over https")
	}
	w = https.do("POST", "/api/v1/session", "application/json", `{"email":"admin@example.org","password":"`+acctPassword+`"}`)
	if c := responseCookie(w, api.SessionCookie); c == nil || !c.Secure {
		t.Fatalf("cookie with an https base URL is not Secure: %+v", c)
	}
}

func TestSignInFailsAlikeForUnknownEmailWrongPasswordAndDeactivatedAccount(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	var bodies []string
	for _, creds := range [][2]string{
		{"nobody@example.org", acctPassword},
		{"res.a1@example.org", "not the right password"},
		{"gone@example.org", acctPassword},
		{"newbie@example.org", acctPassword},
	} {
		w := f.do("POST", "/api/v1/session", "application/json", `{"email":"`+creds[0]+`","password":"`+creds[1]+`"}`)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", creds[0], w.Code)
		}
		if responseCookie(w, api.SessionCookie) != nil {
			t.Errorf("%s: a failed sign-in set a session cookie", creds[0])
		}
		bodies = append(bodies, w.Body.String())
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("failed sign-ins differ:\n%s\n%s", bodies[0], b)
		}
	}
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, r := range rows {
		if r.Action == models.ActionSignInFailed {
			failed++
		}
	}
	if failed != 4 {
		t.Errorf("audit log has %d failed sign-ins, want 4", failed)
	}
}

func TestSignInIssuesANewSessionIDEveryTime(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	// An id planted by someone else before sign-in is never adopted.
	planted, _ := f.session(f.dirB)
	code, first, _ := f.signIn("res.a1@example.org", acctPassword, withSession(planted, ""))
	if code != http.StatusOK || first == "" || first == planted {
		t.Fatalf("sign-in with a planted cookie: %d, cookie %q", code, first)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(planted, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the session the browser had before sign-in still works: %d", w.Code)
	}
	// Signing in again replaces the session.
	_, second, _ := f.signIn("res.a1@example.org", acctPassword, withSession(first, ""))
	if second == "" || second == first {
		t.Fatalf("second sign-in kept the id")
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(first, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the replaced session still works: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(second, "")); w.Code != http.StatusOK {
		t.Errorf("the new session does not work: %d", w.Code)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	_, cookie, sb := f.signIn("dir.a@example.org", acctPassword)
	w := f.do("DELETE", "/api/v1/session", "", "", withSession(cookie, sb.CSRFToken))
	if w.Code != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", w.Code, w.Body)
	}
	if c := responseCookie(w, api.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("sign-out did not clear the cookie: %+v", c)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("session after sign-out: %d, want 401", w.Code)
	}

	// The page form does the same and returns to the sign-in page.
	cookie, csrf := f.session(f.dirA)
	w = f.do("POST", "/logout", "application/x-www-form-urlencoded", "csrf_token="+url.QueryEscape(csrf), withSession(cookie, ""))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("POST /logout: %d → %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("session after the sign-out form: %d, want 401", w.Code)
	}
}

func TestSessionTimesOutWhenIdleAndAfterMaxAge(t *testing.T) {
	f := newAcctFixture(t, api.Config{SessionIdleTimeout: 8 * time.Hour, SessionMaxAge: 7 * 24 * time.Hour})
	get := func(cookie string) int {
		return f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")).Code
	}
	idle, _ := f.session(f.resA1)
	f.clock.advance(7 * time.Hour)
	if code := get(idle); code != http.StatusOK {
		t.Fatalf("after 7 h: %d", code)
	}
	f.clock.advance(7 * time.Hour)
	if code := get(idle); code != http.StatusOK {
		t.Fatalf("7 h after the last request: %d", code)
	}
	f.clock.advance(8 * time.Hour)
	if code := get(idle); code != http.StatusUnauthorized {
		t.Fatalf("8 h idle: %d, want 401", code)
	}

	// Absolute limit: a session used every 4 h still ends 7 days after
	// sign-in.
	_, busy, _ := f.signIn("res.a1@example.org", acctPassword)
	for elapsed := 4 * time.Hour; elapsed < 7*24*time.Hour; elapsed += 4 * time.Hour {
		f.clock.advance(4 * time.Hour)
		if code := get(busy); code != http.StatusOK {
			t.Fatalf("session used every 4 h, at %s: %d", elapsed, code)
		}
	}
	f.clock.advance(4 * time.Hour)
	if code := get(busy); code != http.StatusUnauthorized {
		t.Fatalf("session 7 days after sign-in, used 4 h ago: %d, want 401", code)
	}
}

func TestCSRFTokenRequiredForCookieRequestsThatChangeState(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cookie, csrf := f.session(f.dirA)
	for _, tc := range []struct {
		name string
		opts []func(*http.Request)
		want int
	}{
		{"missing", []func(*http.Request){withSession(cookie, "")}, http.StatusForbidden},
		{"wrong", []func(*http.Request){withSession(cookie, otherToken(csrf))}, http.StatusForbidden},
		{"other-session", []func(*http.Request){withSession(cookie, func() string { _, c := f.session(f.dirA); return c }())}, http.StatusForbidden},
		{"right", []func(*http.Request){withSession(cookie, csrf)}, http.StatusCreated},
		{"bearer-needs-none", []func(*http.Request){withBearer(f.tokens[f.dirA])}, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do("POST", "/api/v1/tokens", "application/json", `{"name":"csrf `+tc.name+`"}`, tc.opts...)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
		})
	}
	tokens, _ := f.db.APITokens(context.Background(), f.dirA.ID)
	for _, tok := range tokens {
		if tok.Name == "csrf missing" || tok.Name == "csrf wrong" || tok.Name == "csrf other-session" {
			t.Errorf("a request refused for CSRF still created token %q", tok.Name)
		}
	}
	// Reads need no token.
	if w := f.do("GET", "/api/v1/tokens", "", "", withSession(cookie, "")); w.Code != http.StatusOK {
		t.Errorf("GET without CSRF token: %d", w.Code)
	}
	// Forms send the hidden field instead of the header.
	for _, tc := range []struct {
		field string
		want  int
	}{{"wrong", http.StatusForbidden}, {"", http.StatusForbidden}, {csrf, http.StatusSeeOther}} {
		w := f.do("POST", "/logout", "application/x-www-form-urlencoded", "csrf_token="+url.QueryEscape(tc.field), withSession(cookie, ""))
		if w.Code != tc.want {
			t.Errorf("sign-out form with csrf_token %q: %d, want %d", tc.field, w.Code, tc.want)
		}
	}
}

func TestSignInIsRateLimitedPerAccountAndPerIP(t *testing.T) {
	f := newAcctFixture(t, api.Config{
		LoginAccountLimit: api.RateLimit{Events: 3, Per: time.Hour},
		LoginIPLimit:      api.RateLimit{Events: 5, Per: time.Hour},
	})
	from := func(ip string) func(*http.Request) { return func(r *http.Request) { r.RemoteAddr = ip + ":40000" } }
	// Per account: three attempts from three addresses, then 429 even with
	// the right password.
	for i := range 3 {
		if code, _, _ := f.signIn("res.a1@example.org", "wrong password "+strconv.Itoa(i), from("198.51.100."+strconv.Itoa(i+1))); code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, code)
		}
	}
	w := f.do("POST", "/api/v1/session", "application/json", `{"email":"Res.A1@example.org","password":"`+acctPassword+`"}`, from("198.51.100.9"))
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("fourth attempt on one account: %d, want 429", w.Code)
	}
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 3600 {
		t.Errorf("Retry-After %q: want seconds until the next attempt", w.Header().Get("Retry-After"))
	}
	if code, _, _ := f.signIn("res.a2@example.org", acctPassword, from("198.51.100.9")); code != http.StatusOK {
		t.Errorf("another account from another address is limited too: %d", code)
	}

	// Per IP: five attempts on different accounts, then 429; other IPs go on.
	for i, email := range []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"} {
		if code, _, _ := f.signIn(email, "wrong password!", from("203.0.113.7")); code != http.StatusUnauthorized {
			t.Fatalf("IP attempt %d: %d, want 401", i+1, code)
		}
	}
	if code, _, _ := f.signIn("dir.b@example.org", acctPassword, from("203.0.113.7")); code != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt from one IP: %d, want 429", code)
	}
	// X-Forwarded-For is not trusted unless configured, so it cannot dodge the limit.
	spoof := func(r *http.Request) { r.Header.Set("X-Forwarded-For", "192.0.2.200") }
	if code, _, _ := f.signIn("dir.b@example.org", acctPassword, from("203.0.113.7"), spoof); code != http.StatusTooManyRequests {
		t.Fatalf("a spoofed X-Forwarded-For escaped the limit: %d", code)
	}
	if code, _, _ := f.signIn("dir.b@example.org", acctPassword, from("203.0.113.8")); code != http.StatusOK {
		t.Errorf("sign-in from another IP: %d, want 200", code)
	}
}

func TestPublicSurveyEndpointsAreRateLimitedPerIP(t *testing.T) {
	f := newAcctFixture(t, api.Config{SurveyIPLimit: api.RateLimit{Events: 3, Per: time.Hour}})
	token := f.newLink()
	from := func(ip string) func(*http.Request) { return func(r *http.Request) { r.RemoteAddr = ip + ":5555" } }
	paths := []string{"/api/v1/surveys/" + token, "/s/" + token, "/api/v1/surveys/" + token}
	for _, p := range paths {
		if w := f.do("GET", p, "", "", from("198.51.100.20")); w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", p, w.Code)
		}
	}
	w := f.do("GET", "/s/"+token, "", "", from("198.51.100.20"))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d, Retry-After %q; want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if !strings.Contains(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("the mentee's page should explain the limit as a page, got %s", w.Header().Get("Content-Type"))
	}
	if w := f.do("GET", "/api/v1/surveys/"+token, "", "", from("198.51.100.21")); w.Code != http.StatusOK {
		t.Errorf("another IP: %d", w.Code)
	}
	// Signed-in routes and health checks are not survey traffic.
	if w := f.do("GET", "/healthz", "", "", from("198.51.100.20")); w.Code != http.StatusOK {
		t.Errorf("/healthz from a limited IP: %d", w.Code)
	}
}

// otherToken is a token of the same shape that is certainly not tok: its
// first character changed (a fixed replacement would equal tok whenever tok
// already started with it).
func otherToken(tok string) string {
	first := byte('x')
	if tok[0] == first {
		first = 'y'
	}
	return string(first) + tok[1:]
}
