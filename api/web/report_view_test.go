package web

import (
	"bytes"
	"compress/zlib"
	"fmt"
	stdhtml "html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// renderPage renders a page with data, failing the test on a template
// error; with MENTORPULSE_PAGES set it also writes the page there.
func renderPage(t *testing.T, page string, data any) string {
	t.Helper()
	pages, err := frontend.Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pages.Render(&buf, page, data); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("MENTORPULSE_PAGES"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, page+".html"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.String()
}

func programPage(t *testing.T, d syntheticData, sortKey string) (programPageData, string) {
	t.Helper()
	rep := d.programReport()
	pd := programPageData{Report: rep, FormAction: "/programs/1/report"}
	pd.fill(rep)
	sortRows(pd.Rows, sortKey, false)
	pd.Headers = sortHeaders(pd.FormAction, url.Values{"from": {rep.Period.From}, "to": {rep.Period.To}}, sortKey, false)
	return pd, renderPage(t, "program_report", pd)
}

func residentPage(t *testing.T, rep *surveys.ResidentReport) string {
	t.Helper()
	rd := residentPageData{Report: rep, FormAction: "/residents/1/report", ProgramName: "Internal Medicine",
		Voice: voiceFor(rep.Resident.Name, false), Period: periodForm{From: rep.Period.From, To: rep.Period.To}}
	rd.fill(rep)
	return renderPage(t, "dashboard", rd)
}

// text is a page's words without tags, spaces collapsed.
func text(html string) string {
	return strings.Join(strings.Fields(stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " "))), " ")
}

func wantAll(t *testing.T, what, body string, says ...string) {
	t.Helper()
	for _, s := range says {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

func TestProgramPageShowsFunnelAndAdjustedFigures(t *testing.T) {
	d := buildSynthetic()
	pd, html := programPage(t, d, "availability")
	words := text(html)
	// Dr. Dev Rao's availability (true level 2.7, 24 mentees) lies far
	// below the others: outside the funnel, named in its text, flagged.
	wantAll(t, "program page", words,
		"Mean of 9 residents, each weighted equally",
		"sorting by an attribute sorts by the adjusted mean",
		"Funnel plots",
		"Dr. Dev Rao: 2.48 with 24 mentees, below the 99.8% limit",
		"Availability under 3", "Availability below program",
		"Item by item, whole program", "My mentor made enough time for this meeting; it did not feel rushed.")
	if !strings.Contains(html, `<svg class="funnel"`) || !strings.Contains(html, "<title>Availability: adjusted mean by number of mentees</title>") {
		t.Error("the funnel plot is missing or has no <title>")
	}
	if m := regexp.MustCompile(`<desc>([^<]*)</desc>`).FindStringSubmatch(html); m == nil || !strings.Contains(m[1], "Dr. Dev Rao, 2.48 with 24 mentees, is below the 99.8% limit") {
		t.Errorf("the funnel's <desc> does not name the resident outside its limits: %v", m)
	}
	if n := strings.Count(html, `<svg class="funnel"`); n != 4 {
		t.Errorf("%d funnel plots, want one per attribute", n)
	}
	// The table sorts by the adjusted mean, not the raw one.
	adjusted := map[string]float64{}
	for _, r := range pd.Report.Residents {
		adjusted[r.Name] = *r.Attributes[surveys.Availability].AdjustedMean
	}
	var got []string
	for _, r := range pd.Rows {
		got = append(got, r.Name)
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return adjusted[got[i]] < adjusted[got[j]] }) || got[0] != "Dr. Dev Rao" {
		t.Errorf("sorted by availability: %v, want ascending adjusted means %v", got, adjusted)
	}
	// A figure short of a reliable estimate says so in its cell.
	if !strings.Contains(words, "low reliability") {
		t.Error("no cell marks low reliability, though Dr. Eun-ji Han has 5 mentees")
	}
}

func TestResidentPageNamesFocusOnlyWhenTheModelDoes(t *testing.T) {
	d := buildSynthetic()
	dev := text(residentPage(t, d.residentReport("Dr. Dev Rao")))
	wantAll(t, "Dr. Dev Rao's page", dev,
		"Dr. Rao's attribute with most room to grow is Availability", "more than 99% likely to be truly the lowest of the three.",
		"Dr. Rao's strongest is Altruistic support (about",
		"Adjusted 2.48 (", "Adjusted mean: adjusted for how much data there is: pulled toward the program's level when it rests on few mentees.",
		"Other residents: 4.01 (mean of 8 residents)", "Reliability 0.97: a reliable estimate.",
		"from 48 responses by 24 mentees", "Rated 5: 0% (0–6%)",
		"Item by item", "I know how to reach my mentor between meetings and expect a timely reply.")

	// A focus without a strength: the page names the focus alone.
	femi := text(residentPage(t, d.residentReport("Dr. Femi Adeyemi")))
	wantAll(t, "Dr. Femi Adeyemi's page", femi, "Dr. Adeyemi's attribute with most room to grow is Availability")
	if strings.Contains(femi, "strongest is") {
		t.Error("Femi's report names no strength, but the page does")
	}
	// Few mentees, one response each: some figure is short of reliable,
	// and its card says how many more mentees would make it so.
	eunji := d.residentReport("Dr. Eun-ji Han")
	var more int64
	for _, a := range eunji.Attributes {
		if m := a.MoreMenteesForReliable; m != nil && *m > 0 {
			more = *m
			break
		}
	}
	if more == 0 {
		t.Fatal("the fixture should leave one of Eun-ji's figures short of reliable")
	}
	wantAll(t, "Dr. Eun-ji Han's page", text(residentPage(t, eunji)), fmt.Sprintf("about %d more mentee", more), "for a reliable estimate")

	// A flat profile: nothing stands out, and the page points to the items.
	ines := residentPage(t, d.residentReport("Dr. Ines Moreau"))
	wantAll(t, "Dr. Ines Moreau's page", text(ines), "No attribute stands out from the others yet.")
	if !strings.Contains(ines, `<a href="#items">per-item view</a>`) || !strings.Contains(ines, `id="items"`) {
		t.Error("a flat report should point to the per-item view")
	}
}

func TestTrendTableGivesIntervalsAndCarriedOverWindows(t *testing.T) {
	d := buildSynthetic()
	rep := d.residentReport("Dr. Dev Rao")
	rep.Trend[1].FirstWindow = rep.Trend[0].Period
	html := residentPage(t, rep)
	a := rep.Trend[0].Attributes[surveys.Availability]
	wantAll(t, "trend table", text(html), num(a.Mean)+" "+span(a.CI95), "answers from "+rep.Trend[0].Period)
	if n := strings.Count(html, `class="whisker"`); n != 8 {
		t.Errorf("%d whiskers on the trend, want 8", n)
	}
}

func TestResidentPDFStatesTheMethodAndItems(t *testing.T) {
	d := buildSynthetic()
	for _, tc := range []struct{ name, says string }{
		{"Dr. Dev Rao", `Dr. Rao's attribute with most room to grow: Availability \(more than 99% likely to be truly the lowest of the three\).`},
		{"Dr. Ines Moreau", "No attribute stands out from the others yet."},
	} {
		var buf bytes.Buffer
		if err := ReportPDF(&buf, d.residentReport(tc.name), "Internal Medicine", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), true, false); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("MENTORPULSE_PAGES"); dir != "" {
			os.WriteFile(filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".pdf"), buf.Bytes(), 0o644)
		}
		pdf := inflated(buf.Bytes())
		for _, want := range []string{tc.says, "Item by item", "My mentor made enough time for this meeting; it did not", "Mean [95% interval]",
			"A mean is the mean of response scores; its 95% interval treats each mentee's responses as"} {
			if !strings.Contains(pdf, want) {
				t.Errorf("%s's PDF lacks %q", tc.name, want)
			}
		}
		for _, old := range []string{"Wilson", "0.3 points"} {
			if strings.Contains(pdf, old) {
				t.Errorf("%s's PDF still says %q", tc.name, old)
			}
		}
	}
}

// inflated is a PDF with its Flate streams inflated, so its text can be
// searched.
func inflated(pdf []byte) string {
	var out strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1) {
		if zr, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			b, _ := io.ReadAll(zr)
			out.Write(b)
		}
	}
	return out.String()
}
