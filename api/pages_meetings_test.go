package api_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// queuedEmails counts the first emails waiting in the (never started) job
// queue of the fixture.
func (f *acctFixture) queuedEmails() int {
	f.t.Helper()
	res, err := f.delivery.River().JobList(context.Background(), pendingEmailJobs(delivery.SendLinkArgs{}.Kind()))
	if err != nil {
		f.t.Fatal(err)
	}
	return len(res.Jobs)
}

func TestResidentRecordsMeetingWithEmailAndSeesItQueuedOnce(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	form := url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {"sam.lee@student.example"}, "mentee_name": {"Sam"}}
	w := f.postForm(f.resA1, "/home/meetings", form)
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/home?recorded=") {
		t.Fatalf("record: %d → %q, want a redirect home\n%s", w.Code, loc, text(w))
	}
	if n := f.queuedEmails(); n != 1 {
		t.Errorf("%d emails queued, want 1", n)
	}
	w = f.getPage(f.resA1, loc)
	wantText(t, w, "Meeting on Sunday 1 March 2026 recorded.", "Email queued to s…@s….example",
		"they will get one reminder after 3 days if they have not answered", "Meetings this window", "queued")
	if strings.Contains(w.Body.String(), "sam.lee") || strings.Contains(w.Body.String(), "Sam") {
		t.Error("the home page shows the mentee's address or name")
	}
	// Another resident's meeting id shows them nothing.
	if w := f.getPage(f.resA2, loc); strings.Contains(text(w), "Email queued") {
		t.Error("another resident sees the confirmation of res.a1's meeting")
	}

	// The same meeting again is refused beside the email, with the input kept.
	w = f.postForm(f.resA1, "/home/meetings", form)
	if w.Code != http.StatusConflict {
		t.Fatalf("duplicate: %d, want 409\n%s", w.Code, text(w))
	}
	wantText(t, w, "This meeting is already recorded")
	if !strings.Contains(w.Body.String(), `id="rec-email-error"`) || !strings.Contains(w.Body.String(), `value="sam.lee@student.example"`) {
		t.Error("the duplicate's message is not beside the email field, or the email was lost")
	}
	if n := f.queuedEmails(); n != 1 {
		t.Errorf("after the duplicate %d emails are queued, want 1", n)
	}
}

// TestResidentRecordsMeetingOnlyWithARosteredMentee: the form names the
// mentee by email; an address that is not an active mentee of the program
// is refused beside the field, and no page ever shows the resident a link.
func TestResidentRecordsMeetingOnlyWithARosteredMentee(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	f.pendingMentee("pat@elsewhere.example")
	for _, email := range []string{"lee@elsewhere.example", "pat@elsewhere.example"} {
		w := f.postForm(f.resA1, "/home/meetings", url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {email}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422\n%s", email, w.Code, text(w))
		}
		wantText(t, w, "Mentee's email is not an active mentee of this program")
		if !strings.Contains(w.Body.String(), `id="rec-email-error"`) || strings.Contains(w.Body.String(), "/s/") {
			t.Errorf("%s: the message is not beside the email, or the page shows a link", email)
		}
	}
	if n := f.queuedEmails(); n != 0 {
		t.Errorf("%d emails queued for addresses off the roster", n)
	}
	w := f.postForm(f.resA1, "/home/meetings", url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {"sam@student.example"}})
	if w.Code != http.StatusSeeOther || strings.Contains(w.Body.String()+w.Header().Get("Location"), "/s/") {
		t.Fatalf("record: %d %q, want a redirect home without a link", w.Code, w.Header().Get("Location"))
	}
	if page := f.getPage(f.resA1, w.Header().Get("Location")).Body.String(); strings.Contains(page, "/s/") || strings.Contains(page, "data:image/png") {
		t.Error("the home shows the resident a survey link or its QR code")
	}
}

func TestRecordMeetingFormKeepsInputAndExplainsMistakes(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for _, tc := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"mentee_email": {"kim@student.example"}}, "Meeting date is required."},
		{url.Values{"meeting_date": {"1 March"}}, "Meeting date must be a date like 2026-11-25."},
		{url.Values{"meeting_date": {"2026-04-01"}}, "Meeting date cannot be in the future"},
		{url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {"kim at student"}}, "Mentee's email must be an email address."},
		{url.Values{"meeting_date": {"2026-03-01"}}, "Mentee's email is required"},
	} {
		w := f.postForm(f.resA1, "/home/meetings", tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, w.Code)
		}
		wantText(t, w, tc.says)
		if !strings.Contains(w.Body.String(), `class="field-error" id="rec-`) {
			t.Errorf("%v: no message beside a field", tc.form)
		}
		for k, v := range tc.form {
			if !strings.Contains(w.Body.String(), `value="`+html.EscapeString(v[0])+`"`) {
				t.Errorf("%v: the form lost %s=%q", tc.form, k, v[0])
			}
		}
	}
	if ms, _ := f.db.ListMeetings(context.Background(), models.MeetingFilter{ResidentID: f.resA1.ID}); len(ms) != 0 {
		t.Errorf("a failed form recorded %d meetings", len(ms))
	}
	if n := f.queuedEmails(); n != 0 {
		t.Errorf("a failed form queued %d emails", n)
	}
}

// failMeeting records a meeting with an email for res.a1 and marks its
// email failed as the job would.
func (f *acctFixture) failMeeting(mentee, reason string) {
	f.t.Helper()
	ctx := context.Background()
	rec, err := f.delivery.Record(ctx, delivery.NewMeeting{ResidentID: f.resA1.ID, MeetingDate: "2026-02-27", MenteeEmail: mentee})
	if err != nil {
		f.t.Fatal(err)
	}
	if ok, err := f.db.MarkMeetingFailed(ctx, rec.Meeting.ID, reason); err != nil || !ok {
		f.t.Fatalf("mark failed: %t %v", ok, err)
	}
}

func TestFailedEmailShowsItsReasonToResidentDirectorAndAdmin(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	f.failMeeting("lost@student.example", "550 5.1.1 <mentee address>: mailbox unavailable")
	if _, err := f.delivery.Record(context.Background(), delivery.NewMeeting{ResidentID: f.resA1.ID, MeetingDate: "2026-02-28", MenteeEmail: "ok@student.example"}); err != nil {
		t.Fatal(err)
	}

	w := f.getPage(f.resA1, "/home")
	wantText(t, w, "Sat 28 Feb 2026", "queued", "Fri 27 Feb 2026", "failed", "The mentee's mail server refused the address.")
	for _, u := range []*models.User{f.dirA, f.admin} {
		w := f.getPage(u, f.rosterPath(f.progA))
		if w.Code != http.StatusOK {
			t.Fatalf("roster as %s: %d", u.Email, w.Code)
		}
		wantText(t, w, "Survey emails", "res.a1 1 queued 0 sent 1 failed",
			"Emails not delivered", "res.a1 Fri 27 Feb 2026 failed The mentee's mail server refused the address.", "550 5.1.1 <mentee address>: mailbox unavailable",
			"Import meetings (CSV: resident_email,mentee_email,meeting_date)")
		// The mentee roster lists addresses (that is its job); nothing
		// else on the page, the delivery view least of all, shows one.
		if strings.Contains(outsideMenteeRoster(w.Body.String()), "student.example") {
			t.Errorf("the roster shows a mentee's address outside the mentee roster to %s", u.Email)
		}
	}
	if strings.Contains(f.getPage(f.resA1, "/home").Body.String(), "student.example") {
		t.Error("the resident's home shows a mentee's address")
	}
}

// The roster tells the truth about emails that have not gone out: retried
// ones read "queued, retrying" with the reason from the first failure, ones
// written to the log "not sent: no mail server configured", never "sent" or
// "accepted".
func TestRosterShowsRetriedAndUnsentEmailsAsNotDelivered(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	retried, err := f.delivery.Record(ctx, delivery.NewMeeting{ResidentID: f.resA1.ID, MeetingDate: "2026-02-27", MenteeEmail: "slow@student.example"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.NoteDeliveryError(ctx, retried.Meeting.ID, "attempt 1 of 10 failed: 421 4.3.0 service not available"); err != nil {
		t.Fatal(err)
	}
	f.failMeeting("logged@student.example", delivery.ErrNotSent.Error())

	w := f.getPage(f.dirA, f.rosterPath(f.progA))
	wantText(t, w, "Emails not delivered",
		"res.a1 Fri 27 Feb 2026 queued, retrying The last attempt failed; it is tried again automatically. attempt 1 of 10 failed: 421 4.3.0 service not available",
		"res.a1 Fri 27 Feb 2026 not sent: no mail server configured")
	if body := text(w); strings.Contains(body, "every email so far was accepted") || strings.Contains(body, "no email has failed") {
		t.Errorf("the roster says all is well with two emails undelivered:\n%s", body)
	}
	home := f.getPage(f.resA1, "/home")
	wantText(t, home, "queued, retrying", "not sent: no mail server configured")
}

// multipartMeetings is the roster's meeting import form with an uploaded
// file.
func multipartMeetings(t *testing.T, csrf, csv string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", csrf)
	fw, err := mw.CreateFormFile("meetings_file", "meetings.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(csv))
	mw.WriteField("meetings_csv", "")
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

func TestDirectorImportsMeetingsOnTheRosterOncePerRow(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := f.rosterPath(f.progA) + "/meetings/import"
	csv := "resident_email,mentee_email,meeting_date\n" +
		"res.a1@example.org,one@student.example,2026-03-01\n" +
		"res.a2@example.org,two@student.example,2026-02-28\n" +
		"nobody@example.org,three@student.example,2026-02-28\n" +
		"res.a2@example.org,four@student.example,28/02/2026\n"
	w := f.postForm(f.dirA, path, url.Values{"meetings_csv": {csv}})
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Import finished: 2 recorded, 0 skipped (already recorded), 2 lines not recorded",
		"Line 4: resident_email is not the email of a resident of this program", "Line 5: meeting_date must be a date like 2026-11-25")
	if !strings.Contains(w.Body.String(), "nobody@example.org,three@student.example") {
		t.Error("the pasted CSV was not kept for fixing")
	}
	if n := f.queuedEmails(); n != 2 {
		t.Errorf("%d emails queued, want 2", n)
	}

	// The same file uploaded again skips every row and sends nothing more.
	opt, csrf := f.browserSession(f.admin)
	body, ct := multipartMeetings(t, csrf, csv)
	w = f.do("POST", path, ct, body, opt)
	if w.Code != http.StatusOK {
		t.Fatalf("upload: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Import finished: 0 recorded, 2 skipped (already recorded), 2 lines not recorded")
	if n := f.queuedEmails(); n != 2 {
		t.Errorf("after the second import %d emails are queued, want 2", n)
	}
	wantText(t, f.getPage(f.dirA, f.rosterPath(f.progA)), "res.a1 1 queued", "res.a2 1 queued")

	// Nothing to import is explained beside the box.
	w = f.postForm(f.dirA, path, url.Values{"meetings_csv": {"  "}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="meetings-csv-error"`) {
		t.Errorf("empty import: %d, want 422 with a message beside the box\n%s", w.Code, text(w))
	}
	wantText(t, w, "Choose a CSV file or paste its rows.")
}

func TestAdminSetsDeliverySettingsOnThePageAndThroughTheAPI(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	a := strconv.FormatInt(f.progA.ID, 10)
	path := "/admin/programs/" + a + "/delivery"
	w := f.postForm(f.admin, path, url.Values{"reminder_after_days": {"5"}, "max_reminders": {"2"}, "link_lifetime_days": {"21"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, text(w))
	}
	p, _ := f.db.ProgramByID(ctx, f.progA.ID)
	if p.DeliverySettings != (models.DeliverySettings{ReminderAfterDays: 5, MaxReminders: 2, LinkLifetimeDays: 21}) {
		t.Errorf("saved %+v", p.DeliverySettings)
	}
	w = f.getPage(f.admin, w.Header().Get("Location"))
	wantText(t, w, "Saved Program A: links of recorded meetings stay open 21 days; up to 2 reminders, 5 days apart, while the mentee has not answered.")
	if !strings.Contains(w.Body.String(), `id="remind-`+a+`" name="reminder_after_days"`) {
		t.Error("the programs page has no delivery field for Program A")
	}
	log, _ := f.db.AuditLog(ctx, models.AuditFilter{})
	if len(log) == 0 || log[0].Action != models.ActionProgramUpdate || !strings.Contains(log[0].Detail, "reminder_after_days 5, max_reminders 2, link_lifetime_days 21") {
		t.Errorf("the change is not audited: %+v", log)
	}

	for _, tc := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"reminder_after_days": {"0"}, "max_reminders": {"1"}, "link_lifetime_days": {"14"}}, "Days before a reminder must be at least 1."},
		{url.Values{"reminder_after_days": {"31"}, "max_reminders": {"1"}, "link_lifetime_days": {"14"}}, "Days before a reminder must be at most 30."},
		{url.Values{"reminder_after_days": {"3"}, "max_reminders": {"4"}, "link_lifetime_days": {"14"}}, "Reminders must be at most 3."},
		{url.Values{"reminder_after_days": {"3"}, "max_reminders": {"1"}, "link_lifetime_days": {"61"}}, "Days a link stays open must be at most 60."},
		{url.Values{"reminder_after_days": {"3"}, "max_reminders": {""}, "link_lifetime_days": {"14"}}, "Reminders is required."},
		{url.Values{"reminder_after_days": {"soon"}, "max_reminders": {"1"}, "link_lifetime_days": {"14"}}, "Days before a reminder must be a whole number."},
	} {
		w := f.postForm(f.admin, path, tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, w.Code)
		}
		wantText(t, w, tc.says)
		for k, v := range tc.form {
			if !strings.Contains(w.Body.String(), `name="`+k+`"`) || (v[0] != "" && !strings.Contains(w.Body.String(), `value="`+v[0]+`"`)) {
				t.Errorf("%v: the form lost %s=%q", tc.form, k, v[0])
			}
		}
	}
	if p2, _ := f.db.ProgramByID(ctx, f.progA.ID); p2.DeliverySettings != p.DeliverySettings {
		t.Errorf("a refused form changed the settings to %+v", p2.DeliverySettings)
	}

	// The API: the same fields, the same ranges, admins only.
	for body, want := range map[string]int{
		`{"reminder_after_days":31}`: 422, `{"max_reminders":-1}`: 422, `{"max_reminders":4}`: 422,
		`{"link_lifetime_days":0}`: 422, `{"link_lifetime_days":61}`: 422,
	} {
		if w := f.do("PATCH", "/api/v1/programs/"+a, "application/json", body, f.as(f.admin)); w.Code != want {
			t.Errorf("PATCH %s: %d, want %d", body, w.Code, want)
		}
	}
	if w := f.do("PATCH", "/api/v1/programs/"+a, "application/json", `{"max_reminders":0}`, f.as(f.dirA)); w.Code != http.StatusForbidden {
		t.Errorf("a director changed the delivery settings: %d", w.Code)
	}
	w = f.do("PATCH", "/api/v1/programs/"+a, "application/json", `{"max_reminders":0,"link_lifetime_days":7}`, f.as(f.admin))
	got := decode[map[string]any](t, w.Body.Bytes())
	if w.Code != http.StatusOK || got["max_reminders"] != float64(0) || got["link_lifetime_days"] != float64(7) ||
		got["reminder_after_days"] != float64(5) || got["min_responses"] != float64(models.DefaultMinResponses) || got["name"] != "Program A" {
		t.Errorf("PATCH: %d %v", w.Code, got)
	}
	w = f.do("GET", "/api/v1/programs/"+a, "", "", f.as(f.dirA))
	if got := decode[map[string]any](t, w.Body.Bytes()); got["max_reminders"] != float64(0) || got["reminder_after_days"] != float64(5) {
		t.Errorf("GET program: %v", got)
	}
}

// outsideMenteeRoster is a roster page without its Mentees section and
// forms (from id="mentees" to the survey emails' section).
func outsideMenteeRoster(page string) string {
	a := strings.Index(page, `id="mentees"`)
	b := strings.Index(page, `id="emails"`)
	if a < 0 || b < a {
		return page
	}
	return page[:a] + page[b:]
}
