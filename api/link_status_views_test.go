package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// linkStatusWords are the words that would tell a resident or director
// which of their meetings were answered (issue 10): per link or meeting,
// they see the email's delivery only.
var linkStatusWords = regexp.MustCompile(`(?i)\b(completed|answered|declined|pending|expired|reminded)\b`)

// windowCountsTable is the one place where "answered" and "declined" may
// appear: as column heads of counts per closed window.
var windowCountsTable = regexp.MustCompile(`(?s)<table class="list compact window-counts">.*?</table>`)

// meetingWithLink records a meeting of res.a1 on date with a sent email
// and returns its link's token.
func (f *acctFixture) meetingWithLink(date string) string {
	f.t.Helper()
	ctx := context.Background()
	inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.resA1.ID, MeetingDate: &date, Lifetime: 14 * 24 * time.Hour})
	if err != nil {
		f.t.Fatal(err)
	}
	sent := f.clock.now()
	m := &models.Meeting{ResidentID: f.resA1.ID, ProgramID: f.progA.ID, InvitationID: inv.ID, MeetingDate: date,
		DeliveryStatus: models.DeliverySent, SentAt: &sent}
	if err := f.db.CreateMeeting(ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return inv.Token
}

func (f *acctFixture) answerLink(token string) {
	f.t.Helper()
	inst := surveys.Default()
	answers := map[string]*int{}
	for _, it := range inst.Items {
		v := 4
		answers[it.Key] = &v
	}
	if err := f.db.SubmitResponse(context.Background(), token, inst, surveys.Submission{Answers: answers}); err != nil {
		f.t.Fatal(err)
	}
}

// TestStaffSeeNoLinkStatusAndNoCountsOfTheOpenWindow: a resident's home, the
// roster and the meetings JSON say of each meeting only how its email
// went, and count answered and declined links only per closed window, so
// the resident cannot tell which meetings a released group is made of.
func TestStaffSeeNoLinkStatusAndNoCountsOfTheOpenWindow(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	// January–March 2026 (quarters from July): one answered, one declined,
	// one left to lapse.
	f.answerLink(f.meetingWithLink("2026-03-01"))
	if err := f.db.DeclineLink(context.Background(), f.meetingWithLink("2026-03-02")); err != nil {
		t.Fatal(err)
	}
	f.meetingWithLink("2026-03-02")
	// The window closes; in the open one (April–June) one more is answered.
	f.clock.advance(31 * 24 * time.Hour)
	f.answerLink(f.meetingWithLink("2026-04-02"))
	f.meetingWithLink("2026-04-02")

	closed := "quarter (January–March 2026) 3 1 1"
	for _, c := range []struct {
		who  *models.User
		path string
		want string
	}{
		{f.resA1, "/home", closed},
		{f.dirA, f.rosterPath(f.progA), "res.a1 " + closed},
		{f.admin, f.rosterPath(f.progA), "res.a1 " + closed},
	} {
		w := f.getPage(c.who, c.path)
		if w.Code != http.StatusOK {
			t.Fatalf("%s as %s: %d", c.path, c.who.Email, w.Code)
		}
		wantText(t, w, c.want)
		page := w.Body.String()
		// The open window may be named (the home lists the meetings
		// recorded in it), never counted among answered and declined.
		if strings.Contains(strings.Join(windowCountsTable.FindAllString(page, -1), ""), "April–June 2026") {
			t.Errorf("%s as %s counts the open window", c.path, c.who.Email)
		}
		if m := regexp.MustCompile(`status-(completed|declined|pending|expired|reminded)`).FindString(page); m != "" {
			t.Errorf("%s as %s marks a meeting %q", c.path, c.who.Email, m)
		}
		rest := windowCountsTable.ReplaceAllString(page, "")
		rec := httptest.NewRecorder()
		rec.Body.WriteString(rest)
		if m := linkStatusWords.FindString(text(rec)); m != "" {
			t.Errorf("%s as %s says %q outside the closed-window counts:\n%s", c.path, c.who.Email, m, text(rec))
		}
	}

	w := f.do(http.MethodGet, "/api/v1/programs/"+strconv.FormatInt(f.progA.ID, 10)+"/meetings", "", "", withBearer(f.tokens[f.dirA]))
	if w.Code != http.StatusOK {
		t.Fatalf("meetings JSON: %d %s", w.Code, w.Body)
	}
	if m := linkStatusWords.FindString(w.Body.String()); m != "" {
		t.Errorf("the meetings JSON says %q: %s", m, w.Body)
	}
	var got struct {
		Residents []struct {
			Counts map[string]int `json:"counts"`
		} `json:"residents"`
		Meetings []map[string]any `json:"meetings"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Meetings) != 5 || len(got.Residents) != 1 || got.Residents[0].Counts["sent"] != 5 || len(got.Residents[0].Counts) != 1 {
		t.Errorf("meetings JSON %s, want 5 meetings all sent", w.Body)
	}
	for _, m := range got.Meetings {
		if m["delivery_status"] != "sent" {
			t.Errorf("meeting %v: delivery_status %v, want sent", m["id"], m["delivery_status"])
		}
		for _, k := range []string{"status", "link_status", "reminders_sent", "completed_at"} {
			if _, ok := m[k]; ok {
				t.Errorf("meeting %v carries %q", m["id"], k)
			}
		}
	}
	// The filter takes delivery statuses only.
	for q, want := range map[string]int{"sent": 200, "completed": 422, "declined": 422, "reminded": 422} {
		w := f.do(http.MethodGet, "/api/v1/programs/"+strconv.FormatInt(f.progA.ID, 10)+"/meetings?status="+q, "", "", withBearer(f.tokens[f.dirA]))
		if w.Code != want {
			t.Errorf("?status=%s: %d, want %d", q, w.Code, want)
		}
	}
}
