package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// TestAdminSetsRetentionYears: PATCH /api/v1/programs/{id} and the
// programs page change retention_years through one use case; absent leaves
// it alone, null, 0 or a string is a 422 naming the field, and a director
// may not.
func TestAdminSetsRetentionYears(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	ctx := context.Background()
	a := strconv.FormatInt(f.progA.ID, 10)
	stored := func() int {
		t.Helper()
		p, err := f.db.ProgramByID(ctx, f.progA.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.RetentionYears
	}
	if got := decode[map[string]any](t, f.do("GET", "/api/v1/programs/"+a, "", "", f.as(f.admin)).Body.Bytes()); got["retention_years"] != float64(models.DefaultRetentionYears) {
		t.Errorf("a new program shows retention_years %v, want %d", got["retention_years"], models.DefaultRetentionYears)
	}
	cases := []struct {
		name, body string
		as         *models.User
		status     int
		want       int // stored afterwards
	}{
		{"patch-200-sets", `{"retention_years":3}`, f.admin, http.StatusOK, 3},
		{"patch-200-absent-keeps", `{"name":"Program A"}`, f.admin, http.StatusOK, 3},
		{"patch-422-null", `{"retention_years":null}`, f.admin, http.StatusUnprocessableEntity, 3},
		{"patch-422-zero", `{"retention_years":0}`, f.admin, http.StatusUnprocessableEntity, 3},
		{"patch-422-too-long", `{"retention_years":101}`, f.admin, http.StatusUnprocessableEntity, 3},
		{"patch-422-not-a-number", `{"retention_years":"7"}`, f.admin, http.StatusUnprocessableEntity, 3},
		{"patch-403-director", `{"retention_years":1}`, f.dirA, http.StatusForbidden, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := f.do("PATCH", "/api/v1/programs/"+a, "application/json", c.body, f.as(c.as))
			if w.Code != c.status {
				t.Fatalf("%s: %d, want %d\n%s", c.body, w.Code, c.status, w.Body.String())
			}
			if c.status == http.StatusUnprocessableEntity {
				if fields := problemFields(decode[map[string]any](t, w.Body.Bytes())); !slices.Equal(fields, []string{"retention_years"}) {
					t.Errorf("422 names fields %v, want [retention_years]", fields)
				}
			}
			if c.status == http.StatusOK {
				if got := decode[map[string]any](t, w.Body.Bytes()); got["retention_years"] != float64(c.want) {
					t.Errorf("answered retention_years %v, want %d", got["retention_years"], c.want)
				}
			}
			if got := stored(); got != c.want {
				t.Errorf("stored %d, want %d", got, c.want)
			}
		})
	}

	path := "/admin/programs/" + a + "/release"
	form := func(years string) url.Values {
		return url.Values{"release_window": {"quarter"}, "academic_year_start_month": {"7"}, "min_mentees": {"3"},
			"mentee_email_domains": {""}, "retention_years": {years}}
	}
	w := f.postForm(f.admin, path, form("10"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, text(w))
	}
	if got := stored(); got != 10 {
		t.Errorf("the page stored %d, want 10", got)
	}
	w = f.getPage(f.admin, w.Header().Get("Location"))
	wantText(t, w, "Data is kept 10 years after its window closes.")
	if body := w.Body.String(); !strings.Contains(body, `id="retention-`+a+`" name="retention_years"`) || !strings.Contains(body, `value="10"`) {
		t.Error("the programs page does not show the retention field with its value")
	}
	w = f.postForm(f.admin, path, form("0"))
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("retention 0: %d, want 422\n%s", w.Code, text(w))
	}
	wantText(t, w, "Keep data (years) must be at least 1")
	if !strings.Contains(w.Body.String(), `id="retention-`+a+`-error"`) {
		t.Error("the message is not beside the field")
	}
	if got := stored(); got != 10 {
		t.Errorf("a refused form stored %d", got)
	}
	// An older form without the field leaves the setting alone.
	old := form("")
	old.Del("retention_years")
	if w := f.postForm(f.admin, path, old); w.Code != http.StatusSeeOther || stored() != 10 {
		t.Errorf("a form without the field: %d, stored %d", w.Code, stored())
	}
}
