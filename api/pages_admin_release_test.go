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

// TestAdminSetsTheReleaseRuleOnThePage: the programs page sets the release
// window, the academic year's first month, min_mentees and the mentee
// domains through the same use case as PATCH /api/v1/programs/{id}, shows
// them back, and refuses min_mentees below 3 beside the field.
func TestAdminSetsTheReleaseRuleOnThePage(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	a := strconv.FormatInt(f.progA.ID, 10)
	path := "/admin/programs/" + a + "/release"
	w := f.postForm(f.admin, path, url.Values{"release_window": {"half"}, "academic_year_start_month": {"9"},
		"min_mentees": {"4"}, "mentee_email_domains": {"med.example.edu, students.example.org"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, text(w))
	}
	p, _ := f.db.ProgramByID(ctx, f.progA.ID)
	if p.WindowSettings != (models.WindowSettings{ReleaseWindow: "half", AcademicYearStartMonth: 9, MinMentees: 4}) ||
		strings.Join(p.MenteeDomains(), ",") != "med.example.edu,students.example.org" {
		t.Errorf("saved %+v, domains %v", p.WindowSettings, p.MenteeDomains())
	}
	w = f.getPage(f.admin, w.Header().Get("Location"))
	wantText(t, w, "Saved Program A: results are released per half (the academic year starts in September), from at least 4 different mentees; addresses in med.example.edu, students.example.org are accepted as mentees.")
	body := w.Body.String()
	for _, want := range []string{`<option value="half" selected>half</option>`, `<option value="9" selected>September</option>`,
		`id="mentees-` + a + `" name="min_mentees"`, `value="4"`, `id="domains-` + a + `" name="mentee_email_domains"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the programs page does not show %s", want)
		}
	}
	w = f.do("GET", "/api/v1/programs/"+a, "", "", f.as(f.admin))
	if got := decode[map[string]any](t, w.Body.Bytes()); got["release_window"] != "half" || got["academic_year_start_month"] != float64(9) || got["min_mentees"] != float64(4) {
		t.Errorf("the API does not see the page's change: %v", got)
	}

	// Fewer than 3 mentees would let a group be one or two people.
	w = f.postForm(f.admin, path, url.Values{"release_window": {"quarter"}, "academic_year_start_month": {"7"},
		"min_mentees": {"2"}, "mentee_email_domains": {""}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("min_mentees 2: %d, want 422\n%s", w.Code, text(w))
	}
	wantText(t, w, "Minimum mentees must be at least 3")
	if !strings.Contains(w.Body.String(), `id="mentees-`+a+`-error"`) || !strings.Contains(w.Body.String(), `value="2"`) {
		t.Error("the message is not beside the field, or the form lost the value")
	}
	if p2, _ := f.db.ProgramByID(ctx, f.progA.ID); p2.WindowSettings != p.WindowSettings || len(p2.MenteeDomains()) != 2 {
		t.Errorf("a refused form changed the settings to %+v %v", p2.WindowSettings, p2.MenteeDomains())
	}
	// Directors do not set the release rule.
	if w := f.postForm(f.dirA, path, url.Values{"release_window": {"month"}, "academic_year_start_month": {"7"}, "min_mentees": {"3"}}); w.Code != http.StatusForbidden {
		t.Errorf("a director's release form: %d, want 403", w.Code)
	}
}
