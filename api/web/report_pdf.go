package web

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/text/unicode/norm"
)

// pdfPage lays out one A4 page; it stops adding comments before the footer.
type pdfPage struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

const (
	pdfMargin  = 15.0
	pdfWidth   = 210.0 - 2*pdfMargin
	pdfBottom  = 297.0 - 28 // where the body must end: the footer follows
	pdfLineGap = 5.0
)

// ReportPDF writes the report on one A4 page with the core Helvetica
// font: names are translated to Windows-1252, and letters it lacks lose
// their accents rather than their place.
func ReportPDF(w *bytes.Buffer, rep *surveys.ResidentReport, programName string, now time.Time, compress bool) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetCreationDate(now)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetTitle("Mentor feedback: "+rep.Resident.Name, true)
	pdf.SetCreator("Mentorpulse", true)
	pdf.AddPage()
	p := &pdfPage{pdf: pdf, tr: cp1252(pdf.UnicodeTranslatorFromDescriptor(""))}

	pdf.SetFont("Helvetica", "B", 16)
	p.line(9, "Mentor feedback report")
	pdf.SetFont("Helvetica", "B", 13)
	p.line(7, rep.Resident.Name)
	pdf.SetFont("Helvetica", "", 10)
	sub := programName
	if rep.Resident.PGYYear != nil {
		sub = fmt.Sprintf("PGY-%d · %s", *rep.Resident.PGYYear, programName)
	}
	p.line(pdfLineGap, sub)
	p.line(pdfLineGap, fmt.Sprintf("Period %s to %s · %d responses from %d mentees, released by %s · produced %s",
		rep.Period.From, rep.Period.To, rep.Responses, rep.Mentees, rep.ReleaseWindow, now.UTC().Format("January 2006")))
	pdf.Ln(3)

	if rep.Suppressed {
		pdf.SetFont("Helvetica", "B", 11)
		p.para(fmt.Sprintf("Not enough responses yet in this period. Figures appear once a closed window releases at least %d responses from %d different mentees.", rep.MinResponses, rep.MinMentees))
	}
	p.attributeTable(rep)
	p.focus(rep.Focus)
	p.trend(rep)
	p.comments("What mentees value", rep.Comments.KeepDoing)
	p.comments("What would make the next meeting more useful", rep.Comments.NextTime)

	pdf.SetY(297 - 24)
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.SetTextColor(90, 90, 90)
	p.para("Ratings from 1 (strongly disagree) to 5 (strongly agree). Figures rest only on answers released when a feedback window closed, each release from at least " +
		fmt.Sprint(rep.MinMentees) + " different mentees; a figure rated by fewer is not shown. 95% intervals are Wilson score intervals on the " +
		"rescaled mean, counting responses rather than item ratings. Comments are listed in an order unrelated to when they were given.")
	return pdf.Output(w)
}

// line writes one line of text and moves down h.
func (p *pdfPage) line(h float64, s string) {
	p.pdf.CellFormat(pdfWidth, h, p.tr(s), "", 1, "L", false, 0, "")
}

// para writes wrapped text.
func (p *pdfPage) para(s string) {
	p.pdf.MultiCell(pdfWidth, 4.5, p.tr(s), "", "L", false)
}

func (p *pdfPage) heading(s string) {
	p.pdf.Ln(2)
	p.pdf.SetFont("Helvetica", "B", 11)
	p.line(6, s)
	p.pdf.SetFont("Helvetica", "", 9.5)
}

func (p *pdfPage) attributeTable(rep *surveys.ResidentReport) {
	pdf := p.pdf
	p.heading("Attributes")
	cols := []struct {
		title string
		w     float64
	}{{"Attribute", 38}, {"Mean", 16}, {"95% interval", 26}, {"Ratings", 16}, {"N/A", 12}, {"Program", 18}, {"Distribution 1-5", 54}}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(232, 240, 251)
	for _, c := range cols {
		pdf.CellFormat(c.w, 6, c.title, "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9.5)
	for _, a := range rep.Attributes {
		ci := "-"
		if a.CI95 != nil {
			ci = fmt.Sprintf("%.2f-%.2f", a.CI95[0], a.CI95[1])
		}
		cells := []string{a.Label, num(a.Mean), ci, fmt.Sprint(a.N), fmt.Sprint(a.NotApplicable), num(a.ProgramMean)}
		for i, s := range cells {
			pdf.CellFormat(cols[i].w, 7, p.tr(s), "B", 0, "L", false, 0, "")
		}
		x, y := pdf.GetX(), pdf.GetY()
		pdf.CellFormat(cols[6].w, 7, "", "B", 0, "L", false, 0, "")
		if a.Distribution != nil {
			distributionBar(pdf, x+1, y+1.5, cols[6].w-2, 4, a.Distribution)
		} else {
			pdf.SetXY(x, y)
			pdf.CellFormat(cols[6].w, 7, "not enough responses yet", "B", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "", 7.5)
	p.line(4, "Distribution: share of ratings from 1 (lightest) to 5 (darkest). Program: the program's mean for the same period.")
}

// distributionBar draws the share of each rating as a stacked bar, darker
// for higher ratings, so it reads in greyscale print.
func distributionBar(pdf *fpdf.Fpdf, x, y, w, h float64, dist map[string]int64) {
	var total int64
	for _, n := range dist {
		total += n
	}
	if total == 0 {
		return
	}
	shades := []int{235, 200, 160, 110, 50}
	for v := 1; v <= 5; v++ {
		share := float64(dist[fmt.Sprint(v)]) / float64(total)
		if share == 0 {
			continue
		}
		g := shades[v-1]
		pdf.SetFillColor(g, g, g+5)
		pdf.Rect(x, y, w*share, h, "F")
		x += w * share
	}
}

func (p *pdfPage) focus(f surveys.Focus) {
	p.heading("Focus")
	if f.Focus == nil {
		p.para("No attribute stands out from the others by 0.3 points or more in this period.")
		return
	}
	p.para(fmt.Sprintf("Strongest: %s. Most room to grow: %s. Ideas to try:", f.Strength.Label(), f.Focus.Label()))
	for _, s := range f.Suggestions {
		p.pdf.SetX(pdfMargin + 4)
		p.pdf.MultiCell(pdfWidth-4, 4.5, p.tr("- "+s), "", "L", false)
	}
}

func (p *pdfPage) trend(rep *surveys.ResidentReport) {
	pdf := p.pdf
	p.heading("Trend by window")
	widths := []float64{24, 22, 32, 32, 36, 30}
	head := []string{"Window", "Responses"}
	for _, a := range surveys.Attributes {
		head = append(head, a.Label())
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(232, 240, 251)
	for i, h := range head {
		pdf.CellFormat(widths[i], 6, h, "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9.5)
	for _, tp := range rep.Trend {
		row := []string{tp.Period, fmt.Sprint(tp.Responses)}
		for _, a := range surveys.Attributes {
			if tp.Suppressed {
				row = append(row, "not enough")
				continue
			}
			row = append(row, num(tp.Attributes[a].Mean))
		}
		for i, s := range row {
			pdf.CellFormat(widths[i], 5.5, s, "", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
}

// maxPDFComment is the longest comment printed in full on the page.
const maxPDFComment = 240

func (p *pdfPage) comments(title string, list []string) {
	if len(list) == 0 {
		return
	}
	if p.pdf.GetY() > pdfBottom-14 {
		return
	}
	p.heading(title)
	for i, c := range list {
		lines := p.pdf.SplitText(p.tr("- "+truncate(c, maxPDFComment)), pdfWidth-4)
		if p.pdf.GetY()+float64(len(lines))*4.5 > pdfBottom {
			p.pdf.SetFont("Helvetica", "I", 9)
			p.line(4.5, fmt.Sprintf("%d more in the online report.", len(list)-i))
			p.pdf.SetFont("Helvetica", "", 9.5)
			return
		}
		for _, l := range lines {
			p.pdf.SetX(pdfMargin + 4)
			p.pdf.CellFormat(pdfWidth-4, 4.5, l, "", 1, "L", false, 0, "")
		}
	}
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func num(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *x)
}

// strokeLetters are letters without a Unicode decomposition whose plain
// form a reader would still recognise in a name.
var strokeLetters = map[rune]rune{'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'Ŧ': 'T', 'ŧ': 't'}

// cp1252 wraps fpdf's Windows-1252 translator, which turns every letter the
// code page lacks into ".": such a letter is written as its base letter when
// it has one (ő as o, Ł as L), otherwise as "?".
func cp1252(tr func(string) string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r < 0x80 || tr(string(r)) != "." {
				b.WriteRune(r)
				continue
			}
			base, ok := strokeLetters[r]
			if ok {
				b.WriteRune(base)
				continue
			}
			base = '?'
			for _, d := range norm.NFD.String(string(r)) {
				if d < 0x80 && !unicode.IsControl(d) {
					base = d
					break
				}
			}
			b.WriteRune(base)
		}
		return tr(b.String())
	}
}
