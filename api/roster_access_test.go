package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// Another program's roster reads exactly like a program that does not
// exist, whatever the role of who asks: a resident of program A probing
// program B's roster pages learns nothing from a 403. Their own program's
// roster stays 403 (they may look at the program, not manage it).
func TestAnotherProgramsRosterIsNotFoundForResidentsToo(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := t.Context()
	pgy := 1
	resB1 := &models.User{Email: "res.b1@example.org", Name: "res.b1", Role: models.RoleResident, ProgramID: &f.progB.ID, PGYYear: &pgy}
	if err := f.db.CreateUser(ctx, resB1); err != nil {
		t.Fatal(err)
	}
	routes := func(p *models.Program, member *models.User) map[string]url.Values {
		r := f.rosterPath(p)
		m := r + "/members/" + strconv.FormatInt(member.ID, 10)
		return map[string]url.Values{
			"GET " + r:                       nil,
			"POST " + r + "/members":         {"email": {"probe@example.org"}, "name": {"Probe"}, "role": {"resident"}, "pgy_year": {"1"}},
			"POST " + r + "/import":          {"csv": {"probe2@example.org,Probe,resident,1\n"}},
			"POST " + m:                      {"active": {"false"}},
			"POST " + m + "/password-link":   nil,
			"POST " + m + "/setup-email":     nil,
			"POST " + r + "/meetings/import": {"meetings_csv": {"res.a1@example.org,probe@student.example,2026-03-01\n"}},
		}
	}
	for name, tc := range map[string]struct {
		as   *models.User
		prog *models.Program
		mem  *models.User
		want int
	}{
		"resident-other-program-404": {f.resA1, f.progB, resB1, http.StatusNotFound},
		"resident-own-program-403":   {f.resA1, f.progA, f.resA2, http.StatusForbidden},
		"director-other-program-404": {f.dirB, f.progA, f.resA2, http.StatusNotFound},
		"missing-program-404":        {f.resA1, &models.Program{ID: f.progB.ID + 1000}, resB1, http.StatusNotFound},
	} {
		for route, form := range routes(tc.prog, tc.mem) {
			t.Run(name+"/"+route, func(t *testing.T) {
				method, path, _ := strings.Cut(route, " ")
				var code int
				if method == "GET" {
					code = f.getPage(tc.as, path).Code
				} else {
					code = f.postForm(tc.as, path, form).Code
				}
				if code != tc.want {
					t.Errorf("%s as %s: %d, want %d", route, tc.as.Email, code, tc.want)
				}
			})
		}
	}
	if n := countRows(t, f, "SELECT count(*) FROM users WHERE email LIKE 'probe%'"); n != 0 {
		t.Errorf("%d members were added by the probes", n)
	}
}
