package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
)

// answerWatcher calls onAnswer once, when the handler starts writing its
// response, before the status or any byte is written.
type answerWatcher struct {
	*httptest.ResponseRecorder
	onAnswer func()
	answered bool
}

func (w *answerWatcher) WriteHeader(code int) {
	if !w.answered {
		w.answered = true
		w.onAnswer()
	}
	w.ResponseRecorder.WriteHeader(code)
}

func (w *answerWatcher) Write(b []byte) (int, error) {
	if !w.answered {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseRecorder.Write(b)
}

var formTokenRE = regexp.MustCompile(`name="csrf_token" value="[^"]+"`)

// A forgotten-password request cannot tell a known address from an unknown
// one, not even by its timing: the answer is written before the address is
// looked up, so at that moment no path has done any work the others have
// not (no link, no job, no audit entry yet), and the answers are the same
// page. The work happens afterwards, for the active account only. This is a
// structural test; it measures no time.
func TestForgotPasswordAnswersBeforeLookingTheAddressUp(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	traces := func() int {
		return countRows(t, f, "SELECT count(*) FROM password_links") +
			countRows(t, f, "SELECT count(*) FROM audit_log WHERE action = 'password.reset_requested'")
	}
	var pages []string
	for _, tc := range []struct {
		email     string
		afterWork int // traces once the work after the answer is done
	}{
		{"nobody@example.org", 0},
		{"gone@example.org", 1},   // an audit entry
		{"res.a1@example.org", 3}, // the link and an audit entry (plus the earlier one)
	} {
		token, cookie := f.forgotForm()
		form := url.Values{"csrf_token": {token}, "email": {tc.email}}
		r := httptest.NewRequest("POST", "/forgot-password", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(cookie)
		before := traces()
		atAnswer := -1
		w := &answerWatcher{ResponseRecorder: httptest.NewRecorder(), onAnswer: func() { atAnswer = traces() }}
		f.srv.Handler().ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.email, w.Code)
		}
		if atAnswer != before {
			t.Errorf("%s: the answer was written after %d rows of work; it must come before any", tc.email, atAnswer-before)
		}
		pages = append(pages, formTokenRE.ReplaceAllString(w.Body.String(), ""))
		if err := f.srv.WaitAfterResponse(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := traces(); got != tc.afterWork {
			t.Errorf("%s: %d rows after the work, want %d", tc.email, got, tc.afterWork)
		}
	}
	for i, p := range pages[1:] {
		if p != pages[0] {
			t.Errorf("answer %d differs from the unknown address's:\n%s\n%s", i+1, pages[0], p)
		}
	}
}
