package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river/rivertype"
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
	serveChecked(e.t, e.h, w, r)
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

// release runs the release job through the job queue, as the leader's
// periodic job does, and waits for it to finish. With one attempt per job
// (MaxAttempts 1), a run that fails under load (SQLite busy while the
// periodic release writes) is discarded; the leader would run it again a
// minute later, so the test does too, up to three times.
func (e *attackEnv) release() {
	e.t.Helper()
	for attempt := 1; ; attempt++ {
		res, err := e.svc.River().Insert(context.Background(), delivery.ReleaseArgs{}, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		st := deliverytest.WaitForJob(e.t, e.svc, res.Job.ID)
		// The periodic release may be judging at the same time: a group it
		// claimed is released when its transaction commits, so wait for
		// every release running, not only this one.
		deliverytest.WaitForKindIdle(e.t, e.svc, delivery.ReleaseArgs{}.Kind())
		if st == rivertype.JobStateCompleted {
			return
		}
		if attempt == 3 {
			e.t.Fatalf("the release job ended %s %d times", st, attempt)
		}
	}
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

// mailsTo counts the emails that went to an address.
func (e *attackEnv) mailsTo(addr string) int {
	n := 0
	for _, m := range e.smtp.Mails() {
		if strings.EqualFold(m.To, addr) {
			n++
		}
	}
	return n
}

// assertReportDifferenceRevealsNoOne compares two consecutive reports of
// one resident: either nothing new was released, or what is new is whole
// released groups, each of at least min_mentees distinct mentees, and the
// change in responses is exactly theirs.
func assertReportDifferenceRevealsNoOne(t *testing.T, step string, before, after surveys.ResidentReport) {
	t.Helper()
	if len(after.Releases) < len(before.Releases) {
		t.Fatalf("%s: releases went from %d to %d", step, len(before.Releases), len(after.Releases))
	}
	for i, r := range before.Releases {
		if after.Releases[i] != r {
			t.Errorf("%s: an earlier release changed: %+v -> %+v", step, r, after.Releases[i])
		}
	}
	var responses, mentees int64
	for _, r := range after.Releases[len(before.Releases):] {
		if r.Mentees < int64(max(after.MinMentees, 3)) || r.Responses < int64(after.MinResponses) {
			t.Errorf("%s: released a group of %d responses from %d mentees (min %d mentees, %d responses)", step, r.Responses, r.Mentees, after.MinMentees, after.MinResponses)
		}
		responses += r.Responses
		mentees += r.Mentees
	}
	if d := after.Responses - before.Responses; d != responses {
		t.Errorf("%s: the report's responses grew by %d, but the new releases hold %d", step, d, responses)
	}
	if d := after.Mentees - before.Mentees; d != mentees {
		t.Errorf("%s: the report's mentees grew by %d, but the new releases hold %d", step, d, mentees)
	}
	if responses == 0 {
		bc, _ := json.Marshal(before.Comments)
		ac, _ := json.Marshal(after.Comments)
		if string(bc) != string(ac) {
			t.Errorf("%s: comments changed with nothing released: %s -> %s", step, bc, ac)
		}
		for i := range after.Attributes {
			if i < len(before.Attributes) && (after.Attributes[i].N != before.Attributes[i].N || fmt.Sprint(after.Attributes[i].Mean) != fmt.Sprint(before.Attributes[i].Mean)) {
				t.Errorf("%s: %s changed with nothing released", step, after.Attributes[i].Key)
			}
		}
	}
}

// TestPlantAndSubtractLearnsNothing performs issue 10's attack as a
// resident and as a director. With one real mentee's answer waiting, they
// try to make links they could answer themselves: staff addresses (their
// own, a colleague's) as the mentee, a made-up address outside the roster
// and the mentee domains, a director's out-of-domain roster entry before an
// admin approves it. None gets a link or an email, no answer holds a survey
// URL (TestStaffCannotObtainASurveyURL walks every other route). Then the
// reports before and after each window's close differ by nothing, or by a
// whole released group of at least min_mentees mentees: never by one answer.
func TestPlantAndSubtractLearnsNothing(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	today := func() string { return e.clock.Now().Format(time.DateOnly) }
	const realMentee = "kim@student.example"
	if w := e.recordMeeting(e.resident, e.resident, realMentee, today()); w.Code != http.StatusCreated {
		t.Fatalf("the real meeting: %d %s", w.Code, w.Body)
	}
	e.answer(e.tokensFor(realMentee, 1)[0], 1, "My resident was late to every meeting.")
	r0, _ := e.report(e.resident, e.resident)

	// Plant: every attempt is refused and sends nothing.
	planted := []string{e.resident.Email, strings.ToUpper(e.colleague.Email), e.director.Email, e.admin.Email, "plant@elsewhere.example"}
	for _, who := range []*models.User{e.resident, e.director} {
		for i, addr := range planted {
			date := attackStart.AddDate(0, 0, -1-i).Format(time.DateOnly)
			w := e.recordMeeting(who, e.resident, addr, date)
			if w.Code != http.StatusConflict && w.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s recording a meeting with %s: %d %s, want 409 or 422", who.Role, addr, w.Code, w.Body)
			}
			if holdsSurveyURL(w.Body.String()) {
				t.Errorf("%s: the refusal holds a survey URL", who.Role)
			}
		}
	}
	menteesPath := fmt.Sprintf("/api/v1/programs/%d/mentees", e.program.ID)
	if w := e.call(e.resident, http.MethodPost, menteesPath, "application/json", `{"email":"plant2@elsewhere.example"}`); w.Code != http.StatusForbidden {
		t.Errorf("a resident adding a mentee: %d, want 403", w.Code)
	}
	for _, staff := range []*models.User{e.resident, e.colleague, e.director} {
		if w := e.call(e.director, http.MethodPost, menteesPath, "application/json", fmt.Sprintf(`{"email":%q}`, staff.Email)); w.Code != http.StatusConflict {
			t.Errorf("the director making %s a mentee: %d, want 409", staff.Email, w.Code)
		}
	}
	// The director's own out-of-domain entry waits for an admin.
	const outside = "dana.private@elsewhere.example"
	w := e.call(e.director, http.MethodPost, menteesPath, "application/json", fmt.Sprintf(`{"email":%q}`, outside))
	var added struct {
		ID     int64
		Status string
	}
	if json.Unmarshal(w.Body.Bytes(), &added); w.Code != http.StatusCreated || added.Status != "pending_approval" {
		t.Fatalf("the director adding an outside address: %d %s, want 201 pending_approval", w.Code, w.Body)
	}
	pendingDate := attackStart.AddDate(0, 0, -10).Format(time.DateOnly)
	for _, who := range []*models.User{e.resident, e.director} {
		if w := e.recordMeeting(who, e.resident, outside, pendingDate); w.Code != http.StatusConflict && w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s recording a meeting with a pending mentee: %d %s, want 409 or 422", who.Role, w.Code, w.Body)
		}
	}
	if w := e.call(e.director, http.MethodPost, fmt.Sprintf("/api/v1/mentees/%d/approve", added.ID), "", ""); w.Code != http.StatusForbidden {
		t.Errorf("the director approving their own entry: %d, want 403", w.Code)
	}
	waitSendJobs(t, e.svc)
	for _, addr := range append(planted, outside) {
		if n := e.mailsTo(addr); n != 0 {
			t.Errorf("%d survey emails went to %s", n, addr)
		}
	}
	if n := len(e.smtp.Mails()); n != 1 {
		t.Errorf("%d emails sent, want only the real mentee's", n)
	}
	// Approved by an admin, the entry gets its link — in its own inbox only.
	if w := e.call(e.admin, http.MethodPost, fmt.Sprintf("/api/v1/mentees/%d/approve", added.ID), "", ""); w.Code != http.StatusOK {
		t.Fatalf("the admin approving: %d %s", w.Code, w.Body)
	}
	if w := e.recordMeeting(e.director, e.resident, outside, pendingDate); w.Code != http.StatusCreated || holdsSurveyURL(w.Body.String()) {
		t.Errorf("a meeting with the approved mentee: %d %s, want 201 without a URL", w.Code, w.Body)
	}
	e.tokensFor(outside, 1)

	// Subtract: the reports around each close.
	r1, _ := e.report(e.resident, e.resident)
	assertNothingReleased(t, "mid-window", r1)
	assertReportDifferenceRevealsNoOne(t, "mid-window", r0, r1)
	e.clock.Advance(attackClose.Sub(attackStart))
	e.release()
	r2, body := e.report(e.resident, e.resident)
	assertNothingReleased(t, "after the first close", r2)
	assertReportDifferenceRevealsNoOne(t, "first close", r1, r2)
	if strings.Contains(body, "late to every") {
		t.Error("the real mentee's comment shows after the first close")
	}
	d2, _ := e.report(e.director, e.resident)
	assertNothingReleased(t, "after the first close, as the director", d2)

	// Two more real mentees answer in the next window: mid-window nothing
	// moves; at its close the three are released together, as one group.
	for _, m := range []string{"lee@student.example", "mo@student.example"} {
		if w := e.recordMeeting(e.resident, e.resident, m, today()); w.Code != http.StatusCreated {
			t.Fatalf("meeting with %s: %d %s", m, w.Code, w.Body)
		}
		e.answer(e.tokensFor(m, 1)[0], 4, "Fine.")
	}
	r3, _ := e.report(e.resident, e.resident)
	assertReportDifferenceRevealsNoOne(t, "second window, open", r2, r3)
	assertNothingReleased(t, "second window, open", r3)
	e.clock.Advance(time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	e.release()
	r4, _ := e.report(e.resident, e.resident)
	assertReportDifferenceRevealsNoOne(t, "second close", r3, r4)
	if len(r4.Releases) != 1 || r4.Releases[0].Mentees != 3 || r4.Releases[0].Responses != 3 || r4.Releases[0].FirstWindow != "2026-01" {
		t.Errorf("second close released %+v, want one group of the 3 mentees' 3 answers from 2026-01 on", r4.Releases)
	}
	d4, _ := e.report(e.director, e.resident)
	assertReportDifferenceRevealsNoOne(t, "second close, as the director", d2, d4)
}

// askAt posts the QR request form of code for email from remote (IP:port).
func (e *attackEnv) askAt(code, email, remote string) *httptest.ResponseRecorder {
	e.t.Helper()
	page := e.call(nil, http.MethodGet, "/r/"+code, "", "")
	m := hiddenCSRF.FindStringSubmatch(page.Body.String())
	ck := responseCookie(page, "mentorpulse_request")
	if page.Code != http.StatusOK || m == nil || ck == nil {
		e.t.Fatalf("GET /r/{code}: %d, no form token", page.Code)
	}
	form := url.Values{"csrf_token": {m[1]}, "email": {email}}
	return e.call(nil, http.MethodPost, "/r/"+code, "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) {
		r.AddCookie(ck)
		r.RemoteAddr = remote
	})
}

var retryPage = regexp.MustCompile(`Please wait (\d+) seconds and try again`)

// assertLimited checks a 429 answer that says when to try again.
func assertLimited(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	after := w.Header().Get("Retry-After")
	m := retryPage.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusTooManyRequests || after == "" || m == nil || m[1] != after {
		t.Errorf("%s: %d, Retry-After %q, page says %q; want 429 saying when to try again", what, w.Code, after, m)
	}
	if n, err := strconv.Atoi(after); err != nil || n < 1 {
		t.Errorf("%s: Retry-After %q is not a positive number of seconds", what, after)
	}
	if strings.Contains(w.Body.String(), "Check your inbox.") || holdsSurveyURL(w.Body.String()) {
		t.Errorf("%s: the limited answer says a link was sent, or shows one", what)
	}
}

// TestQRRequestsAreRateLimitedPerIPAndPerAddress: someone trying addresses
// at a resident's QR page, from one IP or one address from many IPs, is
// stopped by the sign-in limits with a page that says when to try again,
// and the requests past the limit send no email even to rostered mentees.
func TestQRRequestsAreRateLimitedPerIPAndPerAddress(t *testing.T) {
	e := newAttackEnv(t, api.Config{
		LoginIPLimit:      api.RateLimit{Events: 2, Per: 1000 * time.Hour},
		LoginAccountLimit: api.RateLimit{Events: 2, Per: 1000 * time.Hour},
	})
	code, _, err := e.db.NewResidentCode(context.Background(), e.resident.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The requests are handled in order: once the last one's email is in,
	// every earlier request has been handled.
	handled := func(sentinel, remote string) {
		t.Helper()
		if w := e.askAt(code, sentinel, remote); w.Code != http.StatusOK {
			t.Fatalf("sentinel request: %d", w.Code)
		}
		e.tokensFor(sentinel, 1)
		waitSendJobs(t, e.svc)
	}

	// Per IP: two addresses, then a third is refused.
	for _, m := range []string{"kim@student.example", "lee@student.example"} {
		if w := e.askAt(code, m, "198.51.100.7:1000"); w.Code != http.StatusOK {
			t.Fatalf("%s: %d, want 200", m, w.Code)
		}
	}
	assertLimited(t, "third address from one IP", e.askAt(code, "mo@student.example", "198.51.100.7:1000"))
	handled("zed@student.example", "192.0.2.1:1")
	if n := e.mailsTo("mo@student.example"); n != 0 {
		t.Errorf("%d emails to the address refused by the per-IP limit", n)
	}

	// Per address, from IPs of their own, on different days (a second
	// request the same day would send nothing anyway).
	for i := range 2 {
		if w := e.askAt(code, "pat@student.example", "203.0.113."+strconv.Itoa(i+1)+":1000"); w.Code != http.StatusOK {
			t.Fatalf("address request %d: %d, want 200", i+1, w.Code)
		}
		e.tokensFor("pat@student.example", i+1) // handled on its day
		e.clock.Advance(24 * time.Hour)
	}
	assertLimited(t, "third request for one address", e.askAt(code, "PAT@student.example", "203.0.113.9:1000"))
	handled("zoe@student.example", "192.0.2.2:1")
	if n := e.mailsTo("pat@student.example"); n != 2 {
		t.Errorf("%d emails to the address limited after two requests, want 2", n)
	}
	if n := len(e.smtp.Mails()); n != 6 {
		t.Errorf("%d emails in all, want 6: kim, lee, zed, pat twice, zoe", n)
	}
}

// TestReleasedCommentsAreNotInSubmissionOrder: comments appear with their
// released group in an order unrelated to submission, so a resident who
// remembers which meeting came first cannot tell whose comment is first.
// Twenty residents each get three answers with comments, submitted in a
// known order; after the release, the first comment shown is not always
// the first submitted, nor always the last (by chance alone, all twenty would match once in
// 3^20 runs), and no report keeps the submission order every time.
func TestReleasedCommentsAreNotInSubmissionOrder(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	ctx := context.Background()
	const residents, answers = 20, 3
	var rs []*models.User
	for i := range residents {
		u := &models.User{Email: fmt.Sprintf("r%02d@hospital.example", i), Name: fmt.Sprintf("Dr. R%02d", i), Role: models.RoleResident, ProgramID: &e.program.ID}
		if err := e.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, u)
	}
	comment := func(i, j int) string { return fmt.Sprintf("Resident %02d, answer %d of %d.", i, j+1, answers) }
	for j := range answers {
		for i, u := range rs {
			m := fmt.Sprintf("m%02d-%d@student.example", i, j)
			if w := e.recordMeeting(e.director, u, m, attackStart.Format(time.DateOnly)); w.Code != http.StatusCreated {
				t.Fatalf("meeting %s: %d %s", m, w.Code, w.Body)
			}
			e.answer(e.tokensFor(m, 1)[0], 2+j, comment(i, j))
		}
	}
	e.clock.Advance(attackClose.Sub(attackStart))
	e.release()
	firstIsFirst, inOrder, reversed := 0, 0, 0
	for i, u := range rs {
		r, _ := e.report(e.director, u)
		got := r.Comments.KeepDoing
		if len(r.Releases) != 1 || len(got) != answers {
			t.Fatalf("resident %d: %d releases, comments %q; want one release with %d comments", i, len(r.Releases), got, answers)
		}
		if got[0] == comment(i, 0) {
			firstIsFirst++
		}
		if got[0] == comment(i, 0) && got[1] == comment(i, 1) {
			inOrder++
		}
		if got[0] == comment(i, answers-1) {
			reversed++ // newest first is submission order too
		}
	}
	if firstIsFirst == residents {
		t.Errorf("in all %d releases the first comment shown is the first submitted", residents)
	}
	if reversed == residents {
		t.Errorf("in all %d releases the first comment shown is the last submitted", residents)
	}
	if inOrder == residents {
		t.Errorf("in all %d releases the comments are in submission order", residents)
	}
	t.Logf("first comment shown was the first submitted in %d of %d releases; all in order in %d", firstIsFirst, residents, inOrder)
}

// TestDeliveryViewDoesNotTellAnsweredMeetings is the attack of "the
// resident knows each batch's members": a director (who sees every
// resident's report) reads the delivery view after one of two meetings was
// answered. Per meeting it shows delivery only, so the two meetings look
// alike but for their ids and dates, and filtering by an answer's status
// finds nothing.
func TestDeliveryViewDoesNotTellAnsweredMeetings(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	dates := map[string]string{"kim@student.example": "2026-03-16", "lee@student.example": "2026-03-15"}
	for m, d := range dates {
		if w := e.recordMeeting(e.resident, e.resident, m, d); w.Code != http.StatusCreated {
			t.Fatalf("meeting with %s: %d %s", m, w.Code, w.Body)
		}
	}
	e.tokensFor("lee@student.example", 1)
	waitSendJobs(t, e.svc)
	e.answer(e.tokensFor("kim@student.example", 1)[0], 4, "Good.")
	e.assertMeetingsAlike("open")
	// Past the links' expiry, answered and unanswered both show expired.
	e.clock.Advance(15 * 24 * time.Hour)
	e.assertMeetingsAlike("expired")
}

// assertMeetingsAlike reads the director's delivery view of the two
// meetings and checks that nothing but ids and dates tells them apart.
func (e *attackEnv) assertMeetingsAlike(when string) {
	t := e.t
	t.Helper()
	path := fmt.Sprintf("/api/v1/programs/%d/meetings", e.program.ID)
	w := e.call(e.director, http.MethodGet, path, "", "")
	var view struct {
		Meetings []map[string]any `json:"meetings"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &view); w.Code != http.StatusOK || err != nil || len(view.Meetings) != 2 {
		t.Fatalf("delivery view: %d %v %s", w.Code, err, w.Body)
	}
	a, b := view.Meetings[0], view.Meetings[1]
	for k := range a {
		switch k {
		case "id", "meeting_date", "created_at", "expires_at":
			continue
		}
		if fmt.Sprint(a[k]) != fmt.Sprint(b[k]) {
			t.Errorf("%s: the answered and the unanswered meeting differ in %s: %v vs %v", when, k, a[k], b[k])
		}
	}
	for _, status := range []string{"completed", "declined"} {
		w := e.call(e.director, http.MethodGet, path+"?status="+status, "", "")
		if w.Code == http.StatusOK && strings.Contains(w.Body.String(), `"meeting_date"`) {
			t.Errorf("%s: ?status=%s finds meetings: %s", when, status, w.Body)
		}
	}
}

// TestPagesShowNoLinkStatus: the resident's home and the director's roster
// show no answered, declined or pending status of a link, and no live count
// of them, so neither can watch a meeting turn into an answer.
func TestPagesShowNoLinkStatus(t *testing.T) {
	e := newAttackEnv(t, api.Config{})
	for m, d := range map[string]string{"kim@student.example": "2026-03-16", "lee@student.example": "2026-03-15"} {
		if w := e.recordMeeting(e.resident, e.resident, m, d); w.Code != http.StatusCreated {
			t.Fatalf("meeting with %s: %d %s", m, w.Code, w.Body)
		}
	}
	e.tokensFor("lee@student.example", 1)
	waitSendJobs(t, e.svc)
	e.answer(e.tokensFor("kim@student.example", 1)[0], 4, "Good.")
	cookie, sess, err := e.db.CreateSession(context.Background(), e.resident.ID, models.SessionLimits{})
	if err != nil {
		t.Fatal(err)
	}
	home := e.call(nil, http.MethodGet, "/home", "", "", withSession(cookie, sess.CSRFToken))
	if home.Code != http.StatusOK || !strings.Contains(home.Body.String(), "Meetings this window") {
		t.Fatalf("the resident's home: %d, without the meetings", home.Code)
	}
	if n := strings.Count(home.Body.String(), `class="status status-sent"`); n != 2 {
		t.Errorf("the resident's home shows %d of the 2 meetings as sent: one stands out", n)
	}
	assertNoLinkStatus(t, "the resident's home", home.Body.String())
	cookie, sess, err = e.db.CreateSession(context.Background(), e.director.ID, models.SessionLimits{})
	if err != nil {
		t.Fatal(err)
	}
	roster := e.call(nil, http.MethodGet, fmt.Sprintf("/programs/%d/roster", e.program.ID), "", "", withSession(cookie, sess.CSRFToken))
	if roster.Code != http.StatusOK || !strings.Contains(roster.Body.String(), e.resident.Name) {
		t.Fatalf("the director's roster: %d, without the resident", roster.Code)
	}
	assertNoLinkStatus(t, "the director's roster", roster.Body.String())
}

// assertNoLinkStatus checks a page for a link's answered, declined or
// pending status, in a status badge, a count or a column.
func assertNoLinkStatus(t *testing.T, page, body string) {
	t.Helper()
	text := strings.ToLower(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))
	text = strings.Join(strings.Fields(text), " ")
	for _, status := range []string{"completed", "declined", "pending"} {
		if strings.Contains(body, "status-"+status) {
			t.Errorf("%s shows a %s status badge", page, status)
		}
		if regexp.MustCompile(`\b\d+ ` + status + `\b`).MatchString(text) {
			t.Errorf("%s counts %s links", page, status)
		}
	}
	if strings.Contains(text, "completed") {
		t.Errorf("%s still speaks of completed links or meetings", page)
	}
}
