package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// lastAuditID is the newest audit entry's id, 0 when there is none.
func (f *acctFixture) lastAuditID() int64 {
	f.t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(rows) == 0 {
		return 0
	}
	return rows[0].ID
}

// entriesAfter returns the audit entries newer than the entry with id
// after, oldest first, without their ids and times.
func (f *acctFixture) entriesAfter(after int64) []models.AuditEntry {
	f.t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []models.AuditEntry
	for i := len(rows) - 1; i >= 0; i-- {
		if e := rows[i].AuditEntry; e.ID > after {
			e.ID, e.CreatedAt = 0, time.Time{}
			out = append(out, e)
		}
	}
	return out
}

// TestCreateMemberAuditsAlikeThroughAPIAndRoster: a director adding the same
// member through the JSON API and through the roster page leaves the same
// single audit entry, because both run accounts.AddMember.
func TestCreateMemberAuditsAlikeThroughAPIAndRoster(t *testing.T) {
	const email, name = "nia.okoro@example.org", "Nia Okoro"
	addedBy := map[string]func(f *acctFixture) int{
		"api": func(f *acctFixture) int {
			return f.do("POST", "/api/v1/programs/"+strconv.FormatInt(f.progA.ID, 10)+"/members", "application/json",
				`{"email":"`+email+`","name":"`+name+`","role":"resident","pgy_year":2}`, f.as(f.dirA)).Code
		},
		"roster": func(f *acctFixture) int {
			return f.postForm(f.dirA, f.rosterPath(f.progA)+"/members",
				url.Values{"email": {email}, "name": {name}, "role": {"resident"}, "pgy_year": {"2"}}).Code
		},
	}
	wantStatus := map[string]int{"api": http.StatusCreated, "roster": http.StatusOK}
	got := map[string][]models.AuditEntry{}
	for _, side := range []string{"api", "roster"} {
		f := newAcctFixture(t, api.Config{})
		before := f.lastAuditID()
		if code := addedBy[side](f); code != wantStatus[side] {
			t.Fatalf("%s: add member answered %d", side, code)
		}
		u, err := f.db.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatalf("%s: member not stored: %v", side, err)
		}
		entries := f.entriesAfter(before)
		if len(entries) != 1 || entries[0].Target != "user:"+strconv.FormatInt(u.ID, 10) {
			t.Fatalf("%s: audit entries %+v, want one for user %d", side, entries, u.ID)
		}
		// The fixtures are built alike, but the ids are the database's:
		// compare everything else.
		entries[0].Target = "user:new"
		got[side] = entries
	}
	if diff := cmp.Diff(got["api"], got["roster"]); diff != "" {
		t.Errorf("audit entry through the API (-) and the roster page (+):\n%s", diff)
	}
	if e := got["api"][0]; e.Action != models.ActionMemberCreate || e.ActorID == nil || e.Actor != "" ||
		!strings.Contains(e.Detail, email) {
		t.Errorf("entry %+v, want member.create by director A naming %s", e, email)
	}
}

// TestAuditViewNamesTheOperator: entries made at the command line show
// actor "operator" and no actor_id; a signed-in user's show an empty actor.
func TestAuditViewNamesTheOperator(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	svc := accounts.New(f.db, accounts.Config{BaseURL: acctBaseURL})
	if _, err := svc.CreateProgram(context.Background(), accounts.Operator(), accounts.NewProgram{Name: "Pediatrics"}); err != nil {
		t.Fatal(err)
	}
	if w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"Neurology"}`, f.as(f.admin)); w.Code != http.StatusCreated {
		t.Fatalf("create program: %d %s", w.Code, w.Body)
	}
	w := f.do("GET", "/api/v1/audit", "", "", f.as(f.admin))
	if w.Code != http.StatusOK {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	type entry struct {
		Actor   *string `json:"actor"`
		ActorID *int64  `json:"actor_id"`
		Detail  string  `json:"detail"`
	}
	byDetail := map[string]entry{}
	for _, e := range decode[struct {
		Entries []entry `json:"entries"`
	}](t, w.Body.Bytes()).Entries {
		byDetail[e.Detail] = e
	}
	defaults := ", min_responses " + strconv.Itoa(models.DefaultMinResponses)
	op, ok := byDetail[`name "Pediatrics"`+defaults]
	if !ok || op.Actor == nil || *op.Actor != models.ActorOperator || op.ActorID != nil {
		t.Errorf("the operator's entry: %+v (found %t), want actor %q and no actor_id", op, ok, models.ActorOperator)
	}
	adm, ok := byDetail[`name "Neurology"`+defaults]
	if !ok || adm.Actor == nil || *adm.Actor != "" || adm.ActorID == nil || *adm.ActorID != f.admin.ID {
		t.Errorf("the admin's entry: %+v (found %t), want actor \"\" and actor_id %d", adm, ok, f.admin.ID)
	}
}

// TestCreateProgramZeroThresholdIsRefused: min_responses 0 is a mistake,
// not "the default" (left out is the default).
func TestCreateProgramZeroThresholdIsRefused(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"Zero","min_responses":0}`, f.as(f.admin))
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("min_responses 0: %d %s, want 422", w.Code, w.Body)
	}
	p := decode[api.Problem](t, w.Body.Bytes())
	want := "must be at least " + strconv.Itoa(models.MinMinResponses)
	if len(p.Errors) != 1 || p.Errors[0].Field != "min_responses" || p.Errors[0].Message != want {
		t.Errorf("errors %+v, want min_responses %q", p.Errors, want)
	}
}
