package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river/rivertype"
)

func TestOneMeetingSendsExactlyOneEmailWithAWorkingLink(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	rec := h.record(s, "Sam@Student.example")
	if rec.Delivery != delivery.ChannelEmail || rec.SendJobID == 0 {
		t.Fatalf("delivery = %q, send job %d; want email with a job", rec.Delivery, rec.SendJobID)
	}

	mails := h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	if got := len(h.smtp.Mails()); got != 1 {
		t.Fatalf("%d emails, want exactly 1", got)
	}
	m := mails[0]
	if m.To != "sam@student.example" || !strings.Contains(m.From, "feedback@example.org") {
		t.Errorf("to %q from %q", m.To, m.From)
	}
	url, token := m.Link()
	wantLinkOf(t, token, rec)
	if url != baseURL+"/s/"+token {
		t.Errorf("emailed link %q is not a survey page", url)
	}
	if _, err := h.db.OpenLink(context.Background(), token); err != nil {
		t.Errorf("emailed link does not open: %v", err)
	}
	inv, _ := h.db.ListInvitations(context.Background(), models.InvitationFilter{ResidentID: h.resident.ID})
	date, _ := time.Parse(time.DateOnly, h.today())
	for _, want := range []string{"Dr. Amara Okafor", "Hello Sam Mentee", date.Format("Monday 2 January 2006"),
		inv[0].ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC"), "anonymous", "deleted as soon as you answer"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML part lacks %q", want)
		}
	}
	if !strings.Contains(m.HTML, `href="`+url+`"`) {
		t.Errorf("HTML part has no link to %s", url)
	}
	if got := h.meeting(rec.Meeting.ID); got.DeliveryStatus != models.DeliverySent || got.SentAt == nil {
		t.Errorf("meeting status %q sent_at %v, want sent", got.DeliveryStatus, got.SentAt)
	}
}

// TestMeetingNeedsAnActiveRosteredMentee: a link goes only to an active
// mentee of the resident's program, named by address or roster id. Nothing
// else is stored or queued, and every refusal reads the same.
func TestMeetingNeedsAnActiveRosteredMentee(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	ctx := context.Background()
	add := func(p *models.Program, email, status string) *models.Mentee {
		m := &models.Mentee{ProgramID: p.ID, Email: email, Status: status}
		if err := h.db.CreateMentee(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	other := &models.Program{Name: "Surgery"}
	if err := h.db.CreateProgram(ctx, other); err != nil {
		t.Fatal(err)
	}
	pending := add(h.program, "pending@student.example", models.MenteePending)
	add(h.program, "gone@student.example", models.MenteeInactive)
	elsewhere := add(other, "elsewhere@student.example", models.MenteeActive)
	tests := map[string]struct {
		n     delivery.NewMeeting
		field string
	}{
		"no-mentee":              {delivery.NewMeeting{}, "mentee_email"},
		"not-on-roster":          {delivery.NewMeeting{MenteeEmail: "stranger@student.example"}, "mentee_email"},
		"pending-approval":       {delivery.NewMeeting{MenteeEmail: "Pending@student.example"}, "mentee_email"},
		"inactive":               {delivery.NewMeeting{MenteeEmail: "gone@student.example"}, "mentee_email"},
		"pending-by-id":          {delivery.NewMeeting{MenteeID: &pending.ID}, "mentee_id"},
		"other-programs-by-id":   {delivery.NewMeeting{MenteeID: &elsewhere.ID}, "mentee_id"},
		"other-programs-address": {delivery.NewMeeting{MenteeEmail: "elsewhere@student.example"}, "mentee_email"},
		"missing-id":             {delivery.NewMeeting{MenteeID: new(int64(99999))}, "mentee_id"},
		"both-id-and-email":      {delivery.NewMeeting{MenteeID: &pending.ID, MenteeEmail: "gone@student.example"}, "mentee_id"},
	}
	var messages []string
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tt.n.ResidentID, tt.n.MeetingDate = h.resident.ID, h.today()
			_, err := s.Record(ctx, tt.n)
			if got := fieldsOf(err); len(got) != 1 || got[0] != tt.field {
				t.Fatalf("Record: %v, want invalid %s", err, tt.field)
			}
			var ae *surveys.Error
			errors.As(err, &ae)
			if strings.HasPrefix(name, "not-") || strings.HasPrefix(name, "pending") || strings.HasPrefix(name, "other") || name == "inactive" || name == "missing-id" {
				messages = append(messages, ae.Fields[0].Message)
			}
		})
	}
	for _, msg := range messages {
		if msg != models.ErrNotAMentee.Message {
			t.Errorf("refusal %q, want the one message %q for every roster miss", msg, models.ErrNotAMentee.Message)
		}
	}
	if ms, _ := h.db.ListMeetings(ctx, models.MeetingFilter{}); len(ms) != 0 {
		t.Errorf("%d meetings stored for no active mentee", len(ms))
	}
	// By roster id, the link goes to that mentee's address.
	m := h.roster(mentee(1))
	rec, err := s.Record(ctx, delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeID: &m.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.meeting(rec.Meeting.ID); got.MenteeID == nil || *got.MenteeID != m.ID || *got.MenteeEmail != mentee(1) || rec.Delivery != delivery.ChannelEmail {
		t.Errorf("meeting %+v, want mentee %d's address", got, m.ID)
	}
}

// TestDomainAddressJoinsTheRosterOnFirstUse: an address in the program's
// mentee domains is added, active, when a meeting names it first, audited
// as mentee.auto_add by whoever recorded it, by id only.
func TestDomainAddressJoinsTheRosterOnFirstUse(t *testing.T) {
	h := newHarness(t)
	h.domains("med.example.edu")
	s := h.newService(h.db)
	ctx := context.Background()
	by := models.AuditBy{UserID: &h.resident.ID}
	rec, err := s.Record(ctx, delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: "Jo@Med.Example.Edu", By: by})
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.db.MenteeByEmail(ctx, h.program.ID, "jo@med.example.edu")
	if err != nil || !m.Active() || rec.Mentee.ID != m.ID {
		t.Fatalf("mentee %+v (%v), want jo@med.example.edu active on the roster", m, err)
	}
	// A subdomain is not the domain.
	if _, err := s.Record(ctx, delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: "kim@x.med.example.edu"}); fieldsOf(err) == nil {
		t.Errorf("a subdomain's address was accepted: %v", err)
	}
	rows, err := h.db.AuditLog(ctx, models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var adds []models.AuditRow
	for _, r := range rows {
		if r.Action == models.ActionMenteeAutoAdd {
			adds = append(adds, r)
		}
	}
	if len(adds) != 1 || adds[0].Target != models.MenteeTarget(m.ID) || adds[0].ActorID == nil || *adds[0].ActorID != h.resident.ID {
		t.Fatalf("auto-add entries %+v, want one by the resident", adds)
	}
	if strings.Contains(adds[0].Detail, "jo") || strings.Contains(adds[0].Detail, "@") {
		t.Errorf("the entry holds the address: %q", adds[0].Detail)
	}
}

func TestReminderGoesOutAfterTheConfiguredDaysAndOnlyOnce(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	rec := h.record(s, mentee(1))
	h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)

	h.clock.Advance(3*24*time.Hour - time.Minute)
	if n := h.runDue(s); n != 0 {
		t.Fatalf("%d jobs due a minute before the reminder", n)
	}
	h.clock.Advance(2 * time.Minute)
	if n := h.runDue(s); n != 1 {
		t.Fatalf("%d jobs due after three days, want the reminder", n)
	}
	mails := h.smtp.WaitForMails(2)
	deliverytest.WaitForJob(t, s, rec.ReminderJobID)
	if !strings.HasPrefix(mails[1].Subject, "Reminder:") {
		t.Errorf("second email subject %q, want a reminder", mails[1].Subject)
	}
	_, first := mails[0].Link()
	_, again := mails[1].Link()
	wantLinkOf(t, again, rec)
	if again != first {
		t.Errorf("reminder links to %q, want the same link %q", again, first)
	}
	m := h.meeting(rec.Meeting.ID)
	if m.DeliveryStatus != models.DeliveryReminded || m.RemindersSent != 1 {
		t.Errorf("status %q reminders %d, want reminded once", m.DeliveryStatus, m.RemindersSent)
	}
	if m.SealedToken != nil {
		t.Error("sealed token kept after the last reminder")
	}

	h.clock.Advance(7 * 24 * time.Hour)
	if n := h.runDue(s); n != 0 {
		t.Errorf("%d more jobs due, want none after max_reminders=1", n)
	}
	if got := len(h.smtp.Mails()); got != 2 {
		t.Errorf("%d emails, want 2", got)
	}
}

func TestProgramSettingsControlRemindersAndExpiry(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.db.UpdateDeliverySettings(ctx, h.program.ID, models.DeliverySettings{ReminderAfterDays: 1, MaxReminders: 2, LinkLifetimeDays: 5}); err != nil {
		t.Fatal(err)
	}
	s := h.running()
	rec := h.record(s, mentee(1))
	if want := h.clock.Now().Add(5 * 24 * time.Hour); !rec.Invitation.ExpiresAt.Equal(want) {
		t.Errorf("expires %v, want %v (link_lifetime_days 5)", rec.Invitation.ExpiresAt, want)
	}
	h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	for r := 1; r <= 2; r++ {
		h.clock.Advance(24 * time.Hour)
		if n := h.runDue(s); n != 1 {
			t.Fatalf("day %d: %d jobs due, want reminder %d", r, n, r)
		}
		h.smtp.WaitForMails(1 + r)
		// Reminder r schedules reminder r+1 as it is recorded.
		deliverytest.WaitFor(t, "reminder recorded", func() bool { return h.meeting(rec.Meeting.ID).RemindersSent == r })
	}
	h.clock.Advance(24 * time.Hour)
	if n := h.runDue(s); n != 0 {
		t.Errorf("%d jobs due after two reminders, want none", n)
	}
}

func TestNoReminderAfterCompletionAndTheEmailIsErased(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	rec := h.record(s, mentee(1))
	mails := h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	_, token := mails[0].Link()

	if err := h.db.SubmitResponse(context.Background(), token, surveys.Default(), fullSubmission()); err != nil {
		t.Fatalf("submit: %v", err)
	}
	m := h.meeting(rec.Meeting.ID)
	if m.MenteeEmail != nil || m.MenteeName != nil || m.SealedToken != nil {
		t.Errorf("after completion the meeting keeps email %v name %v sealed %v", m.MenteeEmail, m.MenteeName, m.SealedToken != nil)
	}
	if m.DeliveryStatus != models.DeliveryCompleted {
		t.Errorf("status %q, want completed", m.DeliveryStatus)
	}

	h.clock.Advance(4 * 24 * time.Hour)
	if n := h.runDue(s); n != 1 {
		t.Fatalf("%d jobs due, want the reminder job to run (and do nothing)", n)
	}
	if st := deliverytest.WaitForJob(t, s, rec.ReminderJobID); st != rivertype.JobStateCompleted {
		t.Errorf("reminder job %s", st)
	}
	if got := len(h.smtp.Mails()); got != 1 {
		t.Errorf("%d emails, want no reminder after completion", got)
	}
}

func TestDeclineErasesTheEmailAndStopsReminders(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	rec := h.record(s, mentee(1))
	mails := h.smtp.WaitForMails(1)
	_, token := mails[0].Link()
	if err := h.db.DeclineLink(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	m := h.meeting(rec.Meeting.ID)
	if m.MenteeEmail != nil || m.MenteeName != nil || m.SealedToken != nil || m.DeliveryStatus != models.DeliveryDeclined {
		t.Errorf("after decline: %+v", m)
	}
	h.clock.Advance(4 * 24 * time.Hour)
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.ReminderJobID)
	if got := len(h.smtp.Mails()); got != 1 {
		t.Errorf("%d emails, want no reminder after decline", got)
	}
}

func TestExpiryErasesTheEmail(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db) // never started: the email stays queued
	rec := h.record(s, mentee(1))
	h.clock.Advance(14*24*time.Hour + time.Second)
	n, err := h.db.ExpireLinks(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("expired %d links, err %v; want 1", n, err)
	}
	m := h.meeting(rec.Meeting.ID)
	if m.MenteeEmail != nil || m.MenteeName != nil || m.SealedToken != nil || m.DeliveryStatus != models.DeliveryExpired {
		t.Errorf("after expiry: email %v name %v sealed %v status %q", m.MenteeEmail, m.MenteeName, m.SealedToken != nil, m.DeliveryStatus)
	}
	// A worker that starts now finds nothing to send.
	h.start(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	if got := len(h.smtp.Mails()); got != 0 {
		t.Errorf("%d emails for an expired link", got)
	}
}

func TestSMTPDownIsRetriedThenSentOnceWhenBack(t *testing.T) {
	h := newHarness(t)
	h.smtp.SetDown(true)
	s := h.running()
	rec := h.record(s, mentee(1))
	deliverytest.WaitForFailedAttempts(t, s, rec.SendJobID, 1)
	m := h.meeting(rec.Meeting.ID)
	if m.DeliveryStatus != models.DeliveryQueued || m.LastError == nil || !strings.Contains(*m.LastError, "421") {
		t.Fatalf("after a failed attempt: status %q error %v; want queued with the 421 reason", m.DeliveryStatus, m.LastError)
	}
	if strings.Contains(*m.LastError, mentee(1)) {
		t.Errorf("stored reason holds the mentee's address: %s", *m.LastError)
	}

	h.smtp.SetDown(false)
	h.clock.Advance(time.Minute) // past River's backoff for a first retry
	h.runDue(s)
	h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	if got := len(h.smtp.Mails()); got != 1 {
		t.Errorf("%d emails, want 1", got)
	}
	if m := h.meeting(rec.Meeting.ID); m.DeliveryStatus != models.DeliverySent || m.LastError != nil {
		t.Errorf("status %q error %v, want sent and no error", m.DeliveryStatus, m.LastError)
	}
}

func TestExhaustedRetriesShowAsFailedWithTheReason(t *testing.T) {
	h := newHarness(t)
	h.maxAttempts = 2
	h.smtp.SetDown(true)
	s := h.running()
	rec := h.record(s, mentee(1))
	deliverytest.WaitForFailedAttempts(t, s, rec.SendJobID, 1)
	h.clock.Advance(time.Hour)
	h.runDue(s)
	if st := deliverytest.WaitForJob(t, s, rec.SendJobID); st != rivertype.JobStateDiscarded {
		t.Fatalf("job %s, want discarded", st)
	}
	failed, err := h.db.ListMeetings(context.Background(), models.MeetingFilter{ProgramID: h.program.ID, Status: models.DeliveryFailed})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].LastError == nil || !strings.Contains(*failed[0].LastError, "gave up after 2 attempts") {
		t.Fatalf("failed meetings %+v, want one with the reason", failed)
	}
	if m := h.meeting(rec.Meeting.ID); m.MenteeEmail != nil || m.SealedToken != nil {
		t.Error("a failed meeting keeps the mentee's email or sealed link")
	}
	// The reminder does not go out for a failed delivery.
	h.smtp.SetDown(false)
	h.clock.Advance(4 * 24 * time.Hour)
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.ReminderJobID)
	if got := len(h.smtp.Mails()); got != 0 {
		t.Errorf("%d emails after a failed delivery", got)
	}
}

func TestRefusedRecipientFailsWithoutRetrying(t *testing.T) {
	h := newHarness(t)
	h.smtp.Refuse(mentee(1))
	s := h.running()
	rec := h.record(s, mentee(1))
	if st := deliverytest.WaitForJob(t, s, rec.SendJobID); st != rivertype.JobStateCancelled {
		t.Fatalf("job %s, want cancelled (no retry for a 550)", st)
	}
	m := h.meeting(rec.Meeting.ID)
	if m.DeliveryStatus != models.DeliveryFailed || m.LastError == nil || !strings.Contains(*m.LastError, "550") {
		t.Fatalf("status %q error %v, want failed with the 550", m.DeliveryStatus, m.LastError)
	}
	if strings.Contains(strings.ToLower(*m.LastError), mentee(1)) {
		t.Errorf("reason holds the address: %s", *m.LastError)
	}
	if h.smtp.Attempts() != 1 {
		t.Errorf("%d attempts, want 1", h.smtp.Attempts())
	}
}

func TestRecordingTheSameMeetingTwiceIsAConflict(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	h.record(s, "sam@student.example")
	m, _ := h.db.MenteeByEmail(context.Background(), h.program.ID, "sam@student.example")
	_, err := s.Record(context.Background(), delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: "SAM@student.example"})
	if surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Fatalf("second record: %v, want conflict", err)
	}
	// Named by roster id, it is the same meeting.
	_, err = s.Record(context.Background(), delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeID: &m.ID})
	if surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Fatalf("second record: %v, want conflict", err)
	}
}

func TestRecordRejectsBadInput(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	tomorrow2 := h.clock.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	for name, n := range map[string]delivery.NewMeeting{
		"bad-date":    {ResidentID: h.resident.ID, MeetingDate: "04/05/2026"},
		"future-date": {ResidentID: h.resident.ID, MeetingDate: tomorrow2},
		"bad-email":   {ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: "not an email"},
		"no-resident": {MeetingDate: h.today(), MenteeEmail: mentee(1)},
		"zero-id":     {ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeID: new(int64(0))},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Record(context.Background(), n); surveys.ErrorCode(err) != surveys.EINVALID {
				t.Errorf("err %v, want invalid", err)
			}
		})
	}
	ms, _ := h.db.ListMeetings(context.Background(), models.MeetingFilter{})
	if len(ms) != 0 {
		t.Errorf("%d meetings stored from bad input", len(ms))
	}
}

// TestMeetingDateIsWithinTheLastYearAndNoLaterThanTomorrow: a date typed as
// 0001-01-01 or 9999-12-31 is refused with the field named, the edges of the
// window are not, and nothing is stored for a refused date.
func TestMeetingDateIsWithinTheLastYearAndNoLaterThanTomorrow(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	now := h.clock.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	tests := []struct {
		date string
		ok   bool
	}{
		{"0001-01-01", false}, {"9999-12-31", false},
		{day(-surveys.MaxMeetingAgeDays - 1), false}, {day(2), false},
		{day(-surveys.MaxMeetingAgeDays), true}, {day(0), true}, {day(1), true},
	}
	for i, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			h.roster(mentee(i))
			_, err := s.Record(context.Background(), delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: tt.date, MenteeEmail: mentee(i)})
			if tt.ok {
				if err != nil {
					t.Fatalf("Record(%s): %v", tt.date, err)
				}
				return
			}
			if got := fieldsOf(err); len(got) != 1 || got[0] != "meeting_date" {
				t.Fatalf("Record(%s): %v, want invalid meeting_date", tt.date, err)
			}
		})
	}
	ms, _ := h.db.ListMeetings(context.Background(), models.MeetingFilter{})
	if len(ms) != 3 {
		t.Errorf("%d meetings stored, want the 3 in the window", len(ms))
	}
}

// TestMeetingTextThatNoDatabaseCanHoldIsRefused: NUL bytes and invalid
// UTF-8 in a mentee's email are a 422 naming the field on both engines,
// never an internal error, and nothing is stored. (Names come from the
// roster, whose use cases check them.)
func TestMeetingTextThatNoDatabaseCanHoldIsRefused(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	tests := map[string]struct {
		email, field string
	}{
		"nul-in-email":          {"sam\x00@student.example", "mentee_email"},
		"invalid-utf8-email":    {"sam\xff@student.example", "mentee_email"},
		"bidi-override-email":   {"sam\u202e@student.example", "mentee_email"},
		"zero-width-only-email": {"\u200b\u200b", "mentee_email"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := s.Record(context.Background(), delivery.NewMeeting{ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: tt.email})
			if got := fieldsOf(err); len(got) != 1 || got[0] != tt.field {
				t.Fatalf("Record: %v, want invalid %s", err, tt.field)
			}
		})
	}
	ms, _ := h.db.ListMeetings(context.Background(), models.MeetingFilter{})
	if len(ms) != 0 {
		t.Errorf("%d meetings stored from bad text", len(ms))
	}
}

// fieldsOf names the fields of an invalid error, nil for any other.
func fieldsOf(err error) []string {
	var ae *surveys.Error
	if !errors.As(err, &ae) || ae.Code != surveys.EINVALID {
		return nil
	}
	var out []string
	for _, f := range ae.Fields {
		out = append(out, f.Field)
	}
	return out
}

// fullSubmission rates every item 4.
func fullSubmission() surveys.Submission {
	sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
	four := 4
	for _, it := range surveys.Default().Items {
		sub.Answers[it.Key] = &four
	}
	return sub
}

// Without an SMTP server the email, link included, is written to the log,
// and the meeting says it was not sent: the log is not a mail server.
func TestWithoutSMTPTheEmailIsWrittenToTheLogAndShownAsNotSent(t *testing.T) {
	h := newHarness(t)
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s, err := delivery.New(h.db, delivery.Config{BaseURL: baseURL, Keyring: h.keyring, Logger: log, PollInterval: 20 * time.Millisecond, Clock: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.start(s)
	rec := h.record(s, mentee(1))
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	out := buf.String()
	link := regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`).FindStringSubmatch(out)
	if link == nil || !strings.Contains(out, mentee(1)) {
		t.Fatalf("log lacks the email:\n%s", out)
	}
	wantLinkOf(t, link[1], rec)
	ms, err := h.db.ListMeetings(context.Background(), models.MeetingFilter{ProgramID: h.program.ID})
	if err != nil || len(ms) != 1 {
		t.Fatalf("meetings %v (%v)", ms, err)
	}
	if got := delivery.StatusText(ms[0].DeliveryStatus, ms[0].LastError); got != "not sent: no mail server configured" {
		t.Errorf("status %q shown as %q, want not sent", ms[0].DeliveryStatus, got)
	}
	if ms[0].DeliveryStatus == models.DeliverySent || ms[0].SentAt != nil {
		t.Errorf("an email written to the log is recorded as sent (%q, sent_at %v)", ms[0].DeliveryStatus, ms[0].SentAt)
	}
	if strings.Contains(out, "level=WARN") || strings.Contains(out, "level=ERROR") {
		t.Errorf("the log mailer raised an alarm for a configuration:\n%s", out)
	}
}

// Every failed attempt is one WARN line and the last one an ERROR, each with
// the reason and never the mentee's address, name or link.
func TestEveryFailedAttemptIsLoggedWithoutTheMentee(t *testing.T) {
	h := newHarness(t)
	var buf syncBuffer
	h.log = slog.New(slog.NewTextHandler(&buf, nil))
	h.maxAttempts = 2
	h.smtp.SetDown(true)
	s := h.running()
	quinn := &models.Mentee{ProgramID: h.program.ID, Email: "quinn.private@student.example", Name: new("Quinn Privatename"), Status: models.MenteeActive}
	if err := h.db.CreateMentee(context.Background(), quinn); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Record(context.Background(), delivery.NewMeeting{
		ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: "Quinn.Private@student.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	token := h.tokenOf(rec)
	deliverytest.WaitForFailedAttempts(t, s, rec.SendJobID, 1)
	h.clock.Advance(time.Hour)
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	out := buf.String()
	var warns, errs int
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(line, "level=WARN") && strings.Contains(line, "survey email attempt failed"):
			warns++
			if !strings.Contains(line, "421") || !strings.Contains(line, fmt.Sprintf("meeting_id=%d", rec.Meeting.ID)) {
				t.Errorf("attempt line lacks the meeting or the reason: %s", line)
			}
		case strings.Contains(line, "level=ERROR") && strings.Contains(line, "survey email failed"):
			errs++
		}
	}
	if warns != 2 || errs != 1 {
		t.Errorf("%d WARN attempt lines and %d ERROR lines, want 2 and 1:\n%s", warns, errs, out)
	}
	for _, secret := range []string{"quinn", "privatename", token} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(secret)) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

// From the first failed attempt the meeting reads "queued, retrying: …",
// not "queued" as if all were well.
func TestARetriedEmailShowsAsRetryingFromTheFirstFailure(t *testing.T) {
	h := newHarness(t)
	h.smtp.SetDown(true)
	s := h.running()
	rec := h.record(s, mentee(1))
	deliverytest.WaitForFailedAttempts(t, s, rec.SendJobID, 1)
	ms, err := h.db.ListMeetings(context.Background(), models.MeetingFilter{ProgramID: h.program.ID, Undelivered: true})
	if err != nil || len(ms) != 1 || ms[0].ID != rec.Meeting.ID {
		t.Fatalf("undelivered meetings %v (%v), want the retried one", ms, err)
	}
	got := delivery.StatusText(ms[0].DeliveryStatus, ms[0].LastError)
	if !strings.HasPrefix(got, "queued, retrying: attempt 1 of ") || !strings.Contains(got, "421") {
		t.Errorf("shown as %q, want queued, retrying with the 421", got)
	}
	h.smtp.SetDown(false)
	h.clock.Advance(time.Minute)
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	if ms, _ := h.db.ListMeetings(context.Background(), models.MeetingFilter{ProgramID: h.program.ID, Undelivered: true}); len(ms) != 0 {
		t.Errorf("a delivered email is still listed as undelivered: %v", ms)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
