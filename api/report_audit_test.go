package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
)

// auditLine is what a director reads in one audit entry about a report.
type auditLine struct {
	Action, Target, Detail string
	ProgramID              int64
	Actor                  string
}

// Each way of seeing a report — the resident's page, the program's page,
// the CSV and the PDF — leaves its own trace in the program's audit log,
// which the director can read back through the API.
func TestReportViewsAndExportsAreAudited(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana Silva", "Dr. Ben Okoro"}, []int{3, 3})
	p, res := f.program.ID, f.residents[1].ID
	program, resident := fmt.Sprintf("program:%d", p), fmt.Sprintf("user:%d", res)
	const director = "director@example.org"
	view := func(target, detail string) auditLine {
		return auditLine{Action: models.ActionReportView, Target: target, Detail: detail, ProgramID: p, Actor: director}
	}
	export := func(target, detail string) auditLine {
		return auditLine{Action: models.ActionReportExport, Target: target, Detail: detail, ProgramID: p, Actor: director}
	}
	// The drill-down also shows what the resident shared (nothing here),
	// and says that it looked.
	goals := func(detail string) auditLine {
		return auditLine{Action: models.ActionGoalsView, Target: resident, Detail: detail, ProgramID: p, Actor: director}
	}
	tests := []struct {
		name, path, contentType string
		// want lists the entries the request adds, newest first.
		want []auditLine
	}{
		{"resident-page-is-a-view-of-the-resident", fmt.Sprintf("/residents/%d/report", res), "text/html",
			[]auditLine{view(resident, "resident report"), goals("shared goals: 0"), goals("shared self-assessment comparison: none")}},
		{"program-page-is-a-view-of-the-program", fmt.Sprintf("/programs/%d/report?pgy_year=2", p), "text/html",
			[]auditLine{view(program, "program report")}},
		{"csv-is-an-export-of-the-program", fmt.Sprintf("/api/v1/programs/%d/report?format=csv", p), "text/csv",
			[]auditLine{export(program, "program_report_csv"), view(program, "program report")}},
		{"pdf-is-an-export-of-the-resident", fmt.Sprintf("/api/v1/residents/%d/report.pdf", res), "application/pdf",
			[]auditLine{export(resident, "resident_report_pdf"), view(resident, "resident report")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.auditLog(t, p)
			rec := f.get(t, tt.path)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", tt.path, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
			after := f.auditLog(t, p)
			added := after[:len(after)-len(before)]
			if diff := cmp.Diff(tt.want, added); diff != "" {
				t.Errorf("audit entries added by GET %s, newest first (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// A report request refused for its query (a bad period, an unknown format,
// a PGY year out of range) shows nothing, so it leaves no "report view" in
// the append-only audit log.
func TestRejectedReportRequestsAreNotAudited(t *testing.T) {
	f := newReportFixture(t, []string{"Dr. Ana Silva", "Dr. Ben Okoro"}, []int{3, 3})
	p, res := f.program.ID, f.residents[1].ID
	for _, path := range []string{
		fmt.Sprintf("/api/v1/programs/%d/report?from=garbage", p),
		fmt.Sprintf("/api/v1/programs/%d/report?pgy_year=9", p),
		fmt.Sprintf("/api/v1/programs/%d/report?format=xml", p),
		fmt.Sprintf("/api/v1/residents/%d/report?to=2026-13", res),
		fmt.Sprintf("/api/v1/residents/%d/report.pdf?from=garbage", res),
		fmt.Sprintf("/programs/%d/report?from=garbage", p),
	} {
		before := f.auditLog(t, p)
		if rec := f.get(t, path); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("GET %s: status %d, want 422", path, rec.Code)
		}
		if after := f.auditLog(t, p); len(after) != len(before) {
			t.Errorf("GET %s added audit entries: %v", path, after[:len(after)-len(before)])
		}
	}
}

// auditLog reads the program's audit log as its director, newest first.
func (f *reportFixture) auditLog(t *testing.T, programID int64) []auditLine {
	t.Helper()
	rec := f.get(t, fmt.Sprintf("/api/v1/audit?program_id=%d", programID))
	if rec.Code != http.StatusOK {
		t.Fatalf("audit log: %d %s", rec.Code, rec.Body)
	}
	var out []auditLine
	for _, e := range decode[struct {
		Entries []struct {
			Action     string  `json:"action"`
			Target     string  `json:"target"`
			Detail     string  `json:"detail"`
			ProgramID  *int64  `json:"program_id"`
			ActorEmail *string `json:"actor_email"`
		} `json:"entries"`
	}](t, rec.Body.Bytes()).Entries {
		l := auditLine{Action: e.Action, Target: e.Target, Detail: e.Detail}
		if e.ProgramID != nil {
			l.ProgramID = *e.ProgramID
		}
		if e.ActorEmail != nil {
			l.Actor = *e.ActorEmail
		}
		out = append(out, l)
	}
	return out
}
