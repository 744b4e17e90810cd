package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/riverqueue/river"
)

var (
	totpSecretRE   = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)
	recoveryCodeRE = regexp.MustCompile(`<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>`)
)

const pendingCookie = "mentorpulse_pending"

// code is secret's TOTP code at the fixture's clock.
func (f *acctFixture) code(secret string) string {
	f.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, f.clock.t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func withCookie(name, value string) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: value}) }
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

const formType = "application/x-www-form-urlencoded"

// enrolOnAccountPage sets up u's authenticator app from the account page
// and returns the secret and the recovery codes shown.
func (f *acctFixture) enrolOnAccountPage(u *models.User) (secret string, codes []string) {
	f.t.Helper()
	ck, csrf := f.session(u)
	w := f.do("POST", "/account/second-factor/start", formType, form("csrf_token", csrf), withSession(ck, ""))
	m := totpSecretRE.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil || !strings.Contains(w.Body.String(), `src="data:image/png;base64,`) {
		f.t.Fatalf("start enrolment: %d, secret %v, QR shown %v", w.Code, m, strings.Contains(w.Body.String(), "data:image/png"))
	}
	secret = m[1]
	if w := f.do("POST", "/account/second-factor/confirm", formType, form("csrf_token", csrf, "code", "000000"), withSession(ck, "")); w.Code != http.StatusUnprocessableEntity || recoveryCodeRE.MatchString(w.Body.String()) {
		f.t.Fatalf("a wrong confirmation code: %d", w.Code)
	}
	w = f.do("POST", "/account/second-factor/confirm", formType, form("csrf_token", csrf, "code", f.code(secret)), withSession(ck, ""))
	for _, m := range recoveryCodeRE.FindAllStringSubmatch(w.Body.String(), -1) {
		codes = append(codes, m[1])
	}
	if w.Code != http.StatusOK || len(codes) != models.RecoveryCodeCount {
		f.t.Fatalf("confirm: %d with %d recovery codes", w.Code, len(codes))
	}
	return secret, codes
}

// pendingSignIn signs in by JSON with the password and returns the problem
// and the pending cookie.
func (f *acctFixture) pendingSignIn(u *models.User) (map[string]any, string) {
	f.t.Helper()
	w := f.do("POST", "/api/v1/session", "application/json", `{"email":"`+u.Email+`","password":"`+acctPassword+`"}`)
	if w.Code != http.StatusUnauthorized || responseCookie(w, api.SessionCookie) != nil {
		f.t.Fatalf("password sign-in of a user who owes a second factor: %d, session cookie %v", w.Code, responseCookie(w, api.SessionCookie))
	}
	pc := responseCookie(w, pendingCookie)
	if pc == nil || !pc.HttpOnly {
		f.t.Fatalf("no HttpOnly pending cookie: %+v", pc)
	}
	return decode[map[string]any](f.t, w.Body.Bytes()), pc.Value
}

// submitCode sends the JSON code step and returns its status and session
// cookie.
func (f *acctFixture) submitCode(pending, code string) (int, string) {
	f.t.Helper()
	body, _ := json.Marshal(map[string]string{"code": code})
	w := f.do("POST", "/api/v1/session/second-factor", "application/json", string(body), withCookie(pendingCookie, pending))
	s := ""
	if c := responseCookie(w, api.SessionCookie); c != nil {
		s = c.Value
	}
	return w.Code, s
}

func TestSecondFactorEnrolmentAndCodeStep(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	secret, codes := f.enrolOnAccountPage(f.resA1)

	// Stored sealed and hashed, never in clear.
	sealed := f.strings("SELECT secret FROM second_factors WHERE user_id = ?", f.resA1.ID)
	if len(sealed) != 1 || strings.Contains(sealed[0], secret) {
		t.Errorf("stored secret %q is missing or in clear", sealed)
	}
	hashes := f.strings("SELECT code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", f.resA1.ID)
	sum := sha256.Sum256([]byte(strings.ReplaceAll(codes[0], "-", "")))
	if len(hashes) != 10 || !slices.Contains(hashes, hex.EncodeToString(sum[:])) {
		t.Errorf("%d stored recovery codes; the first shown is stored as its SHA-256: %v", len(hashes), slices.Contains(hashes, hex.EncodeToString(sum[:])))
	}
	// Shown once: the account page does not show them again.
	ck, _ := f.session(f.resA1)
	if w := f.do("GET", "/account/second-factor", "", "", withSession(ck, "")); w.Code != http.StatusOK || strings.Contains(w.Body.String(), codes[0]) || !strings.Contains(w.Body.String(), "Recovery codes left: 10 of 10") {
		t.Errorf("account page after enrolment: %d, shows a recovery code again: %v", w.Code, strings.Contains(w.Body.String(), codes[0]))
	}

	// The password alone is not a session.
	prob, pending := f.pendingSignIn(f.resA1)
	if prob["code"] != "second_factor_required" || prob["type"] != api.ProblemSecondFactorRequired || prob["continue"] != "POST /api/v1/session/second-factor" {
		t.Errorf("problem: %v", prob)
	}
	if st, _ := f.submitCode("", f.code(secret)); st != http.StatusUnauthorized {
		t.Errorf("a code without the pending cookie: %d", st)
	}
	// The confirmation's time step is used: the same code is refused.
	if st, s := f.submitCode(pending, f.code(secret)); st != http.StatusUnauthorized || s != "" {
		t.Errorf("the confirmation's code again: %d", st)
	}
	if st, _ := f.submitCode(pending, "123456"); st != http.StatusUnauthorized {
		t.Errorf("a wrong code: %d", st)
	}
	f.clock.advance(30 * time.Second)
	code := f.code(secret)
	st, sess := f.submitCode(pending, code)
	if st != http.StatusOK || sess == "" {
		t.Fatalf("the next code: %d, session %q", st, sess)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(sess, "")); w.Code != http.StatusOK {
		t.Errorf("the session after the code step: %d", w.Code)
	}
	if st, _ := f.submitCode(pending, code); st != http.StatusUnauthorized {
		t.Errorf("the pending sign-in still works after its session started: %d", st)
	}
	// A new sign-in within the same time step: the code is refused.
	_, pending = f.pendingSignIn(f.resA1)
	if st, _ := f.submitCode(pending, code); st != http.StatusUnauthorized {
		t.Errorf("a reused code in a new sign-in: %d", st)
	}
	// A recovery code works once, typed in any case.
	if st, s := f.submitCode(pending, strings.ToLower(codes[3])); st != http.StatusOK || s == "" {
		t.Errorf("a recovery code: %d", st)
	}
	_, pending = f.pendingSignIn(f.resA1)
	if st, _ := f.submitCode(pending, codes[3]); st != http.StatusUnauthorized {
		t.Errorf("a recovery code the second time: %d", st)
	}
	var details []string
	for _, e := range f.audits(models.ActionSignIn, f.resA1.ID) {
		details = append(details, e.Detail)
	}
	if !slices.Contains(details, "password+totp") || !slices.Contains(details, "password+recovery_code") {
		t.Errorf("sign-in audit details %v lack the factor used", details)
	}
}

func TestSecondFactorCodesAreRateLimited(t *testing.T) {
	f := newAcctFixture(t, api.Config{LoginAccountLimit: api.RateLimit{Events: 3, Per: time.Hour}})
	secret, _ := f.enrolOnAccountPage(f.resA2)
	f.clock.advance(30 * time.Second)
	_, pending := f.pendingSignIn(f.resA2)
	// The enrolment's wrong confirmation code was the first of three.
	for i := range 2 {
		if st, _ := f.submitCode(pending, "000000"); st != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+1, st)
		}
	}
	if st, _ := f.submitCode(pending, f.code(secret)); st != http.StatusTooManyRequests {
		t.Errorf("the right code after three wrong ones: %d, want 429", st)
	}
}

func TestCoveredDirectorEnrolsBeforeAnyPageAndAdminResets(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	patch := `{"require_second_factor_for":"directors"}`
	path := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	if w := f.do("PATCH", path, "application/json", patch, withBearer(f.tokens[f.dirA])); w.Code != http.StatusForbidden {
		t.Errorf("a director sets the requirement: %d", w.Code)
	}
	w := f.do("PATCH", path, "application/json", patch, withBearer(f.tokens[f.admin]))
	if w.Code != http.StatusOK || decode[map[string]any](t, w.Body.Bytes())["require_second_factor_for"] != "directors" {
		t.Fatalf("the admin sets it: %d %s", w.Code, w.Body)
	}

	// The JSON sign-in asks for enrolment on the web page.
	prob, _ := f.pendingSignIn(f.dirA)
	if prob["code"] != "second_factor_enrolment_required" || prob["continue"] != "/login/second-factor/enrol" {
		t.Errorf("problem: %v", prob)
	}
	// A resident of the same program is not covered by "directors".
	if st, s, _ := f.signIn(f.resA1.Email, acctPassword); st != http.StatusOK || s == "" {
		t.Errorf("resident's sign-in under directors: %d", st)
	}

	// The page sign-in goes to the enrolment; no page is reached first.
	token, lc := f.loginForm()
	roster := "/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/roster"
	w = f.do("POST", "/login", formType, form("csrf_token", token, "email", f.dirA.Email, "password", acctPassword, "next", roster),
		func(r *http.Request) { r.AddCookie(lc) })
	pc := responseCookie(w, pendingCookie)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login/second-factor/enrol") || pc == nil || responseCookie(w, api.SessionCookie) != nil {
		t.Fatalf("page sign-in: %d to %q, pending %v", w.Code, w.Header().Get("Location"), pc)
	}
	for _, p := range []string{roster, "/programs", "/account/second-factor", "/"} {
		w := f.do("GET", p, "", "", withCookie(pendingCookie, pc.Value))
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login/second-factor/enrol") {
			t.Errorf("GET %s before enrolling: %d to %q", p, w.Code, w.Header().Get("Location"))
		}
	}
	if st, _ := f.submitCode(pc.Value, "123456"); st != http.StatusForbidden {
		t.Errorf("the code step before enrolling: %d", st)
	}
	w = f.do("GET", "/login/second-factor/enrol?next="+url.QueryEscape(roster), "", "", withCookie(pendingCookie, pc.Value))
	m, csrf := totpSecretRE.FindStringSubmatch(w.Body.String()), hiddenCSRF.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil || csrf == nil {
		t.Fatalf("enrolment page: %d", w.Code)
	}
	if w := f.do("POST", "/login/second-factor/enrol/confirm", formType, form("csrf_token", "forged", "code", f.code(m[1])), withCookie(pendingCookie, pc.Value)); w.Code != http.StatusForbidden {
		t.Errorf("enrolment without its CSRF token: %d", w.Code)
	}
	w = f.do("POST", "/login/second-factor/enrol/confirm", formType, form("csrf_token", csrf[1], "code", f.code(m[1]), "next", roster), withCookie(pendingCookie, pc.Value))
	sc := responseCookie(w, api.SessionCookie)
	if w.Code != http.StatusOK || sc == nil || len(recoveryCodeRE.FindAllString(w.Body.String(), -1)) != 10 || !strings.Contains(w.Body.String(), `href="`+roster+`"`) {
		t.Fatalf("confirm at sign-in: %d, session %v", w.Code, sc)
	}
	if w := f.do("GET", roster, "", "", withSession(sc.Value, "")); w.Code != http.StatusOK {
		t.Errorf("roster after enrolling: %d", w.Code)
	}

	// An admin resets it from the roster; a director may not.
	reset := roster + "/members/" + strconv.FormatInt(f.dirA.ID, 10) + "/second-factor/reset"
	dck, dcsrf := f.session(f.dirA)
	if w := f.do("POST", reset, formType, form("csrf_token", dcsrf), withSession(dck, "")); w.Code != http.StatusForbidden {
		t.Errorf("a director resets: %d", w.Code)
	}
	ack, acsrf := f.session(f.admin)
	if w := f.do("GET", roster, "", "", withSession(ack, "")); !strings.Contains(w.Body.String(), `action="`+reset+`"`) {
		t.Error("the admin's roster has no reset button for an enrolled director")
	}
	if w := f.do("POST", reset, formType, form("csrf_token", acsrf), withSession(ack, "")); w.Code != http.StatusSeeOther {
		t.Fatalf("admin reset: %d %s", w.Code, w.Body)
	}
	if has, err := f.db.HasSecondFactor(ctx, f.dirA.ID); err != nil || has {
		t.Errorf("after reset: has %v, %v", has, err)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(sc.Value, "")); w.Code != http.StatusUnauthorized {
		t.Errorf("the director's session survives the reset: %d", w.Code)
	}
	if es := f.audits(models.ActionSecondFactorReset, f.dirA.ID); len(es) != 1 || es[0].ActorID == nil || *es[0].ActorID != f.admin.ID {
		t.Errorf("reset audit entries: %+v", es)
	}
	jobs, err := f.delivery.River().JobList(ctx, river.NewJobListParams().Kinds("send_second_factor_reset"))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs.Jobs) != 1 {
		t.Fatalf("queued notices: %d", len(jobs.Jobs))
	}
	// The job carries the user's id and nothing else.
	if args := decode[map[string]any](t, jobs.Jobs[0].EncodedArgs); len(args) != 1 || args["user_id"] != float64(f.dirA.ID) {
		t.Errorf("notice job args %v", args)
	}
	// The password signs in again and, covered still, must enrol again.
	if prob, _ := f.pendingSignIn(f.dirA); prob["code"] != "second_factor_enrolment_required" {
		t.Errorf("after reset: %v", prob)
	}
}

// strings runs a query of one text column, ? placeholders on both engines.
func (f *acctFixture) strings(query string, args ...any) []string {
	f.t.Helper()
	if f.db.Dialect == models.Postgres {
		for i := 1; strings.Contains(query, "?"); i++ {
			query = strings.Replace(query, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	db, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	rows, err := db.Query(query, args...)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// audits are the audit entries of action on user id.
func (f *acctFixture) audits(action string, userID int64) []models.AuditEntry {
	f.t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []models.AuditEntry
	for _, r := range rows {
		if r.Action == action && r.Target == "user:"+strconv.FormatInt(userID, 10) {
			out = append(out, r.AuditEntry)
		}
	}
	return out
}

// The admin page says when a program has the requirement off and sets it;
// the JSON reset answers 204 and leaves the user with their password only.
func TestAdminPagesShowAndSetTheSecondFactorRequirement(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ck, csrf := f.session(f.admin)
	w := f.do("GET", "/admin/programs", "", "", withSession(ck, ""))
	if w.Code != http.StatusOK || strings.Count(w.Body.String(), "Second factor not required") != 2 {
		t.Fatalf("admin programs page: %d, says \"not required\" %d times, want once per program", w.Code, strings.Count(w.Body.String(), "Second factor not required"))
	}
	a := strconv.FormatInt(f.progA.ID, 10)
	w = f.do("POST", "/admin/programs/"+a+"/release", formType, form("csrf_token", csrf, "release_window", f.progA.ReleaseWindow,
		"academic_year_start_month", strconv.Itoa(f.progA.AcademicYearStartMonth), "min_mentees", strconv.Itoa(f.progA.MinMentees),
		"mentee_email_domains", "student.example", "require_second_factor_for", "staff"), withSession(ck, ""))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", w.Code, w.Body)
	}
	if p, err := f.db.ProgramByID(context.Background(), f.progA.ID); err != nil || p.RequireSecondFactorFor != models.SecondFactorStaff {
		t.Fatalf("stored %q, %v", p.RequireSecondFactorFor, err)
	}
	w = f.do("GET", "/admin/programs", "", "", withSession(ck, ""))
	if !strings.Contains(w.Body.String(), "Required for its directors and residents (and every admin).") || strings.Count(w.Body.String(), "Second factor not required") != 1 {
		t.Error("the page does not say program A requires a second factor")
	}
	// Staff covers residents: res.a1 must enrol now.
	if prob, _ := f.pendingSignIn(f.resA1); prob["code"] != "second_factor_enrolment_required" {
		t.Errorf("resident under staff: %v", prob)
	}

	f.enrolOnAccountPage(f.resA2)
	path := "/api/v1/users/" + strconv.FormatInt(f.resA2.ID, 10) + "/second-factor/reset"
	if w := f.do("POST", path, "application/json", "", withBearer(f.tokens[f.dirA])); w.Code != http.StatusForbidden {
		t.Errorf("a director's reset: %d", w.Code)
	}
	if w := f.do("POST", path, "application/json", "", withBearer(f.tokens[f.admin])); w.Code != http.StatusNoContent {
		t.Fatalf("admin's reset: %d %s", w.Code, w.Body)
	}
	if prob, _ := f.pendingSignIn(f.resA2); prob["code"] != "second_factor_enrolment_required" {
		t.Errorf("after reset under staff: %v", prob)
	}
}
