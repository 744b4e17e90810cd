package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// Who asks, in the order of every matrix row's expected statuses.
const (
	anon = iota
	admin
	dirA
	dirB
	resA1
	resA2
	deactivated
	revoked
	nPrincipals
)

var principalNames = [nPrincipals]string{"anonymous", "admin", "director-A", "director-B", "resident-A1", "resident-A2", "deactivated", "revoked-token"}

// matrixReq is one cell's request, built fresh for each cell so cells do not
// depend on each other (a fresh link to answer, a fresh token to revoke…).
type matrixReq struct {
	path, contentType, body string
	opts                    []func(*http.Request)
}

// matrixRow is one route: public routes must answer everyone alike and
// never 401/403; the others list a status per principal.
type matrixRow struct {
	public bool
	want   [nPrincipals]int
	req    func(f *acctFixture, who int) matrixReq
}

func same(status int) [nPrincipals]int {
	var w [nPrincipals]int
	for i := range w {
		w[i] = status
	}
	return w
}

// signedIn is the common shape: 401 for anyone without valid credentials.
func signedIn(admin, dirA, dirB, resA1, resA2 int) [nPrincipals]int {
	return [nPrincipals]int{401, admin, dirA, dirB, resA1, resA2, 401, 401}
}

// page is the shape of a signed-in page: without a valid session the
// browser goes to the sign-in page; a revoked bearer token is refused.
func page(admin, dirA, dirB, resA1, resA2 int) [nPrincipals]int {
	return [nPrincipals]int{303, admin, dirA, dirB, resA1, resA2, 303, 401}
}

func formReq(path string, form url.Values) func(*acctFixture, int) matrixReq {
	return func(*acctFixture, int) matrixReq {
		return matrixReq{path: path, contentType: "application/x-www-form-urlencoded", body: form.Encode()}
	}
}

func jsonReq(path, body string) func(*acctFixture, int) matrixReq {
	return func(*acctFixture, int) matrixReq {
		return matrixReq{path: path, contentType: "application/json", body: body}
	}
}

func pathReq(path string) func(*acctFixture, int) matrixReq {
	return func(*acctFixture, int) matrixReq { return matrixReq{path: path} }
}

var validAnswers = `{"answers":{"A1":5,"A2":4,"C1":4,"C2":3,"C3":4,"S1":5,"S2":5,"S3":4,"G":5},"comments":{}}`

// matrixRows has one entry per route registered on the Echo instance, keyed
// "METHOD PATH". A route added without an entry fails the matrix.
func matrixRows(f *acctFixture) map[string]matrixRow {
	a := strconv.FormatInt(f.progA.ID, 10)
	a2 := strconv.FormatInt(f.resA2.ID, 10)
	a1 := strconv.FormatInt(f.resA1.ID, 10)
	n := 0
	unique := func(prefix string) string { n++; return fmt.Sprintf("%s%d", prefix, n) }
	return map[string]matrixRow{
		// Public: anyone, signed in or not, gets the same answer.
		"GET /healthz":  {public: true, want: same(200), req: pathReq("/healthz")},
		"GET /readyz":   {public: true, want: same(200), req: pathReq("/readyz")},
		"GET /static/*": {public: true, want: same(200), req: pathReq("/static/app.css")},
		"GET /login":    {public: true, want: same(200), req: pathReq("/login")},
		// Single sign-on (oidc_test.go): the start leads anyone to the
		// provider; a callback without this browser's state is refused
		// alike for everyone, signed in or not.
		"GET /auth/oidc/start":    {public: true, want: same(302), req: pathReq("/auth/oidc/start?next=/home")},
		"GET /auth/oidc/callback": {public: true, want: same(400), req: pathReq("/auth/oidc/callback?state=s&code=c")},
		// The API's description is the same for everyone.
		"GET /api/v1/openapi.json": {public: true, want: same(200), req: pathReq("/api/v1/openapi.json")},
		// Signing in does not depend on who asks: whatever credentials the
		// request already carries, the right email and password succeed.
		"POST /login": {public: true, want: same(303), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/login", contentType: "application/x-www-form-urlencoded",
				body: "csrf_token=form-token&email=res.a1%40example.org&password=" + url.QueryEscape(acctPassword),
				opts: []func(*http.Request){func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "mentorpulse_login", Value: "form-token"}) }}}
		}},
		"GET /forgot-password": {public: true, want: same(200), req: pathReq("/forgot-password")},
		// Every address gets the same answer, whoever asks.
		"POST /forgot-password": {public: true, want: same(200), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/forgot-password", contentType: "application/x-www-form-urlencoded",
				body: "csrf_token=form-token&email=nobody%40example.org",
				opts: []func(*http.Request){func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "mentorpulse_forgot", Value: "form-token"}) }}}
		}},
		// The second step of a sign-in works from the pending cookie alone:
		// without one, everyone is sent back to sign in (pages) or refused.
		"GET /login/second-factor":                {public: true, want: same(303), req: pathReq("/login/second-factor")},
		"POST /login/second-factor":               {public: true, want: same(303), req: formReq("/login/second-factor", url.Values{"code": {"123456"}})},
		"GET /login/second-factor/enrol":          {public: true, want: same(303), req: pathReq("/login/second-factor/enrol")},
		"POST /login/second-factor/enrol/confirm": {public: true, want: same(303), req: formReq("/login/second-factor/enrol/confirm", url.Values{"code": {"123456"}})},
		"POST /api/v1/session/second-factor":      {want: same(401), req: jsonReq("/api/v1/session/second-factor", `{"code":"123456"}`)},
		"POST /api/v1/session":                    {public: true, want: same(200), req: jsonReq("/api/v1/session", `{"email":"res.a1@example.org","password":"`+acctPassword+`"}`)},
		"GET /set-password/:token": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			tok, _, err := f.db.CreatePasswordLink(context.Background(), f.newbie.ID, models.PurposeSetup)
			if err != nil {
				f.t.Fatal(err)
			}
			return matrixReq{path: "/set-password/" + tok}
		}},
		"POST /set-password/:token": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			tok, _, err := f.db.CreatePasswordLink(context.Background(), f.newbie.ID, models.PurposeSetup)
			if err != nil {
				f.t.Fatal(err)
			}
			return matrixReq{path: "/set-password/" + tok, contentType: "application/x-www-form-urlencoded",
				body: "password=amber+lantern+orchard&confirm=amber+lantern+orchard"}
		}},
		"GET /s/:token": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/s/" + f.newLink()}
		}},
		"POST /s/:token": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/s/" + f.newLink(), contentType: "application/x-www-form-urlencoded",
				body: "A1=5&A2=4&C1=4&C2=3&C3=4&S1=5&S2=5&S3=4&G=5"}
		}},
		"POST /s/:token/decline": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/s/" + f.newLink() + "/decline", contentType: "application/x-www-form-urlencoded", body: "reason=meeting_did_not_happen"}
		}},
		"GET /api/v1/surveys/:token": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/api/v1/surveys/" + f.newLink()}
		}},
		"POST /api/v1/surveys/:token": {public: true, want: same(201), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/api/v1/surveys/" + f.newLink(), contentType: "application/json", body: validAnswers}
		}},
		// The QR request page answers everyone alike, whatever they type.
		"GET /r/:code": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/r/" + f.requestCode()}
		}},
		"POST /r/:code": {public: true, want: same(200), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/r/" + f.requestCode(), contentType: "application/x-www-form-urlencoded",
				body: "csrf_token=form-token&email=" + unique("asker") + "%40student.example",
				opts: []func(*http.Request){func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "mentorpulse_request", Value: "form-token"}) }}}
		}},
		"POST /api/v1/surveys/:token/decline": {public: true, want: same(204), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/api/v1/surveys/" + f.newLink() + "/decline", contentType: "application/json", body: `{"reason":"meeting_did_not_happen"}`}
		}},

		// Signed in. Columns: admin, director A, director B, resident A1, resident A2.
		"GET /api/v1/session":    {want: signedIn(200, 200, 200, 200, 200), req: pathReq("/api/v1/session")},
		"DELETE /api/v1/session": {want: signedIn(204, 204, 204, 204, 204), req: pathReq("/api/v1/session")},
		"POST /api/v1/tokens":    {want: signedIn(201, 201, 201, 201, 201), req: jsonReq("/api/v1/tokens", `{"name":"report script"}`)},
		"GET /api/v1/tokens":     {want: signedIn(200, 200, 200, 200, 200), req: pathReq("/api/v1/tokens")},
		"DELETE /api/v1/tokens/:id": {want: signedIn(204, 204, 204, 204, 204), req: func(f *acctFixture, who int) matrixReq {
			owner := map[int]*models.User{admin: f.admin, dirA: f.dirA, dirB: f.dirB, resA1: f.resA1, resA2: f.resA2}[who]
			if owner == nil {
				owner = f.admin
			}
			t, _, err := f.db.CreateAPIToken(context.Background(), owner.ID, "to revoke")
			if err != nil {
				f.t.Fatal(err)
			}
			return matrixReq{path: "/api/v1/tokens/" + strconv.FormatInt(t.ID, 10)}
		}},
		// One's own sessions: every role alike (account_page_test.go).
		"GET /api/v1/sessions": {want: signedIn(200, 200, 200, 200, 200), req: pathReq("/api/v1/sessions")},
		"DELETE /api/v1/sessions/:id": {want: signedIn(204, 204, 204, 204, 204), req: func(f *acctFixture, who int) matrixReq {
			return matrixReq{path: "/api/v1/sessions/" + f.otherSession(f.ownerOf(who))}
		}},
		"POST /api/v1/programs": {want: signedIn(201, 403, 403, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs", contentType: "application/json", body: `{"name":"` + unique("Program ") + `","min_responses":4}`}
		}},
		"GET /api/v1/programs":       {want: signedIn(200, 200, 200, 200, 200), req: pathReq("/api/v1/programs")},
		"GET /api/v1/programs/:id":   {want: signedIn(200, 200, 404, 200, 200), req: pathReq("/api/v1/programs/" + a)},
		"PATCH /api/v1/programs/:id": {want: signedIn(200, 403, 404, 403, 403), req: jsonReq("/api/v1/programs/"+a, `{"min_responses":5}`)},
		"POST /api/v1/programs/:id/members": {want: signedIn(201, 201, 404, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs/" + a + "/members", contentType: "application/json",
				body: `{"email":"` + unique("new") + `@example.org","name":"New Resident","role":"resident","pgy_year":1}`}
		}},
		"GET /api/v1/programs/:id/members": {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/programs/" + a + "/members")},
		"POST /api/v1/programs/:id/members/import": {want: signedIn(200, 200, 404, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs/" + a + "/members/import", contentType: "text/csv",
				body: unique("imported") + "@example.org,Imported Resident,resident,2\n"}
		}},
		"PATCH /api/v1/users/:id": {want: signedIn(200, 200, 404, 403, 403), req: jsonReq("/api/v1/users/"+a2, `{"pgy_year":2}`)},
		// Only admins reset a second factor; res.a2 has none (409).
		"POST /api/v1/users/:id/second-factor/reset": {want: signedIn(409, 403, 403, 403, 403), req: jsonReq("/api/v1/users/"+a2+"/second-factor/reset", "")},
		"POST /api/v1/users/:id/password-link":       {want: signedIn(201, 201, 404, 403, 403), req: jsonReq("/api/v1/users/"+a2+"/password-link", "")},
		// The mentee roster: directors and admins of the program; an
		// admin alone approves (four eyes on a director's additions).
		"POST /api/v1/programs/:id/mentees": {want: signedIn(201, 201, 404, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs/" + a + "/mentees", contentType: "application/json", body: `{"email":"` + unique("roster") + `@elsewhere.example"}`}
		}},
		"GET /api/v1/programs/:id/mentees": {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/programs/" + a + "/mentees")},
		// A program's instrument: its directors and admins.
		"GET /api/v1/programs/:id/instruments": {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/programs/" + a + "/instruments")},
		"POST /api/v1/programs/:id/instruments": {want: signedIn(201, 201, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			f.dropInstrumentDrafts()
			return matrixReq{path: "/api/v1/programs/" + a + "/instruments", contentType: "application/json",
				body: `{"from":{"key":"resident-mentor","version":1}}`}
		}},
		"GET /api/v1/instruments/:key/versions/:n": {want: signedIn(200, 200, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: f.instrumentDraftPath()}
		}},
		"PUT /api/v1/instruments/:key/versions/:n": {want: signedIn(200, 200, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			path := f.instrumentDraftPath()
			return matrixReq{path: path, contentType: "application/json", body: f.draftDocument()}
		}},
		"POST /api/v1/instruments/:key/versions/:n/publish": {want: signedIn(200, 200, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			path := f.instrumentDraftPath()
			f.forgetInstrumentPublishes()
			return matrixReq{path: path + "/publish"}
		}},
		"POST /api/v1/programs/:id/mentees/import": {want: signedIn(200, 200, 404, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs/" + a + "/mentees/import", contentType: "text/csv", body: unique("listed") + "@elsewhere.example,Listed\n"}
		}},
		"PATCH /api/v1/mentees/:id": {want: signedIn(200, 200, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			m := f.pendingMentee(unique("patched") + "@elsewhere.example")
			return matrixReq{path: "/api/v1/mentees/" + strconv.FormatInt(m.ID, 10), contentType: "application/json", body: `{"name":"Renamed"}`}
		}},
		"POST /api/v1/mentees/:id/approve": {want: signedIn(200, 403, 404, 403, 403), req: func(f *acctFixture, _ int) matrixReq {
			m := f.pendingMentee(unique("approved") + "@elsewhere.example")
			return matrixReq{path: "/api/v1/mentees/" + strconv.FormatInt(m.ID, 10) + "/approve"}
		}},
		"GET /api/v1/audit": {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/audit?program_id=" + a)},
		"POST /api/v1/meetings": {want: signedIn(201, 201, 404, 201, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/meetings", contentType: "application/json",
				body: `{"resident_id":` + a1 + `,"meeting_date":"2026-03-01","mentee_email":"` + unique("mentee") + `@student.example"}`}
		}},
		"POST /api/v1/programs/:id/meetings/import": {want: signedIn(200, 200, 404, 403, 403), req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/api/v1/programs/" + a + "/meetings/import", contentType: "text/csv",
				body: "res.a1@example.org," + unique("imported") + "@student.example,2026-03-01\n"}
		}},
		"GET /api/v1/me/report":                       {want: signedIn(403, 403, 403, 200, 200), req: pathReq("/api/v1/me/report")},
		"GET /api/v1/residents/:id/report":            {want: signedIn(200, 200, 404, 200, 403), req: pathReq("/api/v1/residents/" + a1 + "/report")},
		"GET /api/v1/residents/:id/report.pdf":        {want: signedIn(200, 200, 404, 200, 403), req: pathReq("/api/v1/residents/" + a1 + "/report.pdf")},
		"GET /api/v1/residents/:id/review-packet.pdf": {want: signedIn(200, 200, 404, 200, 403), req: pathReq("/api/v1/residents/" + a1 + "/review-packet.pdf")},
		"GET /api/v1/programs/:id/report":             {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/programs/" + a + "/report")},
		"GET /dashboard":                              {want: page(403, 403, 403, 200, 200), req: pathReq("/dashboard")},
		"GET /residents/:id/report":                   {want: page(200, 200, 404, 200, 403), req: pathReq("/residents/" + a1 + "/report")},
		"GET /programs/:id/report":                    {want: page(200, 200, 404, 403, 403), req: pathReq("/programs/" + a + "/report")},
		"GET /api/v1/programs/:id/meetings":           {want: signedIn(200, 200, 404, 403, 403), req: pathReq("/api/v1/programs/" + a + "/meetings")},
		// The growth loop: the /me routes are a resident's own; what a
		// resident shares, their program's directors and admins read.
		"GET /api/v1/me/goals": {want: signedIn(403, 403, 403, 200, 200), req: pathReq("/api/v1/me/goals")},
		"POST /api/v1/me/goals": {want: signedIn(403, 403, 403, 201, 201), req: func(f *acctFixture, _ int) matrixReq {
			f.closeOpenGoals()
			return matrixReq{path: "/api/v1/me/goals", contentType: "application/json",
				body: `{"target":{"kind":"attribute","key":"competence"},"text":"Give clearer advice","actions":["Summarise at the end"]}`}
		}},
		"PATCH /api/v1/me/goals/:id": {want: signedIn(403, 403, 403, 200, 404), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/api/v1/me/goals/" + strconv.FormatInt(f.goalOf(f.resA1), 10), contentType: "application/json", body: `{"shared":true}`}
		}},
		"GET /api/v1/me/self-assessments/:window": {want: signedIn(403, 403, 403, 200, 200), req: pathReq("/api/v1/me/self-assessments/2026-01")},
		"PUT /api/v1/me/self-assessments/:window": {want: signedIn(403, 403, 403, 200, 200), req: jsonReq("/api/v1/me/self-assessments/2026-01", selfRatings)},
		"GET /api/v1/residents/:id/goals":         {want: signedIn(200, 200, 404, 200, 403), req: pathReq("/api/v1/residents/" + a1 + "/goals")},

		// Signed-in pages: no valid session sends the browser to the sign-in
		// page (303); a revoked bearer token is refused outright.
		"GET /":         {want: page(303, 303, 303, 303, 303), req: pathReq("/")},
		"GET /programs": {want: page(200, 200, 200, 403, 403), req: pathReq("/programs")},
		// The account page: everyone's own, whatever their role.
		"GET /account":                      {want: page(200, 200, 200, 200, 200), req: pathReq("/account")},
		"POST /account/sessions/end-others": {want: page(303, 303, 303, 303, 303), req: formReq("/account/sessions/end-others", nil)},
		"POST /account/sessions/:id/end": {want: page(303, 303, 303, 303, 303), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/account/sessions/"+f.otherSession(f.ownerOf(who))+"/end", nil)(f, who)
		}},
		"POST /account/tokens": {want: page(200, 200, 200, 200, 200), req: formReq("/account/tokens", url.Values{"name": {"matrix script"}})},
		"POST /account/tokens/:id/revoke": {want: page(303, 303, 303, 303, 303), req: func(f *acctFixture, who int) matrixReq {
			t, _, err := f.db.CreateAPIToken(context.Background(), f.ownerOf(who).ID, "to revoke")
			if err != nil {
				f.t.Fatal(err)
			}
			return formReq("/account/tokens/"+strconv.FormatInt(t.ID, 10)+"/revoke", nil)(f, who)
		}},
		"GET /home":       {want: page(403, 403, 403, 200, 200), req: pathReq("/home")},
		"POST /home/code": {want: page(403, 403, 403, 200, 200), req: formReq("/home/code", nil)},
		// The growth pages are the resident's own (a goal of another
		// resident is 404).
		"GET /home/self-assessment/:window": {want: page(403, 403, 403, 200, 200), req: pathReq("/home/self-assessment/2026-01")},
		"POST /home/self-assessment/:window": {want: page(403, 403, 403, 303, 303), req: formReq("/home/self-assessment/2026-01", url.Values{
			"rating.A1": {"4"}, "rating.A2": {"4"}, "rating.C1": {"3"}, "rating.C2": {"4"}, "rating.C3": {"3"}, "rating.S1": {"5"}, "rating.S2": {"na"}, "rating.S3": {"4"}, "rating.G": {"4"}})},
		"GET /home/goals/new": {want: page(403, 403, 403, 200, 200), req: pathReq("/home/goals/new")},
		"POST /home/goals": {want: page(403, 403, 403, 303, 303), req: func(f *acctFixture, who int) matrixReq {
			f.closeOpenGoals()
			return formReq("/home/goals", url.Values{"target": {"attribute:competence"}, "text": {"Give clearer advice"}, "own_action": {"Summarise at the end"}})(f, who)
		}},
		"GET /home/goals/:id": {want: page(403, 403, 403, 200, 404), req: func(f *acctFixture, _ int) matrixReq {
			return matrixReq{path: "/home/goals/" + strconv.FormatInt(f.goalOf(f.resA1), 10)}
		}},
		"POST /home/goals/:id": {want: page(403, 403, 403, 303, 404), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/home/goals/"+strconv.FormatInt(f.goalOf(f.resA1), 10), url.Values{"text": {"Matrix goal"}, "actions": {"Keep time"}, "review_date": {"2026-06-30"}})(f, who)
		}},
		"POST /home/goals/:id/review": {want: page(403, 403, 403, 422, 404), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/home/goals/"+strconv.FormatInt(f.goalOf(f.resA1), 10)+"/review", url.Values{"outcome": {"sideways"}})(f, who)
		}},
		// Everyone's own second factor; nobody here has one, so confirming
		// (nothing started) is 409 and new recovery codes are refused (422).
		"GET /account/second-factor":                 {want: page(200, 200, 200, 200, 200), req: pathReq("/account/second-factor")},
		"POST /account/second-factor/confirm":        {want: page(409, 409, 409, 409, 409), req: formReq("/account/second-factor/confirm", url.Values{"code": {"123456"}})},
		"POST /account/second-factor/recovery-codes": {want: page(422, 422, 422, 422, 422), req: formReq("/account/second-factor/recovery-codes", url.Values{"code": {"123456"}})},
		"POST /account/second-factor/start":          {want: page(200, 200, 200, 200, 200), req: formReq("/account/second-factor/start", nil)},
		// Only an admin resets a second factor; res.a2 has none (409).
		"POST /programs/:id/roster/members/:uid/second-factor/reset": {want: page(409, 403, 403, 403, 403), req: formReq("/programs/"+a+"/roster/members/"+a2+"/second-factor/reset", nil)},
		"GET /programs/:id/roster":                                   {want: page(200, 200, 404, 403, 403), req: pathReq("/programs/" + a + "/roster")},
		"POST /programs/:id/roster/members": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/programs/"+a+"/roster/members", url.Values{"email": {unique("page") + "@example.org"}, "name": {"Page Resident"}, "role": {"resident"}, "pgy_year": {"1"}})(f, who)
		}},
		"POST /programs/:id/roster/import": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/programs/"+a+"/roster/import", url.Values{"csv": {unique("pasted") + "@example.org,Pasted Resident,resident,2\n"}})(f, who)
		}},
		"POST /programs/:id/roster/members/:uid":               {want: page(303, 303, 404, 403, 403), req: formReq("/programs/"+a+"/roster/members/"+a2, url.Values{"pgy_year": {"2"}})},
		"POST /programs/:id/roster/members/:uid/password-link": {want: page(200, 200, 404, 403, 403), req: formReq("/programs/"+a+"/roster/members/"+a2+"/password-link", nil)},
		// The matrix's server writes emails to the log, so a resend is refused (422) once access is granted.
		"POST /programs/:id/roster/members/:uid/setup-email": {want: page(422, 422, 404, 403, 403), req: formReq("/programs/"+a+"/roster/members/"+a2+"/setup-email", nil)},
		"POST /programs/:id/roster/mentees": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/programs/"+a+"/roster/mentees", url.Values{"email": {unique("page-roster") + "@elsewhere.example"}})(f, who)
		}},
		"POST /programs/:id/roster/mentees/import": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/programs/"+a+"/roster/mentees/import", url.Values{"mentees_csv": {unique("page-listed") + "@elsewhere.example,Listed\n"}})(f, who)
		}},
		"POST /programs/:id/roster/mentees/:mid": {want: page(303, 303, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			m := f.pendingMentee(unique("page-patched") + "@elsewhere.example")
			return formReq("/programs/"+a+"/roster/mentees/"+strconv.FormatInt(m.ID, 10), url.Values{"active": {"false"}})(f, who)
		}},
		"POST /programs/:id/roster/mentees/:mid/approve": {want: page(303, 403, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			m := f.pendingMentee(unique("page-approved") + "@elsewhere.example")
			return formReq("/programs/"+a+"/roster/mentees/"+strconv.FormatInt(m.ID, 10)+"/approve", nil)(f, who)
		}},
		// The instrument pages: a program's directors and admins.
		"GET /programs/:id/instruments": {want: page(200, 200, 404, 403, 403), req: pathReq("/programs/" + a + "/instruments")},
		"POST /programs/:id/instruments": {want: page(303, 303, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			f.dropInstrumentDrafts()
			return formReq("/programs/"+a+"/instruments", url.Values{"from_key": {"resident-mentor"}, "from_version": {"1"}})(f, who)
		}},
		"POST /programs/:id/instruments/import": {want: page(422, 422, 404, 403, 403), req: formReq("/programs/"+a+"/instruments/import", nil)},
		"GET /programs/:id/instruments/:key/:version": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return pathReq(f.instrumentDraftPage(a))(f, who)
		}},
		"POST /programs/:id/instruments/:key/:version": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq(f.instrumentDraftPage(a), url.Values{"action": {"langs"}})(f, who)
		}},
		"GET /programs/:id/instruments/:key/:version/preview": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return pathReq(f.instrumentDraftPage(a)+"/preview")(f, who)
		}},
		"POST /programs/:id/instruments/:key/:version/preview": {want: page(422, 422, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq(f.instrumentDraftPage(a)+"/preview", nil)(f, who)
		}},
		"GET /programs/:id/instruments/:key/:version/publish": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return pathReq(f.instrumentDraftPage(a)+"/publish")(f, who)
		}},
		"POST /programs/:id/instruments/:key/:version/publish": {want: page(303, 303, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			path := f.instrumentDraftPage(a)
			f.forgetInstrumentPublishes()
			return formReq(path+"/publish", nil)(f, who)
		}},
		"GET /admin/programs": {want: page(200, 403, 403, 403, 403), req: pathReq("/admin/programs")},
		"POST /admin/programs": {want: page(303, 403, 403, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/admin/programs", url.Values{"name": {unique("Page program ")}, "min_responses": {"4"}})(f, who)
		}},
		"POST /admin/programs/:id": {want: page(303, 403, 403, 403, 403), req: formReq("/admin/programs/"+a, url.Values{"min_responses": {"5"}})},
		"POST /admin/programs/:id/delivery": {want: page(303, 403, 403, 403, 403), req: formReq("/admin/programs/"+a+"/delivery",
			url.Values{"reminder_after_days": {"3"}, "max_reminders": {"1"}, "link_lifetime_days": {"14"}})},
		"POST /admin/programs/:id/release": {want: page(303, 403, 403, 403, 403), req: formReq("/admin/programs/"+a+"/release",
			url.Values{"release_window": {"quarter"}, "academic_year_start_month": {"7"}, "min_mentees": {"3"}, "mentee_email_domains": {"student.example"}})},
		"GET /admin/status": {want: page(200, 403, 403, 403, 403), req: pathReq("/admin/status")},
		"POST /admin/status/test-email": {want: page(200, 403, 403, 403, 403), req: formReq("/admin/status/test-email",
			url.Values{"to": {"matrix.desk@hospital.example"}})},
		"POST /home/meetings": {want: page(403, 403, 403, 303, 303), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/home/meetings", url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {unique("page-mentee") + "@student.example"}})(f, who)
		}},
		"POST /programs/:id/roster/meetings/import": {want: page(200, 200, 404, 403, 403), req: func(f *acctFixture, who int) matrixReq {
			return formReq("/programs/"+a+"/roster/meetings/import", url.Values{"meetings_csv": {"res.a1@example.org," + unique("page-import") + "@student.example,2026-03-01\n"}})(f, who)
		}},

		// Sign-out page: anyone ends up on the sign-in page; a revoked bearer
		// token is refused outright.
		"POST /logout": {want: [nPrincipals]int{303, 303, 303, 303, 303, 303, 303, 401}, req: func(*acctFixture, int) matrixReq {
			return matrixReq{path: "/logout", contentType: "application/x-www-form-urlencoded"}
		}},
	}
}

// credentials authenticates a cell's request as who: by session cookie
// (with the CSRF header) or by bearer token.
func (f *acctFixture) credentials(who int, bearer bool) []func(*http.Request) {
	users := map[int]*models.User{admin: f.admin, dirA: f.dirA, dirB: f.dirB, resA1: f.resA1, resA2: f.resA2}
	switch {
	case who == anon:
		return nil
	case who == revoked:
		return []func(*http.Request){withBearer(f.revokedToken)}
	case who == deactivated && bearer:
		return []func(*http.Request){withBearer(f.goneToken)}
	case who == deactivated:
		return []func(*http.Request){withSession(f.goneCookie, f.goneCSRF)}
	case bearer:
		return []func(*http.Request){withBearer(f.tokens[users[who]])}
	}
	return []func(*http.Request){withSession(f.session(users[who]))}
}

// TestAuthorizationMatrix walks every registered route as every kind of
// caller and checks the status: 401 without valid credentials, 404 for
// another program's resources, 403 for what the role may not do, success
// otherwise. It runs once with session cookies and once with bearer tokens
// (API routes), which must agree.
func TestAuthorizationMatrix(t *testing.T) {
	f := newAcctFixture(t, api.Config{OIDC: newTestOP(t).config("none")})
	rows := matrixRows(f)
	var routes []string
	seen := map[string]bool{}
	for _, r := range f.srv.Echo().Routes() {
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		routes = append(routes, key)
		if _, ok := rows[key]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix: add one (public or a status per principal)", key)
		}
	}
	sort.Strings(routes)
	for key := range rows {
		if !seen[key] {
			t.Errorf("the matrix lists %s, which is not a registered route", key)
		}
	}
	for _, mode := range []string{"cookie", "bearer"} {
		for _, key := range routes {
			row, ok := rows[key]
			if !ok {
				continue
			}
			method, path, _ := strings.Cut(key, " ")
			if mode == "bearer" && (row.public || !strings.HasPrefix(path, "/api/v1/")) {
				continue
			}
			for who := range nPrincipals {
				t.Run(fmt.Sprintf("%s/%s/%s", mode, key, principalNames[who]), func(t *testing.T) {
					req := row.req(f, who)
					opts := append(f.credentials(who, mode == "bearer"), req.opts...)
					w := f.do(method, req.path, req.contentType, req.body, opts...)
					if w.Code != row.want[who] {
						t.Errorf("%s %s as %s (%s): status %d, want %d\n%s", method, req.path, principalNames[who], mode, w.Code, row.want[who], w.Body.String())
					}
					if row.public && (w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden) {
						t.Errorf("public route %s answered %d", key, w.Code)
					}
				})
			}
		}
	}
}

// TestAuthorizationMatrixPublicRoutesIgnoreCSRF checks that a signed-in
// resident who is also someone's mentee can answer a survey in the same
// browser: the public routes neither need nor check the session's CSRF token.
func TestAuthorizationMatrixPublicRoutesIgnoreCSRF(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	cookie, _ := f.session(f.resA2)
	w := f.do("POST", "/api/v1/surveys/"+f.newLink(), "application/json", validAnswers, withSession(cookie, ""))
	if w.Code != http.StatusCreated {
		t.Fatalf("survey submission with a session cookie and no CSRF token: %d %s", w.Code, w.Body)
	}
	q := url.Values{"A1": {"5"}, "A2": {"4"}, "C1": {"4"}, "C2": {"3"}, "C3": {"4"}, "S1": {"5"}, "S2": {"5"}, "S3": {"4"}, "G": {"5"}}
	w = f.do("POST", "/s/"+f.newLink(), "application/x-www-form-urlencoded", q.Encode(), withSession(cookie, ""))
	if w.Code != http.StatusOK {
		t.Fatalf("survey form with a session cookie and no CSRF token: %d", w.Code)
	}
	if n, _ := f.db.CountAnswers(context.Background(), f.resA1.ID); n != 2 {
		t.Fatalf("stored %d responses, want 2", n)
	}
}

// instrumentDraftPage is the editor page of program A's draft (made when
// there is none).
func (f *acctFixture) instrumentDraftPage(programID string) string {
	f.t.Helper()
	rest := strings.TrimPrefix(f.instrumentDraftPath(), "/api/v1/instruments/")
	key, n, _ := strings.Cut(rest, "/versions/")
	return "/programs/" + programID + "/instruments/" + key + "/" + n
}
