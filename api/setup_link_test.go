package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

// A stranger who knows a new member's address asks for a reset: the setup
// link the director handed over must keep working (until either is used).
func TestAnonymousResetRequestKeepsANewMembersSetupLink(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do("POST", "/api/v1/programs/"+strconv.FormatInt(f.progA.ID, 10)+"/members", "application/json",
		`{"email":"nia@example.org","name":"Nia Okoro","role":"resident","pgy_year":1}`, f.as(f.dirA))
	if w.Code != http.StatusCreated {
		t.Fatalf("add member: %d %s", w.Code, w.Body)
	}
	setup := strings.TrimPrefix(decode[map[string]any](t, w.Body.Bytes())["setup_url"].(string), acctBaseURL)
	if r := f.requestReset("nia@example.org", "192.0.2.80:1"); r.StatusCode != http.StatusOK {
		t.Fatalf("reset request: %d", r.StatusCode)
	}
	if n := countRows(t, f, "SELECT count(*) FROM password_links WHERE purpose = 'reset'"); n != 1 {
		t.Fatalf("%d reset links made, want 1", n)
	}
	if w := f.do("GET", setup, "", ""); w.Code != http.StatusOK {
		t.Fatalf("the setup link after a stranger's reset request: %d, want 200", w.Code)
	}
	form := url.Values{"password": {"amber lantern orchard"}, "confirm": {"amber lantern orchard"}}
	if w := f.do("POST", setup, "application/x-www-form-urlencoded", form.Encode()); w.Code != http.StatusOK {
		t.Fatalf("set the first password through the setup link: %d", w.Code)
	}
	if code, _, _ := f.signIn("nia@example.org", "amber lantern orchard"); code != http.StatusOK {
		t.Errorf("sign in: %d", code)
	}
}
