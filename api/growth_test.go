package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// selfRatings rates every item of the default instrument.
const selfRatings = `{"ratings":{"A1":4,"A2":4,"C1":3,"C2":4,"C3":3,"S1":5,"S2":null,"S3":4,"G":4}}`

// goalOf is a goal of the resident, stored directly (no limit, no audit),
// made once per fixture and resident so the matrix's cells share it.
func (f *acctFixture) goalOf(u *models.User) int64 {
	f.t.Helper()
	var id int64
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	if err := sqlDB.QueryRow(`SELECT coalesce(min(id), 0) FROM goals WHERE resident_id = $1 AND text = 'Matrix goal'`, u.ID).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	if id != 0 {
		return id
	}
	g := &models.Goal{ResidentID: u.ID, ProgramID: *u.ProgramID, TargetKind: "attribute", TargetKey: "availability",
		Text: "Matrix goal", Actions: []string{"Keep time"}, ReviewDate: "2026-06-30", SetInWindow: "2026-01"}
	if err := f.db.CreateGoal(context.Background(), g); err != nil {
		f.t.Fatal(err)
	}
	return g.ID
}

// closeOpenGoals drops every open goal, so a cell may create one more.
func (f *acctFixture) closeOpenGoals() {
	f.t.Helper()
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`UPDATE goals SET outcome = 'dropped' WHERE outcome IS NULL AND text <> 'Matrix goal'`); err != nil {
		f.t.Fatal(err)
	}
}

// as sends a JSON request as u, by bearer token.
func (f *acctFixture) growthAs(u *models.User, method, path, body string) (int, map[string]any) {
	f.t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	w := f.do(method, path, ct, body, withBearer(f.tokens[u]))
	var out map[string]any
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			f.t.Fatalf("%s %s: %d, body %q is not a JSON object: %v", method, path, w.Code, w.Body.String(), err)
		}
	}
	return w.Code, out
}

// problemFields lists a problem's errors[] field names.
func problemFields(body map[string]any) []string {
	var out []string
	errs, _ := body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		s, _ := m["field"].(string)
		out = append(out, s)
	}
	return out
}

func TestGoalsAPI(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	const goal = `{"target":{"kind":"item","key":"C2"},"text":"Turn advice into next steps","actions":["Write them down together"]}`
	cases := []struct {
		name, method, path, body string
		as                       *models.User
		status                   int
		fields                   []string
		detail                   string
	}{
		{name: "create-201", method: "POST", path: "/api/v1/me/goals", body: goal, as: f.resA1, status: 201},
		{name: "create-director-403", method: "POST", path: "/api/v1/me/goals", body: goal, as: f.dirA, status: 403, detail: "only residents"},
		{name: "create-director-bad-body-403", method: "POST", path: "/api/v1/me/goals", body: `{"nope":1}`, as: f.dirA, status: 403},
		{name: "create-admin-403", method: "GET", path: "/api/v1/me/goals", as: f.admin, status: 403, detail: "only residents"},
		{name: "create-unknown-field-422", method: "POST", path: "/api/v1/me/goals", body: `{"target":{"kind":"attribute","key":"competence"},"text":"x","actions":["y"],"colour":"red"}`, as: f.resA1, status: 422, fields: []string{"colour"}},
		{name: "create-shared-null-422", method: "POST", path: "/api/v1/me/goals", body: `{"target":{"kind":"attribute","key":"competence"},"text":"x","actions":["y"],"shared":null}`, as: f.resA1, status: 422, fields: []string{"shared"}},
		{name: "create-target-unknown-field-422", method: "POST", path: "/api/v1/me/goals", body: `{"target":{"kind":"attribute","key":"competence","weight":2},"text":"x","actions":["y"]}`, as: f.resA1, status: 422, fields: []string{"target.weight"}},
		{name: "create-target-null-422", method: "POST", path: "/api/v1/me/goals", body: `{"target":{"kind":null,"key":"competence"},"text":"x","actions":["y"]}`, as: f.resA1, status: 422, fields: []string{"target.kind"}},
		{name: "create-malformed-400", method: "POST", path: "/api/v1/me/goals", body: `{"text":`, as: f.resA1, status: 400},
		{name: "create-501-chars-422", method: "POST", path: "/api/v1/me/goals", body: `{"target":{"kind":"attribute","key":"competence"},"text":"` + strings.Repeat("a", 501) + `","actions":["y"]}`, as: f.resA1, status: 422, fields: []string{"text"}},
		{name: "patch-empty-422", method: "PATCH", path: "/api/v1/me/goals/ID", body: `{}`, as: f.resA1, status: 422, fields: []string{"body"}},
		{name: "patch-null-422", method: "PATCH", path: "/api/v1/me/goals/ID", body: `{"review_date":null}`, as: f.resA1, status: 422, fields: []string{"review_date"}},
		{name: "patch-other-resident-404", method: "PATCH", path: "/api/v1/me/goals/ID", body: `{"shared":true}`, as: f.resA2, status: 404},
		{name: "patch-share-200", method: "PATCH", path: "/api/v1/me/goals/ID", body: `{"shared":true}`, as: f.resA1, status: 200},
		{name: "residents-director-200", method: "GET", path: "/api/v1/residents/RES/goals", as: f.dirA, status: 200},
		{name: "residents-other-program-404", method: "GET", path: "/api/v1/residents/RES/goals", as: f.dirB, status: 404},
		{name: "residents-fellow-resident-403", method: "GET", path: "/api/v1/residents/RES/goals", as: f.resA2, status: 403},
	}
	var id string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := strings.NewReplacer("ID", id, "RES", strconv.FormatInt(f.resA1.ID, 10)).Replace(c.path)
			status, body := f.growthAs(c.as, c.method, path, c.body)
			if status != c.status {
				t.Fatalf("%s %s: %d, want %d: %v", c.method, path, status, c.status, body)
			}
			if c.name == "create-201" {
				id = strconv.FormatInt(int64(body["id"].(float64)), 10)
				if body["review_date"] != "2026-06-30" || body["status"] != "open" || body["shared"] != false {
					t.Errorf("created goal %v", body)
				}
				if p, _ := body["progress"].(map[string]any); p == nil || p["verdict"] == nil {
					t.Errorf("created goal has no progress: %v", body)
				}
			}
			if got := strings.Join(problemFields(body), ","); strings.Join(c.fields, ",") != got && c.fields != nil {
				t.Errorf("errors[] fields %q, want %q", got, c.fields)
			}
			if d, _ := body["detail"].(string); c.detail != "" && !strings.Contains(d, c.detail) {
				t.Errorf("detail %q does not say %q", d, c.detail)
			}
		})
	}
	// The resident sees their goal; the director the shared one, with no
	// self-assessment shared yet.
	_, mine := f.growthAs(f.resA1, "GET", "/api/v1/me/goals", "")
	if goals, _ := mine["goals"].([]any); len(goals) != 1 {
		t.Errorf("own goals %v, want one", mine)
	}
	_, dir := f.growthAs(f.dirA, "GET", "/api/v1/residents/"+strconv.FormatInt(f.resA1.ID, 10)+"/goals", "")
	goals, _ := dir["goals"].([]any)
	self, ok := dir["self_assessments"].([]any)
	if len(goals) != 1 || !ok || len(self) != 0 {
		t.Errorf("director's view %v, want the shared goal and an empty self_assessments list", dir)
	}
}

func TestSelfAssessmentAPI(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	// Mentees answer about resident A1 in March 2026 (window 2026-01).
	for j := range 4 {
		mentee := int64(900 + j)
		inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.resA1.ID, MenteeID: &mentee})
		if err != nil {
			t.Fatal(err)
		}
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for _, it := range surveys.Default().Items {
			sub.Answers[it.Key] = new(3 + j%2)
		}
		if err := f.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
			t.Fatal(err)
		}
	}
	path := "/api/v1/me/self-assessments/2026-01"
	status, body := f.growthAs(f.resA1, "GET", path, "")
	if status != 200 || body["submitted"] != false || body["editable"] != true || body["comparison"] != nil {
		t.Fatalf("empty form: %d %v", status, body)
	}
	bad := `{"ratings":{"A1":9,"A2":4,"C1":3,"C2":4,"C3":3,"S1":5,"S2":null,"S3":4,"Q7":4}}`
	status, body = f.growthAs(f.resA1, "PUT", path, bad)
	if got := strings.Join(problemFields(body), ","); status != 422 || got != "ratings.A1,ratings.G,ratings.Q7" {
		t.Errorf("bad ratings: %d, fields %q", status, got)
	}
	status, body = f.growthAs(f.resA1, "PUT", path, strings.TrimSuffix(selfRatings, "}")+`,"shared":true}`)
	if status != 200 || body["submitted"] != true || body["shared"] != true {
		t.Fatalf("save: %d %v", status, body)
	}
	for name, c := range map[string]struct {
		path   string
		status int
		detail string
	}{
		"misaligned-404": {"/api/v1/me/self-assessments/2026-02", 404, "first month"},
		"garbage-404":    {"/api/v1/me/self-assessments/latest", 404, "first month"},
		"future-409":     {"/api/v1/me/self-assessments/2026-04", 409, "not open yet"},
	} {
		status, body := f.growthAs(f.resA1, "PUT", c.path, selfRatings)
		if d, _ := body["detail"].(string); status != c.status || !strings.Contains(d, c.detail) {
			t.Errorf("%s: %d %q, want %d saying %q", name, status, d, c.status, c.detail)
		}
	}
	if status, body := f.growthAs(f.dirA, "PUT", path, selfRatings); status != 403 || !strings.Contains(body["detail"].(string), "only residents") {
		t.Errorf("director's PUT: %d %v", status, body)
	}
	// The window closes and is released: no more edits, the comparison
	// appears, and the director sees the shared self-assessment.
	f.clock.t = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	if _, err := f.db.ReleaseClosedWindows(ctx); err != nil {
		t.Fatal(err)
	}
	if status, body := f.growthAs(f.resA1, "PUT", path, selfRatings); status != http.StatusConflict || !strings.Contains(body["detail"].(string), "until its window closes") {
		t.Errorf("PUT after close: %d %v", status, body)
	}
	status, body = f.growthAs(f.resA1, "GET", path, "")
	comp, _ := body["comparison"].(map[string]any)
	if status != 200 || body["editable"] != false || comp == nil || comp["window"] != "2026-01" {
		t.Errorf("after release: %d %v", status, body)
	}
	_, dir := f.growthAs(f.dirA, "GET", "/api/v1/residents/"+strconv.FormatInt(f.resA1.ID, 10)+"/goals", "")
	if self, _ := dir["self_assessments"].([]any); len(self) != 1 {
		t.Errorf("director's view %v, want the shared self-assessment", dir)
	}
}

// TestGrowthTablesCannotBeJoinedToResponses reads the catalogue: a goal or
// a self-assessment points at its resident and program only, and has no
// column that could name a response, a link, a meeting or a mentee.
func TestGrowthTablesCannotBeJoinedToResponses(t *testing.T) {
	f := newFixture(t)
	for _, table := range []string{"goals", "self_assessments"} {
		if got := strings.Join(f.referencedTables(table), ","); got != "programs,users" {
			t.Errorf("%s references %s, want programs and users only", table, got)
		}
		for _, c := range f.columns(table) {
			for _, bad := range []string{"response", "invitation", "link", "token", "meeting", "mentee", "hash"} {
				if strings.Contains(c.Name, bad) {
					t.Errorf("%s.%s could join it to a %s", table, c.Name, bad)
				}
			}
		}
	}
}
