package api_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The report fixture's clock stands at 2026-06-15: the academic year (from
// July) is 2025-07 to 2026-06, the open quarter April–June 2026.

// tokenFor makes an API token for u, so a test can read pages as u.
func (f *reportFixture) tokenFor(t *testing.T, u *models.User) string {
	t.Helper()
	_, secret, err := f.db.CreateAPIToken(context.Background(), u.ID, "pages")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// as reads a page with token, then goes back to the director's.
func (f *reportFixture) as(t *testing.T, token, path string) (int, string) {
	t.Helper()
	director := f.bearer
	f.bearer = token
	defer func() { f.bearer = director }()
	rec := f.get(t, path, "Accept", "text/html")
	return rec.Code, rec.Body.String()
}

// newUser adds a user of role to the fixture's program (none for an admin).
func (f *reportFixture) newUser(t *testing.T, email, name, role string) *models.User {
	t.Helper()
	u := &models.User{Email: email, Name: name, Role: role}
	if role != models.RoleAdmin {
		u.ProgramID = &f.program.ID
	}
	if err := f.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// seedWindow gives each resident n responses from as many new mentees on
// day, rated by value(resident, response, item).
func (f *reportFixture) seedWindow(t *testing.T, day time.Time, n int, value func(i, j, k int) int) {
	t.Helper()
	ctx := context.Background()
	for i, u := range f.residents {
		for j := range n {
			f.db.Now = func() time.Time { return day.Add(time.Duration(i*10+j) * time.Hour) }
			mentee := day.Unix()/3600 + int64(1000*i+j)
			inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: u.ID, MenteeID: &mentee})
			if err != nil {
				t.Fatal(err)
			}
			sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
			for k, it := range surveys.Default().Items {
				v := value(i, j, k)
				sub.Answers[it.Key] = &v
			}
			if err := f.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// release runs the release job at, then leaves the clock there.
func (f *reportFixture) release(t *testing.T, at time.Time) {
	t.Helper()
	f.db.Now = func() time.Time { return at }
	if _, err := f.db.ReleaseClosedWindows(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func mustHave(t *testing.T, what, body string, says ...string) {
	t.Helper()
	for _, s := range says {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

func mustLack(t *testing.T, what, body string, says ...string) {
	t.Helper()
	for _, s := range says {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}

// words is a page's text without tags and entities, spaces collapsed.
func words(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))), " ")
}

func TestResidentReportSpeaksToItsReader(t *testing.T) {
	f := newReportFixture(t, []string{"Ana Rivera", "Ben Okoro"}, []int{6, 6})
	ana := f.tokenFor(t, f.residents[0])
	drill := fmt.Sprintf("/residents/%d/report?from=2026-01&to=2026-06", f.residents[0].ID)

	code, body := f.as(t, f.bearer, drill)
	if code != http.StatusOK {
		t.Fatalf("director's drill-down: %d", code)
	}
	director := words(body)
	mustHave(t, "director's drill-down", director, "Dr. Rivera's attribute with most room to grow is Availability",
		"What Dr. Rivera's mentees value", "Ideas good mentors use, to discuss with Dr. Rivera:")
	mustLack(t, "director's drill-down", director, "Your ", "your mentees")

	code, body = f.as(t, ana, "/dashboard?from=2026-01&to=2026-06")
	if code != http.StatusOK {
		t.Fatalf("resident's dashboard: %d", code)
	}
	own := words(body)
	mustHave(t, "resident's dashboard", own, "Your attribute with most room to grow is Availability",
		"What your mentees value", "Ideas good mentors use, to try:")
	mustLack(t, "resident's dashboard", own, "Dr. Rivera")

	pdf := func(token string) string {
		director := f.bearer
		f.bearer = token
		defer func() { f.bearer = director }()
		rec := f.get(t, fmt.Sprintf("/api/v1/residents/%d/report.pdf?from=2026-01&to=2026-06", f.residents[0].ID))
		if rec.Code != http.StatusOK {
			t.Fatalf("pdf: %d", rec.Code)
		}
		return pdfText(t, rec.Body.Bytes())
	}
	mustHave(t, "director's PDF", pdf(f.bearer), "attribute with most room to grow: Availability", "to discuss with Dr. Rivera:")
	mustHave(t, "resident's PDF", pdf(ana), "Your attribute with most room to grow: Availability", "mentors use, to try:")
}

func TestDirectorPagesTellAResidentWhoseTheyAre(t *testing.T) {
	f := newReportFixture(t, []string{"Ana Rivera"}, []int{3})
	ana := f.tokenFor(t, f.residents[0])
	p := fmt.Sprint(f.program.ID)
	for _, path := range []string{"/programs/" + p + "/report", "/programs/" + p + "/roster", "/programs/" + p + "/instruments", "/admin/programs", "/programs"} {
		code, body := f.as(t, ana, path)
		if code != http.StatusForbidden {
			t.Errorf("%s as a resident: %d, want 403", path, code)
			continue
		}
		mustHave(t, path, body, "<h1>Only program directors can see this</h1>", `<a class="button" href="/home">Back to your pages</a>`)
		mustLack(t, path, body, "may not change this program", "your role may not")
	}
	// A director on the admin's page is told whose it is.
	code, body := f.as(t, f.bearer, "/admin/programs")
	if code != http.StatusForbidden {
		t.Fatalf("admin page as a director: %d", code)
	}
	mustHave(t, "admin page as a director", body, "Only administrators can see this", fmt.Sprintf(`href="/programs/%d/roster">Back to your pages`, f.program.ID))
}

func TestReversedPeriodKeepsTheForm(t *testing.T) {
	f := newReportFixture(t, []string{"Ana Rivera", "Ben Okoro"}, []int{3, 3})
	ana := f.tokenFor(t, f.residents[0])
	for _, tc := range []struct{ name, token, path string }{
		{"program-report-422", f.bearer, fmt.Sprintf("/programs/%d/report?from=2026-05&to=2026-02&pgy_year=2&sort=responses", f.program.ID)},
		{"drill-down-422", f.bearer, fmt.Sprintf("/residents/%d/report?from=2026-05&to=2026-02", f.residents[0].ID)},
		{"dashboard-422", ana, "/dashboard?from=2026-05&to=2026-02"},
		// The form's "All" sends pgy_year empty: no filter, not a wrong one.
		{"all-pgy-422", f.bearer, fmt.Sprintf("/programs/%d/report?from=2026-05&to=2026-02&pgy_year=", f.program.ID)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.as(t, tc.token, tc.path)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", code)
			}
			mustHave(t, tc.name, body,
				`<input type="month" id="period-from" name="from" value="2026-05" aria-invalid="true" aria-describedby="period-from-error">`,
				`<input type="month" id="period-to" name="to" value="2026-02">`,
				`<p class="field-error" id="period-from-error"><span class="vh">Error:</span> From must not be after To.</p>`,
				`<a href="#period-from">From must not be after To.</a>`)
			mustLack(t, tc.name, body, "Where to focus", "Residents:", `class="card attr-card"`, "Download")
			if strings.HasPrefix(tc.name, "program") {
				mustHave(t, tc.name, body, `<option value="2" selected>PGY-2</option>`, `<input type="hidden" name="sort" value="responses">`)
			}
		})
	}
}

func TestProgramReportPeriods(t *testing.T) {
	f := newReportFixture(t, []string{"Ana Rivera", "Ben Okoro"}, []int{3, 3})
	base := fmt.Sprintf("/programs/%d/report", f.program.ID)
	code, body := f.as(t, f.bearer, base)
	if code != http.StatusOK {
		t.Fatalf("program report: %d", code)
	}
	// No period asked: the academic year that holds 2026-06-15.
	mustHave(t, "default period", body, `id="period-from" name="from" value="2025-07"`, `id="period-to" name="to" value="2026-06"`)
	nav := body[strings.Index(body, `<nav class="presets"`):]
	presets := regexp.MustCompile(`<li><a href="([^"]*)"( aria-current="true")?>([^<]*)<`).FindAllStringSubmatch(nav[:strings.Index(nav, "</nav>")], -1)
	type preset struct{ from, to string }
	want := map[string]preset{
		"This quarter": {"2026-04", "2026-06"}, "Last quarter": {"2026-01", "2026-03"},
		"This academic year": {"2025-07", "2026-06"}, "Last academic year": {"2024-07", "2025-06"},
	}
	if len(presets) != len(want) {
		t.Fatalf("%d presets, want %d: %v", len(presets), len(want), presets)
	}
	for _, m := range presets {
		w, ok := want[m[3]]
		href := html.UnescapeString(m[1])
		if !ok || href != fmt.Sprintf("%s?from=%s&to=%s", base, w.from, w.to) {
			t.Errorf("preset %q links to %q, want from %s to %s", m[3], href, w.from, w.to)
		}
		if current := m[2] != ""; current != (m[3] == "This academic year") {
			t.Errorf("preset %q: aria-current %v on the default period", m[3], current)
		}
	}
	// A preset keeps the filter and marks itself when chosen.
	_, body = f.as(t, f.bearer, base+"?from=2026-01&to=2026-03&pgy_year=1")
	mustHave(t, "last quarter", body, fmt.Sprintf(`<li><a href="%s?from=2026-01&amp;pgy_year=1&amp;to=2026-03" aria-current="true">Last quarter<`, base),
		fmt.Sprintf(`href="%s?from=2025-07&amp;pgy_year=1&amp;to=2026-06">This academic year<`, base))
}

func TestProgramReportFilterAndMarkers(t *testing.T) {
	// Residents in PGY-1 and PGY-2 only (the fixture gives i%3+1).
	f := newReportFixture(t, []string{"Ana Rivera", "Ben Okoro"}, []int{3, 3})
	if _, err := f.db.UpdateUser(context.Background(), f.residents[1].ID, models.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	_, body := f.as(t, f.bearer, fmt.Sprintf("/programs/%d/report", f.program.ID))
	options := regexp.MustCompile(`<option value="(\d*)"`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, o := range options {
		got = append(got, o[1])
	}
	if strings.Join(got, ",") != ",1,2" {
		t.Errorf("PGY options %v, want All, 1 and 2 (the years present)", got)
	}
	rows := regexp.MustCompile(`(?s)<th scope="row"><a href="/residents/(\d+)/report[^"]*">[^<]*</a>(.*?)</th>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 2 {
		t.Fatalf("%d resident rows, want 2", len(rows))
	}
	for _, r := range rows {
		marked := strings.Contains(r[2], "deactivated")
		if want := r[1] == fmt.Sprint(f.residents[1].ID); marked != want {
			t.Errorf("resident %s: marked deactivated %v, want %v", r[1], marked, want)
		}
	}
	// Scores carry their band's word as well as its tint.
	if !regexp.MustCompile(`<td class="num band-(high|good|fair|low)">(<strong>)?[0-9.]+(</strong>)? <span class="band-word small">(high|good|fair|low)</span>`).MatchString(body) {
		t.Error("no score cell prints its band's word beside its tint")
	}
}

func TestAdminMenuLeadsToReports(t *testing.T) {
	f := newReportFixture(t, []string{"Ana Rivera"}, []int{3})
	admin := f.tokenFor(t, f.newUser(t, "admin@example.org", "Ada Admin", models.RoleAdmin))
	code, body := f.as(t, admin, "/admin/programs")
	if code != http.StatusOK {
		t.Fatalf("admin programs: %d", code)
	}
	mustHave(t, "admin's menu", body, `<li><a href="/programs">Reports</a></li>`)
	code, body = f.as(t, admin, "/programs")
	if code != http.StatusOK {
		t.Fatalf("reports list: %d", code)
	}
	mustHave(t, "reports list", body, "<h1>Programs&#39; reports</h1>", fmt.Sprintf(`href="/programs/%d/report">Report`, f.program.ID), `<a href="/programs" aria-current="page">Reports</a>`)

	// Below a program, the menu marks the entry the admin came from: the
	// reports under "Reports", the roster and instruments under "Programs".
	programs, reports := `<a href="/admin/programs" aria-current="page">Programs</a>`, `<a href="/programs" aria-current="page">Reports</a>`
	for path, current := range map[string]string{
		fmt.Sprintf("/programs/%d/report", f.program.ID):       reports,
		fmt.Sprintf("/residents/%d/report", f.residents[0].ID): reports,
		fmt.Sprintf("/programs/%d/roster", f.program.ID):       programs,
		fmt.Sprintf("/programs/%d/instruments", f.program.ID):  programs,
	} {
		code, body := f.as(t, admin, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		other := programs
		if current == programs {
			other = reports
		}
		if !strings.Contains(body, current) || strings.Contains(body, other) || strings.Count(body, `aria-current="page"`) != 1 {
			t.Errorf("GET %s: the menu does not mark just %s", path, current)
		}
	}
}

func TestProgramReportChangeSincePreviousWindow(t *testing.T) {
	octNov := time.Date(2025, 11, 10, 9, 0, 0, 0, time.UTC)
	febMar := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	spread := func(lo int) func(i, j, k int) int { return func(i, j, k int) int { return lo + (i+j+k)%2 } }
	for _, tc := range []struct {
		name          string
		before, after func(i, j, k int) int
		verdict       string
	}{
		{"clearly-higher", spread(1), spread(4), "<strong>clearly higher</strong>"},
		{"no-clear-change", spread(3), spread(3), "<td>no clear change</td>"},
		{"no-earlier-window", nil, spread(3), "<td>not enough data to compare</td>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newReportFixture(t, []string{"Ana Rivera", "Ben Okoro"}, []int{0, 0})
			if tc.before != nil {
				f.seedWindow(t, octNov, 6, tc.before)
			}
			// Each window released when it closes, as the job would.
			f.release(t, time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC))
			f.seedWindow(t, febMar, 6, tc.after)
			f.release(t, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
			code, body := f.as(t, f.bearer, fmt.Sprintf("/programs/%d/report", f.program.ID))
			if code != http.StatusOK {
				t.Fatalf("program report: %d", code)
			}
			mustHave(t, tc.name, body, "January–March 2026 against October–December 2025, whole program")
			section := body[strings.Index(body, `id="change"`):]
			section = section[:strings.Index(section, "</section>")]
			if n := strings.Count(section, tc.verdict); n != len(surveys.Attributes) {
				t.Errorf("%d attributes read %q, want all %d:\n%s", n, tc.verdict, len(surveys.Attributes), section)
			}
			if tc.before != nil && !regexp.MustCompile(`<td class="num">[+-]\d\.\d\d</td><td class="num">[+-]\d\.\d\d to [+-]\d\.\d\d</td>`).MatchString(html.UnescapeString(section)) {
				t.Errorf("the change shows no difference with its interval:\n%s", section)
			}
			for _, arrow := range []string{"▲", "▼", "↑", "↓"} {
				mustLack(t, tc.name, section, arrow)
			}
		})
	}
}
