package web

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// ReviewPacket is a resident's academic year for a semiannual review or a
// competency committee: the released figures, the self-assessments beside
// them, the goals and every released comment. For a director it holds only
// what the resident shared.
type ReviewPacket struct {
	Report      *surveys.ResidentReport
	ProgramName string
	// Year names the academic year, "July 2026 to June 2027".
	Year  string
	Self  []growth.SelfAssessment
	Goals []growth.Goal
	// Own is true when the resident downloads their own packet.
	Own bool
}

// ReviewPacketPDF writes the packet on as many A4 pages as it needs:
// nothing is cut off, comments included.
func ReviewPacketPDF(w *bytes.Buffer, pk ReviewPacket, now time.Time, compress bool) error {
	rep := pk.Report
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetCreationDate(now)
	pdf.SetAutoPageBreak(true, 297-pdfBottom)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetTitle("Review packet: "+rep.Resident.Name, true)
	pdf.SetCreator("Mentorpulse", true)
	p := &pdfPage{pdf: pdf, tr: cp1252(pdf.UnicodeTranslatorFromDescriptor("")), unlimited: true}
	pdf.SetFooterFunc(func() { p.footer(rep.MinMentees) })
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 16)
	p.line(9, "Mentoring review packet")
	pdf.SetFont("Helvetica", "B", 13)
	p.line(7, rep.Resident.Name)
	pdf.SetFont("Helvetica", "", 10)
	sub := pk.ProgramName
	if rep.Resident.PGYYear != nil {
		sub = fmt.Sprintf("PGY-%d · %s", *rep.Resident.PGYYear, pk.ProgramName)
	}
	p.line(pdfLineGap, sub)
	p.line(pdfLineGap, fmt.Sprintf("Academic year %s (%s to %s) · %d responses from %d mentees released · produced %s",
		pk.Year, rep.Period.From, rep.Period.To, rep.Responses, rep.Mentees, now.UTC().Format("2 January 2006")))
	if !pk.Own {
		p.line(pdfLineGap, "Self-assessments and goals appear only where the resident shared them with the program's directors.")
	}
	pdf.Ln(3)
	if rep.Suppressed {
		pdf.SetFont("Helvetica", "B", 11)
		p.para(fmt.Sprintf("Not enough responses released in this academic year for figures: they appear once a closed window releases at least %d responses from %d different mentees.", rep.MinResponses, rep.MinMentees))
	}
	p.attributeTable(rep)
	p.trend(rep)
	p.items(rep.Items)
	p.selfAssessments(pk.Self, pk.Own)
	p.goals(pk.Goals)
	p.comments("What mentees value", rep.Comments.KeepDoing)
	p.comments("What would make the next meeting more useful", rep.Comments.NextTime)
	if len(rep.Comments.Other) > 0 {
		p.comments("Other comments", rep.Comments.Other)
	}
	return pdf.Output(w)
}

// room starts a new page unless h millimetres fit above the footer.
func (p *pdfPage) room(h float64) {
	if p.pdf.GetY()+h > pdfBottom {
		p.pdf.AddPage()
	}
}

// selfAssessments writes each window's self-ratings beside the mentees'.
func (p *pdfPage) selfAssessments(list []growth.SelfAssessment, own bool) {
	p.room(30)
	p.heading("Self-assessment beside mentees")
	var shown int
	for _, sa := range list {
		if !sa.Submitted {
			continue
		}
		shown++
		p.room(12 + 5.5*float64(len(sa.Items)/3+4))
		p.pdf.SetFont("Helvetica", "B", 9.5)
		p.line(5.5, "Window "+sa.Window.ID+" ("+sa.Window.Months()+")")
		p.pdf.SetFont("Helvetica", "", 9)
		if sa.Comparison == nil {
			p.para("The mentees' feedback of this window is not released yet.")
			continue
		}
		widths := []float64{40, 16, 42, 16, 66}
		p.tableHead(widths, []string{"Attribute", "Self", "Mentees [95% interval]", "Gap", "Reading"})
		for _, g := range sa.Comparison.Attributes {
			gap := "-"
			if g.Gap != nil {
				gap = signed(*g.Gap)
			}
			p.row(widths, []string{g.Label, num(g.Self), num(g.Mentees) + " [" + pdfSpan(g.CI95) + "]", strings.ReplaceAll(gap, "−", "-"), gapText(g.Verdict, own, "the resident")})
		}
		p.pdf.Ln(2)
	}
	if shown == 0 {
		if own {
			p.para("No self-assessment in this academic year.")
		} else {
			p.para("No self-assessment shared.")
		}
		return
	}
	p.pdf.SetFont("Helvetica", "", 7.5)
	p.para("A blind spot (self clearly higher) or hidden strength (self clearly lower) is named only when the mentees' 95% interval leaves out the self-rating and the two differ by at least 0.5. Self-ratings never enter the mentees' figures.")
	p.pdf.SetFont("Helvetica", "", 9.5)
}

// goals writes each goal with its before and after and its outcome.
func (p *pdfPage) goals(list []growth.Goal) {
	p.room(30)
	p.heading("Goals")
	if len(list) == 0 {
		p.para("No goals.")
		return
	}
	for _, g := range list {
		p.room(40)
		p.pdf.SetFont("Helvetica", "B", 9.5)
		status := "open, review on " + g.ReviewDate
		if g.Status != "open" && g.Outcome != nil {
			status = *g.Outcome
		}
		p.para(g.Target.Label + " (" + status + ")")
		p.pdf.SetFont("Helvetica", "", 9)
		p.para(g.Text)
		p.para("Set in the window starting " + monthWords(g.SetInWindow) + ". Actions:")
		for _, a := range g.Actions {
			p.pdf.SetX(pdfMargin + 4)
			p.pdf.MultiCell(pdfWidth-4, 4.5, p.tr("- "+a), "", "L", false)
		}
		pr := g.Progress
		line := "Before (" + periodWords(pr.Before.Period) + "): " + goalFigureText(pr.Before) +
			". After (" + periodWords(pr.After.Period) + "): " + goalFigureText(pr.After) + "."
		if pr.Difference != nil {
			line += fmt.Sprintf(" Change %s [%s].", strings.ReplaceAll(signed(*pr.Difference), "−", "-"), pdfSpan(pr.DifferenceCI95))
		}
		p.para(line + " " + pr.VerdictText)
		if g.Reflection != nil && *g.Reflection != "" {
			p.para("Reflection: " + *g.Reflection)
		}
		p.pdf.Ln(2)
	}
}

// tableHead writes a table's header row.
func (p *pdfPage) tableHead(widths []float64, head []string) {
	p.pdf.SetFont("Helvetica", "B", 8.5)
	p.pdf.SetFillColor(232, 240, 251)
	for i, h := range head {
		p.pdf.CellFormat(widths[i], 6, p.tr(h), "B", 0, "L", true, 0, "")
	}
	p.pdf.Ln(-1)
	p.pdf.SetFont("Helvetica", "", 8.5)
}

// row writes one table row, as tall as its longest cell.
func (p *pdfPage) row(widths []float64, cells []string) {
	pdf := p.pdf
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = pdf.SplitText(p.tr(c), widths[i]-1)
		n = max(n, len(lines[i]))
	}
	h := 4.2 * float64(n)
	p.room(h)
	x, y := pdf.GetX(), pdf.GetY()
	for i := range cells {
		for j, l := range lines[i] {
			pdf.SetXY(x, y+4.2*float64(j))
			pdf.CellFormat(widths[i], 4.2, l, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	pdf.SetXY(pdfMargin, y+h)
	pdf.SetDrawColor(220, 220, 220)
	pdf.Line(pdfMargin, pdf.GetY(), pdfMargin+pdfWidth, pdf.GetY())
	pdf.SetDrawColor(0, 0, 0)
}

// goalFigureText is one side of a goal's progress in words.
func goalFigureText(f surveys.GoalFigure) string {
	if f.Mean == nil {
		return "no released figure yet"
	}
	return fmt.Sprintf("%s [%s], %d responses from %d mentees", num(f.Mean), pdfSpan(f.CI95), f.Responses, f.Mentees)
}
