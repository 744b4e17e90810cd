package delivery_test

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
)

// A local relay or mail catcher (Mailpit) offers AUTH PLAIN LOGIN and no
// STARTTLS: credentials to it on loopback must work, for survey emails.
func TestCredentialsReachALoopbackRelayWithoutSTARTTLS(t *testing.T) {
	h := newHarness(t)
	h.smtp.RequireAuth("relay-user", "relay-pass")
	h.smtpURL = h.smtp.URLWithAuth("relay-user", "relay-pass")
	s := h.running()
	rec := h.record(s, mentee(1))
	h.smtp.WaitForMails(1)
	if got := h.smtp.AuthUsed(); !slices.Equal(got, []string{deliverytest.AuthPlain}) {
		t.Errorf("AUTH mechanisms used %v, want PLAIN", got)
	}
	deliverytest.WaitFor(t, "the email to be recorded as sent", func() bool {
		return h.meeting(rec.Meeting.ID).DeliveryStatus == models.DeliverySent
	})
}

// The same relay reached by a name that is not loopback gets no credentials
// in clear, unless the URL says so.
func TestCredentialsAreNotSentInClearToARemoteHostUnlessTheURLOptsIn(t *testing.T) {
	srv := deliverytest.NewSMTPServer(t)
	srv.RequireAuth("relay-user", "relay-pass")
	remote := "smtp://relay-user:relay-pass@mail.example.org:2525"
	m, err := delivery.NewSMTPMailer(remote)
	if err != nil {
		t.Fatal(err)
	}
	m.DialVia(strings.TrimPrefix(srv.URL(), "smtp://"))
	err = m.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || !strings.Contains(err.Error(), "auth="+delivery.AuthPlainInsecure) {
		t.Errorf("check of a remote relay without STARTTLS: %v, want a refusal that names the opt-in", err)
	}
	if got := srv.AuthUsed(); len(got) != 0 {
		t.Fatalf("credentials were offered in clear to a remote host: AUTH %v", got)
	}

	m, err = delivery.NewSMTPMailer(remote + "?auth=" + delivery.AuthPlainInsecure)
	if err != nil {
		t.Fatal(err)
	}
	m.DialVia(strings.TrimPrefix(srv.URL(), "smtp://"))
	if err := m.Check(context.Background()); err != nil {
		t.Errorf("check with auth=%s: %v", delivery.AuthPlainInsecure, err)
	}
	if got := srv.AuthUsed(); !slices.Equal(got, []string{deliverytest.AuthPlain}) {
		t.Errorf("AUTH mechanisms used %v, want PLAIN", got)
	}
	for _, bad := range []string{remote + "?auth=plain", remote + "?tls=off"} {
		if _, err := delivery.NewSMTPMailer(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestTheStrongestMechanismTheServerOffersIsUsed(t *testing.T) {
	for _, tc := range []struct {
		offered []string
		want    string
	}{
		{[]string{deliverytest.AuthLogin, deliverytest.AuthPlain, deliverytest.AuthCramMD5}, deliverytest.AuthCramMD5},
		{[]string{deliverytest.AuthLogin, deliverytest.AuthPlain}, deliverytest.AuthPlain},
		{[]string{deliverytest.AuthLogin}, deliverytest.AuthLogin},
	} {
		t.Run(strings.Join(tc.offered, "-"), func(t *testing.T) {
			srv := deliverytest.NewSMTPServer(t)
			srv.RequireAuth("u", "secret", tc.offered...)
			m, err := delivery.NewSMTPMailer(srv.URLWithAuth("u", "secret"))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Check(context.Background()); err != nil {
				t.Fatalf("check: %v", err)
			}
			if got := srv.AuthUsed(); !slices.Equal(got, []string{tc.want}) {
				t.Errorf("offered %v, used %v; want %s", tc.offered, got, tc.want)
			}
		})
	}
}

func TestMailCheckReportsRefusedCredentials(t *testing.T) {
	srv := deliverytest.NewSMTPServer(t)
	srv.RequireAuth("u", "secret")
	srv.SetAuthFailing(true)
	m, err := delivery.NewSMTPMailer(srv.URLWithAuth("u", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("check with refused credentials: %v, want the 535", err)
	}
	if err := m.Check(context.Background()); strings.Contains(fmt.Sprint(err), "secret") {
		t.Errorf("the check's error shows the password: %v", err)
	}
}

// A name is a name whatever it holds: quotes and angle brackets are encoded
// in the header, not parsed as syntax, and the email goes out.
func TestMenteeNamesWithQuotesAndBracketsAreDelivered(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	for i, name := range []string{`Sam "The Rock"> Mentee`, `Chloé <Ørsted>, Jr.`} {
		m := &models.Mentee{ProgramID: h.program.ID, Email: mentee(i), Name: new(name), Status: models.MenteeActive}
		if err := h.db.CreateMentee(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		rec, err := s.Record(context.Background(), delivery.NewMeeting{
			ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: mentee(i),
		})
		if err != nil {
			t.Fatal(err)
		}
		mails := h.smtp.WaitForMails(i + 1)
		to, err := mail.ParseAddress(mails[i].ToHeader)
		if err != nil || to.Name != name || to.Address != mentee(i) {
			t.Errorf("To header %q parses as %+v (%v), want %q <%s>", mails[i].ToHeader, to, err, name, mentee(i))
		}
		deliverytest.WaitFor(t, "the email to be recorded", func() bool {
			return h.meeting(rec.Meeting.ID).DeliveryStatus == models.DeliverySent
		})
	}
}

// RFC 5322: one pair of angle brackets around a Message-ID.
func TestMessageIDHasOnePairOfAngleBrackets(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	rec := h.record(s, mentee(1))
	got := h.smtp.WaitForMails(1)[0].MessageID
	if want := fmt.Sprintf("<meeting-%d-email-0@feedback.example.org>", rec.Meeting.ID); got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
}
