package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

// A password reset ends everything the old password opened, API tokens
// included, and the set-password page says so before and after.
func TestPasswordResetRevokesAPITokensAndSaysSo(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	token := f.tokens[f.resA1]
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(token)); w.Code != http.StatusOK {
		t.Fatalf("token before the reset: %d", w.Code)
	}
	w := f.do("POST", "/api/v1/users/"+strconv.FormatInt(f.resA1.ID, 10)+"/password-link", "", "", f.as(f.dirA))
	if w.Code != http.StatusCreated {
		t.Fatalf("reset link: %d %s", w.Code, w.Body)
	}
	reset := strings.TrimPrefix(decode[map[string]any](t, w.Body.Bytes())["url"].(string), acctBaseURL)
	page := f.do("GET", reset, "", "")
	wantText(t, page, "Setting a password signs this account out everywhere and revokes its API tokens.",
		"This link works once and closes on 2 March 2026, 10:00 UTC.")
	form := url.Values{"password": {"copper meadow violin"}, "confirm": {"copper meadow violin"}}
	done := f.do("POST", reset, "application/x-www-form-urlencoded", form.Encode())
	if done.Code != http.StatusOK {
		t.Fatalf("use the reset link: %d", done.Code)
	}
	wantText(t, done, "signed out everywhere and its API tokens are revoked")
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(token)); w.Code != http.StatusUnauthorized {
		t.Errorf("an API token made before the reset still works: %d, want 401", w.Code)
	}
	// The user makes a new one with the new password.
	_, cookie, sb := f.signIn("res.a1@example.org", "copper meadow violin")
	if w := f.do("POST", "/api/v1/tokens", "application/json", `{"name":"after the reset"}`, withSession(cookie, sb.CSRFToken)); w.Code != http.StatusCreated {
		t.Errorf("new token after the reset: %d", w.Code)
	}
}
