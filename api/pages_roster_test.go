package api_test

import (
	"bytes"
	"context"
	"html"
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

// rosterPath is the roster page of a program.
func (f *acctFixture) rosterPath(p *models.Program) string {
	return "/programs/" + strconv.FormatInt(p.ID, 10) + "/roster"
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
