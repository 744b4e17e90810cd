package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// auditCount counts the audit log's entries of one action.
func (f *acctFixture) auditCount(action string) int {
	f.t.Helper()
	n := 0
	for _, a := range auditActions(f.t, f) {
		if a == action {
			n++
		}
	}
	return n
}

// ownerOf is the user a matrix cell acts as, or the admin for a cell
// without valid credentials (whose request is refused before it matters).
func (f *acctFixture) ownerOf(who int) *models.User {
	if u := map[int]*models.User{admin: f.admin, dirA: f.dirA, dirB: f.dirB, resA1: f.resA1, resA2: f.resA2}[who]; u != nil {
		return u
	}
	return f.admin
}

// otherSession signs u in once more, as on another device, and returns that
// session's public id.
func (f *acctFixture) otherSession(u *models.User) string {
	f.t.Helper()
	cookie, _ := f.session(u)
	s, _, err := f.db.SessionByToken(context.Background(), cookie, models.SessionLimits{})
	if err != nil {
		f.t.Fatal(err)
	}
	return s.PublicID()
}

// signInAs signs u in through the sign-in page with a browser's user agent
// and returns the session cookie and its CSRF token.
func (f *acctFixture) signInAs(u *models.User, userAgent string) (cookie, csrf string) {
	f.t.Helper()
	form := url.Values{"csrf_token": {"form-token"}, "email": {u.Email}, "password": {acctPassword}}
	w := f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "mentorpulse_login", Value: "form-token"})
		r.Header.Set("User-Agent", userAgent)
	})
	if w.Code != http.StatusSeeOther {
		f.t.Fatalf("sign in as %s: %d %s", u.Email, w.Code, w.Body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == api.SessionCookie {
			s, _, err := f.db.SessionByToken(context.Background(), c.Value, models.SessionLimits{})
			if err != nil {
				f.t.Fatal(err)
			}
			return c.Value, s.CSRFToken
		}
	}
	f.t.Fatal("sign-in set no session cookie")
	return "", ""
}

const (
	firefoxWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safariIPhone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

// Every role has an account page that says who they are, how they sign in
// and where; the menu leads to it.
func TestAccountPageShowsEachRole(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cases := []struct {
		name string
		u    *models.User
		says []string
	}{
		{"admin", f.admin, []string{"admin@example.org", "Administrator", "Every program (administrator)"}},
		{"director", f.dirA, []string{"dir.a@example.org", "Program director", "Program Program A"}},
		{"resident", f.resA1, []string{"res.a1@example.org", "Resident, PGY-1", "Program Program A"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cookie, _ := f.signInAs(tc.u, firefoxWindows)
			w := f.do("GET", "/account", "", "", withSession(cookie, ""))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d\n%s", w.Code, text(w))
			}
			wantText(t, w, append(tc.says, "Your account", "Name "+tc.u.Name, "Password: Set",
				"Firefox on Windows this browser", "API tokens", "matrix", "An email address cannot be changed")...)
			if !strings.Contains(w.Body.String(), `<a href="/account" aria-current="page">Account</a>`) {
				t.Error("the menu has no current Account link")
			}
			if strings.Contains(w.Body.String(), firefoxWindows) || strings.Contains(w.Body.String(), "128.0") {
				t.Error("the page shows the user agent itself")
			}
		})
	}
	// Another page's menu leads to the account page too.
	w := f.getPage(f.resA1, "/home")
	if !strings.Contains(w.Body.String(), `<a href="/account">Account</a>`) {
		t.Errorf("the resident's home has no Account link:\n%s", w.Body)
	}
}

// A password set through a link shows its day; an account without one says
// how to get one.
func TestAccountPageSaysWhenThePasswordWasSet(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	tok, _, err := f.db.CreatePasswordLink(ctx, f.newbie.ID, models.PurposeSetup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.UsePasswordLink(ctx, tok, "amber lantern orchard"); err != nil {
		t.Fatal(err)
	}
	u, err := f.db.UserByID(ctx, f.newbie.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, f.getPage(u, "/account"), "Password: Set on 2 March 2026")
}

// sessionsOf lists u's sessions through the JSON API, as cookie.
func (f *acctFixture) sessionsOf(cookie, csrf string) []struct {
	ID      string  `json:"id"`
	Device  *string `json:"device"`
	Current bool    `json:"current"`
} {
	f.t.Helper()
	w := f.do("GET", "/api/v1/sessions", "", "", withSession(cookie, csrf))
	if w.Code != http.StatusOK {
		f.t.Fatalf("list sessions: %d %s", w.Code, w.Body)
	}
	var out struct {
		Sessions []struct {
			ID      string  `json:"id"`
			Device  *string `json:"device"`
			Current bool    `json:"current"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		f.t.Fatal(err)
	}
	return out.Sessions
}

// Ending another session from the page makes its cookie useless at once,
// and is audited; the current session goes on.
func TestAccountEndAnotherSession(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	laptop, laptopCSRF := f.signInAs(f.dirA, firefoxWindows)
	phone, _ := f.signInAs(f.dirA, safariIPhone)
	ss := f.sessionsOf(laptop, laptopCSRF)
	var phoneID string
	for _, s := range ss {
		if s.Device != nil && *s.Device == "Safari on iPhone" && !s.Current {
			phoneID = s.ID
		}
	}
	if len(ss) != 2 || phoneID == "" {
		t.Fatalf("sessions: %+v", ss)
	}
	form := url.Values{"csrf_token": {laptopCSRF}}
	w := f.do("POST", "/account/sessions/"+phoneID+"/end", "application/x-www-form-urlencoded", form.Encode(), withSession(laptop, ""))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account?done=session-ended#sessions" {
		t.Fatalf("end: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(phone, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the ended session still works: %d", w.Code)
	}
	w = f.do("GET", "/account?done=session-ended", "", "", withSession(laptop, ""))
	wantText(t, w, "The session has ended", "Firefox on Windows this browser")
	if strings.Contains(text(w), "Safari on iPhone") {
		t.Error("the ended session is still listed")
	}
	if n := f.auditCount(models.ActionSessionRevoke); n != 1 {
		t.Errorf("%d session.revoke entries, want 1", n)
	}
}

// "End all other sessions" keeps the browser that asked.
func TestAccountEndAllOtherSessionsKeepsTheCurrent(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	here, csrf := f.signInAs(f.resA1, firefoxWindows)
	var others []string
	for range 3 {
		c, _ := f.signInAs(f.resA1, safariIPhone)
		others = append(others, c)
	}
	someoneElse, _ := f.signInAs(f.resA2, safariIPhone)
	w := f.do("POST", "/account/sessions/end-others", "application/x-www-form-urlencoded", url.Values{"csrf_token": {csrf}}.Encode(), withSession(here, ""))
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "done=others-ended") {
		t.Fatalf("end others: %d %q", w.Code, w.Header().Get("Location"))
	}
	for _, c := range others {
		if w := f.do("GET", "/api/v1/session", "", "", withSession(c, "")); w.Code != http.StatusUnauthorized {
			t.Errorf("another session still works: %d", w.Code)
		}
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(here, "")); w.Code != http.StatusOK {
		t.Errorf("the current session ended too: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(someoneElse, "")); w.Code != http.StatusOK {
		t.Errorf("another user's session ended: %d", w.Code)
	}
	if ss := f.sessionsOf(here, csrf); len(ss) != 1 || !ss[0].Current {
		t.Errorf("sessions left: %+v", ss)
	}
	// With nothing left to end, the page says so and audits nothing more.
	w = f.do("POST", "/account/sessions/end-others", "application/x-www-form-urlencoded", url.Values{"csrf_token": {csrf}}.Encode(), withSession(here, ""))
	if !strings.Contains(w.Header().Get("Location"), "done=none-ended") {
		t.Errorf("second end others: %q", w.Header().Get("Location"))
	}
	if n := f.auditCount(models.ActionSessionRevoke); n != 1 {
		t.Errorf("%d session.revoke entries, want 1", n)
	}
}

// Nobody can end another user's session: the page and the API answer 404,
// as for a session that does not exist, and the session goes on.
func TestAccountCannotEndAnotherUsersSession(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	victim, _ := f.signInAs(f.resA2, firefoxWindows)
	victimID := ""
	for _, s := range f.sessionsOf(victim, "") {
		victimID = s.ID
	}
	cookie, csrf := f.signInAs(f.dirA, firefoxWindows)
	w := f.do("POST", "/account/sessions/"+victimID+"/end", "application/x-www-form-urlencoded", url.Values{"csrf_token": {csrf}}.Encode(), withSession(cookie, ""))
	if w.Code != http.StatusNotFound {
		t.Errorf("page: %d, want 404", w.Code)
	}
	for _, opt := range []func(*http.Request){withSession(cookie, csrf), withBearer(f.tokens[f.dirA])} {
		if w := f.do("DELETE", "/api/v1/sessions/"+victimID, "", "", opt); w.Code != http.StatusNotFound {
			t.Errorf("API: %d, want 404", w.Code)
		}
	}
	if w := f.do("DELETE", "/api/v1/sessions/not-an-id", "", "", withSession(cookie, csrf)); w.Code != http.StatusNotFound {
		t.Errorf("API, unknown id: %d, want 404", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(victim, "")); w.Code != http.StatusOK {
		t.Errorf("the victim's session ended: %d", w.Code)
	}
	if n := f.auditCount(models.ActionSessionRevoke); n != 0 {
		t.Errorf("%d session.revoke entries for refused requests", n)
	}
}

// Ending the current session through the API signs out: the cookie is
// cleared and stops working.
func TestAccountEndCurrentSessionSignsOut(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cookie, csrf := f.signInAs(f.resA1, firefoxWindows)
	id := f.sessionsOf(cookie, csrf)[0].ID
	w := f.do("DELETE", "/api/v1/sessions/"+id, "", "", withSession(cookie, csrf))
	if w.Code != http.StatusNoContent {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	cleared := false
	for _, c := range w.Result().Cookies() {
		cleared = cleared || c.Name == api.SessionCookie && c.MaxAge < 0
	}
	if !cleared {
		t.Error("the session cookie was not cleared")
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the ended session still works: %d", w.Code)
	}
}

var tokenSecret = regexp.MustCompile(`mpt_[A-Za-z0-9_-]+`)

// A token made on the page is shown once, works, and stops working once
// revoked there.
func TestAccountTokenShownOnceAndRevoked(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cookie, csrf := f.signInAs(f.dirA, firefoxWindows)
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		form.Set("csrf_token", csrf)
		return f.do("POST", path, "application/x-www-form-urlencoded", form.Encode(), withSession(cookie, ""))
	}
	w := post("/account/tokens", url.Values{"name": {""}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("empty name: %d", w.Code)
	}
	wantText(t, w, "One thing needs fixing", "Name is required")
	w = post("/account/tokens", url.Values{"name": {"quarterly report"}})
	if w.Code != http.StatusOK {
		t.Fatalf("create: %d\n%s", w.Code, text(w))
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the page with the secret may be cached: %q", cc)
	}
	wantText(t, w, "The token “quarterly report” is made", "shown only this once")
	secret := tokenSecret.FindString(w.Body.String())
	if secret == "" {
		t.Fatalf("no token on the page:\n%s", w.Body)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(secret)); w.Code != http.StatusOK {
		t.Fatalf("the new token does not work: %d", w.Code)
	}
	again := f.do("GET", "/account", "", "", withSession(cookie, ""))
	if strings.Contains(again.Body.String(), secret) {
		t.Error("the secret is shown again")
	}
	wantText(t, again, "quarterly report")
	ts, err := f.db.APITokens(context.Background(), f.dirA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, tk := range ts {
		if tk.Name == "quarterly report" {
			id = tk.ID
		}
	}
	w = post("/account/tokens/"+itoa(id)+"/revoke", url.Values{})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(secret)); w.Code != http.StatusUnauthorized {
		t.Errorf("the revoked token still works: %d", w.Code)
	}
	wantText(t, f.do("GET", "/account?done=token-revoked", "", "", withSession(cookie, "")), "The token is revoked", "revoked 2 March 2026")
	// Another user's token is 404 and stays live.
	other, otherSecret, err := f.db.CreateAPIToken(context.Background(), f.dirB.ID, "theirs")
	if err != nil {
		t.Fatal(err)
	}
	if w := post("/account/tokens/"+itoa(other.ID)+"/revoke", url.Values{}); w.Code != http.StatusNotFound {
		t.Errorf("another's token: %d, want 404", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(otherSecret)); w.Code != http.StatusOK {
		t.Errorf("another's token was revoked: %d", w.Code)
	}
	if n := f.auditCount(models.ActionTokenCreate); n != 1 {
		t.Errorf("%d token.create entries, want 1", n)
	}
	if n := f.auditCount(models.ActionTokenRevoke); n != 1 {
		t.Errorf("%d token.revoke entries, want 1", n)
	}
}
