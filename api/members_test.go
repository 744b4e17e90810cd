package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/models"
)

func (f *acctFixture) as(u *models.User) func(*http.Request) { return withBearer(f.tokens[u]) }

func TestAddMemberReturnsSetupLinkAndRefusesDuplicateEmailIgnoringCase(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/members"
	w := f.do("POST", path, "application/json", `{"email":"Nia.Okoro@Example.org","name":"Nia Okoro","role":"resident","pgy_year":2}`, f.as(f.dirA))
	if w.Code != http.StatusCreated {
		t.Fatalf("add member: %d %s", w.Code, w.Body)
	}
	got := decode[map[string]any](t, w.Body.Bytes())
	setup, _ := got["setup_url"].(string)
	delete(got, "id")
	delete(got, "setup_url")
	want := map[string]any{"email": "nia.okoro@example.org", "name": "Nia Okoro", "role": "resident", "pgy_year": float64(2), "active": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("member (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(setup, acctBaseURL+"/set-password/") {
		t.Errorf("setup_url %q", setup)
	}
	for _, email := range []string{"nia.okoro@example.org", "NIA.OKORO@EXAMPLE.ORG", "res.a1@EXAMPLE.org"} {
		w = f.do("POST", path, "application/json", `{"email":"`+email+`","name":"Someone","role":"resident","pgy_year":1}`, f.as(f.dirA))
		if w.Code != http.StatusConflict {
			t.Errorf("duplicate %s: %d, want 409", email, w.Code)
		}
	}
	// A director is added without a PGY year; a resident needs one.
	for body, want := range map[string]int{
		`{"email":"d2@example.org","name":"Second Director","role":"director"}`:    http.StatusCreated,
		`{"email":"r9@example.org","name":"No Year","role":"resident"}`:            http.StatusUnprocessableEntity,
		`{"email":"x@example.org","name":"Admin?","role":"admin"}`:                 http.StatusUnprocessableEntity,
		`{"email":"y@example.org","name":"Year 8","role":"resident","pgy_year":8}`: http.StatusUnprocessableEntity,
	} {
		if w := f.do("POST", path, "application/json", body, f.as(f.dirA)); w.Code != want {
			t.Errorf("%s: %d, want %d (%s)", body, w.Code, want, w.Body)
		}
	}
	w = f.do("GET", path, "", "", f.as(f.dirA))
	members := decode[struct {
		Members []map[string]any `json:"members"`
	}](t, w.Body.Bytes()).Members
	if len(members) != 7 {
		t.Errorf("program A lists %d members, want 7", len(members))
	}
	for _, m := range members {
		if _, ok := m["setup_url"]; ok {
			t.Errorf("the member list shows a setup link: %v", m)
		}
	}
}

func TestImportMembersFromCSV(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/members/import"
	csv := "email,name,role,pgy_year\r\n" +
		"lena@example.org,Lena Berg,resident,1\r\n" +
		"res.a2@example.org,Resident A2 Renamed,resident,3\r\n" +
		"dir.b@example.org,Director B,director,\r\n" +
		"bad,No Email,resident,1\r\n" +
		"omar@example.org,Omar,resident,\r\n" +
		"\r\n" +
		"sara@example.org,Sara,director,\r\n"
	w := f.do("POST", path, "text/csv", csv, f.as(f.dirA))
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	type result struct {
		Created int `json:"created"`
		Updated int `json:"updated"`
		Errors  []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	got := decode[result](t, w.Body.Bytes())
	if got.Created != 2 || got.Updated != 1 {
		t.Errorf("created %d, updated %d; want 2 and 1", got.Created, got.Updated)
	}
	var lines []int
	for _, e := range got.Errors {
		lines = append(lines, e.Line)
		if e.Message == "" {
			t.Errorf("line %d has no message", e.Line)
		}
	}
	if diff := cmp.Diff([]int{4, 5, 6}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s", diff)
	}
	a2, _ := f.db.UserByID(context.Background(), f.resA2.ID)
	if a2.Name != "Resident A2 Renamed" || *a2.PGYYear != 3 {
		t.Errorf("existing member not updated: %+v", a2)
	}
	if _, err := f.db.UserByEmail(context.Background(), "omar@example.org"); err == nil {
		t.Error("a resident without a PGY year was imported")
	}
	dirB, _ := f.db.UserByID(context.Background(), f.dirB.ID)
	if dirB.Name != "dir.b" {
		t.Error("an import changed another program's director")
	}

	if w := f.do("POST", path, "application/json", `{}`, f.as(f.dirA)); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("import as JSON: %d, want 415", w.Code)
	}
	if w := f.do("POST", path, "text/csv", "email,name,shoe_size\n", f.as(f.dirA)); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown column: %d, want 422", w.Code)
	}
}

func TestDeactivationEndsSessionsAndTokensAtOnce(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	_, cookie, _ := f.signIn("res.a1@example.org", acctPassword)
	token := f.tokens[f.resA1]
	for _, auth := range []func(*http.Request){withSession(cookie, ""), withBearer(token)} {
		if w := f.do("GET", "/api/v1/me/report", "", "", auth); w.Code != http.StatusOK {
			t.Fatalf("before deactivation: %d", w.Code)
		}
	}
	user := "/api/v1/users/" + strconv.FormatInt(f.resA1.ID, 10)
	w := f.do("PATCH", user, "application/json", `{"active":false}`, f.as(f.dirA))
	if w.Code != http.StatusOK || decode[map[string]any](t, w.Body.Bytes())["active"] != false {
		t.Fatalf("deactivate: %d %s", w.Code, w.Body)
	}
	for name, auth := range map[string]func(*http.Request){"session": withSession(cookie, ""), "token": withBearer(token)} {
		if w := f.do("GET", "/api/v1/me/report", "", "", auth); w.Code != http.StatusUnauthorized {
			t.Errorf("%s right after deactivation: %d, want 401", name, w.Code)
		}
	}
	if code, _, _ := f.signIn("res.a1@example.org", acctPassword); code != http.StatusUnauthorized {
		t.Errorf("a deactivated user signed in: %d", code)
	}
	// Reactivation does not bring old credentials back.
	if w := f.do("PATCH", user, "application/json", `{"active":true}`, f.as(f.dirA)); w.Code != http.StatusOK {
		t.Fatalf("reactivate: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/me/report", "", "", withBearer(token)); w.Code != http.StatusUnauthorized {
		t.Errorf("a token revoked by deactivation works again after reactivation: %d", w.Code)
	}
	if code, _, _ := f.signIn("res.a1@example.org", acctPassword); code != http.StatusOK {
		t.Errorf("reactivated user cannot sign in: %d", code)
	}
	// Nobody deactivates themselves (and locks the door behind them).
	self := "/api/v1/users/" + strconv.FormatInt(f.dirA.ID, 10)
	if w := f.do("PATCH", self, "application/json", `{"active":false}`, f.as(f.dirA)); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("self-deactivation: %d, want 422", w.Code)
	}
}

func TestProgramsAndMinResponses(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"Family Medicine","min_responses":4}`, f.as(f.admin))
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	p := decode[map[string]any](t, w.Body.Bytes())
	if p["name"] != "Family Medicine" || p["min_responses"] != float64(4) || p["id"] == nil {
		t.Errorf("created program %v", p)
	}
	id := strconv.FormatInt(int64(p["id"].(float64)), 10)
	if w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"Low","min_responses":2}`, f.as(f.admin)); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("create with min_responses 2: %d, want 422", w.Code)
	}
	if w := f.do("POST", "/api/v1/programs", "application/json", `{"name":"family medicine"}`, f.as(f.admin)); w.Code != http.StatusConflict {
		t.Errorf("duplicate name: %d, want 409", w.Code)
	}
	if w := f.do("PATCH", "/api/v1/programs/"+id, "application/json", `{"min_responses":2}`, f.as(f.admin)); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("PATCH min_responses 2: %d, want 422", w.Code)
	}
	w = f.do("PATCH", "/api/v1/programs/"+id, "application/json", `{"min_responses":3}`, f.as(f.admin))
	if w.Code != http.StatusOK || decode[map[string]any](t, w.Body.Bytes())["min_responses"] != float64(3) {
		t.Errorf("PATCH min_responses 3: %d %s", w.Code, w.Body)
	}
	// Each director sees only their own programs.
	w = f.do("GET", "/api/v1/programs", "", "", f.as(f.dirB))
	list := decode[struct {
		Programs []struct {
			Name string `json:"name"`
		} `json:"programs"`
	}](t, w.Body.Bytes()).Programs
	if len(list) != 1 || list[0].Name != "Program B" {
		t.Errorf("director B sees %+v", list)
	}
}

func TestTokensAreShownOnceAndRevocable(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cookie, csrf := f.session(f.resA1)
	w := f.do("POST", "/api/v1/tokens", "application/json", `{"name":"my report script"}`, withSession(cookie, csrf))
	if w.Code != http.StatusCreated {
		t.Fatalf("create token: %d %s", w.Code, w.Body)
	}
	created := decode[struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Token string `json:"token"`
	}](t, w.Body.Bytes())
	if created.Name != "my report script" || !strings.HasPrefix(created.Token, models.APITokenPrefix) {
		t.Fatalf("created %+v", created)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(created.Token)); w.Code != http.StatusOK {
		t.Fatalf("the new token does not work: %d", w.Code)
	}
	w = f.do("GET", "/api/v1/tokens", "", "", withSession(cookie, ""))
	if strings.Contains(w.Body.String(), created.Token) || strings.Contains(w.Body.String(), created.Token[len(models.APITokenPrefix):]) {
		t.Fatal("the token list shows a secret")
	}
	list := decode[struct {
		Tokens []struct {
			ID         int64   `json:"id"`
			LastUsedAt *string `json:"last_used_at"`
			RevokedAt  *string `json:"revoked_at"`
		} `json:"tokens"`
	}](t, w.Body.Bytes()).Tokens
	if len(list) != 2 || list[0].ID != created.ID || list[0].LastUsedAt == nil {
		t.Errorf("token list %+v: want the new token first, with its last use", list)
	}
	// Someone else's token is not found, so it cannot be probed.
	if w := f.do("DELETE", "/api/v1/tokens/"+strconv.FormatInt(created.ID, 10), "", "", f.as(f.admin)); w.Code != http.StatusNotFound {
		t.Errorf("revoking another user's token: %d, want 404", w.Code)
	}
	if w := f.do("DELETE", "/api/v1/tokens/"+strconv.FormatInt(created.ID, 10), "", "", withSession(cookie, csrf)); w.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d", w.Code)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withBearer(created.Token)); w.Code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", w.Code)
	}
}

// TestInvitationRoutesAreGone: no route makes or lists survey links any
// more (a link is made only for a recorded meeting and emailed to its
// mentee), for anyone, and asking makes nothing.
func TestInvitationRoutesAreGone(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for _, u := range []*models.User{f.admin, f.dirA, f.resA1} {
		for _, method := range []string{"POST", "GET"} {
			w := f.do(method, "/api/v1/invitations", "application/json", `{"resident_id":`+strconv.FormatInt(f.resA1.ID, 10)+`}`, f.as(u))
			if w.Code != http.StatusNotFound && w.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s /api/v1/invitations as %s: %d, want 404 or 405", method, u.Email, w.Code)
			}
			if strings.Contains(w.Body.String(), "/s/") {
				t.Errorf("%s /api/v1/invitations as %s shows a link: %s", method, u.Email, w.Body)
			}
		}
	}
	if links, _ := f.db.ListInvitations(context.Background(), models.InvitationFilter{ResidentID: f.resA1.ID}); len(links) != 0 {
		t.Errorf("links were made: %d", len(links))
	}
}

func TestAuditLogRecordsWhoDidWhatPerProgram(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	f.signIn("dir.a@example.org", acctPassword)
	f.signIn("dir.a@example.org", "not my password at all")
	a := strconv.FormatInt(f.progA.ID, 10)
	f.do("POST", "/api/v1/programs/"+a+"/members", "application/json", `{"email":"new@example.org","name":"New","role":"resident","pgy_year":1}`, f.as(f.dirA))
	f.do("PATCH", "/api/v1/users/"+strconv.FormatInt(f.resA2.ID, 10), "application/json", `{"name":"A2"}`, f.as(f.dirA))
	f.do("POST", "/api/v1/tokens", "application/json", `{"name":"t"}`, f.as(f.dirB))
	f.do("PATCH", "/api/v1/programs/"+a, "application/json", `{"min_responses":6}`, f.as(f.admin))

	w := f.do("GET", "/api/v1/audit", "", "", f.as(f.dirA))
	if w.Code != http.StatusOK {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	var actions []string
	for _, e := range decode[struct {
		Entries []struct {
			Action     string  `json:"action"`
			ActorEmail *string `json:"actor_email"`
		} `json:"entries"`
	}](t, w.Body.Bytes()).Entries {
		actions = append(actions, e.Action)
	}
	want := []string{models.ActionProgramUpdate, models.ActionMemberUpdate, models.ActionMemberCreate, models.ActionSignInFailed, models.ActionSignIn}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("director A's audit log, newest first (-want +got):\n%s", diff)
	}
	w = f.do("GET", "/api/v1/audit?program_id="+strconv.FormatInt(f.progB.ID, 10), "", "", f.as(f.admin))
	if !strings.Contains(w.Body.String(), models.ActionTokenCreate) || strings.Contains(w.Body.String(), models.ActionMemberCreate) {
		t.Errorf("program B's log for the admin: %s", w.Body)
	}
}

// The members import used to create the first 5,000 rows of a longer file
// and then answer 422; a file over the limit must create nobody, and a NUL
// byte in a cell (which PostgreSQL cannot store) is that row's error, not a
// 500 after the rows before it.
func TestImportMembersOverTheRowLimitCreatesNobodyAndABadCellRejectsOnlyItsRow(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/members/import"
	before, _ := f.db.Members(context.Background(), f.progA.ID)
	var csv strings.Builder
	for i := range 5001 {
		fmt.Fprintf(&csv, "bulk%d@example.org,Bulk %d,resident,1\n", i, i)
	}
	w := f.do("POST", path, "text/csv", csv.String(), f.as(f.dirA))
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("5001 rows: %d %s, want 422", w.Code, w.Body)
	}
	if after, _ := f.db.Members(context.Background(), f.progA.ID); len(after) != len(before) {
		t.Errorf("a refused import changed the roster from %d to %d members", len(before), len(after))
	}

	w = f.do("POST", path, "text/csv", "ok@example.org,Ok,resident,1\nnul@example.org,N\x00ul,resident,1\n", f.as(f.dirA))
	if w.Code != http.StatusOK {
		t.Fatalf("NUL in a cell: %d %s, want 200", w.Code, w.Body)
	}
	want := map[string]any{"created": 1.0, "updated": 0.0,
		"errors": []any{map[string]any{"line": 2.0, "message": "name cannot contain a NUL byte"}}}
	if diff := cmp.Diff(want, decode[map[string]any](t, w.Body.Bytes())); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}

// A CSV over the importer's byte limit is 413 and applies nothing, for
// members and meetings, as a body, a JSON-API upload or a page's form. The
// meetings import used to answer 422 for a body between the limit and the
// multipart slack above it, and 422 "no CSV file" for an upload over both.
func TestImportOverTheByteLimitIs413AndAppliesNothing(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	a := strconv.FormatInt(f.progA.ID, 10)
	rows := func(n int, row func(i int) string) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(row(i))
		}
		return b.String()[:n]
	}
	member := func(i int) string { return fmt.Sprintf("big%d@example.org,Big %d,resident,1\n", i, i) }
	meeting := func(i int) string { return fmt.Sprintf("res.a1@example.org,big%d@student.example,2026-03-01\n", i) }
	upload := func(fields map[string]string, file, csv string) (string, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile(file, "big.csv")
		fw.Write([]byte(csv))
		mw.Close()
		return buf.String(), mw.FormDataContentType()
	}
	opt, csrf := f.browserSession(f.dirA)
	just := csvimport.MaxBytes + 1
	slack := csvimport.MaxBytes + 48<<10
	over := csvimport.MaxBytes + 128<<10
	type req struct{ path, ct, body string }
	cases := map[string]func() req{
		"members-body-just-over": func() req {
			return req{"/api/v1/programs/" + a + "/members/import", "text/csv", rows(just, member)}
		},
		"meetings-body-just-over": func() req {
			return req{"/api/v1/programs/" + a + "/meetings/import", "text/csv", rows(just, meeting)}
		},
		"meetings-body-within-slack": func() req {
			return req{"/api/v1/programs/" + a + "/meetings/import", "text/csv", rows(slack, meeting)}
		},
		"meetings-upload-just-over": func() req {
			body, ct := upload(nil, "file", rows(just, meeting))
			return req{"/api/v1/programs/" + a + "/meetings/import", ct, body}
		},
		"meetings-upload-over-slack": func() req {
			body, ct := upload(nil, "file", rows(over, meeting))
			return req{"/api/v1/programs/" + a + "/meetings/import", ct, body}
		},
		"members-page-upload-just-over": func() req {
			body, ct := upload(map[string]string{"csrf_token": csrf}, "csv_file", rows(just, member))
			return req{f.rosterPath(f.progA) + "/import", ct, body}
		},
		"meetings-page-upload-just-over": func() req {
			body, ct := upload(map[string]string{"csrf_token": csrf}, "meetings_file", rows(just, meeting))
			return req{f.rosterPath(f.progA) + "/meetings/import", ct, body}
		},
	}
	ctx := context.Background()
	before, _ := f.db.Members(ctx, f.progA.ID)
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			r := mk()
			opts := []func(*http.Request){f.as(f.dirA)}
			if strings.HasPrefix(r.path, "/programs/") {
				opts = []func(*http.Request){opt}
			}
			w := f.do("POST", r.path, r.ct, r.body, opts...)
			if w.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%d bytes: status %d, want 413\n%.300s", len(r.body), w.Code, w.Body)
			}
		})
	}
	if after, _ := f.db.Members(ctx, f.progA.ID); len(after) != len(before) {
		t.Errorf("refused imports changed the roster from %d to %d members", len(before), len(after))
	}
	if n := f.queuedEmails(); n != 0 {
		t.Errorf("refused imports queued %d emails", n)
	}
}

// A cell that is not UTF-8 (PostgreSQL cannot store it) is its row's error;
// the rows around it are applied, and nothing answers 500.
func TestImportMembersInvalidUTF8CellRejectsOnlyItsRow(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := "/api/v1/programs/" + strconv.FormatInt(f.progA.ID, 10) + "/members/import"
	csv := "one@example.org,One,resident,1\ntwo@example.org,Tw\xffo,resident,1\nthree@example.org,Three,resident,1\n"
	w := f.do("POST", path, "text/csv", csv, f.as(f.dirA))
	if w.Code != http.StatusOK {
		t.Fatalf("invalid UTF-8 in a cell: %d %s, want 200", w.Code, w.Body)
	}
	want := map[string]any{"created": 2.0, "updated": 0.0,
		"errors": []any{map[string]any{"line": 2.0, "message": "name is not valid UTF-8 text; save the file as UTF-8"}}}
	if diff := cmp.Diff(want, decode[map[string]any](t, w.Body.Bytes())); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}
