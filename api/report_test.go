package api_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

type reportFixture struct {
	db        *models.DB
	srv       *api.Server
	program   *models.Program
	residents []*models.User
	// bearer signs requests in: the program director's API token unless a
	// test changes it ("" for nobody).
	bearer string
}

// newReportFixture makes a program whose residents have the given names,
// each with n[i] responses from as many mentees in March 2026, then runs the
// release job in June, after the January–March window has closed: groups of
// at least three are released, smaller ones carry over.
func newReportFixture(t *testing.T, names []string, n []int) *reportFixture {
	t.Helper()
	db := dbtest.New(t)
	ctx := context.Background()
	p := &models.Program{Name: "Internal Medicine", MinResponses: 3}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(db, api.Config{BaseURL: "http://localhost:8080", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	f := &reportFixture{db: db, srv: srv, program: p}
	director := &models.User{Email: "director@example.org", Name: "Dr. Dana Director", Role: models.RoleDirector, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, director); err != nil {
		t.Fatal(err)
	}
	if _, f.bearer, err = db.CreateAPIToken(ctx, director.ID, "reports"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	for i, name := range names {
		pgy := i%3 + 1
		u := &models.User{Email: fmt.Sprintf("r%d@example.org", i), Name: name, Role: models.RoleResident, ProgramID: &p.ID, PGYYear: &pgy}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.residents = append(f.residents, u)
		for j := range n[i] {
			db.Now = func() time.Time { return at.Add(time.Duration(i*10+j) * time.Hour) }
			mentee := int64(100*i + j)
			inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: u.ID, MenteeID: &mentee})
			if err != nil {
				t.Fatal(err)
			}
			sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{
				surveys.CommentKeepDoing: fmt.Sprintf("Kept time for me (%d)", j),
			}}
			for k, it := range surveys.Default().Items {
				v := 2 + (i+j+k)%4
				if it.Attribute == surveys.Availability {
					v = 2
				}
				sub.Answers[it.Key] = &v
			}
			if err := db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }
	if _, err := db.ReleaseClosedWindows(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *reportFixture) get(t *testing.T, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if f.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+f.bearer)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	serveChecked(t, f.srv.Handler(), rec, req)
	return rec
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestResidentReportJSONShape(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana Silva"}, []int{4})
	rec := f.get(t, fmt.Sprintf("/api/v1/residents/%d/report?from=2026-01&to=2026-06", f.residents[0].ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("a private report must not be cached, got Cache-Control %q", cc)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"attributes", "awaiting_release", "comments", "focus", "items", "mentees", "min_mentees", "min_responses", "period", "release_window", "releases", "resident", "responses", "suppressed", "trend"}
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	if got := keys(m["resident"].(map[string]any)); !slices.Equal(got, []string{"id", "name", "pgy_year"}) {
		t.Errorf("resident keys %v", got)
	}
	if p := m["period"].(map[string]any); p["from"] != "2026-01" || p["to"] != "2026-06" {
		t.Errorf("period %v", p)
	}
	var pm map[string]any
	json.Unmarshal(f.get(t, fmt.Sprintf("/api/v1/programs/%d/report?from=2026-02&to=2026-04", f.program.ID)).Body.Bytes(), &pm)
	// Months inside a window select the whole window (quarters from July).
	if p := pm["period"].(map[string]any); p["from"] != "2026-01" || p["to"] != "2026-06" {
		t.Errorf("period %v", p)
	}
	attrs := m["attributes"].([]any)
	if len(attrs) != 4 {
		t.Fatalf("want availability, competence, altruistic_support, overall; got %d", len(attrs))
	}
	a := attrs[0].(map[string]any)
	if got := keys(a); !slices.Equal(got, []string{"adjusted_ci95", "adjusted_mean", "ci95", "distribution", "key", "label", "mean", "mentees", "more_mentees_for_reliable", "n", "not_applicable",
		"program_mean", "program_mentees", "program_residents", "program_responses", "reliability", "responses", "three_or_lower", "top_box"}) {
		t.Errorf("attribute keys %v", got)
	}
	if a["key"] != "availability" || a["mean"].(float64) != 2 || len(a["ci95"].([]any)) != 2 {
		t.Errorf("availability %v", a)
	}
	if got := keys(a["distribution"].(map[string]any)); !slices.Equal(got, []string{"1", "2", "3", "4", "5"}) {
		t.Errorf("distribution keys %v", got)
	}
	trend := m["trend"].([]any)
	if len(trend) != 2 || trend[0].(map[string]any)["period"] != "2026-01" || trend[0].(map[string]any)["window"].(map[string]any)["to"] != "2026-03" {
		t.Errorf("trend %v", trend)
	}
	if tp := trend[0].(map[string]any)["attributes"].(map[string]any)["availability"].(map[string]any); tp["mean"].(float64) != 2 || tp["n"].(float64) != 8 || tp["mentees"].(float64) != 4 {
		t.Errorf("trend point %v", tp)
	}
	c := m["comments"].(map[string]any)
	if len(c["keep_doing"].([]any)) != 4 || len(c["next_time"].([]any)) != 0 {
		t.Errorf("the 4 comments of the released group: %v", c)
	}
	if got := keys(m["focus"].(map[string]any)); !slices.Equal(got, []string{"focus", "focus_probability", "item_suggestions", "strength", "strength_probability", "suggestions", "weakest_item"}) {
		t.Errorf("focus keys %v", got)
	}
	// Suggestions come with a named focus only, for the attribute named.
	if fo := m["focus"].(map[string]any); (fo["focus"] == nil) != (len(fo["suggestions"].([]any)) == 0) {
		t.Errorf("focus %v: suggestions without a focus, or a focus without them", fo)
	}
	if items := m["items"].([]any); len(items) != len(surveys.Default().Items) || items[0].(map[string]any)["key"] != "A1" {
		t.Errorf("items %v, want one per item of the instrument, A1 first", items)
	}
}

func TestReportRequestErrors(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana Silva"}, []int{0})
	id := f.residents[0].ID
	tests := []struct {
		name, path string
		status     int
	}{
		{"resident-404-unknown", "/api/v1/residents/999/report", 404},
		{"resident-404-not-a-number", "/api/v1/residents/abc/report", 404},
		{"resident-422-day-in-period", fmt.Sprintf("/api/v1/residents/%d/report?from=2026-01-05", id), 422},
		{"resident-422-reversed-period", fmt.Sprintf("/api/v1/residents/%d/report?from=2026-05&to=2026-01", id), 422},
		{"program-422-pgy-out-of-range", fmt.Sprintf("/api/v1/programs/%d/report?pgy_year=9", f.program.ID), 422},
		{"program-422-unknown-format", fmt.Sprintf("/api/v1/programs/%d/report?format=xlsx", f.program.ID), 422},
		{"program-404-unknown", "/api/v1/programs/999/report", 404},
		{"me-403-director-has-no-dashboard", "/api/v1/me/report", 403},
		{"resident-200-empty-is-suppressed", fmt.Sprintf("/api/v1/residents/%d/report", id), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status >= 400 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
				t.Errorf("errors are problem+json, got %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestProgramReportJSONShape(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana Silva", "Dr. Ben Okoro"}, []int{6, 2})
	rec := f.get(t, fmt.Sprintf("/api/v1/programs/%d/report?from=2026-03&to=2026-03", f.program.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	if got := keys(m); !slices.Equal(got, []string{"attributes", "funnel", "items", "mentees", "min_mentees", "min_responses", "period", "program", "release_window", "residents", "responses"}) {
		t.Errorf("keys %v", got)
	}
	if got := keys(m["attributes"].([]any)[0].(map[string]any)); slices.Contains(got, "program_mean") {
		t.Errorf("program-wide attributes carry no program_mean: %v", got)
	}
	rs := m["residents"].([]any)
	r0 := rs[0].(map[string]any)
	want := []string{"attributes", "flags", "id", "invitations", "items", "mentees", "name", "pgy_year", "response_rate", "responses", "suppressed"}
	if got := keys(r0); !slices.Equal(got, want) {
		t.Errorf("resident keys %v, want %v", got, want)
	}
	if got := keys(r0["attributes"].(map[string]any)["availability"].(map[string]any)); !slices.Equal(got, []string{"adjusted_ci95", "adjusted_mean", "ci95", "mean", "mentees", "more_mentees_for_reliable", "n", "prob_below_program", "reliability", "responses"}) {
		t.Errorf("resident attribute keys %v", got)
	}
	if r0["responses"].(float64) != 6 || r0["response_rate"].(float64) != 1 {
		t.Errorf("first resident %v", r0)
	}
	for _, fl := range r0["flags"].([]any) {
		if kind, attr, _ := strings.Cut(fl.(string), ":"); (kind != "below_program" && kind != "below_3") || attr == "overall" {
			t.Errorf("flag %q, want below_program:<attr> or below_3:<attr>, never on overall", fl)
		}
	}
	r1 := rs[1].(map[string]any)
	if r1["suppressed"] != true || len(r1["flags"].([]any)) != 0 || r1["attributes"].(map[string]any)["overall"].(map[string]any)["mean"] != nil {
		t.Errorf("two responses: suppressed and never flagged, got %v", r1)
	}
	rec = f.get(t, fmt.Sprintf("/api/v1/programs/%d/report?from=2026-03&to=2026-03&pgy_year=2", f.program.ID))
	json.Unmarshal(rec.Body.Bytes(), &m)
	if rs := m["residents"].([]any); len(rs) != 1 || rs[0].(map[string]any)["name"] != "Dr. Ben Okoro" {
		t.Errorf("pgy_year=2 keeps the PGY-2 resident only: %v", rs)
	}
}

func TestProgramReportCSVEscapesNames(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example","x")`, `Smith, John "JJ"`, "+SUM(A1)", "-2+3", "@cmd", "Dr. Zoë Normal"}
	f := newReportFixture(t, names, []int{3, 3, 0, 0, 0, 3})
	for _, tc := range []struct {
		name   string
		path   string
		accept string
	}{
		{"format-param", fmt.Sprintf("/api/v1/programs/%d/report?format=csv&from=2026-03&to=2026-03", f.program.ID), ""},
		{"accept-header", fmt.Sprintf("/api/v1/programs/%d/report?from=2026-03&to=2026-03", f.program.ID), "text/csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.get(t, tc.path, "Accept", tc.accept)
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			if !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
				t.Errorf("CSV should download as a file")
			}
			// The export opens with a UTF-8 byte-order mark, for Excel.
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatalf("CSV does not parse: %v", err)
			}
			// The twelve columns first, unchanged and in order; the
			// newer figures after them.
			header := "resident_id,resident_name,pgy_year,responses,invitations,response_rate,availability_mean,competence_mean,altruistic_support_mean,overall_mean,suppressed,flags"
			if got := strings.Join(rows[0][:12], ","); got != header {
				t.Errorf("first twelve columns %q", got)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, h := range []string{"availability_ci95_low", "availability_ci95_high", "availability_adjusted", "availability_reliability", "availability_responses",
				"availability_mentees", "availability_top_box", "availability_three_or_lower", "overall_three_or_lower", "item_A1_mean", "item_A1_top_box", "item_A1_three_or_lower", "item_G_three_or_lower"} {
				if i, ok := col[h]; !ok || i < 12 {
					t.Errorf("column %q at %d, want it after the first twelve", h, i)
				}
			}
			// The program's items, each with its figures and the versions that asked it.
			if want := 12 + 8*len(surveys.Attributes) + 4*len(surveys.Default().Items); len(rows[0]) != want {
				t.Errorf("%d columns, want %d", len(rows[0]), want)
			}
			got := map[string]bool{}
			byID := map[string][]string{}
			for _, r := range rows[1:] {
				got[r[1]] = true
				byID[r[0]] = r
				if c := r[1][0]; c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' {
					t.Errorf("cell %q would run as a formula", r[1])
				}
			}
			for _, want := range []string{`'=HYPERLINK("http://evil.example","x")`, `Smith, John "JJ"`, "'+SUM(A1)", "'-2+3", "'@cmd", "Dr. Zoë Normal"} {
				if !got[want] {
					t.Errorf("missing name cell %q in %v", want, got)
				}
			}
			first := byID[strconv.FormatInt(f.residents[0].ID, 10)]
			if first[3] != "3" || first[5] != "1.00" || first[6] != "2.00" || first[10] != "false" {
				t.Errorf("first resident's row %q", first)
			}
			// Every availability answer was 2: none a 5, all 3 or lower.
			cell := func(r []string, h string) string { return r[col[h]] }
			if cell(first, "availability_mentees") != "3" || cell(first, "availability_top_box") != "0.00" || cell(first, "availability_three_or_lower") != "1.00" ||
				cell(first, "item_A1_mean") != "2.00" || cell(first, "item_A1_three_or_lower") != "1.00" {
				t.Errorf("first resident's new figures %q", first[12:])
			}
			if lo, _ := strconv.ParseFloat(cell(first, "availability_ci95_low"), 64); lo <= 1 || lo >= 2 {
				t.Errorf("availability_ci95_low %q, want below the mean 2.00", cell(first, "availability_ci95_low"))
			}
			if cell(first, "item_A1_versions") != "resident-mentor@1" {
				t.Errorf("item_A1_versions %q, want resident-mentor@1", cell(first, "item_A1_versions"))
			}
			r := byID[strconv.FormatInt(f.residents[2].ID, 10)]
			var figures []string
			for i, h := range rows[0][12:] {
				if !strings.HasSuffix(h, "_versions") {
					figures = append(figures, r[12+i])
				}
			}
			if r[10] != "true" || r[9] != "" || r[11] != "" || strings.Join(figures, "") != "" {
				t.Errorf("suppressed resident: empty figures and flags, got %q", r)
			}
		})
	}
}

// pdfText returns the PDF's bytes with every Flate stream inflated, so text
// drawn on the page can be searched.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	out.Write(pdf)
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		b, err := io.ReadAll(zr)
		if err == nil {
			out.Write(b)
		}
	}
	return out.String()
}

// checkPDFStructure parses the cross-reference table: startxref must point
// at it, and every entry at the object it names.
func checkPDFStructure(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
		t.Fatalf("no %%PDF header: %q", pdf[:min(20, len(pdf))])
	}
	m := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref and end-of-file trailer")
	}
	off, _ := strconv.Atoi(string(m[1]))
	if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table", off)
	}
	lines := strings.Split(string(pdf[off:]), "\n")
	var first, count int
	fmt.Sscanf(lines[1], "%d %d", &first, &count)
	if count < 3 {
		t.Fatalf("xref lists %d objects", count)
	}
	for i := 1; i < count; i++ {
		var at, gen int
		var kind string
		fmt.Sscanf(lines[2+i], "%d %d %s", &at, &gen, &kind)
		if kind != "n" {
			continue
		}
		if want := fmt.Sprintf("%d 0 obj", first+i); !bytes.HasPrefix(pdf[at:], []byte(want)) {
			t.Errorf("xref entry %d points at %q, want %q", first+i, pdf[at:at+12], want)
		}
	}
	if !bytes.Contains(pdf[off:], []byte("trailer")) || !bytes.Contains(pdf[off:], []byte("/Root")) {
		t.Error("trailer has no /Root")
	}
}

func TestResidentReportPDF(t *testing.T) {
	name := "Dr. Chloé O'Brien-Łukasiewicz"
	f := newReportFixture(t, []string{name}, []int{3})
	rec := f.get(t, fmt.Sprintf("/api/v1/residents/%d/report.pdf?from=2026-01&to=2026-06", f.residents[0].ID))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("status %d type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	pdf := rec.Body.Bytes()
	checkPDFStructure(t, pdf)
	if n := bytes.Count(pdf, []byte("/Type /Page\n")); n < 1 || n > 2 {
		t.Errorf("want one or two pages, got %d", n)
	}
	text := pdfText(t, pdf)
	// Core fonts speak Windows-1252: é is byte E9, and Ł, which it lacks,
	// becomes its base letter L.
	if want := "Dr. Chlo\xe9 O'Brien-Lukasiewicz"; !strings.Contains(text, want) {
		t.Errorf("the resident's name %q is not on the page", want)
	}
	if !strings.Contains(text, "Kept time for me") {
		t.Error("released comments are not on the page")
	}
	// The method as it is now, the per-item table, and the focus: every
	// availability answer was 2, the others 2 to 5, so even three mentees
	// make availability the weakest.
	for _, want := range []string{"its 95% interval treats each mentee's responses as", "Item by item", "attribute with most room to grow: Availability", "My mentor made enough time for this meeting"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "Wilson") || strings.Contains(text, "0.3 points") {
		t.Error("the PDF still describes the old method")
	}
}

func TestReportPages(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana <Silva>", "Dr. Ben Okoro"}, []int{6, 2})
	rec := f.get(t, fmt.Sprintf("/residents/%d/report?from=2026-01&to=2026-06", f.residents[0].ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("resident page: %d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{"Dr. Ana &lt;Silva&gt;", `<svg class="trend"`, `<svg class="dist"`, "<table class=\"data small\">", "Kept time for me", "Download PDF", "Sign out", "&larr; Program report",
		// The per-item view, A1's text and its share of 5s: none of its
		// answers was a 5 (availability items were all rated 2).
		`id="items"`, "My mentor made enough time for this meeting; it did not feel rushed.", "0% (0–",
		"responses by 6 mentees", "Rated 3 or lower: 100%",
		// Availability, rated 2 by all six mentees against 2 to 5 for the
		// rest, is the weakest beyond doubt.
		"attribute with most room to grow is <strong>Availability</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("resident page lacks %q", want)
		}
	}
	rec = f.get(t, fmt.Sprintf("/residents/%d/report?from=2026-01&to=2026-06", f.residents[1].ID))
	if body := rec.Body.String(); !strings.Contains(body, "Not enough responses yet") || strings.Contains(body, "Kept time for me") {
		t.Errorf("a resident with 2 of 3 responses must see no figures or comments")
	}
	rec = f.get(t, fmt.Sprintf("/programs/%d/report?from=2026-03&to=2026-03&sort=availability&dir=desc", f.program.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("program page: %d %s", rec.Code, rec.Body)
	}
	body = rec.Body.String()
	// The page links to the period it shows: March widened to its window.
	for _, want := range []string{fmt.Sprintf(`href="/residents/%d/report?from=2026-01&amp;to=2026-03"`, f.residents[0].ID), "format=csv", "Sign out",
		"sorting by an attribute sorts by the", "Item by item, whole program", "My mentor made enough time for this meeting"} {
		if !strings.Contains(body, want) {
			t.Errorf("program page lacks %q", want)
		}
	}
	f.bearer = ""
	if rec := f.get(t, "/dashboard"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("dashboard without a session: %d to %q, want 303 to the sign-in page", rec.Code, rec.Header().Get("Location"))
	}
}
