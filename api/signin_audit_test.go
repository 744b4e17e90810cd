package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// A password typed into the email box of the sign-in form, or any address
// of no account, is never written to the audit log (kept forever) nor to the
// server log: the failed attempt is recorded without the typed text.
func TestFailedSignInKeepsNothingTypedIntoTheEmailField(t *testing.T) {
	logs := &syncBuffer{}
	f := newAcctFixture(t, api.Config{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	typed := []string{"MySecret-Passw0rd!", "nobody.in.particular@example.org"}
	body, _ := json.Marshal(map[string]string{"email": typed[0], "password": "whatever was typed here"})
	if w := f.do("POST", "/api/v1/session", "application/json", string(body)); w.Code != http.StatusUnauthorized {
		t.Fatalf("API sign-in: %d", w.Code)
	}
	token, cookie := f.loginForm()
	form := url.Values{"csrf_token": {token}, "email": {typed[1]}, "password": {"whatever was typed here"}}
	if w := f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) }); w.Code != http.StatusUnauthorized {
		t.Fatalf("page sign-in: %d", w.Code)
	}
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, r := range rows {
		for _, s := range typed {
			if strings.Contains(r.Detail, s) || strings.Contains(r.Target, s) {
				t.Errorf("audit entry %s keeps what was typed: %q %q", r.Action, r.Target, r.Detail)
			}
		}
		if r.Action == models.ActionSignInFailed {
			failed++
			if r.Detail != "unknown email" || r.Target != "" || r.ActorID != nil {
				t.Errorf("failed sign-in entry: target %q, detail %q", r.Target, r.Detail)
			}
		}
	}
	if failed != 2 {
		t.Errorf("%d failed sign-ins audited, want 2", failed)
	}
	for _, s := range append(typed, "whatever was typed here") {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the server log keeps %q:\n%s", s, logs)
		}
	}
}
