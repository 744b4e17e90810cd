package api_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// requestForm fetches a QR request page and returns its form token and
// cookie.
func (f *acctFixture) requestForm(code string) (token string, cookie *http.Cookie) {
	f.t.Helper()
	w := f.do("GET", "/r/"+code, "", "")
	if w.Code != http.StatusOK {
		f.t.Fatalf("GET /r/{code}: %d", w.Code)
	}
	m := hiddenCSRF.FindStringSubmatch(w.Body.String())
	c := responseCookie(w, "mentorpulse_request")
	if m == nil || c == nil || c.Value != m[1] || !c.HttpOnly {
		f.t.Fatalf("request page has no form token matching its cookie: %v %+v", m, c)
	}
	return m[1], c
}

// askForLink posts the QR request form for email and returns status and
// body.
func (f *acctFixture) askForLink(code, email string) (int, string) {
	f.t.Helper()
	token, cookie := f.requestForm(code)
	form := url.Values{"csrf_token": {token}, "email": {email}}
	w := f.do("POST", "/r/"+code, "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) })
	return w.Code, w.Body.String()
}

// TestQRRequestAnswersAlikeAndEmailsOnlyRosteredMentees performs the probe
// a curious person would: type a rostered address, an unknown one, a
// pending one, a malformed one, and a rostered one twice the same day. Every
// answer is the same page with the same status; only the rostered
// addresses get an email, once each.
func TestQRRequestAnswersAlikeAndEmailsOnlyRosteredMentees(t *testing.T) {
	f, smtp, svc := newForgotFixture(t)
	ctx := context.Background()
	for _, m := range []*models.Mentee{
		{ProgramID: f.progA.ID, Email: "kim@elsewhere.example", Status: models.MenteeActive},
		{ProgramID: f.progA.ID, Email: "lou@elsewhere.example", Status: models.MenteeActive},
		{ProgramID: f.progB.ID, Email: "bo@elsewhere.example", Status: models.MenteeActive},
	} {
		if err := f.db.CreateMentee(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	f.pendingMentee("pat@elsewhere.example")
	code := f.requestCode() // res.a2's, of program A
	typed := []string{
		"kim@elsewhere.example",   // rostered
		"lee@elsewhere.example",   // on no roster, outside the domains
		"pat@elsewhere.example",   // waiting for approval
		"bo@elsewhere.example",    // another program's mentee
		"res.a1@example.org",      // a staff account
		"not an address <b>x</b>", // malformed
		"KIM@elsewhere.example",   // rostered, the same day again
		"lou@elsewhere.example",   // rostered, last: every request before it is handled
	}
	var first string
	for _, email := range typed {
		status, body := f.askForLink(code, email)
		if status != http.StatusOK || !strings.Contains(body, "Check your inbox.") {
			t.Fatalf("%q: %d, want the check-your-inbox page\n%s", email, status, body)
		}
		if first == "" {
			first = body
		} else if body != first {
			t.Errorf("the answer to %q differs from the answer to %q:\n%s", email, typed[0], cmp.Diff(first, body))
		}
		if strings.Contains(body, "/s/") || strings.Contains(body, "elsewhere") {
			t.Errorf("the answer to %q shows a link or an address", email)
		}
	}
	smtp.WaitForMails(2)
	waitSendJobs(t, svc)
	// A copy of a message the server accepted while its 250 was lost on
	// the way back is sent again on retry: SMTP cannot prevent that, and
	// the copy carries the same Message-ID, by which mail clients drop it.
	// Only such copies are tolerated: each Message-ID counts once and must
	// always go to the same recipient.
	// The fixture's clock is months behind the job queue's database, so a
	// link's first reminder can fall due at once; reminders
	// (meeting-N-email-1…) are not what this test counts, link emails
	// (meeting-N-email-0) are.
	var to []string
	byID := map[string]string{}
	for _, m := range smtp.Mails() {
		if m.MessageID == "" {
			t.Fatalf("an email to %s has no Message-ID", m.To)
		}
		if !strings.Contains(m.MessageID, "-email-0@") {
			continue
		}
		if prev, ok := byID[m.MessageID]; ok {
			if prev != m.To {
				t.Errorf("Message-ID %s went to %s and to %s", m.MessageID, prev, m.To)
			}
			continue
		}
		byID[m.MessageID] = m.To
		to = append(to, m.To)
	}
	sort.Strings(to)
	if diff := cmp.Diff([]string{"kim@elsewhere.example", "lou@elsewhere.example"}, to); diff != "" {
		t.Errorf("emails went to (-want +got):\n%s", diff)
	}
	ms, err := f.db.ListMeetings(ctx, models.MeetingFilter{ResidentID: f.resA2.ID})
	if err != nil || len(ms) != 2 {
		t.Errorf("%d meetings recorded (%v), want the two rostered mentees'", len(ms), err)
	}
	if _, err := f.db.MenteeByEmail(ctx, f.progA.ID, "lee@elsewhere.example"); err == nil {
		t.Error("an unknown address joined the roster")
	}
}

// TestQRRequestFormNeedsItsCookieAndAnEmail: another site cannot post the
// form, and an empty field is the only typed input answered differently.
func TestQRRequestFormNeedsItsCookieAndAnEmail(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	code := f.requestCode()
	w := f.do("POST", "/r/"+code, "application/x-www-form-urlencoded", url.Values{"csrf_token": {"forged"}, "email": {"sam@student.example"}}.Encode())
	if w.Code != http.StatusForbidden {
		t.Errorf("without the form's cookie: %d, want 403", w.Code)
	}
	if status, _ := f.askForLink(code, "  "); status != http.StatusUnprocessableEntity {
		t.Errorf("empty email: %d, want 422", status)
	}
	if w := f.do("GET", "/r/not-a-code", "", ""); w.Code != http.StatusNotFound {
		t.Errorf("unknown code: %d, want 404", w.Code)
	}
	if ms, _ := f.db.ListMeetings(context.Background(), models.MeetingFilter{}); len(ms) != 0 {
		t.Errorf("%d meetings recorded by refused requests", len(ms))
	}
}

// TestStaffCannotObtainASurveyURL is the first step of plant and subtract:
// a resident or a director tries every route and page they may use (the
// authorization matrix's requests, twice, so that pages are seen after
// meetings are recorded) and looks for a survey URL in every answer.
func TestStaffCannotObtainASurveyURL(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	rows := matrixRows(f)
	for _, who := range []int{resA1, dirA} {
		for pass := range 2 {
			for key, row := range rows {
				if row.public {
					continue
				}
				method, _, _ := strings.Cut(key, " ")
				req := row.req(f, who)
				opts := append(f.credentials(who, false), req.opts...)
				w := f.do(method, req.path, req.contentType, req.body, opts...)
				if body := w.Body.String() + w.Header().Get("Location"); holdsSurveyURL(body) {
					t.Errorf("pass %d: %s as %s answered a survey URL:\n%.400s", pass, key, principalNames[who], body)
				}
			}
		}
	}
	if ms, _ := f.db.ListMeetings(context.Background(), models.MeetingFilter{}); len(ms) == 0 {
		t.Fatal("no meeting was recorded: the probe did not reach the routes that make links")
	}
}
