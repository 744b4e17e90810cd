package delivery_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

const baseURL = "https://feedback.example.org"

// harness is one database with a program, a resident, an SMTP server and a
// clock shared by the data layer and the job queue.
type harness struct {
	t        *testing.T
	url      string
	db       *models.DB
	clock    *deliverytest.Clock
	smtp     *deliverytest.SMTPServer
	keyring  *delivery.Keyring
	program  *models.Program
	resident *models.User
	// maxAttempts for services made by newService (0: the default).
	maxAttempts int
	// smtpURL, when set, replaces the test server's plain URL.
	smtpURL string
	// log receives the services' lines (nil: discarded).
	log *slog.Logger
	// observer, when set, hears the services' emails and releases.
	observer delivery.Observer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, url: dbtest.URL(t), clock: deliverytest.NewClock(time.Now().Truncate(time.Second)), smtp: deliverytest.NewSMTPServer(t)}
	h.db = h.open()
	ctx := context.Background()
	h.program = &models.Program{Name: "Internal Medicine"}
	if err := h.db.CreateProgram(ctx, h.program); err != nil {
		t.Fatal(err)
	}
	h.resident = h.addResident("amara@hospital.example", "Dr. Amara Okafor")
	var err error
	if h.keyring, err = delivery.NewKeyring("test secret that is long enough to be a key"); err != nil {
		t.Fatal(err)
	}
	return h
}

// open connects to the harness's database as a new process would.
func (h *harness) open() *models.DB {
	h.t.Helper()
	db, err := models.Open(h.url)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	db.Now = h.clock.Now
	return db
}

func (h *harness) addResident(email, name string) *models.User {
	h.t.Helper()
	u := &models.User{Email: email, Name: name, Role: models.RoleResident, ProgramID: &h.program.ID}
	if err := h.db.CreateUser(context.Background(), u); err != nil {
		h.t.Fatal(err)
	}
	return u
}

// newService builds a delivery service on db that is not yet working jobs.
func (h *harness) newService(db *models.DB) *delivery.Service {
	h.t.Helper()
	url := h.smtp.URL()
	if h.smtpURL != "" {
		url = h.smtpURL
	}
	mailer, err := delivery.NewSMTPMailer(url)
	if err != nil {
		h.t.Fatal(err)
	}
	log := h.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := delivery.New(db, delivery.Config{
		BaseURL:      baseURL,
		From:         "Mentorpulse <feedback@example.org>",
		Mailer:       mailer,
		Keyring:      h.keyring,
		Logger:       log,
		PollInterval: 20 * time.Millisecond,
		MaxAttempts:  h.maxAttempts,
		Clock:        h.clock.Now,
		Observer:     h.observer,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// start makes a service work jobs until the test ends.
func (h *harness) start(s *delivery.Service) *delivery.Service {
	h.t.Helper()
	if err := s.Start(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Stop(ctx)
	})
	return s
}

// running is a started service on the harness's database.
func (h *harness) running() *delivery.Service { return h.start(h.newService(h.db)) }

func (h *harness) today() string { return h.clock.Now().Format(time.DateOnly) }

// record puts the mentee on the program's roster (active, named Sam
// Mentee) unless they are on it, and records a meeting with them today.
func (h *harness) record(s *delivery.Service, mentee string) *delivery.Recorded {
	h.t.Helper()
	h.roster(mentee)
	rec, err := s.Record(context.Background(), delivery.NewMeeting{
		ResidentID: h.resident.ID, MeetingDate: h.today(), MenteeEmail: mentee,
	})
	if err != nil {
		h.t.Fatalf("record meeting: %v", err)
	}
	return rec
}

// roster puts an address on the program's roster, active and named Sam
// Mentee, unless it is on it already.
func (h *harness) roster(email string) *models.Mentee {
	h.t.Helper()
	ctx := context.Background()
	if m, err := h.db.MenteeByEmail(ctx, h.program.ID, email); err == nil {
		return m
	}
	m := &models.Mentee{ProgramID: h.program.ID, Email: email, Name: new("Sam Mentee"), Status: models.MenteeActive}
	if err := h.db.CreateMentee(ctx, m); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// domains sets the program's mentee domains.
func (h *harness) domains(ds ...string) {
	h.t.Helper()
	if err := h.db.SetMenteeDomains(context.Background(), h.program.ID, ds); err != nil {
		h.t.Fatal(err)
	}
}

// wantLinkOf checks that an emailed token is the recorded meeting's link:
// the recorded meeting itself holds no token.
func wantLinkOf(t *testing.T, token string, rec *delivery.Recorded) {
	t.Helper()
	if surveys.HashToken(token) != rec.Invitation.TokenHash {
		t.Errorf("emailed token %q is not the meeting's link", token)
	}
}

// tokenOf opens the sealed token of a meeting whose email has not gone out.
func (h *harness) tokenOf(rec *delivery.Recorded) string {
	h.t.Helper()
	m := h.meeting(rec.Meeting.ID)
	if m.SealedToken == nil {
		h.t.Fatal("the meeting holds no sealed token")
	}
	token, err := h.keyring.Open(*m.SealedToken, rec.Invitation.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return token
}

func (h *harness) meeting(id int64) *models.Meeting {
	h.t.Helper()
	m, err := h.db.MeetingByID(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// runDue releases the jobs due by the clock.
func (h *harness) runDue(s *delivery.Service) int {
	h.t.Helper()
	return deliverytest.RunDue(h.t, s, h.clock.Now())
}

func mentee(i int) string { return fmt.Sprintf("mentee%d@student.example", i) }
