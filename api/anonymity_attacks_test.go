package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The attacks of issue 10, performed through the public interface by the
// people the promise protects mentees from, each asserting that the attacker
// learns nothing (docs/privacy.md).

// attackStart is mid-way through the January–March 2026 window (quarters
// from July); attackClose is past its close.
var (
	attackStart = time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	attackClose = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
)

// attackEnv is a program with a resident, a colleague, a director and an
// admin, served with a running delivery service that emails a test SMTP
// server, all on one settable clock.
type attackEnv struct {
	t         *testing.T
	db        *models.DB
	clock     *deliverytest.Clock
	smtp      *deliverytest.SMTPServer
	svc       *delivery.Service
	h         http.Handler
	program   *models.Program
	resident  *models.User
	colleague *models.User
	director  *models.User
	tokens    map[*models.User]string
	admin     *models.User
}

func newAttackEnv(t *testing.T, cfg api.Config) *attackEnv {
	t.Helper()
	ctx := context.Background()
	e := &attackEnv{t: t, db: dbtest.New(t), smtp: deliverytest.NewSMTPServer(t), clock: deliverytest.NewClock(attackStart),
		tokens: map[*models.User]string{}}
	e.db.Now = e.clock.Now
	e.program = &models.Program{Name: "Internal Medicine", MinResponses: 3}
	if err := e.db.CreateProgram(ctx, e.program); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetMenteeDomains(ctx, e.program.ID, []string{"student.example"}); err != nil {
		t.Fatal(err)
	}
	user := func(email, name, role string) *models.User {
		u := &models.User{Email: email, Name: name, Role: role}
		if role != models.RoleAdmin {
			u.ProgramID = &e.program.ID
		}
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		_, secret, err := e.db.CreateAPIToken(ctx, u.ID, "attack tests")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u] = secret
		return u
	}
	e.resident = user("amara@hospital.example", "Dr. Amara Okafor", models.RoleResident)
	e.colleague = user("ben@hospital.example", "Dr. Ben Colleague", models.RoleResident)
	e.director = user("dana@hospital.example", "Dr. Dana Director", models.RoleDirector)
	e.admin = user("root@hospital.example", "Ada Admin", models.RoleAdmin)
	keys, err := delivery.NewKeyring("attack test secret, at least thirty-two characters")
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := delivery.NewSMTPMailer(e.smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	e.svc, err = delivery.New(e.db, delivery.Config{BaseURL: meetingOrigin, Mailer: mailer, Keyring: keys, Logger: quiet,
		PollInterval: 20 * time.Millisecond, Clock: e.clock.Now, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.svc.Stop(ctx)
	})
	cfg.BaseURL, cfg.Logger, cfg.Delivery = meetingOrigin, quiet, e.svc
	srv, err := api.New(e.db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.WaitAfterResponse(context.Background()) })
	e.h = srv.Handler()
	return e
}

// call sends a request as u (nil: nobody) and returns the recorder.
func (e *attackEnv) call(u *models.User, method, path, contentType, body string, opts ...func(*http.Request)) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if u != nil {
		r.Header.Set("Authorization", "Bearer "+e.tokens[u])
	}
	for _, o := range opts {
		o(r)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// recordMeeting records a meeting of the resident with mentee (an email)
// on date, as u, and returns the status.
func (e *attackEnv) recordMeeting(u *models.User, resident *models.User, mentee, date string) *httptest.ResponseRecorder {
	e.t.Helper()
	body := fmt.Sprintf(`{"resident_id":%d,"meeting_date":%q,"mentee_email":%q}`, resident.ID, date, mentee)
	return e.call(u, http.MethodPost, "/api/v1/meetings", "application/json", body)
}

// tokensFor waits until n survey emails have gone to the address and
// returns their tokens.
func (e *attackEnv) tokensFor(to string, n int) []string {
	e.t.Helper()
	var out []string
	deliverytest.WaitFor(e.t, fmt.Sprintf("%d emails to %s", n, to), func() bool {
		out = out[:0]
		for _, m := range e.smtp.Mails() {
			if strings.EqualFold(m.To, to) {
				_, tok := m.Link()
				out = append(out, tok)
			}
		}
		return len(out) >= n
	})
	return out
}

// answer submits a survey link with every item set to v and a comment.
func (e *attackEnv) answer(token string, v int, comment string) {
	e.t.Helper()
	body := strings.TrimSuffix(answersBody(fmt.Sprint(v), "", ""), "}") + fmt.Sprintf(`,"comments":{"keep_doing":%q}}`, comment)
	if w := e.call(nil, http.MethodPost, "/api/v1/surveys/"+token, "application/json", body); w.Code != http.StatusCreated {
		e.t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
}

// release runs the release job once through the job queue, as the leader's
// periodic job does, and waits for it to finish.
func (e *attackEnv) release() {
	e.t.Helper()
	res, err := e.svc.River().Insert(context.Background(), delivery.ReleaseArgs{}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	deliverytest.WaitForJob(e.t, e.svc, res.Job.ID)
}

// report reads u's view of the resident's report over the academic year.
func (e *attackEnv) report(u *models.User, resident *models.User) (surveys.ResidentReport, string) {
	e.t.Helper()
	w := e.call(u, http.MethodGet, fmt.Sprintf("/api/v1/residents/%d/report?from=2025-07&to=2026-06", resident.ID), "", "")
	if w.Code != http.StatusOK {
		e.t.Fatalf("report: %d %s", w.Code, w.Body)
	}
	var r surveys.ResidentReport
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		e.t.Fatal(err)
	}
	return r, w.Body.String()
}

// assertNothingReleased checks that a report shows no figure and no comment.
func assertNothingReleased(t *testing.T, when string, r surveys.ResidentReport) {
	t.Helper()
	if r.Responses != 0 || r.Mentees != 0 || len(r.Releases) != 0 {
		t.Errorf("%s: report rests on %d responses of %d mentees in %d releases, want none", when, r.Responses, r.Mentees, len(r.Releases))
	}
	for _, a := range r.Attributes {
		if a.Mean != nil || a.N != 0 {
			t.Errorf("%s: %s shows mean %v over %d answers", when, a.Key, a.Mean, a.N)
		}
		for k, n := range a.Distribution {
			if n != 0 {
				t.Errorf("%s: %s distribution %s = %d", when, a.Key, k, n)
			}
		}
	}
	for _, p := range r.Trend {
		if p.Responses != 0 {
			t.Errorf("%s: trend %s shows %d responses", when, p.Period, p.Responses)
		}
	}
	if len(r.Comments.KeepDoing)+len(r.Comments.NextTime) != 0 {
		t.Errorf("%s: comments shown: %v", when, r.Comments)
	}
}

// TestOneMenteeAnsweringFiveMeetingsReleasesNothing: five answers from one
// person are not "results combined from several mentees". Five meetings
// with one rostered mentee, five emailed links answered, the window closed
// and the release job run: the resident's report shows no figure and no
// comment, and says five answers await release.
func TestOneMenteeAnsweringFiveMeetingsReleasesNothing(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	const mentee = "sam@student.example"
	for d := range 5 {
		date := attackStart.AddDate(0, 0, -d).Format(time.DateOnly)
		if w := e.recordMeeting(e.resident, e.resident, mentee, date); w.Code != http.StatusCreated {
			t.Fatalf("meeting %d: %d %s", d+1, w.Code, w.Body)
		}
	}
	for i, tok := range e.tokensFor(mentee, 5) {
		e.answer(tok, 2+i%3, fmt.Sprintf("Only I could have written this, number %d.", i))
	}
	r, _ := e.report(e.resident, e.resident)
	assertNothingReleased(t, "before the close", r)

	e.clock.Advance(attackClose.Sub(attackStart))
	e.release()
	for _, u := range []*models.User{e.resident, e.director} {
		r, body := e.report(u, e.resident)
		assertNothingReleased(t, "after the close as "+u.Role, r)
		if strings.Contains(body, "Only I could") {
			t.Errorf("as %s the report holds the mentee's comment", u.Role)
		}
		if r.AwaitingRelease != 5 {
			t.Errorf("as %s: awaiting_release = %d, want the 5 answers carried over", u.Role, r.AwaitingRelease)
		}
	}
}
