package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
)

// Signing in again and again (switching between demo roles, a second
// device) never locks an account: the per-account limit counts failed
// attempts only, and a success in between does not wipe the failures out.
func TestSuccessfulSignInsNeverLockTheAccountOut(t *testing.T) {
	f := newAcctFixture(t, api.Config{LoginAccountLimit: api.RateLimit{Events: 3, Per: time.Hour}})
	for i := range 10 {
		if code, _, _ := f.signIn("res.a1@example.org", acctPassword); code != http.StatusOK {
			t.Fatalf("sign-in %d with the right password: %d, want 200", i+1, code)
		}
	}
	for i := range 2 {
		if code, _, _ := f.signIn("res.a1@example.org", "not the password"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	if code, _, _ := f.signIn("res.a1@example.org", acctPassword); code != http.StatusOK {
		t.Fatalf("right password after two failures: %d, want 200", code)
	}
	if code, _, _ := f.signIn("res.a1@example.org", "still not the password"); code != http.StatusUnauthorized {
		t.Fatalf("third failure: %d, want 401", code)
	}
	if code, _, _ := f.signIn("res.a1@example.org", acctPassword); code != http.StatusTooManyRequests {
		t.Fatalf("after three failures: %d, want 429", code)
	}
	// The page form shares the rule.
	for i := range 5 {
		if loc := f.signInForm("/home"); loc != "/home" {
			t.Fatalf("page sign-in %d went to %q", i+1, loc)
		}
	}
}

// The per-IP limit counts every attempt, successful or not: each costs a
// password hash, and the limit is there to bound that work per client.
func TestSignInLimitPerIPCountsEveryAttempt(t *testing.T) {
	f := newAcctFixture(t, api.Config{LoginIPLimit: api.RateLimit{Events: 3, Per: time.Hour}})
	from := func(r *http.Request) { r.RemoteAddr = "198.51.100.30:4000" }
	for i := range 3 {
		if code, _, _ := f.signIn("res.a1@example.org", acctPassword, from); code != http.StatusOK {
			t.Fatalf("sign-in %d: %d", i+1, code)
		}
	}
	if code, _, _ := f.signIn("res.a2@example.org", acctPassword, from); code != http.StatusTooManyRequests {
		t.Fatalf("fourth attempt from one IP: %d, want 429", code)
	}
}
