package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/riverqueue/river"
)

const forgotAnswer = "If an account exists for that address, we have emailed a link to set a new password. It works once, for 1 hour."

var setPasswordLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/set-password/([A-Za-z0-9_-]+)`)

// forgotForm fetches the forgotten-password page and returns its form token
// and cookie.
func (f *acctFixture) forgotForm() (token string, cookie *http.Cookie) {
	f.t.Helper()
	w := f.do("GET", "/forgot-password", "", "")
	if w.Code != http.StatusOK {
		f.t.Fatalf("GET /forgot-password: %d", w.Code)
	}
	m := hiddenCSRF.FindStringSubmatch(w.Body.String())
	c := responseCookie(w, "mentorpulse_forgot")
	if m == nil || c == nil || c.Value != m[1] || !c.HttpOnly {
		f.t.Fatalf("forgotten-password page has no form token matching its cookie: %v %+v", m, c)
	}
	return m[1], c
}

// requestReset posts the form from remote (an IP:port) for email, and waits
// for the work the answer leaves behind.
func (f *acctFixture) requestReset(email, remote string) *http.Response {
	f.t.Helper()
	token, cookie := f.forgotForm()
	form := url.Values{"csrf_token": {token}, "email": {email}}
	w := f.do("POST", "/forgot-password", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) {
		r.AddCookie(cookie)
		r.RemoteAddr = remote
	})
	if err := f.srv.WaitAfterResponse(f.t.Context()); err != nil {
		f.t.Fatal(err)
	}
	return w.Result()
}

// newForgotFixture is the accounts fixture with a running delivery service
// sending to a test SMTP server.
func newForgotFixture(t *testing.T) (*acctFixture, *deliverytest.SMTPServer, *delivery.Service) {
	t.Helper()
	smtpSrv := deliverytest.NewSMTPServer(t)
	mailer, err := delivery.NewSMTPMailer(smtpSrv.URL())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := delivery.NewKeyring("forgotten password test secret, thirty-two+ characters")
	if err != nil {
		t.Fatal(err)
	}
	// The service needs the fixture's database, which the fixture makes: build
	// the fixture first with a placeholder, then the real server.
	f := newAcctFixture(t, api.Config{})
	svc, err := delivery.New(f.db, delivery.Config{BaseURL: acctBaseURL, Mailer: mailer, Keyring: keys,
		Logger: quietLog, PollInterval: 20 * time.Millisecond, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		svc.Stop(ctx)
	})
	if f.srv, err = api.New(f.db, api.Config{BaseURL: acctBaseURL, Logger: quietLog, Delivery: svc}); err != nil {
		t.Fatal(err)
	}
	return f, smtpSrv, svc
}

var quietLog = slog.New(slog.DiscardHandler)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func countRows(t *testing.T, f *acctFixture, query string) int {
	t.Helper()
	db, err := f.db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func bodyOf(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func resetAudits(t *testing.T, f *acctFixture) []string {
	t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.Action == "password.reset_requested" {
			if r.ActorID != nil {
				t.Errorf("reset request audited with actor %d, want none", *r.ActorID)
			}
			out = append(out, r.Target)
		}
	}
	return out
}

func TestForgottenPasswordEmailsAWorkingLinkOnlyToActiveAccounts(t *testing.T) {
	f, smtpSrv, svc := newForgotFixture(t)
	if w := f.do("GET", "/login", "", ""); !strings.Contains(w.Body.String(), `href="/forgot-password"`) {
		t.Error("the sign-in page has no link to the forgotten-password form")
	}
	// Unknown and deactivated addresses first: same page, no email, no job.
	for i, email := range []string{"nobody@example.org", "gone@example.org", "res.a1@example.org"} {
		r := f.requestReset(email, "192.0.2."+itoa(int64(i+1))+":1234")
		body := bodyOf(t, r)
		if r.StatusCode != http.StatusOK || !strings.Contains(body, forgotAnswer) {
			t.Fatalf("%s: status %d, page without the one answer:\n%s", email, r.StatusCode, body)
		}
		if strings.Contains(body, email) {
			t.Errorf("%s: the answer repeats the address", email)
		}
	}
	mails := smtpSrv.WaitForMails(1)
	jobs, err := svc.River().JobList(context.Background(), river.NewJobListParams().Kinds("send_password_link"))
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 || len(jobs.Jobs) != 1 {
		t.Fatalf("%d emails and %d jobs, want one of each (for the active account only)", len(mails), len(jobs.Jobs))
	}
	m := mails[0]
	// The fixture's clock reads 2 March 2026, 09:00 UTC: a reset link lasts
	// an hour.
	if m.To != "res.a1@example.org" || !strings.Contains(m.Text, "stays open until Monday 2 March 2026, 10:00 UTC") {
		t.Errorf("email to %q:\n%s", m.To, m.Text)
	}
	if strings.Contains(string(jobs.Jobs[0].EncodedArgs), "@") {
		t.Errorf("the job carries more than the link id: %s", jobs.Jobs[0].EncodedArgs)
	}
	sub := setPasswordLinkRE.FindStringSubmatch(m.Text)
	if sub == nil || !strings.Contains(m.HTML, sub[0]) {
		t.Fatalf("no set-password link in both parts:\n%s\n%s", m.Text, m.HTML)
	}
	if strings.Contains(string(jobs.Jobs[0].EncodedArgs), sub[1]) {
		t.Error("the job carries the token")
	}
	deliverytest.WaitFor(t, "the sealed token to be erased", func() bool {
		return countRows(t, f, "SELECT count(*) FROM password_links WHERE sealed_token IS NOT NULL") == 0
	})
	path := "/set-password/" + sub[1]
	if w := f.do("GET", path, "", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Choose a new password") {
		t.Fatalf("GET %s: %d", path, w.Code)
	}
	newPassword := "harbour cinnamon violin"
	form := url.Values{"password": {newPassword}, "confirm": {newPassword}}
	if w := f.do("POST", path, "application/x-www-form-urlencoded", form.Encode()); w.Code != http.StatusOK {
		t.Fatalf("POST %s: %d", path, w.Code)
	}
	if w := f.do("POST", "/api/v1/session", "application/json", `{"email":"res.a1@example.org","password":"`+newPassword+`"}`); w.Code != http.StatusOK {
		t.Errorf("sign in with the new password: %d", w.Code)
	}
	if w := f.do("GET", path, "", ""); w.Code != http.StatusGone {
		t.Errorf("the link opened again after use: %d", w.Code)
	}
	got := resetAudits(t, f)
	want := map[string]bool{"user:" + itoa(f.gone.ID): true, "user:" + itoa(f.resA1.ID): true}
	if len(got) != 2 || !want[got[0]] || !want[got[1]] {
		t.Errorf("audited reset requests for %v, want the two real accounts only", got)
	}
}

func TestForgottenPasswordFormNeedsItsCookie(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	token, _ := f.forgotForm()
	form := url.Values{"csrf_token": {token}, "email": {"res.a1@example.org"}}
	if w := f.do("POST", "/forgot-password", "application/x-www-form-urlencoded", form.Encode()); w.Code != http.StatusForbidden {
		t.Errorf("form without its cookie: %d, want 403", w.Code)
	}
	_, cookie := f.forgotForm()
	form.Del("csrf_token")
	if w := f.do("POST", "/forgot-password", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) }); w.Code != http.StatusForbidden {
		t.Errorf("form without its token: %d, want 403", w.Code)
	}
	if got := resetAudits(t, f); len(got) != 0 {
		t.Errorf("refused forms were acted on: %v", got)
	}
}

func TestForgottenPasswordIsRateLimitedPerIPAndPerAddress(t *testing.T) {
	f := newAcctFixture(t, api.Config{
		LoginIPLimit:      api.RateLimit{Events: 2, Per: time.Hour},
		LoginAccountLimit: api.RateLimit{Events: 3, Per: time.Hour},
	})
	for i, email := range []string{"a@example.org", "b@example.org"} {
		if r := f.requestReset(email, "198.51.100.7:1000"); r.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, r.StatusCode)
		}
	}
	r := f.requestReset("c@example.org", "198.51.100.7:1000")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("third request from one IP: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Per address, from IPs of their own.
	for i := range 3 {
		if r := f.requestReset("res.a2@example.org", "203.0.113."+itoa(int64(i+1))+":1000"); r.StatusCode != http.StatusOK {
			t.Fatalf("address request %d: %d", i+1, r.StatusCode)
		}
	}
	r = f.requestReset("RES.A2@example.org", "203.0.113.9:1000")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth request for one address: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Sign-in has buckets of its own: the requests lock nobody out.
	if w := f.do("POST", "/api/v1/session", "application/json", `{"email":"res.a2@example.org","password":"`+acctPassword+`"}`, func(r *http.Request) { r.RemoteAddr = "198.51.100.7:1000" }); w.Code != http.StatusOK {
		t.Errorf("sign-in after reset requests: %d", w.Code)
	}
}

func TestForgottenPasswordWithoutDeliveryAnswersAlikeAndSendsNothing(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	var err error
	if f.srv, err = api.New(f.db, api.Config{BaseURL: acctBaseURL, Logger: quietLog}); err != nil {
		t.Fatal(err)
	}
	r := f.requestReset("res.a1@example.org", "192.0.2.50:1")
	if body := bodyOf(t, r); r.StatusCode != http.StatusOK || !strings.Contains(body, forgotAnswer) {
		t.Fatalf("status %d:\n%s", r.StatusCode, body)
	}
	if n := countRows(t, f, "SELECT count(*) FROM password_links"); n != 0 {
		t.Errorf("%d password links made with no way to send them", n)
	}
}
