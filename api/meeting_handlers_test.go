package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

const meetingOrigin = "https://feedback.example.org"

type meetingEnv struct {
	t        *testing.T
	db       *models.DB
	smtp     *deliverytest.SMTPServer
	svc      *delivery.Service
	h        http.Handler
	program  *models.Program
	resident *models.User
	today    string
	// bearer authenticates requests: the program director's API token by
	// default; asResident switches to the resident's, "" sends none.
	bearer        string
	directorToken string
	residentToken string
}

func (e *meetingEnv) asResident() { e.bearer = e.residentToken }

func newMeetingEnv(t *testing.T) *meetingEnv {
	t.Helper()
	ctx := context.Background()
	e := &meetingEnv{t: t, db: dbtest.New(t), smtp: deliverytest.NewSMTPServer(t)}
	clock := deliverytest.NewClock(time.Now().Truncate(time.Second))
	e.db.Now = clock.Now
	e.today = clock.Now().Format(time.DateOnly)
	e.program = &models.Program{Name: "Internal Medicine"}
	if err := e.db.CreateProgram(ctx, e.program); err != nil {
		t.Fatal(err)
	}
	// Its mentees' addresses at student.example join the roster on first use.
	if err := e.db.SetMenteeDomains(ctx, e.program.ID, []string{"student.example"}); err != nil {
		t.Fatal(err)
	}
	e.resident = &models.User{Email: "amara@hospital.example", Name: "Dr. Amara Okafor", Role: models.RoleResident, ProgramID: &e.program.ID}
	if err := e.db.CreateUser(ctx, e.resident); err != nil {
		t.Fatal(err)
	}
	director := &models.User{Email: "dana@hospital.example", Name: "Dr. Dana Director", Role: models.RoleDirector, ProgramID: &e.program.ID}
	if err := e.db.CreateUser(ctx, director); err != nil {
		t.Fatal(err)
	}
	var err error
	if _, e.directorToken, err = e.db.CreateAPIToken(ctx, director.ID, "meeting tests"); err != nil {
		t.Fatal(err)
	}
	if _, e.residentToken, err = e.db.CreateAPIToken(ctx, e.resident.ID, "meeting tests"); err != nil {
		t.Fatal(err)
	}
	e.bearer = e.directorToken
	keys, _ := delivery.NewKeyring("api test secret, at least thirty-two characters")
	mailer, err := delivery.NewSMTPMailer(e.smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	e.svc, err = delivery.New(e.db, delivery.Config{BaseURL: meetingOrigin, Mailer: mailer, Keyring: keys, Logger: quiet,
		PollInterval: 20 * time.Millisecond, Clock: clock.Now, MaxAttempts: 1})
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
	srv, err := api.New(e.db, api.Config{BaseURL: meetingOrigin, Logger: quiet, Delivery: e.svc})
	if err != nil {
		t.Fatal(err)
	}
	e.h = srv.Handler()
	return e
}

func (e *meetingEnv) do(method, path, contentType string, body io.Reader) (int, map[string]any, http.Header) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if e.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+e.bearer)
	}
	rec := httptest.NewRecorder()
	serveChecked(e.t, e.h, rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %s", method, path, rec.Body)
		}
	}
	return rec.Code, out, rec.Header()
}

func (e *meetingEnv) postJSON(path, body string) (int, map[string]any) {
	e.t.Helper()
	code, out, _ := e.do(http.MethodPost, path, "application/json", strings.NewReader(body))
	return code, out
}

func meetingKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestRecordMeetingWithEmailSendsOneWorkingLink(t *testing.T) {
	e := newMeetingEnv(t)
	code, body, _ := e.do(http.MethodPost, "/api/v1/meetings", "application/json", strings.NewReader(
		`{"resident_id": `+meetingItoa(e.resident.ID)+`, "meeting_date": "`+e.today+`", "mentee_email": "sam@student.example"}`))
	if code != http.StatusCreated {
		t.Fatalf("status %d: %v", code, body)
	}
	if diff := cmp.Diff([]string{"delivery", "id", "invitation"}, meetingKeys(body)); diff != "" {
		t.Errorf("answer keys (-want +got):\n%s", diff)
	}
	// The answer never holds the link: it goes to the mentee's inbox only.
	inv := body["invitation"].(map[string]any)
	if diff := cmp.Diff([]string{"expires_at", "id", "status"}, meetingKeys(inv)); diff != "" {
		t.Errorf("invitation keys (-want +got):\n%s", diff)
	}
	if body["delivery"] != "email" || inv["status"] != "pending" || strings.Contains(meetingJSON(body), "/s/") {
		t.Errorf("answer %v, want an emailed pending link and no URL", body)
	}

	mails := e.smtp.WaitForMails(1)
	_, token := mails[0].Link()
	sqlDB, _ := e.db.SQL()
	var id int64
	q := "SELECT id FROM invitations WHERE token_hash = ?"
	if e.db.Dialect == models.Postgres {
		q = "SELECT id FROM invitations WHERE token_hash = $1"
	}
	if err := sqlDB.QueryRow(q, surveys.HashToken(token)).Scan(&id); err != nil || float64(id) != inv["id"] {
		t.Errorf("the emailed link is invitation %d (%v), answered %v", id, err, inv["id"])
	}
	if code, got, _ := e.do(http.MethodGet, "/api/v1/surveys/"+token, "", nil); code != http.StatusOK {
		t.Errorf("GET the emailed link: %d %v", code, got)
	}
	waitSendJobs(t, e.svc)
	if n := len(e.smtp.Mails()); n != 1 {
		t.Errorf("%d emails, want exactly 1", n)
	}

	code, dup := e.postJSON("/api/v1/meetings", `{"resident_id": `+meetingItoa(e.resident.ID)+`, "meeting_date": "`+e.today+`", "mentee_email": "SAM@student.example"}`)
	if code != http.StatusConflict {
		t.Errorf("same meeting again: %d %v, want 409", code, dup)
	}
}

// TestRecordMeetingNeedsARosteredMentee: a resident names the mentee by
// roster id or email; an address neither on the roster nor in the
// program's mentee domains, or one waiting for approval, gets no link.
func TestRecordMeetingNeedsARosteredMentee(t *testing.T) {
	e := newMeetingEnv(t)
	ctx := context.Background()
	kim := &models.Mentee{ProgramID: e.program.ID, Email: "kim@elsewhere.example", Status: models.MenteeActive}
	pending := &models.Mentee{ProgramID: e.program.ID, Email: "pat@elsewhere.example", Status: models.MenteePending}
	for _, m := range []*models.Mentee{kim, pending} {
		if err := e.db.CreateMentee(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	e.asResident() // a resident may leave resident_id out: their own meeting
	for name, tc := range map[string]struct {
		body   string
		status int
		field  string
	}{
		"422-no-mentee":        {`{"meeting_date": "` + e.today + `"}`, 422, "mentee_email"},
		"422-not-on-roster":    {`{"meeting_date": "` + e.today + `", "mentee_email": "lee@elsewhere.example"}`, 422, "mentee_email"},
		"422-pending-approval": {`{"meeting_date": "` + e.today + `", "mentee_id": ` + meetingItoa(pending.ID) + `}`, 422, "mentee_id"},
		"422-mentee-name-gone": {`{"meeting_date": "` + e.today + `", "mentee_email": "kim@elsewhere.example", "mentee_name": "Kim"}`, 422, "mentee_name"},
		"201-roster-id":        {`{"meeting_date": "` + e.today + `", "mentee_id": ` + meetingItoa(kim.ID) + `}`, 201, ""},
		"201-domain-first-use": {`{"meeting_date": "` + e.today + `", "mentee_email": "new@student.example"}`, 201, ""},
	} {
		t.Run(name, func(t *testing.T) {
			code, body := e.postJSON("/api/v1/meetings", tc.body)
			if code != tc.status {
				t.Fatalf("status %d %v, want %d", code, body, tc.status)
			}
			if tc.field != "" && !strings.Contains(meetingJSON(body["errors"]), `"field":"`+tc.field+`"`) {
				t.Errorf("errors %v do not name %s", body["errors"], tc.field)
			}
		})
	}
	waitSendJobs(t, e.svc)
	var to []string
	for _, m := range e.smtp.Mails() {
		to = append(to, m.To)
	}
	sort.Strings(to)
	if diff := cmp.Diff([]string{"kim@elsewhere.example", "new@student.example"}, to); diff != "" {
		t.Errorf("emails went to (-want +got):\n%s", diff)
	}
}

func TestRecordMeetingRejectsBadRequests(t *testing.T) {
	e := newMeetingEnv(t)
	rid := meetingItoa(e.resident.ID)
	director, err := e.db.UserByEmail(context.Background(), "dana@hospital.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"422-director-without-resident", `{"meeting_date": "` + e.today + `"}`, 422, "resident_id"},
		{"422-bad-date", `{"resident_id": ` + rid + `, "meeting_date": "25/11/2026"}`, 422, "meeting_date"},
		{"422-bad-email", `{"resident_id": ` + rid + `, "meeting_date": "` + e.today + `", "mentee_email": "sam"}`, 422, "mentee_email"},
		{"422-unknown-field", `{"resident_id": ` + rid + `, "meeting_date": "` + e.today + `", "note": "x"}`, 422, "note"},
		{"404-unknown-resident", `{"resident_id": 999999, "meeting_date": "` + e.today + `"}`, 404, ""},
		{"422-not-a-resident", `{"resident_id": ` + meetingItoa(director.ID) + `, "meeting_date": "` + e.today + `", "mentee_email": "sam@student.example"}`, 422, "resident_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := e.postJSON("/api/v1/meetings", tc.body)
			if code != tc.status {
				t.Fatalf("status %d %v, want %d", code, body, tc.status)
			}
			if tc.field != "" && !strings.Contains(meetingJSON(body["errors"]), `"field":"`+tc.field+`"`) {
				t.Errorf("errors %v do not name %s", body["errors"], tc.field)
			}
		})
	}
}

func TestImportMeetingsTwiceSendsOncePerRow(t *testing.T) {
	e := newMeetingEnv(t)
	csv := "resident_email,mentee_email,meeting_date\n" +
		"amara@hospital.example,one@student.example," + e.today + "\n" +
		"amara@hospital.example,two@student.example,yesterday\n" +
		"amara@hospital.example,three@student.example," + e.today + "\n"
	path := "/api/v1/programs/" + meetingItoa(e.program.ID) + "/meetings/import"
	code, body, _ := e.do(http.MethodPost, path, "text/csv", strings.NewReader(csv))
	if code != http.StatusOK {
		t.Fatalf("%d %v", code, body)
	}
	want := map[string]any{"rows": 3.0, "created": 2.0, "skipped": 0.0,
		"errors": []any{map[string]any{"line": 3.0, "message": "meeting_date must be a date like 2026-11-25"}}}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("first import (-want +got):\n%s", diff)
	}
	e.smtp.WaitForMails(2)

	// The same file again, as a form upload.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "meetings.csv")
	fw.Write([]byte(csv))
	mw.Close()
	code, body, _ = e.do(http.MethodPost, path, mw.FormDataContentType(), &form)
	if code != http.StatusOK || body["created"] != 0.0 || body["skipped"] != 2.0 {
		t.Fatalf("second import: %d %v, want nothing created, 2 skipped", code, body)
	}
	waitSendJobs(t, e.svc)
	if n := len(e.smtp.Mails()); n != 2 {
		t.Errorf("%d emails after importing twice, want 2", n)
	}

	audit, err := e.db.AuditLog(context.Background(), models.AuditFilter{ProgramIDs: []int64{e.program.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	for _, a := range audit {
		if a.Action == models.ActionMeetingImport {
			imports = append(imports, a.Detail)
		}
	}
	// Newest first: the second import skipped both rows the first created.
	if diff := cmp.Diff([]string{"rows=3 created=0 skipped=2 rejected=1", "rows=3 created=2 skipped=0 rejected=1"}, imports); diff != "" {
		t.Errorf("audit entries of the imports (-want +got):\n%s", diff)
	}

	if code, _, _ := e.do(http.MethodPost, path, "application/json", strings.NewReader(`{}`)); code != http.StatusUnsupportedMediaType {
		t.Errorf("JSON body: %d, want 415", code)
	}
	if code, _, _ := e.do(http.MethodPost, "/api/v1/programs/999999/meetings/import", "text/csv", strings.NewReader(csv)); code != http.StatusNotFound {
		t.Errorf("unknown program: %d, want 404", code)
	}
}

func TestDirectorSeesFailedDeliveriesWithTheReason(t *testing.T) {
	e := newMeetingEnv(t)
	e.smtp.Refuse("gone@student.example")
	rid := meetingItoa(e.resident.ID)
	e.postJSON("/api/v1/meetings", `{"resident_id": `+rid+`, "meeting_date": "`+e.today+`", "mentee_email": "gone@student.example"}`)
	e.postJSON("/api/v1/meetings", `{"resident_id": `+rid+`, "meeting_date": "`+e.today+`", "mentee_email": "ok@student.example"}`)
	waitSendJobs(t, e.svc)

	code, body, _ := e.do(http.MethodGet, "/api/v1/programs/"+meetingItoa(e.program.ID)+"/meetings", "", nil)
	if code != http.StatusOK {
		t.Fatalf("%d %v", code, body)
	}
	res := body["residents"].([]any)
	if len(res) != 1 || meetingJSON(res[0].(map[string]any)["counts"]) != `{"failed":1,"sent":1}` {
		t.Errorf("residents %v, want one with 1 failed and 1 sent", res)
	}
	code, body, _ = e.do(http.MethodGet, "/api/v1/programs/"+meetingItoa(e.program.ID)+"/meetings?status=failed", "", nil)
	ms := body["meetings"].([]any)
	if code != http.StatusOK || len(ms) != 1 {
		t.Fatalf("failed meetings: %d %v", code, body)
	}
	m := ms[0].(map[string]any)
	reason, _ := m["last_error"].(string)
	if m["delivery_status"] != "failed" || !strings.Contains(reason, "550") || strings.Contains(reason, "gone@student.example") {
		t.Errorf("failed meeting %v: want status failed and the 550 reason without the address", m)
	}
	if strings.Contains(meetingJSON(body), "student.example") {
		t.Errorf("the delivery view shows a mentee's address: %s", meetingJSON(body))
	}
	if code, _, _ := e.do(http.MethodGet, "/api/v1/programs/"+meetingItoa(e.program.ID)+"/meetings?status=lost", "", nil); code != 422 {
		t.Errorf("unknown status filter: %d, want 422", code)
	}
}

// The delivery view says in words what the status alone hides: a retried
// email is "queued, retrying: <reason>" from its first failed attempt.
func TestDeliveryViewShowsARetriedEmailAsQueuedRetrying(t *testing.T) {
	e := newMeetingEnv(t)
	e.smtp.SetDown(true)
	e.svc.Stop(context.Background()) // keep the email queued: the attempt is noted below
	rid := meetingItoa(e.resident.ID)
	code, rec := e.postJSON("/api/v1/meetings", `{"resident_id": `+rid+`, "meeting_date": "`+e.today+`", "mentee_email": "slow@student.example"}`)
	if code != http.StatusCreated {
		t.Fatalf("record: %d %v", code, rec)
	}
	id := int64(rec["id"].(float64))
	if err := e.db.NoteDeliveryError(context.Background(), id, "attempt 1 of 10 failed: 421 4.3.0 service not available"); err != nil {
		t.Fatal(err)
	}
	code, body, _ := e.do(http.MethodGet, "/api/v1/programs/"+meetingItoa(e.program.ID)+"/meetings", "", nil)
	if code != http.StatusOK {
		t.Fatalf("%d %v", code, body)
	}
	m := body["meetings"].([]any)[0].(map[string]any)
	if m["delivery_status"] != "queued" || m["delivery_summary"] != "queued, retrying: attempt 1 of 10 failed: 421 4.3.0 service not available" {
		t.Errorf("retried meeting %v: want delivery_summary queued, retrying with the reason", m)
	}
}

// waitSendJobs waits until every email job has finished.
func waitSendJobs(t *testing.T, s *delivery.Service) {
	t.Helper()
	deliverytest.WaitFor(t, "email jobs to finish", func() bool {
		for _, kind := range []string{delivery.SendLinkArgs{}.Kind()} {
			res, err := s.River().JobList(context.Background(), pendingEmailJobs(kind))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Jobs) > 0 {
				return false
			}
		}
		return true
	})
}

func meetingItoa(n int64) string { return strings.TrimSpace(meetingJSON(n)) }

func meetingJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
