package api_test

import (
	"bytes"
	"context"
	"html"
	"log/slog"
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

// Every form of the signed-in pages refuses a request without the session's
// CSRF token, or with another one, and changes nothing.
func TestPageFormsRefuseMissingOrWrongCSRFToken(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	roster := f.rosterPath(f.progA)
	a2 := strconv.FormatInt(f.resA2.ID, 10)
	a := strconv.FormatInt(f.progA.ID, 10)
	pending := f.pendingMentee("csrf.pending@elsewhere.example")
	mid := strconv.FormatInt(pending.ID, 10)
	otherCookie, _ := f.session(f.resA1)
	otherSess, _, err := f.db.SessionByToken(context.Background(), otherCookie, models.SessionLimits{})
	if err != nil {
		t.Fatal(err)
	}
	keptToken, _, err := f.db.CreateAPIToken(context.Background(), f.resA1.ID, "kept")
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]struct {
		as   *models.User
		path string
		form url.Values
	}{
		"POST /home/code":                                            {f.resA1, "/home/code", nil},
		"POST /home/self-assessment/:window":                         {f.resA1, "/home/self-assessment/2026-01", url.Values{"rating.A1": {"4"}}},
		"POST /home/goals":                                           {f.resA1, "/home/goals", url.Values{"target": {"attribute:competence"}, "text": {"x"}, "own_action": {"y"}}},
		"POST /home/goals/:id":                                       {f.resA1, "/home/goals/" + strconv.FormatInt(f.goalOf(f.resA1), 10), url.Values{"text": {"x"}}},
		"POST /home/goals/:id/review":                                {f.resA1, "/home/goals/" + strconv.FormatInt(f.goalOf(f.resA1), 10) + "/review", url.Values{"outcome": {"dropped"}}},
		"POST /programs/:id/roster/mentees":                          {f.dirA, roster + "/mentees", url.Values{"email": {"csrf.new@elsewhere.example"}}},
		"POST /programs/:id/roster/mentees/import":                   {f.dirA, roster + "/mentees/import", url.Values{"mentees_csv": {"csrf.imported@elsewhere.example,X"}}},
		"POST /programs/:id/roster/mentees/:mid":                     {f.dirA, roster + "/mentees/" + mid, url.Values{"active": {"false"}}},
		"POST /programs/:id/roster/mentees/:mid/approve":             {f.admin, roster + "/mentees/" + mid + "/approve", nil},
		"POST /programs/:id/roster/members":                          {f.dirA, roster + "/members", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"resident"}, "pgy_year": {"1"}}},
		"POST /programs/:id/roster/import":                           {f.dirA, roster + "/import", url.Values{"csv": {"y@example.org,Y,resident,1"}}},
		"POST /programs/:id/roster/members/:uid":                     {f.dirA, roster + "/members/" + a2, url.Values{"active": {"false"}}},
		"POST /programs/:id/roster/members/:uid/password-link":       {f.dirA, roster + "/members/" + a2 + "/password-link", nil},
		"POST /programs/:id/roster/members/:uid/setup-email":         {f.dirA, roster + "/members/" + a2 + "/setup-email", nil},
		"POST /admin/programs":                                       {f.admin, "/admin/programs", url.Values{"name": {"Sneaky"}, "min_responses": {"3"}}},
		"POST /admin/programs/:id":                                   {f.admin, "/admin/programs/" + a, url.Values{"min_responses": {"3"}}},
		"POST /admin/programs/:id/delivery":                          {f.admin, "/admin/programs/" + a + "/delivery", url.Values{"reminder_after_days": {"7"}, "max_reminders": {"2"}, "link_lifetime_days": {"30"}}},
		"POST /admin/programs/:id/release":                           {f.admin, "/admin/programs/" + a + "/release", url.Values{"release_window": {"month"}, "academic_year_start_month": {"1"}, "min_mentees": {"9"}}},
		"POST /admin/status/test-email":                              {f.admin, "/admin/status/test-email", url.Values{"to": {"csrf.desk@hospital.example"}}},
		"POST /home/meetings":                                        {f.resA1, "/home/meetings", url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {"csrf@student.example"}}},
		"POST /programs/:id/roster/meetings/import":                  {f.dirA, roster + "/meetings/import", url.Values{"meetings_csv": {"res.a1@example.org,csrf2@student.example,2026-03-01"}}},
		"POST /logout":                                               {f.resA1, "/logout", nil},
		"POST /account/sessions/end-others":                          {f.resA1, "/account/sessions/end-others", nil},
		"POST /account/sessions/:id/end":                             {f.resA1, "/account/sessions/" + otherSess.PublicID() + "/end", nil},
		"POST /account/tokens":                                       {f.resA1, "/account/tokens", url.Values{"name": {"csrf token"}}},
		"POST /account/tokens/:id/revoke":                            {f.resA1, "/account/tokens/" + strconv.FormatInt(keptToken.ID, 10) + "/revoke", nil},
		"POST /programs/:id/instruments":                             {f.dirA, "/programs/" + a + "/instruments", url.Values{"from_key": {"resident-mentor"}, "from_version": {"1"}}},
		"POST /programs/:id/instruments/import":                      {f.dirA, "/programs/" + a + "/instruments/import", nil},
		"POST /programs/:id/instruments/:key/:version":               {f.dirA, "/programs/" + a + "/instruments/resident-mentor/1", url.Values{"action": {"save"}}},
		"POST /programs/:id/instruments/:key/:version/preview":       {f.dirA, "/programs/" + a + "/instruments/resident-mentor/1/preview", nil},
		"POST /programs/:id/instruments/:key/:version/publish":       {f.dirA, "/programs/" + a + "/instruments/resident-mentor/1/publish", nil},
		"POST /account/second-factor/start":                          {f.resA1, "/account/second-factor/start", nil},
		"POST /account/second-factor/confirm":                        {f.resA1, "/account/second-factor/confirm", url.Values{"code": {"123456"}}},
		"POST /account/second-factor/recovery-codes":                 {f.resA1, "/account/second-factor/recovery-codes", url.Values{"code": {"123456"}}},
		"POST /programs/:id/roster/members/:uid/second-factor/reset": {f.admin, roster + "/members/" + a2 + "/second-factor/reset", nil},
	}
	// Every signed-in form route must be listed, so a new one is tested too.
	for _, r := range f.srv.Echo().Routes() {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/s/") ||
			strings.HasPrefix(r.Path, "/login") || strings.HasPrefix(r.Path, "/set-password/") ||
			r.Path == "/forgot-password" || strings.HasPrefix(r.Path, "/r/") { // signed-out forms with their own cookie (forgot_password_test.go, request_page_test.go)
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
	if _, _, err := f.db.SessionByToken(ctx, otherCookie, models.SessionLimits{}); err != nil {
		t.Errorf("a session was ended without the CSRF token: %v", err)
	}
	if ts, _ := f.db.APITokens(ctx, f.resA1.ID); len(ts) != 2 || ts[0].RevokedAt != nil {
		t.Errorf("API tokens changed without the CSRF token: %+v", ts)
	}
	if links, _ := f.db.ListInvitations(ctx, models.InvitationFilter{ResidentID: f.resA1.ID}); len(links) != 0 {
		t.Errorf("a link was made without the CSRF token: %d", len(links))
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
	} else if p.ReminderAfterDays != models.DefaultReminderAfterDays || p.MaxReminders != models.DefaultMaxReminders {
		t.Errorf("delivery settings changed without the CSRF token: %+v", p.DeliverySettings)
	}
	if ms, _ := f.db.ListMeetings(ctx, models.MeetingFilter{ProgramID: f.progA.ID}); len(ms) != 0 {
		t.Errorf("%d meetings were recorded without the CSRF token", len(ms))
	}
	if ms, _ := f.db.Mentees(ctx, f.progA.ID); len(ms) != 1 || ms[0].Status != models.MenteePending {
		t.Errorf("the roster changed without the CSRF token: %+v", ms)
	}
	if vs, _ := f.db.ProgramInstrumentVersions(ctx, f.progA.ID); len(vs) != 0 {
		t.Errorf("an instrument draft was made without the CSRF token: %d", len(vs))
	}
	if _, err := f.db.ResidentCodeOf(ctx, f.resA1.ID); err == nil {
		t.Error("a QR request code was made without the CSRF token")
	}
	// The multipart import form is checked the same way.
	opt, _ := f.browserSession(f.dirA)
	body, ct := multipartCSV(t, "", "z@example.org,Z,resident,1\n")
	if w := f.do("POST", roster+"/import", ct, body, opt); w.Code != http.StatusForbidden {
		t.Errorf("multipart import without the CSRF token: %d, want 403", w.Code)
	}
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

// TestResidentMakesARequestCodeShownOnce: the QR code on the resident's
// home opens the request page, is shown only in the POST's answer, and a new
// one retires the old at once.
func TestResidentMakesARequestCodeShownOnce(t *testing.T) {
	var logs bytes.Buffer
	f := newAcctFixture(t, api.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	codeRE := regexp.MustCompile(`value="` + regexp.QuoteMeta(acctBaseURL) + `/r/([A-Za-z0-9_-]{22})"`)
	newCode := func() string {
		w := f.postForm(f.resA1, "/home/code", nil)
		if w.Code != http.StatusOK || w.Header().Get("Location") != "" || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("new code: %d → %q, want the uncached page itself", w.Code, w.Header().Get("Location"))
		}
		m := codeRE.FindStringSubmatch(w.Body.String())
		if m == nil || !strings.Contains(w.Body.String(), `alt="QR code of your request page"`) || holdsSurveyURL(w.Body.String()) {
			t.Fatalf("the page shows no request URL and QR code, or a survey URL:\n%s", text(w))
		}
		return m[1]
	}
	first := newCode()
	if w := f.do("GET", "/r/"+first, "", ""); w.Code != http.StatusOK || !strings.Contains(text(w), "Feedback for res.a1") {
		t.Fatalf("GET /r/{code}: %d", w.Code)
	}
	home := f.getPage(f.resA1, "/home").Body.String()
	if strings.Contains(home, first) || !strings.Contains(home, "Your current QR code was made on 2 March 2026") {
		t.Error("the home shows the code again, or not when it was made")
	}
	second := newCode()
	if w := f.do("GET", "/r/"+first, "", ""); w.Code != http.StatusNotFound {
		t.Errorf("the replaced code answers %d, want 404", w.Code)
	}
	if w := f.do("GET", "/r/"+second, "", ""); w.Code != http.StatusOK {
		t.Errorf("the new code answers %d", w.Code)
	}
	if strings.Contains(logs.String(), first) || strings.Contains(logs.String(), second) {
		t.Errorf("a code is in the log:\n%s", logs.String())
	}
	// A deactivated resident's code opens nothing.
	if _, err := f.db.UpdateUser(context.Background(), f.resA1.ID, models.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	if w := f.do("GET", "/r/"+second, "", ""); w.Code != http.StatusNotFound {
		t.Errorf("a deactivated resident's code answers %d, want 404", w.Code)
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
