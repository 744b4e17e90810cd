package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The review packet prints every released comment in full, however many
// pages they take, beside the goals and self-assessments it was given.
func TestReviewPacketPrintsEverythingOverAsManyPagesAsNeeded(t *testing.T) {
	d := buildSynthetic()
	rep := d.residentReport("Dr. Dev Rao")
	rep.Comments.KeepDoing = nil
	for i := range 150 {
		rep.Comments.KeepDoing = append(rep.Comments.KeepDoing, fmt.Sprintf("Comment number %03d: %s", i, strings.Repeat("kept in full ", 25)))
	}
	before, after := 2.6, 4.1
	outcome, reflection := "achieved", "Booking the next meeting before leaving worked best."
	pk := ReviewPacket{Report: rep, ProgramName: "Internal Medicine", Year: "July 2026 to June 2027", Own: false,
		Goals: []growth.Goal{{ID: 1, Target: growth.TargetView{Kind: "attribute", Key: "availability", Label: "Availability"},
			Text: "My mentees know how to reach me.", Actions: []string{"Agree on the next date before parting."},
			ReviewDate: "2026-12-31", SetInWindow: "2026-07", Status: "closed", Outcome: &outcome, Reflection: &reflection,
			Progress: surveys.GoalProgress{Before: surveys.GoalFigure{Mean: &before}, After: surveys.GoalFigure{Mean: &after},
				Verdict: surveys.Improved, VerdictText: "Clear improvement."}}},
	}
	var buf bytes.Buffer
	if err := ReviewPacketPDF(&buf, pk, time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), true); err != nil {
		t.Fatal(err)
	}
	pdf := inflated(buf.Bytes())
	for _, want := range []string{"Mentoring review packet", "Academic year July 2026 to June 2027", "Item by item", "Trend by window",
		"My mentees know how to reach me.", "Agree on the next date before parting.", "Clear improvement.", "Booking the next meeting",
		"No self-assessment shared.", "only where the resident shared them", "Set in the window starting July 2026"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the packet lacks %q", want)
		}
	}
	for i := range 150 {
		if want := fmt.Sprintf("Comment number %03d", i); !strings.Contains(pdf, want) {
			t.Errorf("the packet lacks %q", want)
		}
	}
	if strings.Contains(pdf, "more in the online report") {
		t.Error("the packet cuts comments off")
	}
	if pages := strings.Count(pdf, "Page "); pages < 5 {
		t.Errorf("150 long comments fit on %d pages", pages)
	}
}
