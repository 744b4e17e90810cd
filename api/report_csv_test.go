package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A spreadsheet in a locale that splits on ";" or tab must see one cell per
// value: a name that holds such a separator is quoted, or its second part
// would run as a formula past the leading-character guard.
func TestProgramReportCSVQuotesEveryLocaleSeparator(t *testing.T) {
	names := []string{"Res;=1+1;A2", "Lee, Kim", "Dr. Plain"}
	f := newReportFixture(t, names, []int{3, 3, 3})
	rec := f.get(t, fmt.Sprintf("/api/v1/programs/%d/report?format=csv&from=2026-03&to=2026-03", f.program.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := strings.TrimPrefix(rec.Body.String(), "\ufeff")
	for _, want := range []string{`,"Res;=1+1;A2",`, `,"Lee, Kim",`, `,Dr. Plain,`} {
		if !strings.Contains(body, want) {
			t.Errorf("export lacks the cell %s:\n%s", want, body)
		}
	}
	// Every semicolon left outside quotes would split a row in those locales.
	for i, line := range strings.Split(strings.TrimSpace(body), "\n") {
		quoted := false
		for _, r := range line {
			switch {
			case r == '"':
				quoted = !quoted
			case (r == ';' || r == '\t') && !quoted:
				t.Errorf("line %d splits on %q outside quotes: %s", i+1, r, line)
			}
		}
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	got := map[string]bool{}
	for _, r := range rows[1:] {
		got[r[1]] = true
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("name %q does not read back from the export: %v", n, got)
		}
	}
}

// Excel on Windows reads a CSV without a byte-order mark in the system code
// page, so "Chloé" shows as "ChloÃ©".
func TestProgramReportCSVOpensWithUTF8ByteOrderMark(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Chloé Dubois"}, []int{3})
	rec := f.get(t, fmt.Sprintf("/api/v1/programs/%d/report?format=csv&from=2026-03&to=2026-03", f.program.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "\ufeffresident_id,") {
		t.Errorf("export starts %q, want a UTF-8 byte-order mark before the header", body[:min(len(body), 20)])
	}
	if strings.Count(body, "\ufeff") != 1 || !strings.Contains(body, "Dr. Chloé Dubois") {
		t.Errorf("want one byte-order mark and the name in UTF-8:\n%s", body)
	}
}
