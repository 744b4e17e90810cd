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
		"POST /admin/programs/:id/delivery":                    {f.admin, "/admin/programs/" + a + "/delivery", url.Values{"reminder_after_days": {"7"}, "max_reminders": {"2"}, "link_lifetime_days": {"30"}}},
		"POST /home/meetings":                                  {f.resA1, "/home/meetings", url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {"csrf@student.example"}}},
		"POST /programs/:id/roster/meetings/import":            {f.dirA, roster + "/meetings/import", url.Values{"meetings_csv": {"res.a1@example.org,csrf2@student.example,2026-03-01"}}},
		"POST /logout":                                         {f.resA1, "/logout", nil},
	}
	// Every signed-in form route must be listed, so a new one is tested too.
	for _, r := range f.srv.Echo().Routes() {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/s/") ||
			strings.HasPrefix(r.Path, "/login") || strings.HasPrefix(r.Path, "/set-password/") ||
			r.Path == "/forgot-password" { // signed-out forms with their own cookie (forgot_password_test.go)
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
	} else if p.ReminderAfterDays != models.DefaultReminderAfterDays || p.MaxReminders != models.DefaultMaxReminders {
		t.Errorf("delivery settings changed without the CSRF token: %+v", p.DeliverySettings)
	}
	if ms, _ := f.db.ListMeetings(ctx, models.MeetingFilter{ProgramID: f.progA.ID}); len(ms) != 0 {
		t.Errorf("%d meetings were recorded without the CSRF token", len(ms))
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
