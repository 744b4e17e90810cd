package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
)

const testEmailTo = "it.desk@hospital.example"

// asUser sends a request as u, signed in, with a form body when form is
// not nil.
func (f *acctFixture) asUser(u *models.User, method, path string, form url.Values) *statusAnswer {
	f.t.Helper()
	cookie, csrf := f.session(u)
	ct, body := "", ""
	if form != nil {
		ct, body = "application/x-www-form-urlencoded", form.Encode()
	}
	w := f.do(method, path, ct, body, withSession(cookie, csrf))
	return &statusAnswer{Code: w.Code, Body: w.Body.String()}
}

// statusAnswer is the status and body of one answer.
type statusAnswer struct {
	Code int
	Body string
}

// The admin's System status page shows the engine, the migration, the
// queue, the mail server's check, whether the secret key is set and the
// base URL; other roles are refused.
func TestSystemStatusShowsTheDeploymentToAdminsOnly(t *testing.T) {
	f, smtp, _ := newForgotFixture(t)
	ctx := context.Background()
	version, err := f.db.MigrationVersion(ctx)
	if err != nil || version == 0 {
		t.Fatalf("migration version %d (%v)", version, err)
	}
	w := f.asUser(f.admin, "GET", "/admin/status", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /admin/status as admin: %d\n%s", w.Code, w.Body)
	}
	engine := map[string]string{models.Postgres: "PostgreSQL", models.SQLite: "SQLite"}[f.db.Dialect]
	for _, want := range []string{
		"<dd>" + engine + "</dd>",
		"<dd>" + strconv.Itoa(version) + "</dd>",
		"<dd>" + acctBaseURL + "</dd>",
		strings.TrimPrefix(smtp.URL(), "smtp://"),
		"works: the server answered, TLS and sign-in included where configured",
		"<strong>not set</strong>",
		`href="/admin/status"`,
		`name="to"`,
	} {
		if !strings.Contains(w.Body, want) {
			t.Errorf("the status page does not show %q", want)
		}
	}
	for _, u := range []*models.User{f.dirA, f.resA1} {
		if w := f.asUser(u, "GET", "/admin/status", nil); w.Code != http.StatusForbidden {
			t.Errorf("GET /admin/status as %s: %d, want 403", u.Role, w.Code)
		}
		if w := f.asUser(u, "POST", "/admin/status/test-email", url.Values{"to": {testEmailTo}}); w.Code != http.StatusForbidden {
			t.Errorf("test email as %s: %d, want 403", u.Role, w.Code)
		}
	}
	if n := len(smtp.Mails()); n != 0 {
		t.Errorf("%d emails sent by refused requests", n)
	}
}

// "Send a test email" sends one email to the typed address, says whether
// the server took it, and audits the outcome without the address.
func TestSystemStatusSendsAnAuditedTestEmail(t *testing.T) {
	f, smtp, _ := newForgotFixture(t)
	w := f.asUser(f.admin, "POST", "/admin/status/test-email", url.Values{"to": {testEmailTo}})
	if w.Code != http.StatusOK || !strings.Contains(w.Body, "Test email sent: the mail server accepted it.") {
		t.Fatalf("test email: %d\n%s", w.Code, w.Body)
	}
	if m := smtp.Mails(); len(m) != 1 || m[0].To != testEmailTo {
		t.Fatalf("the server got %+v, want one email to %s", m, testEmailTo)
	}

	refused := "refuses.mail@hospital.example"
	smtp.Refuse(refused)
	w = f.asUser(f.admin, "POST", "/admin/status/test-email", url.Values{"to": {refused}})
	if w.Code != http.StatusOK || !strings.Contains(w.Body, "Test email not sent: recipient refused") || !strings.Contains(w.Body, "550") {
		t.Errorf("refused test email: %d, without the reason\n%s", w.Code, w.Body)
	}
	w = f.asUser(f.admin, "POST", "/admin/status/test-email", url.Values{"to": {"not an address"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body, `id="test-to-error"`) {
		t.Errorf("bad address: %d, want 422 with the field's error\n%s", w.Code, w.Body)
	}

	log, err := f.db.AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range log {
		if strings.Contains(e.Detail+e.Target, "hospital") {
			t.Errorf("audit entry %s holds the typed address: %q %q", e.Action, e.Target, e.Detail)
		}
		if e.Action == models.ActionMailTest {
			if e.ActorID == nil || *e.ActorID != f.admin.ID {
				t.Errorf("test email audited for actor %v, want the admin", e.ActorID)
			}
			details = append(details, e.Detail)
		}
	}
	want := []string{"test email not sent: recipient refused", "test email sent"} // newest first
	if strings.Join(details, "|") != strings.Join(want, "|") {
		t.Errorf("test emails audited as %q, want %q", details, want)
	}
}
