package api_test

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// browserSession signs u in directly and returns a request option that
// sends only the cookie, as a browser does: forms must bring the CSRF token
// themselves, in the csrf_token field.
func (f *acctFixture) browserSession(u *models.User) (opt func(*http.Request), csrf string) {
	cookie, csrf := f.session(u)
	return withSession(cookie, ""), csrf
}

// postForm submits a page's form as u, with the session's CSRF field.
func (f *acctFixture) postForm(u *models.User, path string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	opt, csrf := f.browserSession(u)
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", csrf)
	return f.do("POST", path, "application/x-www-form-urlencoded", form.Encode(), opt)
}

// getPage opens a page as u. A #fragment stays in the browser, as there.
func (f *acctFixture) getPage(u *models.User, path string) *httptest.ResponseRecorder {
	f.t.Helper()
	path, _, _ = strings.Cut(path, "#")
	opt, _ := f.browserSession(u)
	return f.do("GET", path, "", "", opt)
}

// text is a page's body with tags removed and entities decoded, to assert
// on what a person reads.
func text(w *httptest.ResponseRecorder) string {
	s := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(w.Body.String(), " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func wantText(t *testing.T, w *httptest.ResponseRecorder, says ...string) {
	t.Helper()
	page := text(w)
	for _, s := range says {
		if !strings.Contains(page, s) {
			t.Errorf("the page does not say %q:\n%s", s, page)
		}
	}
}

func (f *acctFixture) rosterPath(p *models.Program) string {
	return "/programs/" + strconv.FormatInt(p.ID, 10) + "/roster"
}

// Every form of the signed-in pages refuses a request without the session's
// CSRF token, or with another one, and changes nothing.
func TestPageFormsRefuseMissingOrWrongCSRFToken(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	roster := f.rosterPath(f.progA)
	a2 := strconv.FormatInt(f.resA2.ID, 10)
	a := strconv.FormatInt(f.progA.ID, 10)
	forms := map[string]struct {
		as   *models.User
		path string
		form url.Values
	}{
		"POST /home/links":                                     {f.resA1, "/home/links", url.Values{"expires_in_days": {"7"}}},
		"POST /programs/:id/roster/members":                    {f.dirA, roster + "/members", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"resident"}, "pgy_year": {"1"}}},
		"POST /programs/:id/roster/import":                     {f.dirA, roster + "/import", url.Values{"csv": {"y@example.org,Y,resident,1"}}},
		"POST /programs/:id/roster/members/:uid":               {f.dirA, roster + "/members/" + a2, url.Values{"active": {"false"}}},
		"POST /programs/:id/roster/members/:uid/password-link": {f.dirA, roster + "/members/" + a2 + "/password-link", nil},
		"POST /admin/programs":                                 {f.admin, "/admin/programs", url.Values{"name": {"Sneaky"}, "min_responses": {"3"}}},
		"POST /admin/programs/:id":                             {f.admin, "/admin/programs/" + a, url.Values{"min_responses": {"3"}}},
		"POST /logout":                                         {f.resA1, "/logout", nil},
	}
	// Every signed-in form route must be listed, so a new one is tested too.
	for _, r := range f.srv.Echo().Routes() {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/s/") ||
			strings.HasPrefix(r.Path, "/login") || strings.HasPrefix(r.Path, "/set-password/") {
			continue
		}
		if _, ok := forms[r.Method+" "+r.Path]; !ok {
			t.Errorf("form route %s %s has no CSRF case", r.Method, r.Path)
		}
	}
	for name, tc := range forms {
		for _, token := range []string{"", "not-the-session-token"} {
			t.Run(name+"/token="+token, func(t *testing.T) {
				opt, _ := f.browserSession(tc.as)
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = v
				}
				if token != "" {
					form.Set("csrf_token", token)
				}
				w := f.do("POST", tc.path, "application/x-www-form-urlencoded", form.Encode(), opt)
				if w.Code != http.StatusForbidden {
					t.Fatalf("status %d, want 403\n%s", w.Code, text(w))
				}
				wantText(t, w, "This form has expired or came from another site")
			})
		}
	}
	ctx := context.Background()
	if counts, _ := f.db.CountLinks(ctx, models.InvitationFilter{ResidentID: f.resA1.ID}); counts[f.resA1.ID].Total() != 0 {
		t.Errorf("a link was made without the CSRF token: %+v", counts)
	}
	if u, _ := f.db.UserByID(ctx, f.resA2.ID); !u.Active {
		t.Error("a member was deactivated without the CSRF token")
	}
	for _, email := range []string{"x@example.org", "y@example.org"} {
		if _, err := f.db.UserByEmail(ctx, email); err == nil {
			t.Errorf("%s was added without the CSRF token", email)
		}
	}
	if p, _ := f.db.ProgramByID(ctx, f.progA.ID); p.MinResponses != models.DefaultMinResponses {
		t.Errorf("min_responses changed to %d without the CSRF token", p.MinResponses)
	}
	// The multipart import form is checked the same way.
	opt, _ := f.browserSession(f.dirA)
	body, ct := multipartCSV(t, "", "z@example.org,Z,resident,1\n")
	if w := f.do("POST", roster+"/import", ct, body, opt); w.Code != http.StatusForbidden {
		t.Errorf("multipart import without the CSRF token: %d, want 403", w.Code)
	}
}

// multipartCSV builds the import form with a CSV file (and csrf_token when
// given).
func multipartCSV(t *testing.T, csrf, csv string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf_token", csrf)
	}
	fw, err := mw.CreateFormFile("csv_file", "members.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(csv))
	mw.WriteField("csv", "")
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

func TestRootSendsEachRoleHome(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	if err := f.db.AddDirector(context.Background(), f.progA.ID, f.dirB.ID); err != nil {
		t.Fatal(err)
	}
	if w := f.do("GET", "/", "", ""); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Errorf("anonymous /: %d → %q, want the sign-in page", w.Code, w.Header().Get("Location"))
	}
	for u, want := range map[*models.User]string{
		f.resA1: "/home",
		f.dirA:  f.rosterPath(f.progA),
		f.dirB:  "/programs", // leads A and B: chooses
		f.admin: "/admin/programs",
	} {
		if w := f.getPage(u, "/"); w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("%s at /: %d → %q, want %q", u.Email, w.Code, w.Header().Get("Location"), want)
		}
	}
	w := f.getPage(f.dirB, "/programs")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `href="`+f.rosterPath(f.progA)+`"`) || !strings.Contains(w.Body.String(), `href="`+f.rosterPath(f.progB)+`"`) {
		t.Errorf("program chooser: %d, want links to both rosters\n%s", w.Code, text(w))
	}
	if w := f.do("GET", "/home", "", ""); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?next=%2Fhome" {
		t.Errorf("anonymous /home: %d → %q, want the sign-in page and back", w.Code, w.Header().Get("Location"))
	}
}

// Every signed-in page has the user's name and a sign-out form carrying
// the session's token; a page for another role is a 403 page that keeps it.
func TestSignedInPagesShowWhoAndSignOut(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for _, tc := range []struct {
		u    *models.User
		path string
		want int
	}{
		{f.resA1, "/home", 200},
		{f.dirA, f.rosterPath(f.progA), 200},
		{f.admin, "/admin/programs", 200},
		{f.resA1, "/admin/programs", 403},
		{f.dirB, f.rosterPath(f.progA), 404},
	} {
		opt, csrf := f.browserSession(tc.u)
		w := f.do("GET", tc.path, "", "", opt)
		if w.Code != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.u.Email, tc.path, w.Code, tc.want)
		}
		body := w.Body.String()
		if !strings.Contains(body, `action="/logout"`) || !strings.Contains(body, `name="csrf_token" value="`+csrf+`"`) || !strings.Contains(text(w), tc.u.Name) {
			t.Errorf("%s %s has no sign-out form with the session's token, or no name", tc.u.Email, tc.path)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s may be cached", tc.u.Email, tc.path)
		}
	}
}

func TestResidentMakesALinkWithQRCodeShownOnce(t *testing.T) {
	var logs bytes.Buffer
	f := newAcctFixture(t, api.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	w := f.postForm(f.resA1, "/home/links", url.Values{"meeting_date": {"2026-03-01"}, "expires_in_days": {"10"}})
	if w.Code != http.StatusOK || w.Header().Get("Location") != "" {
		t.Fatalf("new link: %d → %q, want the page itself", w.Code, w.Header().Get("Location"))
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the page with the link may be cached")
	}
	m := regexp.MustCompile(`value="(` + regexp.QuoteMeta(acctBaseURL) + `/s/[^"]+)"`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("the page shows no survey URL:\n%s", w.Body)
	}
	if !strings.Contains(w.Body.String(), `src="data:image/png;base64,`) || !strings.Contains(w.Body.String(), `alt="QR code for the survey link"`) {
		t.Error("the page has no QR code image")
	}
	wantText(t, w, "Sunday 1 March 2026", "closes on 12 March 2026", "Feedback for res.a1")
	token := strings.TrimPrefix(m[1], acctBaseURL+"/s/")
	if w := f.do("GET", "/s/"+token, "", ""); w.Code != http.StatusOK {
		t.Errorf("the survey URL answers %d", w.Code)
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the token is in the log:\n%s", logs.String())
	}
	// Home lists it by status, and never shows the token again.
	w = f.getPage(f.resA1, "/home")
	if strings.Contains(w.Body.String(), token) {
		t.Error("the home page shows the link's token")
	}
	wantText(t, w, "1 pending", "0 completed", "Sun 1 Mar 2026")
}

func TestNewLinkFormKeepsInputAndExplainsMistakes(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for _, tc := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"expires_in_days": {"0"}}, "Days the link stays open must be from 1 to 60."},
		{url.Values{"expires_in_days": {"61"}}, "Days the link stays open must be at most 60."},
		{url.Values{"expires_in_days": {"two"}}, "Days the link stays open must be a whole number."},
		{url.Values{"meeting_date": {"1 March"}, "expires_in_days": {"7"}}, "Meeting date must be a date like"},
	} {
		w := f.postForm(f.resA1, "/home/links", tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, w.Code)
		}
		wantText(t, w, tc.says)
		for k, v := range tc.form {
			if !strings.Contains(w.Body.String(), `value="`+html.EscapeString(v[0])+`"`) {
				t.Errorf("%v: the form lost %s=%q", tc.form, k, v[0])
			}
		}
	}
	if counts, _ := f.db.CountLinks(context.Background(), models.InvitationFilter{ResidentID: f.resA1.ID}); len(counts) != 0 {
		t.Errorf("a failed form made links: %+v", counts)
	}
}

func TestRosterAddMemberShowsSetupLinkOnceAndExplainsMistakes(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := f.rosterPath(f.progA) + "/members"
	w := f.postForm(f.dirA, path, url.Values{"email": {"Nia@Example.org"}, "name": {"Dr. Nia Okoro"}, "role": {"resident"}, "pgy_year": {"2"}})
	if w.Code != http.StatusOK {
		t.Fatalf("add: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Dr. Nia Okoro is added", "Send this link to nia@example.org")
	m := regexp.MustCompile(`value="` + regexp.QuoteMeta(acctBaseURL) + `(/set-password/[^"]+)"`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no set-password link on the page:\n%s", text(w))
	}
	if g := f.do("GET", m[1], "", ""); g.Code != http.StatusOK || !strings.Contains(g.Body.String(), "nia@example.org") {
		t.Errorf("the setup link answers %d", g.Code)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the page with the setup link may be cached")
	}
	if !strings.Contains(f.getPage(f.dirA, f.rosterPath(f.progA)).Body.String(), "nia@example.org") {
		t.Error("the roster does not list the new member")
	}

	for _, tc := range []struct {
		form url.Values
		says []string
	}{
		{url.Values{"email": {"NIA@example.org"}, "name": {"Someone Else"}, "role": {"resident"}, "pgy_year": {"1"}},
			[]string{"A user with email nia@example.org already exists."}},
		{url.Values{"email": {"not-an-email"}, "name": {""}, "role": {"resident"}, "pgy_year": {"1"}},
			[]string{"Email must be an email address", "Name is required.", "2 things need fixing"}},
		{url.Values{"email": {"r9@example.org"}, "name": {"No Year"}, "role": {"resident"}},
			[]string{"A resident needs a PGY year from 1 to 7."}},
		{url.Values{"email": {"d9@example.org"}, "name": {"Director"}, "role": {"director"}, "pgy_year": {"3"}},
			[]string{"Only residents have a PGY year."}},
	} {
		w := f.postForm(f.dirA, path, tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, w.Code)
		}
		wantText(t, w, tc.says...)
		if !strings.Contains(w.Body.String(), `value="`+html.EscapeString(tc.form.Get("email"))+`"`) {
			t.Errorf("%v: the email typed is lost", tc.form)
		}
		if strings.Contains(w.Body.String(), "/set-password/") {
			t.Errorf("%v: a failed add shows a set-password link", tc.form)
		}
	}
}

func TestRosterImportFromPastedTextAndFile(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	path := f.rosterPath(f.progA) + "/import"
	pasted := "email,name,role,pgy_year\nkim@example.org,Dr. Kim,resident,1\nbroken,Dr. Nobody,resident,1\nres.a2@example.org,Resident Two Renamed,resident,2\n"
	w := f.postForm(f.dirA, path, url.Values{"csv": {pasted}})
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Import finished: 1 created, 1 updated, 1 line not applied", "Line 3:", "is not an email address")
	if !strings.Contains(w.Body.String(), "broken,Dr. Nobody") {
		t.Error("the pasted lines are gone after an import with errors")
	}
	if u, err := f.db.UserByEmail(context.Background(), "res.a2@example.org"); err != nil || u.Name != "Resident Two Renamed" {
		t.Errorf("existing member not updated: %+v %v", u, err)
	}

	opt, csrf := f.browserSession(f.dirA)
	body, ct := multipartCSV(t, csrf, "lee@example.org,Dr. Lee,resident,3\n")
	w = f.do("POST", path, ct, body, opt)
	if w.Code != http.StatusOK {
		t.Fatalf("upload: %d\n%s", w.Code, text(w))
	}
	wantText(t, w, "Import finished: 1 created, 0 updated")
	if _, err := f.db.UserByEmail(context.Background(), "lee@example.org"); err != nil {
		t.Errorf("uploaded member not created: %v", err)
	}

	for form, says := range map[string]string{
		"":                    "Choose a CSV file or paste its rows.",
		"email,name,colour\n": "colour",
	} {
		w := f.postForm(f.dirA, path, url.Values{"csv": {form}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("import %q: %d, want 422", form, w.Code)
		}
		wantText(t, w, says)
	}
}

func TestRosterDeactivateReactivateAndPGYYear(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	roster := f.rosterPath(f.progA)
	member := roster + "/members/" + strconv.FormatInt(f.resA2.ID, 10)
	a2Session, _ := f.browserSession(f.resA2)

	w := f.postForm(f.dirA, member, url.Values{"active": {"false"}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), roster+"?") {
		t.Fatalf("deactivate: %d → %q", w.Code, w.Header().Get("Location"))
	}
	if g := f.do("GET", "/home", "", "", a2Session); g.Code != http.StatusSeeOther {
		t.Errorf("the deactivated resident's session still opens /home: %d", g.Code)
	}
	page := f.getPage(f.dirA, w.Header().Get("Location"))
	wantText(t, page, "res.a2 is deactivated", "inactive", "Reactivate")

	w = f.postForm(f.dirA, member, url.Values{"active": {"true"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", w.Code)
	}
	wantText(t, f.getPage(f.dirA, w.Header().Get("Location")), "res.a2 is active again")

	w = f.postForm(f.dirA, member, url.Values{"pgy_year": {"4"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("PGY year: %d\n%s", w.Code, text(w))
	}
	if u, _ := f.db.UserByID(context.Background(), f.resA2.ID); u.PGYYear == nil || *u.PGYYear != 4 || !u.Active {
		t.Errorf("after the changes: %+v, want active, PGY-4", u)
	}

	for _, tc := range []struct {
		path string
		form url.Values
		says string
	}{
		{member, url.Values{"pgy_year": {"9"}}, "PGY year must be at most 7."},
		{roster + "/members/" + strconv.FormatInt(f.dirA.ID, 10), url.Values{"active": {"false"}}, "You cannot deactivate your own account."},
	} {
		w := f.postForm(f.dirA, tc.path, tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s %v: %d, want 422", tc.path, tc.form, w.Code)
		}
		wantText(t, w, tc.says)
	}
}

// Another program's roster, and its members, answer exactly like ones that
// do not exist; residents may not open a roster at all.
func TestRosterOfAnotherProgramIsNotFound(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	rosterA := f.rosterPath(f.progA)
	for _, tc := range []struct {
		name   string
		as     *models.User
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"director-B-views-A", f.dirB, "GET", rosterA, nil, 404},
		{"director-B-adds-to-A", f.dirB, "POST", rosterA + "/members", url.Values{"email": {"b@example.org"}, "name": {"B"}, "role": {"resident"}, "pgy_year": {"1"}}, 404},
		{"director-B-deactivates-in-A", f.dirB, "POST", rosterA + "/members/" + strconv.FormatInt(f.resA1.ID, 10), url.Values{"active": {"false"}}, 404},
		{"no-such-program", f.dirA, "GET", "/programs/99999/roster", nil, 404},
		{"director-A-member-of-B-through-A", f.dirA, "POST", rosterA + "/members/" + strconv.FormatInt(f.dirB.ID, 10), url.Values{"active": {"false"}}, 404},
		{"admin-member-of-B-through-A", f.admin, "POST", rosterA + "/members/" + strconv.FormatInt(f.dirB.ID, 10), url.Values{"active": {"false"}}, 404},
		{"resident-views-own-program", f.resA1, "GET", rosterA, nil, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w *httptest.ResponseRecorder
			if tc.method == "GET" {
				w = f.getPage(tc.as, tc.path)
			} else {
				w = f.postForm(tc.as, tc.path, tc.form)
			}
			if w.Code != tc.want {
				t.Fatalf("%d, want %d\n%s", w.Code, tc.want, text(w))
			}
			if strings.Contains(w.Body.String(), "res.a1@example.org") {
				t.Error("the error page shows a member of program A")
			}
		})
	}
	if u, _ := f.db.UserByID(context.Background(), f.dirB.ID); !u.Active {
		t.Error("director B was deactivated through program A's roster")
	}
}

func TestAdminCreatesProgramAndSetsMinResponses(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.postForm(f.admin, "/admin/programs", url.Values{"name": {"Surgery"}, "min_responses": {"6"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", w.Code, text(w))
	}
	p, err := f.db.ProgramByName(context.Background(), "Surgery")
	if err != nil || p.MinResponses != 6 {
		t.Fatalf("created %+v, %v", p, err)
	}
	page := f.getPage(f.admin, w.Header().Get("Location"))
	wantText(t, page, "Saved Surgery: reports show results from 6 responses on.")
	if !strings.Contains(page.Body.String(), `href="`+f.rosterPath(p)+`"`) {
		t.Error("the list has no link to the new program's roster")
	}

	id := strconv.FormatInt(p.ID, 10)
	if w := f.postForm(f.admin, "/admin/programs/"+id, url.Values{"min_responses": {"4"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("update: %d", w.Code)
	}
	if p, _ := f.db.ProgramByID(context.Background(), p.ID); p.MinResponses != 4 {
		t.Errorf("min_responses = %d, want 4", p.MinResponses)
	}
	for _, tc := range []struct {
		path string
		form url.Values
		says string
	}{
		{"/admin/programs", url.Values{"name": {"surgery"}, "min_responses": {"5"}}, `A program named "surgery" already exists.`},
		{"/admin/programs", url.Values{"name": {""}, "min_responses": {"2"}}, "Minimum responses must be at least 3"},
		{"/admin/programs", url.Values{"name": {"Zero"}, "min_responses": {"0"}}, "Minimum responses must be at least 3"},
		{"/admin/programs/" + id, url.Values{"min_responses": {"1"}}, "Minimum responses must be at least 3"},
		{"/admin/programs/" + id, url.Values{"min_responses": {""}}, "Minimum responses is required."},
	} {
		w := f.postForm(f.admin, tc.path, tc.form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s %v: %d, want 422", tc.path, tc.form, w.Code)
		}
		wantText(t, w, tc.says)
	}
	if p, _ := f.db.ProgramByID(context.Background(), p.ID); p.MinResponses != 4 {
		t.Errorf("a refused change altered min_responses to %d", p.MinResponses)
	}
}
