package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// coDirector adds a director whose primary program is B and who also leads
// A, with a password, a session and an API token of their own.
func (f *acctFixture) coDirector() (u *models.User, cookie string) {
	f.t.Helper()
	ctx := context.Background()
	hash, err := models.HashPassword(acctPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	u = &models.User{Email: "co.director@example.org", Name: "Co Director", Role: models.RoleDirector, ProgramID: &f.progB.ID, PasswordHash: hash}
	if err := f.db.CreateUser(ctx, u); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.AddDirector(ctx, f.progA.ID, u.ID); err != nil {
		f.t.Fatal(err)
	}
	_, secret, err := f.db.CreateAPIToken(ctx, u.ID, "co-director's script")
	if err != nil {
		f.t.Fatal(err)
	}
	f.tokens[u] = secret
	cookie, _ = f.session(u)
	return u, cookie
}

// The attack: director A asks for a set-password link for a director who
// also leads program B, would set that password and sign in as them. Neither
// the API nor the roster page lets director A touch the co-director's
// account; an admin still may.
func TestDirectorCannotTakeOverACoDirectorsAccount(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	co, coCookie := f.coDirector()
	x := strconv.FormatInt(co.ID, 10)
	a := strconv.FormatInt(f.progA.ID, 10)

	// The JSON API: the co-director is visible to director A (same program),
	// so changing them is 403; director B's account, in no shared program,
	// stays 404.
	if w := f.do("POST", "/api/v1/users/"+x+"/password-link", "", "", f.as(f.dirA)); w.Code != http.StatusForbidden {
		t.Errorf("director A asks for the co-director's password link: %d, want 403\n%s", w.Code, w.Body)
	}
	if w := f.do("PATCH", "/api/v1/users/"+x, "application/json", `{"active":false}`, f.as(f.dirA)); w.Code != http.StatusForbidden {
		t.Errorf("director A deactivates the co-director: %d, want 403\n%s", w.Code, w.Body)
	}
	if w := f.do("PATCH", "/api/v1/users/"+x, "application/json", `{"name":"Renamed"}`, f.as(f.dirA)); w.Code != http.StatusForbidden {
		t.Errorf("director A renames the co-director: %d, want 403", w.Code)
	}
	b := strconv.FormatInt(f.dirB.ID, 10)
	if w := f.do("POST", "/api/v1/users/"+b+"/password-link", "", "", f.as(f.dirA)); w.Code != http.StatusNotFound {
		t.Errorf("director A asks for director B's password link: %d, want 404", w.Code)
	}
	// A director may not mint a reset link for their own account either:
	// whoever holds their session could replace their password.
	if w := f.do("POST", "/api/v1/users/"+strconv.FormatInt(f.dirA.ID, 10)+"/password-link", "", "", f.as(f.dirA)); w.Code != http.StatusForbidden {
		t.Errorf("director A asks for their own password link: %d, want 403", w.Code)
	}

	// The roster page: no buttons for the co-director's row, and the forms
	// refuse when posted anyway.
	roster := f.rosterPath(f.progA)
	page := f.getPage(f.dirA, roster)
	if page.Code != http.StatusOK {
		t.Fatalf("roster: %d", page.Code)
	}
	for _, action := range []string{`action="` + roster + `/members/` + x + `"`, `action="` + roster + `/members/` + x + `/password-link"`} {
		if strings.Contains(page.Body.String(), action) {
			t.Errorf("the roster offers director A a form on the co-director's account: %s", action)
		}
	}
	if a2 := `action="` + roster + `/members/` + strconv.FormatInt(f.resA2.ID, 10) + `/password-link"`; !strings.Contains(page.Body.String(), a2) {
		t.Errorf("the roster no longer offers a resident's password link: %s", a2)
	}
	if w := f.postForm(f.dirA, roster+"/members/"+x+"/password-link", nil); w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "/set-password/") {
		t.Errorf("roster password link for the co-director: %d, want 403 without a link", w.Code)
	}
	if w := f.postForm(f.dirA, roster+"/members/"+x, url.Values{"active": {"false"}}); w.Code != http.StatusForbidden {
		t.Errorf("roster deactivation of the co-director: %d, want 403", w.Code)
	}

	// Nothing happened to the co-director: still active, no link, still
	// signed in.
	ctx := context.Background()
	if u, err := f.db.UserByID(ctx, co.ID); err != nil || !u.Active || u.Name != "Co Director" {
		t.Errorf("co-director after the attempts: %+v, %v", u, err)
	}
	if n := countRows(t, f, "SELECT count(*) FROM password_links WHERE user_id = "+x); n != 0 {
		t.Errorf("%d password links made for the co-director", n)
	}
	if w := f.do("GET", "/api/v1/session", "", "", withSession(coCookie, "")); w.Code != http.StatusOK {
		t.Errorf("the co-director's session ended: %d", w.Code)
	}
	for _, e := range auditActions(t, f) {
		if e == models.ActionPasswordLink || e == models.ActionMemberUpdate {
			t.Errorf("a refused request was audited as %s", e)
		}
	}

	// Residents of director A's programs are still theirs; staff accounts
	// are the admin's.
	if w := f.do("POST", "/api/v1/users/"+strconv.FormatInt(f.resA2.ID, 10)+"/password-link", "", "", f.as(f.dirA)); w.Code != http.StatusCreated {
		t.Errorf("director A's resident's password link: %d, want 201", w.Code)
	}
	if w := f.do("POST", "/api/v1/users/"+x+"/password-link", "", "", f.as(f.admin)); w.Code != http.StatusCreated {
		t.Errorf("the admin asks for the co-director's password link: %d, want 201", w.Code)
	}
	if w := f.getPage(f.admin, "/programs/"+a+"/roster"); !strings.Contains(w.Body.String(), `action="`+roster+`/members/`+x+`/password-link"`) {
		t.Error("the admin's roster offers no password link for the co-director")
	}
}

// auditActions lists the actions in the audit log.
func auditActions(t *testing.T, f *acctFixture) []string {
	t.Helper()
	rows, err := f.db.AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Action)
	}
	return out
}
