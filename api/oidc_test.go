package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// ssoFixture is the accounts fixture served on 127.0.0.1 with single
// sign-on through a provider of the test's own (oidc_provider_test.go).
type ssoFixture struct {
	*acctFixture
	op   *testOP
	app  *httptest.Server
	logs *syncBuffer
}

func newSSOFixture(t *testing.T, only string) *ssoFixture {
	t.Helper()
	return newSSOFixtureWith(t, only, "")
}

// newSSOFixtureWith is newSSOFixture for a Google Workspace–style
// provider: hostedDomain, when set, is the hd claim accounts must carry.
func newSSOFixtureWith(t *testing.T, only, hostedDomain string) *ssoFixture {
	t.Helper()
	op := newTestOP(t)
	app := httptest.NewUnstartedServer(nil)
	logs := &syncBuffer{}
	cfg := op.config(only)
	cfg.HostedDomain = hostedDomain
	f := newAcctFixture(t, api.Config{BaseURL: "http://" + app.Listener.Addr().String(), OIDC: cfg,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	// Cookies expire by the real clock in a real client.
	f.clock.t = time.Now()
	app.Config.Handler = f.srv.Handler()
	app.Start()
	t.Cleanup(app.Close)
	return &ssoFixture{acctFixture: f, op: op, app: app, logs: logs}
}

// noRedirects is a client that shows each step of the flow.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (f *ssoFixture) get(rawURL string, cookies ...*http.Cookie) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// begin starts a sign-in at the service, lets the provider sign email in,
// and returns the flow cookie and the callback URL the provider sent the
// browser back to, not yet followed.
func (f *ssoFixture) begin(email string, claims func(map[string]any), tamper bool) (*http.Cookie, string) {
	f.t.Helper()
	f.op.signIn(email, claims, tamper)
	resp, _ := f.get(f.app.URL + "/auth/oidc/start?next=/programs")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), f.op.srv.URL+"/authorize?") {
		f.t.Fatalf("start: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var flow *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "mentorpulse_oidc" {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge <= 0 || flow.MaxAge > 900 {
		f.t.Fatalf("start sets no short-lived HttpOnly SameSite=Lax flow cookie: %+v", flow)
	}
	resp, body := f.get(resp.Header.Get("Location"))
	cb := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(cb, f.app.URL+"/auth/oidc/callback?") {
		f.t.Fatalf("the provider refused the authorization request: %d %s", resp.StatusCode, body)
	}
	return flow, cb
}

// sessionCookie is the session cookie a response set, or nil.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie && c.Value != "" {
			return c
		}
	}
	return nil
}

// auditDetails lists the details of the entries of one action, oldest first.
func (f *ssoFixture) auditDetails(action string) []string {
	f.t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Action == action {
			out = append(out, rows[i].Detail)
		}
	}
	return out
}

// A known director signs in through the provider in a browser that follows
// every redirect: the address matches whatever its case, the session is an
// ordinary one, the audit log says how they came in, and signing out links
// to the provider's own sign-out.
func TestSSOSignsInAKnownUser(t *testing.T) {
	f := newSSOFixture(t, "none")
	if w := f.do("GET", "/login?next=/home", "", ""); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), `href="/auth/oidc/start?next=%2fhome">Sign in with Hospital SSO</a>`) ||
		!strings.Contains(w.Body.String(), `name="password"`) {
		t.Fatalf("the sign-in page does not offer single sign-on above the password form: %d\n%s", w.Code, w.Body)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	f.op.signIn("Dir.A@Example.ORG", nil, false)
	resp, err := browser.Get(f.app.URL + "/auth/oidc/start?next=/programs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/programs" {
		t.Fatalf("after signing in: %d at %s, want 200 at /programs", resp.StatusCode, resp.Request.URL)
	}
	appURL, _ := url.Parse(f.app.URL)
	var cookie string
	for _, c := range jar.Cookies(appURL) {
		if c.Name == api.SessionCookie {
			cookie = c.Value
		}
	}
	w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, ""))
	var sv struct {
		User      struct{ Email string }
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &sv); err != nil || w.Code != http.StatusOK || sv.User.Email != f.dirA.Email {
		t.Fatalf("the session from single sign-on: %d %s", w.Code, w.Body)
	}
	if got := f.auditDetails(models.ActionSignIn); len(got) != 1 || got[0] != "oidc:Hospital SSO" {
		t.Errorf("session.sign_in details %q, want one oidc:Hospital SSO", got)
	}

	if w := f.do("GET", "/account", "", "", withSession(cookie, "")); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "<strong>Single sign-on:</strong> with Hospital SSO") {
		t.Errorf("the account page does not list single sign-on: %d\n%s", w.Code, w.Body)
	}

	// The same session as a password's: CSRF on forms, and sign-out ends it.
	if w := f.do("POST", "/logout", "application/x-www-form-urlencoded", "", withSession(cookie, "")); w.Code != http.StatusForbidden {
		t.Errorf("sign-out without the CSRF token: %d, want 403", w.Code)
	}
	w = f.do("POST", "/logout", "application/x-www-form-urlencoded", url.Values{"csrf_token": {sv.CSRFToken}}.Encode(), withSession(cookie, ""))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?signed_out=1" {
		t.Fatalf("sign-out: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(cookie, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the session still works after signing out: %d", w.Code)
	}
	w = f.do("GET", "/login?signed_out=1", "", "")
	if !strings.Contains(w.Body.String(), `href="`+f.op.srv.URL+`/logout?client_id=mentorpulse-test">Also sign out of Hospital SSO</a>`) {
		t.Errorf("the signed-out page does not link to the provider's sign-out:\n%s", w.Body)
	}

	// A password sign-in records its own method.
	body, _ := json.Marshal(map[string]string{"email": f.resA1.Email, "password": acctPassword})
	if w := f.do("POST", "/api/v1/session", "application/json", string(body)); w.Code != http.StatusOK {
		t.Fatalf("password sign-in beside single sign-on: %d %s", w.Code, w.Body)
	}
	if got := f.auditDetails(models.ActionSignIn); len(got) != 2 || got[1] != "password" {
		t.Errorf("session.sign_in details %q, want password last", got)
	}
}

// Every answer that must not sign anyone in is refused with a page that
// says what to do, starts no session, and is audited with its reason only:
// nothing from the token (the address least of all) reaches the audit log
// or the server log.
func TestSSORefusals(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name   string
		email  string
		claims func(map[string]any)
		tamper bool
		status int
		reason string
		page   string
		hd     string // the hosted domain the deployment requires
	}{
		{name: "unknown-email-403", email: "stranger@elsewhere.example", status: 403, reason: "unknown email", page: "Ask your program director to add you"},
		{name: "deactivated-403", email: "gone@example.org", status: 403, reason: "account deactivated", page: "Ask your program director to add you"},
		{name: "tampered-token-401", email: "res.a1@example.org", tamper: true, status: 401, reason: "ID token not valid", page: "could not be checked"},
		{name: "wrong-audience-401", email: "dir.a@example.org", claims: func(c map[string]any) { c["aud"] = "another-app" }, status: 401, reason: "ID token not valid", page: "could not be checked"},
		{name: "wrong-issuer-401", email: "dir.a@example.org", claims: func(c map[string]any) { c["iss"] = "https://idp.elsewhere.example" }, status: 401, reason: "ID token not valid", page: "could not be checked"},
		{name: "expired-token-401", email: "dir.a@example.org", claims: func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(-time.Hour).Unix(), now.Add(-30*time.Minute).Unix()
		}, status: 401, reason: "ID token expired", page: "could not be checked"},
		{name: "wrong-nonce-401", email: "dir.a@example.org", claims: func(c map[string]any) { c["nonce"] = "the nonce of another sign-in" }, status: 401, reason: "nonce mismatch", page: "could not be checked"},
		{name: "unverified-email-401", email: "dir.a@example.org", claims: func(c map[string]any) { c["email_verified"] = false }, status: 401, reason: "no verified email", page: "could not be checked"},
		// A staff address registered as a personal Google account: valid,
		// verified, but not of the organisation's Workspace.
		{name: "no-hosted-domain-403", email: "dir.a@example.org", hd: "example.org", status: 403, reason: "not an account of the hosted domain", page: "not one of your organisation"},
		{name: "other-hosted-domain-403", email: "dir.a@example.org", hd: "example.org", claims: func(c map[string]any) { c["hd"] = "elsewhere.example" }, status: 403, reason: "not an account of the hosted domain", page: "not one of your organisation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSSOFixtureWith(t, "none", tc.hd)
			flow, cb := f.begin(tc.email, tc.claims, tc.tamper)
			resp, body := f.get(cb, flow)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.page) {
				t.Fatalf("callback: %d, want %d with %q\n%s", resp.StatusCode, tc.status, tc.page, body)
			}
			if f.op.issued() != 1 {
				t.Errorf("the provider issued %d ID tokens, want 1: the refusal must come from checking it", f.op.issued())
			}
			if c := sessionCookie(resp); c != nil {
				t.Errorf("a refused sign-in set a session cookie")
			}
			if got := f.auditDetails(models.ActionSignIn); len(got) != 0 {
				t.Errorf("a refused sign-in was audited as a sign-in: %q", got)
			}
			if got := f.auditDetails(models.ActionSignInFailed); len(got) != 1 || got[0] != "oidc:Hospital SSO: "+tc.reason {
				t.Errorf("refusals audited %q, want one %q", got, "oidc:Hospital SSO: "+tc.reason)
			}
			rows, _ := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
			for _, r := range rows {
				if strings.Contains(r.Detail+r.Target, "@") {
					t.Errorf("audit entry %s keeps an address: %q %q", r.Action, r.Target, r.Detail)
				}
			}
			if strings.Contains(f.logs.String(), tc.email) {
				t.Errorf("the server log keeps the address:\n%s", f.logs)
			}
		})
	}
}

// With a hosted domain required (Google Workspace), an account of that
// domain signs in, whatever the case the provider writes it in; the
// refusals of others are in TestSSORefusals.
func TestSSOWithAHostedDomainSignsInItsAccounts(t *testing.T) {
	f := newSSOFixtureWith(t, "none", "example.org")
	flow, cb := f.begin(f.dirA.Email, func(c map[string]any) { c["hd"] = "Example.ORG" }, false)
	resp, body := f.get(cb, flow)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/programs" || sessionCookie(resp) == nil {
		t.Fatalf("an account of the hosted domain: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if got := f.auditDetails(models.ActionSignIn); len(got) != 1 || got[0] != "oidc:Hospital SSO" {
		t.Errorf("session.sign_in details %q, want one oidc:Hospital SSO", got)
	}
}

// The state serves once and only with the cookie of the browser that
// started the sign-in: a replayed callback (the provider here would redeem
// the code again), a callback of another sign-in and one without the
// cookie are all refused before any token is asked for.
func TestSSOStateIsCheckedAndSingleUse(t *testing.T) {
	f := newSSOFixture(t, "none")
	flow, cb := f.begin(f.dirA.Email, nil, false)
	resp, _ := f.get(cb, flow)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/programs" || sessionCookie(resp) == nil {
		t.Fatalf("first callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	issued := f.op.issued()
	resp, body := f.get(cb, flow)
	if resp.StatusCode != http.StatusBadRequest || sessionCookie(resp) != nil || !strings.Contains(body, "expired or was already used") {
		t.Fatalf("replayed callback: %d\n%s", resp.StatusCode, body)
	}
	otherFlow, _ := f.begin(f.dirA.Email, nil, false)
	if resp, _ := f.get(cb, otherFlow); resp.StatusCode != http.StatusBadRequest || sessionCookie(resp) != nil {
		t.Errorf("callback with another sign-in's cookie: %d", resp.StatusCode)
	}
	if resp, _ := f.get(cb); resp.StatusCode != http.StatusBadRequest || sessionCookie(resp) != nil {
		t.Errorf("callback without the flow cookie: %d", resp.StatusCode)
	}
	forged := &http.Cookie{Name: flow.Name, Value: strings.Replace(flow.Value, ".", "x.", 1)}
	if resp, _ := f.get(cb, forged); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback with an altered flow cookie: %d", resp.StatusCode)
	}
	if f.op.issued() != issued {
		t.Errorf("refused callbacks still asked the provider for tokens")
	}
	want := []string{"oidc:Hospital SSO: state reused", "oidc:Hospital SSO: state mismatch", "oidc:Hospital SSO: missing or expired state", "oidc:Hospital SSO: missing or expired state"}
	if got := f.auditDetails(models.ActionSignInFailed); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("refusals audited %q, want %q", got, want)
	}
}

// With MENTORPULSE_OIDC_ONLY=staff a director's right password is refused,
// on the page and the JSON API alike, with the provider's name; a wrong one
// is refused as before (so the refusal tells nothing to whoever lacks the
// password), and a resident still signs in with theirs.
func TestSSOOnlyRefusesStaffPasswords(t *testing.T) {
	f := newSSOFixture(t, "staff")
	signIn := func(email, password string) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]string{"email": email, "password": password})
		return f.do("POST", "/api/v1/session", "application/json", string(body))
	}
	for _, u := range []*models.User{f.dirA, f.admin} {
		w := signIn(u.Email, acctPassword)
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Sign in with Hospital SSO") || sessionCookie(w.Result()) != nil {
			t.Errorf("%s's password on the API: %d %s", u.Email, w.Code, w.Body)
		}
	}
	if w := signIn(f.dirA.Email, "not the password"); w.Code != http.StatusUnauthorized {
		t.Errorf("a wrong director password: %d, want 401 as for anyone", w.Code)
	}
	if w := signIn(f.resA1.Email, acctPassword); w.Code != http.StatusOK {
		t.Errorf("a resident's password: %d", w.Code)
	}
	token, cookie := f.loginForm()
	form := url.Values{"csrf_token": {token}, "email": {f.dirA.Email}, "password": {acctPassword}, "next": {"/home"}}
	w := f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) })
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Sign in with Hospital SSO: this account does not sign in with a password.") {
		t.Errorf("a director's password on the page: %d\n%s", w.Code, w.Body)
	}
	if sessionCookie(w.Result()) != nil {
		t.Error("a refused password set a session cookie")
	}
	want := []string{"password refused: single sign-on only", "password refused: single sign-on only", "", "password refused: single sign-on only"}
	if got := f.auditDetails(models.ActionSignInFailed); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("refusals audited %q, want %q", got, want)
	}
	// The director comes in through the provider instead.
	flow, cb := f.begin(f.dirA.Email, nil, false)
	if resp, _ := f.get(cb, flow); resp.StatusCode != http.StatusSeeOther || sessionCookie(resp) == nil {
		t.Errorf("the director through single sign-on: %d", resp.StatusCode)
	}
}

// With MENTORPULSE_OIDC_ONLY=all the sign-in page has no password form and
// no password is taken, whoever's.
func TestSSOOnlyAllRefusesEveryPassword(t *testing.T) {
	f := newSSOFixture(t, "all")
	w := f.do("GET", "/login", "", "")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `name="password"`) || !strings.Contains(w.Body.String(), "Sign in with Hospital SSO") {
		t.Errorf("sign-in page: %d\n%s", w.Code, w.Body)
	}
	body, _ := json.Marshal(map[string]string{"email": f.resA1.Email, "password": acctPassword})
	if w := f.do("POST", "/api/v1/session", "application/json", string(body)); w.Code != http.StatusForbidden {
		t.Errorf("a resident's password: %d %s", w.Code, w.Body)
	}
}

// A provider that cannot be reached does not stop the service: the start
// says so (503, logged with the reason) and passwords still work; someone
// who cancels at the provider is told they were not signed in.
func TestSSOProviderDownOrCancelled(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	logs := &syncBuffer{}
	f := newAcctFixture(t, api.Config{OIDC: &api.OIDCConfig{Issuer: down.URL, ClientID: "c", ClientSecret: "s", Name: "Hospital SSO"},
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	w := f.do("GET", "/auth/oidc/start", "", "", func(r *http.Request) { r.Header.Set("Accept", "text/html") })
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "Hospital SSO cannot be reached") {
		t.Errorf("start with the provider down: %d\n%s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "discovery document cannot be read") {
		t.Errorf("the outage is not logged:\n%s", logs)
	}
	body, _ := json.Marshal(map[string]string{"email": f.dirA.Email, "password": acctPassword})
	if w := f.do("POST", "/api/v1/session", "application/json", string(body)); w.Code != http.StatusOK {
		t.Errorf("password sign-in with the provider down: %d", w.Code)
	}

	sf := newSSOFixture(t, "none")
	flow, cb := sf.begin(sf.dirA.Email, nil, false)
	u, _ := url.Parse(cb)
	q := u.Query()
	q.Del("code")
	q.Set("error", "access_denied")
	u.RawQuery = q.Encode()
	resp, page := sf.get(u.String(), flow)
	if resp.StatusCode != http.StatusUnauthorized || sessionCookie(resp) != nil || !strings.Contains(page, "Hospital SSO did not sign you in") {
		t.Errorf("cancelled at the provider: %d\n%s", resp.StatusCode, page)
	}
}
