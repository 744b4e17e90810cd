package api

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// programCSVBase opens the program report export: the
// columns the issue fixes, in its order, then the figures added since
// (programCSVExtra), so a sheet that reads the first twelve by position
// keeps working.
var programCSVBase = []string{
	"resident_id", "resident_name", "pgy_year", "responses", "invitations", "response_rate",
	"availability_mean", "competence_mean", "altruistic_support_mean", "overall_mean", "suppressed", "flags",
}

// attributeCSVColumns are the per-attribute columns after the first twelve,
// each named "<attribute>_<column>".
var attributeCSVColumns = []string{"ci95_low", "ci95_high", "adjusted", "reliability", "responses", "mentees", "top_box", "three_or_lower"}

// itemCSVColumns are the per-item columns, each named "item_<key>_<column>",
// for every item of every instrument (surveys.AllItems).
var itemCSVColumns = []string{"mean", "top_box", "three_or_lower"}

// attributeShares are an attribute's shares of 5s and of 3 or lower over
// its items' pooled ratings, as the attribute's own top_box and
// three_or_lower are; empty when an item of it is withheld, since the
// shares would then rest on part of the ratings.
func attributeShares(items []surveys.ItemSummary, a surveys.Attribute) (top, low string) {
	var n, fives, lows int64
	for _, it := range items {
		if it.Attribute != a || it.N == 0 {
			continue
		}
		if it.Distribution == nil {
			return "", ""
		}
		n += it.N
		fives += it.Distribution["5"]
		lows += it.Distribution["1"] + it.Distribution["2"] + it.Distribution["3"]
	}
	if n == 0 {
		return "", ""
	}
	t, l := float64(fives)/float64(n), float64(lows)/float64(n)
	return decimal(&t), decimal(&l)
}

// csvItems are the items with columns: every built-in item (surveys.AllItems),
// then the report's own items no built-in instrument asks (a program's
// instrument), in the report's order.
func csvItems(rep *surveys.ProgramReport) []surveys.Item {
	out := surveys.AllItems()
	seen := map[string]bool{}
	for _, it := range out {
		seen[it.Key] = true
	}
	for _, it := range rep.Items {
		if !seen[it.Key] {
			seen[it.Key] = true
			out = append(out, surveys.Item{Key: it.Key, Attribute: it.Attribute, Text: it.Text})
		}
	}
	return out
}

// programCSVHeader is programCSVBase and the columns of programCSVExtra.
func programCSVHeader(items []surveys.Item) []string {
	return append(append([]string(nil), programCSVBase...), programCSVExtra(items)...)
}

func programCSVExtra(items []surveys.Item) []string {
	var out []string
	for _, a := range surveys.Attributes {
		for _, c := range attributeCSVColumns {
			out = append(out, string(a)+"_"+c)
		}
	}
	for _, it := range items {
		for _, c := range itemCSVColumns {
			out = append(out, "item_"+it.Key+"_"+c)
		}
	}
	return out
}

// extraCells are a resident's cells of programCSVExtra. Suppressed figures
// are empty; so are counts of a suppressed attribute, which would say how
// many answered where the figure is withheld.
func extraCells(r surveys.ProgramResidentRow, catalogue []surveys.Item) []string {
	var out []string
	for _, a := range surveys.Attributes {
		f := r.Attributes[a]
		if f.Mean == nil {
			out = append(out, make([]string, len(attributeCSVColumns))...)
			continue
		}
		lo, hi := "", ""
		if f.CI95 != nil {
			lo, hi = decimal(&f.CI95[0]), decimal(&f.CI95[1])
		}
		top, low := attributeShares(r.Items, a)
		out = append(out, lo, hi, decimal(f.AdjustedMean), decimal(f.Reliability),
			strconv.FormatInt(f.Responses, 10), strconv.FormatInt(f.Mentees, 10), top, low)
	}
	items := map[string]surveys.ItemSummary{}
	for _, it := range r.Items {
		items[it.Key] = it
	}
	for _, it := range catalogue {
		s, ok := items[it.Key]
		if !ok || s.Mean == nil {
			out = append(out, "", "", "")
			continue
		}
		out = append(out, decimal(s.Mean), decimal(s.TopBox.Share), decimal(s.ThreeOrLower.Share))
	}
	return out
}

// csvFlushEvery is how many rows go out before the writer flushes, so the
// export streams with flat memory however many residents there are.
const csvFlushEvery = 50

// utf8BOM opens the export so that Excel on Windows reads it as UTF-8
// ("Chloé", not "ChloÃ©"); other spreadsheets and csv readers skip it.
const utf8BOM = "\ufeff"

// writeProgramCSV streams a program report as CSV: a byte-order mark, then
// rows whose cells are quoted by csvWriter and neutralised by safeCell when a
// spreadsheet would read them as a formula.
func writeProgramCSV(c echo.Context, rep *surveys.ProgramReport) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="program-%d-report-%s-to-%s.csv"`,
		rep.Program.ID, rep.Period.From, rep.Period.To))
	c.Response().WriteHeader(http.StatusOK)
	w := newCSVWriter(c.Response())
	w.w.WriteString(utf8BOM)
	catalogue := csvItems(rep)
	if err := w.Write(programCSVHeader(catalogue)); err != nil {
		return err
	}
	for i, r := range rep.Residents {
		pgy := ""
		if r.PGYYear != nil {
			pgy = strconv.Itoa(*r.PGYYear)
		}
		row := []string{
			strconv.FormatInt(r.ID, 10), safeCell(r.Name), pgy,
			strconv.FormatInt(r.Responses, 10), strconv.FormatInt(r.Invitations, 10), decimal(r.ResponseRate),
		}
		for _, a := range surveys.Attributes {
			row = append(row, decimal(r.Attributes[a].Mean))
		}
		row = append(row, strconv.FormatBool(r.Suppressed), safeCell(strings.Join(r.Flags, ";")))
		row = append(row, extraCells(r, catalogue)...)
		if err := w.Write(row); err != nil {
			return err
		}
		if i%csvFlushEvery == csvFlushEvery-1 {
			w.Flush()
			c.Response().Flush()
		}
	}
	w.Flush()
	return w.Error()
}

// csvWriter writes comma-separated rows like encoding/csv, but quotes every
// cell that holds a separator of any common locale: a spreadsheet that
// splits on ";" or tab would otherwise cut "Res;=1+1;A2" into cells, the
// second of which runs as a formula past safeCell. encoding/csv quotes only
// its own separator.
type csvWriter struct {
	w   *bufio.Writer
	err error
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriter(w)} }

// csvQuoted are the characters that make a cell quoted: the separators of
// common locales, the quote itself and line breaks.
const csvQuoted = ",;\t\"\r\n"

// Write writes one row, ending in a newline as encoding/csv does by default.
func (cw *csvWriter) Write(row []string) error {
	if cw.err != nil {
		return cw.err
	}
	for i, cell := range row {
		if i > 0 {
			cw.w.WriteByte(',')
		}
		if !strings.ContainsAny(cell, csvQuoted) && strings.TrimSpace(cell) == cell {
			cw.w.WriteString(cell)
			continue
		}
		cw.w.WriteByte('"')
		cw.w.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		cw.w.WriteByte('"')
	}
	_, cw.err = cw.w.WriteString("\n")
	return cw.err
}

// Flush sends buffered rows to the underlying writer.
func (cw *csvWriter) Flush() {
	if err := cw.w.Flush(); err != nil && cw.err == nil {
		cw.err = err
	}
}

// Error reports the first write or flush error.
func (cw *csvWriter) Error() error { return cw.err }

// safeCell neutralises spreadsheet formula injection: a cell that starts
// with =, +, -, @, a tab or a carriage return gets a leading single quote,
// which spreadsheets show as text.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// decimal writes a figure with two decimals, or nothing when suppressed.
func decimal(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}
