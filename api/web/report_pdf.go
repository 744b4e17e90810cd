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

// pdfPage lays out the report on A4 pages: one usually, a second when the
// per-item table and comments need it; it stops adding comments before the
// second page's footer.
type pdfPage struct {
	pdf   *fpdf.Fpdf
	tr    func(string) string
	voice reportVoice
	// unlimited lets comments run to as many pages as they need, in full
	// (the review packet); otherwise they stop at pdfMaxPages.
	unlimited bool
}

const (
	pdfMargin  = 15.0
	pdfWidth   = 210.0 - 2*pdfMargin
	pdfBottom  = 297.0 - 28 // where the body must end: the footer follows
	pdfLineGap = 5.0
	// pdfMaxPages is how far comments may run before "n more".
	pdfMaxPages = 2
)

// ReportPDF writes the report on A4 pages with the core Helvetica font: names are translated to Windows-1252, and letters it lacks lose
// their accents rather than their place. self says the resident asked for
// it (the text then speaks to them) rather than a director or admin.
func ReportPDF(w *bytes.Buffer, rep *surveys.ResidentReport, programName string, now time.Time, compress, self bool) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetCreationDate(now)
	pdf.SetAutoPageBreak(true, 297-pdfBottom)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetTitle("Mentor feedback: "+rep.Resident.Name, true)
	pdf.SetCreator("Mentorpulse", true)
	p := &pdfPage{pdf: pdf, tr: cp1252(pdf.UnicodeTranslatorFromDescriptor("")), voice: voiceFor(rep.Resident.Name, self)}
	pdf.SetFooterFunc(func() { p.footer(rep.MinMentees) })
	pdf.AddPage()

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
	p.items(rep.Items)
	p.comments(p.voice.MenteesValue(), rep.Comments.KeepDoing)
	p.comments("What would make the next meeting more useful", rep.Comments.NextTime)
	if len(rep.Comments.Other) > 0 {
		p.comments("Other comments", rep.Comments.Other)
	}
	return pdf.Output(w)
}

// footer states the method at the foot of every page, in two sentences
// on what the figures are and one on what protects the mentees.
func (p *pdfPage) footer(minMentees int) {
	pdf := p.pdf
	pdf.SetAutoPageBreak(false, 0)
	defer pdf.SetAutoPageBreak(true, 297-pdfBottom)
	pdf.SetY(297 - 24)
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.SetTextColor(90, 90, 90)
	p.para(fmt.Sprintf("Ratings from 1 (strongly disagree) to 5 (strongly agree). A mean is the mean of response scores; its 95%% interval treats each mentee's responses as one cluster, "+
		"since one mentee's answers are alike. Adjusted: an empirical-Bayes estimate pulled toward the other residents' mean, the more so the fewer mentees it rests on. "+
		"Figures rest only on answers released when a feedback window closed, each release from at least %d different mentees; comments are listed in an order unrelated to when they were given. Page %d.",
		minMentees, pdf.PageNo()))
	pdf.SetTextColor(0, 0, 0)
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
	}{{"Attribute", 30}, {"Mean [95% interval]", 34}, {"Adjusted", 17}, {"Resp./mentees", 23}, {"Others", 17}, {"5s / 3 or lower", 27}, {"Distribution 1-5", 32}}
	pdf.SetFont("Helvetica", "B", 8.5)
	pdf.SetFillColor(232, 240, 251)
	for _, c := range cols {
		pdf.CellFormat(c.w, 6, c.title, "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9)
	for _, a := range rep.Attributes {
		cells := []string{a.Label, "-", "-", fmt.Sprintf("%d / %d", a.Responses, a.Mentees), "-", "-"}
		if !a.Suppressed() {
			cells[1] = num(a.Mean) + " [" + pdfSpan(a.CI95) + "]"
			cells[2] = num(a.AdjustedMean)
			cells[4] = num(a.ProgramMean)
			cells[5] = pdfShare(a.TopBox.Share) + " / " + pdfShare(a.ThreeOrLower.Share)
		}
		for i, s := range cells {
			pdf.CellFormat(cols[i].w, 7, p.tr(s), "B", 0, "L", false, 0, "")
		}
		x, y := pdf.GetX(), pdf.GetY()
		last := cols[len(cols)-1].w
		pdf.CellFormat(last, 7, "", "B", 0, "L", false, 0, "")
		if a.Distribution != nil {
			distributionBar(pdf, x+1, y+1.5, last-2, 4, a.Distribution)
		} else {
			pdf.SetXY(x, y)
			pdf.CellFormat(last, 7, "not enough yet", "B", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "", 7.5)
	p.para("Adjusted: pulled toward the program's level when the figure rests on few mentees. Others: the mean of the program's other residents, each weighted equally. " +
		"5s / 3 or lower: share of ratings that were 5, and 3 or lower. Distribution: share of ratings from 1 (lightest) to 5 (darkest).")
}

// pdfSpan writes an interval as "3.10-3.80".
func pdfSpan(ci *[2]float64) string {
	if ci == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f-%.2f", ci[0], ci[1])
}

// pdfShare writes a share as a percentage.
func pdfShare(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", *x*100)
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
	switch {
	case f.Focus == nil && f.Strength == nil:
		p.para("No attribute stands out from the others yet. The per-item table below shows how each question was rated.")
		return
	case f.Focus == nil:
		p.para(fmt.Sprintf("%s strongest attribute: %s (%s likely to be truly the highest). No attribute stands out as the one to work on yet; the per-item table below shows which questions score lower.",
			p.voice.Whose(), f.Strength.Label(), chance(f.StrengthProbability)))
		return
	}
	s := fmt.Sprintf("%s attribute with most room to grow: %s (%s likely to be truly the lowest of the three).", p.voice.Whose(), f.Focus.Label(), chance(f.FocusProbability))
	if f.Strength != nil {
		s += fmt.Sprintf(" %s strongest: %s (%s likely).", p.voice.Whose(), f.Strength.Label(), chance(f.StrengthProbability))
	}
	p.para(s + " " + p.voice.IdeasLead())
	for _, s := range f.Suggestions {
		p.pdf.SetX(pdfMargin + 4)
		p.pdf.MultiCell(pdfWidth-4, 4.5, p.tr("- "+s), "", "L", false)
	}
}

func (p *pdfPage) trend(rep *surveys.ResidentReport) {
	pdf := p.pdf
	p.heading("Trend by window: mean [95% interval]")
	widths := []float64{26, 18, 34, 34, 34, 34}
	head := []string{"Window", "Responses"}
	for _, a := range surveys.Attributes {
		head = append(head, a.Label())
	}
	pdf.SetFont("Helvetica", "B", 8.5)
	pdf.SetFillColor(232, 240, 251)
	for i, h := range head {
		pdf.CellFormat(widths[i], 6, h, "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8.5)
	for _, tp := range rep.Trend {
		label := tp.Period
		if tp.FirstWindow != "" && tp.FirstWindow != tp.Period {
			label += " (from " + tp.FirstWindow + ")"
		}
		row := []string{label, fmt.Sprint(tp.Responses)}
		for _, a := range surveys.Attributes {
			v := tp.Attributes[a]
			if tp.Suppressed || v.Mean == nil {
				row = append(row, "not enough")
				continue
			}
			row = append(row, num(v.Mean)+" ["+pdfSpan(v.CI95)+"]")
		}
		for i, s := range row {
			pdf.CellFormat(widths[i], 5.5, s, "", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
}

// items writes the per-item table: each question's mean with its interval,
// its counts and the shares of 5s and of 3 or lower.
func (p *pdfPage) items(items []surveys.ItemSummary) {
	if len(items) == 0 {
		return
	}
	pdf := p.pdf
	p.heading("Item by item")
	widths := []float64{90, 32, 14, 11, 14, 19}
	pdf.SetFont("Helvetica", "B", 8.5)
	pdf.SetFillColor(232, 240, 251)
	for i, h := range []string{"Item", "Mean [95% interval]", "Ratings", "N/A", "5s", "3 or lower"} {
		pdf.CellFormat(widths[i], 6, h, "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8)
	for _, it := range items {
		label := it.Text
		if it.Attribute != surveys.Overall {
			label = it.Attribute.Label() + ": " + it.Text
		}
		lines := pdf.SplitText(p.tr(label), widths[0]-1)
		h := 4 * float64(len(lines))
		if pdf.GetY()+h > pdfBottom {
			pdf.AddPage()
		}
		x, y := pdf.GetX(), pdf.GetY()
		for i, l := range lines {
			pdf.SetXY(x, y+4*float64(i))
			pdf.CellFormat(widths[0], 4, l, "", 0, "L", false, 0, "")
		}
		pdf.SetXY(x+widths[0], y)
		cells := []string{"not enough ratings", fmt.Sprint(it.N), fmt.Sprint(it.NotApplicable), "-", "-"}
		if it.Mean != nil {
			cells[0] = num(it.Mean) + " [" + pdfSpan(it.CI95) + "]"
			cells[3], cells[4] = pdfShare(it.TopBox.Share), pdfShare(it.ThreeOrLower.Share)
		}
		for i, s := range cells {
			pdf.CellFormat(widths[i+1], h, s, "", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetDrawColor(220, 220, 220)
		pdf.Line(pdfMargin, pdf.GetY(), pdfMargin+pdfWidth, pdf.GetY())
		pdf.SetDrawColor(0, 0, 0)
	}
}

// maxPDFComment is the longest comment printed in full on the page.
const maxPDFComment = 240

func (p *pdfPage) comments(title string, list []string) {
	if len(list) == 0 {
		return
	}
	if p.pdf.GetY() > pdfBottom-14 {
		if !p.unlimited && p.pdf.PageNo() >= pdfMaxPages {
			return
		}
		p.pdf.AddPage()
	}
	p.heading(title)
	for i, c := range list {
		text := truncate(c, maxPDFComment)
		if p.unlimited {
			text = strings.Join(strings.Fields(c), " ")
		}
		lines := p.pdf.SplitText(p.tr("- "+text), pdfWidth-4)
		if p.pdf.GetY()+float64(len(lines))*4.5 > pdfBottom {
			if !p.unlimited && p.pdf.PageNo() >= pdfMaxPages {
				p.pdf.SetFont("Helvetica", "I", 9)
				p.line(4.5, fmt.Sprintf("%d more in the online report.", len(list)-i))
				p.pdf.SetFont("Helvetica", "", 9.5)
				return
			}
			p.pdf.AddPage()
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
