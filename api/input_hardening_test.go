package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// inputCase is one hostile body sent to one JSON route, and the one field
// the 422 must name.
type inputCase struct {
	name, method, path, body string
	as                       *models.User
	wantStatus               int
	wantFields               []string // for a 422
}

func (f *acctFixture) runInputCases(t *testing.T, tests []inputCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*http.Request)
			if tt.as != nil {
				opts = append(opts, f.as(tt.as))
			}
			w := f.do(tt.method, tt.path, "application/json", tt.body, opts...)
			if w.Code != tt.wantStatus {
				t.Fatalf("%s %s %s: %d, want %d (%s)", tt.method, tt.path, tt.body, w.Code, tt.wantStatus, w.Body)
			}
			if w.Code < 400 {
				return
			}
			p := readProblem(t, w)
			switch w.Code {
			case http.StatusUnprocessableEntity:
				if diff := cmp.Diff(tt.wantFields, p.fields()); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			case http.StatusBadRequest:
				if len(p.Errors) != 0 {
					t.Errorf("a 400 names fields %v: a body that cannot be read has none", p.fields())
				}
			}
		})
	}
}

// TestTextThatNoDatabaseCanHoldIsA422NamingTheField: a NUL byte (which
// PostgreSQL refuses with an internal error while SQLite stores it),
// controls, text-direction overrides and invisible names in any text field
// of the JSON API answer 422 naming the field, on both engines, and store
// nothing.
func TestTextThatNoDatabaseCanHoldIsA422NamingTheField(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	userA1 := "/api/v1/users/" + strconv.FormatInt(f.resA1.ID, 10)
	bad := map[string]string{
		"nul":             `a\u0000b`,
		"escape":          `a\u001b[31mb`,
		"c1-control":      `a\u0085b`,
		"line-break":      `a\nb`,
		"bidi-override":   `Ann\u202eeon`,
		"zero-width-only": `\u200b\u200d`,
	}
	var tests []inputCase
	for kind, s := range bad {
		if kind == "zero-width-only" {
			// The rule is for names: an email has its visible domain.
			tests = append(tests,
				inputCase{name: "program-name-" + kind, method: "POST", path: "/api/v1/programs", body: `{"name":"` + s + `"}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
				inputCase{name: "member-name-" + kind, method: "POST", path: progA + "/members", body: `{"email":"new@example.org","name":"` + s + `","role":"director"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
				inputCase{name: "user-rename-" + kind, method: "PATCH", path: userA1, body: `{"name":"` + s + `"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
				inputCase{name: "token-name-" + kind, method: "POST", path: "/api/v1/tokens", body: `{"name":"` + s + `"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
			)
			continue
		}
		tests = append(tests,
			inputCase{name: "program-name-" + kind, method: "POST", path: "/api/v1/programs", body: `{"name":"` + s + `"}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
			inputCase{name: "program-rename-" + kind, method: "PATCH", path: progA, body: `{"name":"` + s + `"}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
			inputCase{name: "member-name-" + kind, method: "POST", path: progA + "/members", body: `{"email":"new@example.org","name":"` + s + `","role":"director"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
			inputCase{name: "member-email-" + kind, method: "POST", path: progA + "/members", body: `{"email":"` + s + `@example.org","name":"New","role":"director"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"email"}},
			inputCase{name: "user-rename-" + kind, method: "PATCH", path: userA1, body: `{"name":"` + s + `"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
			inputCase{name: "token-name-" + kind, method: "POST", path: "/api/v1/tokens", body: `{"name":"` + s + `"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
			inputCase{name: "meeting-mentee-name-" + kind, method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + strconv.FormatInt(f.resA1.ID, 10) + `,"meeting_date":"2026-03-01","mentee_email":"m@student.example","mentee_name":"` + s + `"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_name"}},
			inputCase{name: "meeting-mentee-email-" + kind, method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + strconv.FormatInt(f.resA1.ID, 10) + `,"meeting_date":"2026-03-01","mentee_email":"` + s + `@student.example"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_email"}},
			inputCase{name: "sign-in-email-" + kind, method: "POST", path: "/api/v1/session", body: `{"email":"` + s + `@example.org","password":"whatever it is"}`, wantStatus: 422, wantFields: []string{"email"}},
		)
	}
	f.runInputCases(t, tests)

	ctx := context.Background()
	progs, err := f.db.Programs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		if p.Name != f.progA.Name && p.Name != f.progB.Name {
			t.Errorf("program %q stored from bad text", p.Name)
		}
	}
	members, err := f.db.Members(ctx, f.progA.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.Email == "new@example.org" || strings.ContainsAny(m.Name, "\x00\u202e") {
			t.Errorf("member %q <%s> stored from bad text", m.Name, m.Email)
		}
	}
}

// TestSignInAndResetFormsRefuseAnEmailThatIsNotText: the two public forms
// anyone can post, where a NUL byte or invalid UTF-8 in the email answered
// 500 on PostgreSQL, answer 422 with the form again, without echoing what
// was typed.
func TestSignInAndResetFormsRefuseAnEmailThatIsNotText(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for name, email := range map[string]string{
		"nul":           "dir.a\x00@example.org",
		"invalid-utf8":  "dir.a\xff@example.org",
		"bidi-override": "dir.a\u202e@example.org",
	} {
		t.Run("sign-in-"+name, func(t *testing.T) {
			token, cookie := f.loginForm()
			form := url.Values{"csrf_token": {token}, "email": {email}, "password": {acctPassword}, "next": {"/home"}}
			w := f.do("POST", "/login", "application/x-www-form-urlencoded", form.Encode(), func(r *http.Request) { r.AddCookie(cookie) })
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "The email address must") {
				t.Fatalf("POST /login: %d, want 422 with the reason (%s)", w.Code, w.Body)
			}
			if strings.Contains(w.Body.String(), "dir.a") {
				t.Error("the page shows the refused email back")
			}
		})
		t.Run("forgot-password-"+name, func(t *testing.T) {
			res := f.requestReset(email, "192.0.2.1:1234")
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST /forgot-password: %d, want 422", res.StatusCode)
			}
		})
	}
}

// TestNumericFieldsHaveARange: every number a client sends is bounded, so
// min_responses 2147483648 (stored by SQLite, an internal error on
// PostgreSQL) or an id past what a JSON client can hold is a 422 naming the
// field.
func TestNumericFieldsHaveARange(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	res := strconv.FormatInt(f.resA1.ID, 10)
	f.runInputCases(t, []inputCase{
		{name: "create-min-responses-past-int32", method: "POST", path: "/api/v1/programs", body: `{"name":"Huge","min_responses":2147483648}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "create-min-responses-past-bound", method: "POST", path: "/api/v1/programs", body: `{"name":"Huge","min_responses":1001}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "create-min-responses-past-int64", method: "POST", path: "/api/v1/programs", body: `{"name":"Huge","min_responses":1e30}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "update-min-responses-past-int32", method: "PATCH", path: progA, body: `{"min_responses":2147483648}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "meeting-mentee-id-past-js", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"2026-03-01","mentee_id":9007199254740992}`, as: f.admin, wantStatus: 422, wantFields: []string{"mentee_id"}},
		{name: "mentee-id-past-js", method: "PATCH", path: "/api/v1/mentees/9007199254740992", body: `{"active":false}`, as: f.admin, wantStatus: 404},
		{name: "meeting-resident-id-past-js", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":9007199254740992,"meeting_date":"2026-03-01"}`, as: f.admin, wantStatus: 422, wantFields: []string{"resident_id"}},
		{name: "user-pgy-past-int32", method: "PATCH", path: "/api/v1/users/" + res, body: `{"pgy_year":2147483648}`, as: f.dirA, wantStatus: 422, wantFields: []string{"pgy_year"}},
		{name: "create-min-responses-at-bound", method: "POST", path: "/api/v1/programs", body: `{"name":"Large","min_responses":1000}`, as: f.admin, wantStatus: 201},
	})
}

// TestAbsentNullAndZeroAreThreeRequests: leaving a field out means its
// default; a null is a 422, never "unchanged" or "the default"; a 0 out of
// range is a 422, never the default.
func TestAbsentNullAndZeroAreThreeRequests(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	userA1 := "/api/v1/users/" + strconv.FormatInt(f.resA1.ID, 10)
	res := strconv.FormatInt(f.resA1.ID, 10)
	f.runInputCases(t, []inputCase{
		{name: "program-min-responses-zero", method: "POST", path: "/api/v1/programs", body: `{"name":"Zero","min_responses":0}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "program-min-responses-null", method: "POST", path: "/api/v1/programs", body: `{"name":"Null","min_responses":null}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "program-name-null", method: "POST", path: "/api/v1/programs", body: `{"name":null}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
		{name: "rename-null", method: "PATCH", path: progA, body: `{"name":null}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
		{name: "rename-empty", method: "PATCH", path: progA, body: `{"name":""}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
		{name: "program-reminders-null", method: "PATCH", path: progA, body: `{"max_reminders":null}`, as: f.admin, wantStatus: 422, wantFields: []string{"max_reminders"}},
		{name: "user-name-null", method: "PATCH", path: userA1, body: `{"name":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
		{name: "user-active-null", method: "PATCH", path: userA1, body: `{"active":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"active"}},
		{name: "member-pgy-null", method: "POST", path: progA + "/members", body: `{"email":"n@example.org","name":"N","role":"resident","pgy_year":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"pgy_year"}},
		{name: "meeting-mentee-email-null", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"2026-03-01","mentee_email":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_email"}},
		{name: "meeting-mentee-id-null", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"2026-03-01","mentee_id":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_id"}},
		{name: "meeting-mentee-id-zero", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"2026-03-01","mentee_id":0}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_id"}},
		{name: "meeting-mentee-absent", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"2026-03-01"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"mentee_email"}},
		{name: "program-domains-null", method: "PATCH", path: progA, body: `{"mentee_email_domains":null}`, as: f.admin, wantStatus: 422, wantFields: []string{"mentee_email_domains"}},
		{name: "mentee-name-null", method: "POST", path: progA + "/mentees", body: `{"email":"n@student.example","name":null}`, as: f.dirA, wantStatus: 422, wantFields: []string{"name"}},
		{name: "meeting-resident-absent-is-self", method: "POST", path: "/api/v1/meetings", body: `{"meeting_date":"2026-03-01","mentee_email":"self@student.example"}`, as: f.resA1, wantStatus: 201},
	})

	// Nothing above changed program A, and absence still means the default.
	got, err := f.db.ProgramByID(context.Background(), f.progA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != f.progA.Name || got.MaxReminders != f.progA.MaxReminders {
		t.Errorf("program A is now %q with max_reminders %d", got.Name, got.MaxReminders)
	}
	w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"Defaults"}`, f.as(f.admin))
	if w.Code != http.StatusCreated || decode[map[string]any](t, w.Body.Bytes())["min_responses"] != float64(models.DefaultMinResponses) {
		t.Errorf("program without min_responses: %d %s, want 201 with %d", w.Code, w.Body, models.DefaultMinResponses)
	}
	if got.MenteeEmailDomains != "student.example" {
		t.Errorf("program A's mentee domains are now %q", got.MenteeEmailDomains)
	}
}

// TestUnreadableJSONBodiesAre400WithoutFieldErrors: an empty body, broken
// JSON or something other than one object is a 400 problem on every JSON
// route; a 422 is kept for bodies with fields to name.
func TestUnreadableJSONBodiesAre400WithoutFieldErrors(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	var tests []inputCase
	for name, body := range map[string]string{"empty": ``, "blank": " \n", "broken": `{"name":`, "list": `[]`, "null": `null`, "two-objects": `{}{}`} {
		tests = append(tests,
			inputCase{name: "program-" + name, method: "POST", path: "/api/v1/programs", body: body, as: f.admin, wantStatus: 400},
			inputCase{name: "rename-" + name, method: "PATCH", path: progA, body: body, as: f.admin, wantStatus: 400},
			inputCase{name: "member-" + name, method: "POST", path: progA + "/members", body: body, as: f.dirA, wantStatus: 400},
			inputCase{name: "mentee-" + name, method: "POST", path: progA + "/mentees", body: body, as: f.dirA, wantStatus: 400},
			inputCase{name: "meeting-" + name, method: "POST", path: "/api/v1/meetings", body: body, as: f.dirA, wantStatus: 400},
			inputCase{name: "token-" + name, method: "POST", path: "/api/v1/tokens", body: body, as: f.dirA, wantStatus: 400},
			inputCase{name: "sign-in-" + name, method: "POST", path: "/api/v1/session", body: body, wantStatus: 400},
		)
	}
	f.runInputCases(t, tests)
}

// TestRepeatedJSONKeysAreRefused: a key sent twice no longer lets the last
// one win silently; the 422 names it, whatever its case.
func TestRepeatedJSONKeysAreRefused(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	f.runInputCases(t, []inputCase{
		{name: "program-name", method: "POST", path: "/api/v1/programs", body: `{"name":"One","name":"Two"}`, as: f.admin, wantStatus: 422, wantFields: []string{"name"}},
		{name: "min-responses-other-case", method: "PATCH", path: progA, body: `{"min_responses":9,"MIN_RESPONSES":3}`, as: f.admin, wantStatus: 422, wantFields: []string{"min_responses"}},
		{name: "sign-in-email", method: "POST", path: "/api/v1/session", body: `{"email":"dir.a@example.org","email":"x@example.org","password":"p"}`, wantStatus: 422, wantFields: []string{"email"}},
	})
	progs, err := f.db.Programs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) != 2 {
		t.Errorf("%d programs after refused creates, want 2", len(progs))
	}
}

// TestQueryParametersThatAreNotTextAre422: a NUL byte or invalid UTF-8 in a
// query parameter is refused before it reaches a query, so PostgreSQL never
// answers it with an internal error.
func TestQueryParametersThatAreNotTextAre422(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10)
	for _, path := range []string{
		progA + "/meetings?status=queued%00",
		progA + "/meetings?status=%FF",
		progA + "/meetings?limit=%00",
		progA + "/report?from=2026-01%00",
		"/api/v1/audit?before=%00",
	} {
		t.Run(path, func(t *testing.T) {
			w := f.do("GET", path, "", "", f.as(f.admin))
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("GET %s: %d, want 422 (%s)", path, w.Code, w.Body)
			}
			if p := readProblem(t, w); len(p.Errors) == 0 {
				t.Errorf("422 without errors[]: %s", w.Body)
			}
		})
	}
}

// TestReportQueriesNameTheFieldTheyRefuse: a report asked with a PGY year
// that is not a number, out of range, or a month that is not one is a 422
// whose errors[] names the parameter to fix.
func TestReportQueriesNameTheFieldTheyRefuse(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	progA := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/report"
	resA1 := "/api/v1/residents/" + strconv.FormatInt(f.resA1.ID, 10) + "/report"
	for path, field := range map[string]string{
		progA + "?pgy_year=two":            "pgy_year",
		progA + "?pgy_year=2.5":            "pgy_year",
		progA + "?pgy_year=99":             "pgy_year",
		progA + "?from=2026-13":            "from",
		resA1 + "?to=march":                "to",
		resA1 + "?from=2026-05&to=2026-01": "from",
	} {
		t.Run(path, func(t *testing.T) {
			w := f.do("GET", path, "", "", f.as(f.admin))
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("GET %s: %d, want 422 (%s)", path, w.Code, w.Body)
			}
			p := readProblem(t, w)
			if len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Message == "" {
				t.Errorf("GET %s: errors %+v, want one naming %s", path, p.Errors, field)
			}
		})
	}
}

// TestMeetingAndLinkDatesStayNearToday: a meeting dated 0001-01-01 or
// 9999-12-31 is refused naming meeting_date; today is not.
func TestMeetingAndLinkDatesStayNearToday(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	res := strconv.FormatInt(f.resA1.ID, 10)
	today := f.clock.now().Format("2006-01-02")
	var tests []inputCase
	for _, d := range []string{"0001-01-01", "9999-12-31", f.clock.now().AddDate(-1, 0, -1).Format("2006-01-02")} {
		tests = append(tests,
			inputCase{name: "meeting-" + d, method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"` + d + `","mentee_email":"sam@student.example"}`, as: f.dirA, wantStatus: 422, wantFields: []string{"meeting_date"}},
		)
	}
	tests = append(tests,
		inputCase{name: "meeting-today", method: "POST", path: "/api/v1/meetings", body: `{"resident_id":` + res + `,"meeting_date":"` + today + `","mentee_email":"sam@student.example"}`, as: f.dirA, wantStatus: 201},
	)
	f.runInputCases(t, tests)
}
