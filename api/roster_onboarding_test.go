package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// waitRoster waits until the roster, as dirA sees it, says all of says.
func waitRoster(t *testing.T, f *acctFixture, says ...string) {
	t.Helper()
	var page string
	deliverytest.WaitFor(t, "the roster to say "+strings.Join(says, ", "), func() bool {
		page = text(f.getPage(f.dirA, f.rosterPath(f.progA)))
		for _, s := range says {
			if !strings.Contains(page, s) {
				return false
			}
		}
		return true
	})
}

func TestRosterEmailsNewMembersTheirLinksAndShowsWhatBecameOfThem(t *testing.T) {
	f, smtp, _ := newForgotFixture(t)
	smtp.Refuse("bounce@example.org")

	w := f.postForm(f.dirA, f.rosterPath(f.progA)+"/members", url.Values{"email": {"nia@example.org"}, "name": {"Dr. Nia Okoro"}, "role": {"resident"}, "pgy_year": {"2"}})
	if w.Code != http.StatusOK {
		t.Fatalf("add: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Dr. Nia Okoro is added. An email with their set-password link is on its way to nia@example.org")
	if strings.Contains(w.Body.String(), "/set-password/") {
		t.Error("the page shows the link that went by email")
	}
	mail := smtp.WaitForMails(1)[0]
	if mail.To != "nia@example.org" || setPasswordLinkRE.FindString(mail.Text) == "" {
		t.Fatalf("want the set-password link emailed to the new member, got %+v", mail)
	}

	w = f.postForm(f.dirA, f.rosterPath(f.progA)+"/import", url.Values{"csv": {"email,name,role,pgy_year\nomar@example.org,Dr. Omar Said,resident,1\nbounce@example.org,Dr. Bo Unce,resident,1\n"}})
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "2 created", "Each new member is sent an email with their set-password link")
	smtp.WaitForMails(2)
	waitRoster(t, f, "set-password email: sent", "set-password email: failed: ")
	page := text(f.getPage(f.dirA, f.rosterPath(f.progA)))
	if !strings.Contains(page, "Dr. Bo Unce bounce@example.org no password yet set-password email: failed: ") || !strings.Contains(page, "mailbox unavailable") {
		t.Errorf("the refused member's row does not say why:\n%s", page)
	}
	if strings.Contains(page, "password set") {
		t.Errorf("members never emailed a link carry an email status:\n%s", page)
	}
	if n := strings.Count(page, "set-password email: sent"); n != 2 {
		t.Errorf("%d members shown as sent, want 2 (Nia, Omar):\n%s", n, page)
	}

	// Resend to Nia: a new email, and the first link stops working.
	nia, err := f.db.UserByEmail(context.Background(), "nia@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.getPage(f.dirA, f.rosterPath(f.progA)).Body.String(), `action="/programs/`+itoa(f.progA.ID)+`/roster/members/`+itoa(nia.ID)+`/setup-email"`) {
		t.Fatal("no Resend action in Nia's row")
	}
	w = f.postForm(f.dirA, f.rosterPath(f.progA)+"/members/"+itoa(nia.ID)+"/setup-email", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("resend: %d\n%s", w.Code, text(w))
	}
	wantText(t, f.getPage(f.dirA, w.Header().Get("Location")), "A new set-password email to Dr. Nia Okoro is queued")
	var again deliverytest.Mail
	deliverytest.WaitFor(t, "the resent email", func() bool {
		for _, m := range smtp.Mails() {
			if m.To == "nia@example.org" && m.Text != mail.Text {
				again = m
				return true
			}
		}
		return false
	})
	oldToken := setPasswordLinkRE.FindStringSubmatch(mail.Text)[1]
	newToken := setPasswordLinkRE.FindStringSubmatch(again.Text)[1]
	if _, err := f.db.UsePasswordLink(context.Background(), oldToken, "violet kettle marathon harbour"); surveys.ErrorCode(err) != surveys.EGONE {
		t.Errorf("the first link after a resend: %v, want gone", err)
	}
	if g := f.do("GET", "/set-password/"+newToken, "", ""); g.Code != http.StatusOK {
		t.Errorf("the resent link answers %d", g.Code)
	}
}

func TestRosterWithoutMailShowsTheLinkOnceAndSaysWhy(t *testing.T) {
	f := newAcctFixture(t, api.Config{}) // emails go to the log: not sent
	w := f.postForm(f.dirA, f.rosterPath(f.progA)+"/members", url.Values{"email": {"nia@example.org"}, "name": {"Dr. Nia Okoro"}, "role": {"resident"}, "pgy_year": {"2"}})
	if w.Code != http.StatusOK {
		t.Fatalf("add: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Dr. Nia Okoro is added", "Email is not set up, so pass this link on yourself.", "Send this link to nia@example.org")
	if !strings.Contains(w.Body.String(), acctBaseURL+"/set-password/") {
		t.Error("no set-password link on the page")
	}
	page := f.getPage(f.dirA, f.rosterPath(f.progA)).Body.String()
	if strings.Contains(page, "/set-password/") || strings.Contains(page, "/setup-email") {
		t.Error("the roster shows the link again, or offers an email resend without mail")
	}
}

func TestMembersAPISaysTheSetupLinkWasEmailed(t *testing.T) {
	f, smtp, _ := newForgotFixture(t)
	body := `{"email":"nia@example.org","name":"Dr. Nia Okoro","role":"resident","pgy_year":2}`
	w := f.do("POST", "/api/v1/programs/"+itoa(f.progA.ID)+"/members", "application/json", body, withBearer(f.tokens[f.dirA]))
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	got := decode[map[string]any](t, w.Body.Bytes())
	if got["setup_email"] != models.LinkEmailQueued {
		t.Errorf("setup_email %v, want queued", got["setup_email"])
	}
	url, _ := got["setup_url"].(string)
	mail := smtp.WaitForMails(1)[0]
	if url == "" || !strings.Contains(mail.Text, url) {
		t.Errorf("setup_url %q is not the emailed link", url)
	}
}
