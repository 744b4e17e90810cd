package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// programRow is one resident in the program page's table.
type programRow struct {
	ID                     int64
	Name, PGY, Rate, URL   string
	Responses, Invitations int64
	Cells                  []programCell
	Suppressed             bool
	// Deactivated marks a resident whose account is switched off: their
	// released answers still count.
	Deactivated bool
	Flags       []string
	sortKeys    map[string]*float64
}

// programCell is one attribute of one resident: the adjusted mean when
// the model has one, the raw mean beside it, and how reliable it is.
type programCell struct {
	Adjusted, Raw string
	Reliability   reliabilityView
	// Band is the shown figure's place on the colour scale.
	Band scoreBand
}

// sortLink is a column heading that sorts the table; Sort is its
// aria-sort value when the table is sorted by it.
type sortLink struct {
	Label, URL, Arrow, Sort string
	Numeric                 bool
}

// funnelView is one attribute's funnel plot and its text alternative.
type funnelView struct {
	Label   string
	Chart   template.HTML
	Mean    string
	Plotted int
	Outside []funnelNote
}

// funnelNote is a resident outside the funnel's 95% limits.
type funnelNote struct {
	Name, Value, Where string
	Mentees            int64
}

type programPageData struct {
	Nav     *navView
	Report  *surveys.ProgramReport
	Cards   []attributeCard
	Rows    []programRow
	Headers []sortLink
	Funnels []funnelView
	Items   []itemGroup
	// HasAdjusted says whether any row has an adjusted mean (the model
	// has none without mentee-level data).
	HasAdjusted bool
	PGY         int
	PGYOptions  []int
	CSVURL      string
	FormAction  string
	// Period is the form's months; Presets fill them at a click.
	Period  periodForm
	Presets []presetLink
	// Change compares the last closed window of the period with the one
	// before it.
	Change changeView
	// Bands is the colour scale's legend.
	Bands []scoreBand
	// Sort and Desc keep the table's order when the form changes the period.
	Sort string
	Desc bool
}

// programSortKeys are the columns the program page sorts by.
var programSortKeys = []struct{ key, label string }{
	{"name", "Resident"}, {"pgy", "PGY"}, {"responses", "Responses"}, {"rate", "Response rate"},
	{"availability", "Availability"}, {"competence", "Competence"}, {"altruistic_support", "Altruistic support"}, {"overall", "Overall"},
}

func (s *Server) programReportPage(c echo.Context) error {
	// The form's "All" PGY sends pgy_year empty: for the page that is no
	// filter, where the JSON API refuses it as no number.
	if v, ok := c.QueryParams()["pgy_year"]; ok && len(v) == 1 && v[0] == "" {
		c.QueryParams().Del("pgy_year")
	}
	prog, q, err := s.ProgramReportRequest(c)
	if err != nil {
		return err
	}
	ctx, now := c.Request().Context(), s.DB.Now()
	from, to := q.From, q.To
	if from == "" && to == "" {
		// A program thinks in academic years: that is the period unless
		// the request names one.
		year := academicYear(now, prog.AcademicYearStartMonth)
		from, to = year.From, year.To
	}
	residents, err := s.DB.Residents(ctx, prog.ID)
	if err != nil {
		return err
	}
	d := programPageData{Nav: s.nav(c), FormAction: c.Request().URL.Path, Bands: scoreBands}
	if q.PGYYear != nil {
		d.PGY = *q.PGYYear
	}
	d.PGYOptions = pgyOptions(residents, q.PGYYear)
	sortKey, desc := c.QueryParam("sort"), c.QueryParam("dir") == "desc"
	if !slices.ContainsFunc(programSortKeys, func(k struct{ key, label string }) bool { return k.key == sortKey }) {
		sortKey = ""
	}
	d.Sort, d.Desc = sortKey, desc
	keep := url.Values{}
	if q.PGYYear != nil {
		keep.Set("pgy_year", strconv.Itoa(*q.PGYYear))
	}
	if sortKey != "" {
		keep.Set("sort", sortKey)
	}
	if desc {
		keep.Set("dir", "desc")
	}
	httpkit.NoStore(c)
	period, err := s.ParsePeriod(httpkit.PeriodQuery{From: from, To: to})
	if err != nil {
		form, ok := periodFailure(err, from, to)
		if !ok {
			return err
		}
		d.Period, d.Report = form, &surveys.ProgramReport{Program: surveys.ProgramRef{ID: prog.ID, Name: prog.Name}}
		d.Presets = periodPresets(prog, now, d.FormAction, keep, surveys.Period{})
		return s.render(c, http.StatusUnprocessableEntity, "program_report", d)
	}
	rep, err := s.ProgramReportFor(c, prog, period, q.PGYYear)
	if err != nil {
		return err
	}
	d.Report, d.Period = rep, periodForm{From: rep.Period.From, To: rep.Period.To}
	d.Presets = periodPresets(prog, now, d.FormAction, keep, rep.Period)
	if d.Change, err = s.windowChange(ctx, prog, rep.Period, now); err != nil {
		return err
	}
	d.fill(rep)
	deactivated := map[int64]bool{}
	for _, u := range residents {
		deactivated[u.ID] = !u.Active
	}
	for i := range d.Rows {
		d.Rows[i].Deactivated = deactivated[d.Rows[i].ID]
	}
	sortRows(d.Rows, sortKey, desc)
	base := url.Values{"from": {rep.Period.From}, "to": {rep.Period.To}}
	if q.PGYYear != nil {
		base.Set("pgy_year", strconv.Itoa(*q.PGYYear))
	}
	d.Headers = sortHeaders(d.FormAction, base, sortKey, desc)
	csv := url.Values{"format": {"csv"}}
	for key, vals := range base {
		csv[key] = vals
	}
	d.CSVURL = fmt.Sprintf("/api/v1/programs/%d/report?%s", prog.ID, csv.Encode())
	return s.render(c, http.StatusOK, "program_report", d)
}

// pgyOptions are the PGY years of the program's residents, in order, and
// the one asked for even when nobody is in it (so the filter shows what
// the table shows).
func pgyOptions(residents []models.User, asked *int) []int {
	var out []int
	for _, u := range residents {
		if u.PGYYear != nil && !slices.Contains(out, *u.PGYYear) {
			out = append(out, *u.PGYYear)
		}
	}
	if asked != nil && !slices.Contains(out, *asked) {
		out = append(out, *asked)
	}
	slices.Sort(out)
	return out
}

// sortHeaders are the table's column headings, each a link that sorts by
// it (the other way when it is the sorted column), keeping the period and
// filter in base.
func sortHeaders(action string, base url.Values, sortKey string, desc bool) []sortLink {
	var out []sortLink
	for _, k := range programSortKeys {
		v := url.Values{}
		for key, vals := range base {
			v[key] = vals
		}
		v.Set("sort", k.key)
		link := sortLink{Label: k.label, Numeric: k.key != "name"}
		if k.key == sortKey || (sortKey == "" && k.key == "name") {
			link.Arrow, link.Sort = "▲", "ascending"
			if desc {
				link.Arrow, link.Sort = "▼", "descending"
			} else {
				v.Set("dir", "desc")
			}
		}
		link.URL = action + "?" + v.Encode()
		out = append(out, link)
	}
	return out
}

// fill turns the report into the page's cards, rows, funnels and items.
func (d *programPageData) fill(rep *surveys.ProgramReport) {
	for _, a := range rep.Attributes {
		card := cardFor(a.AttributeSummary)
		card.Residents = a.Residents
		d.Cards = append(d.Cards, card)
	}
	for _, r := range rep.Residents {
		row := programRow{ID: r.ID, Name: r.Name, Responses: r.Responses, Invitations: r.Invitations, Rate: percent(r.ResponseRate),
			Suppressed: r.Suppressed, URL: fmt.Sprintf("/residents/%d/report?from=%s&to=%s", r.ID, rep.Period.From, rep.Period.To),
			sortKeys: map[string]*float64{"rate": r.ResponseRate}}
		if r.PGYYear != nil {
			row.PGY = strconv.Itoa(*r.PGYYear)
			pgy := float64(*r.PGYYear)
			row.sortKeys["pgy"] = &pgy
		}
		resp := float64(r.Responses)
		row.sortKeys["responses"] = &resp
		for _, a := range surveys.Attributes {
			fig := r.Attributes[a]
			cell := programCell{Raw: num(fig.Mean), Band: bandOf(fig.Mean)}
			// Sorting follows the adjusted mean, so a resident with three
			// mentees does not top or tail the table on one meeting.
			key := fig.Mean
			if fig.AdjustedMean != nil {
				cell.Adjusted, cell.Reliability, key = num(fig.AdjustedMean), reliabilityOf(fig.Adjustment), fig.AdjustedMean
				cell.Band = bandOf(fig.AdjustedMean)
				d.HasAdjusted = true
			}
			row.Cells = append(row.Cells, cell)
			row.sortKeys[string(a)] = key
		}
		for _, f := range r.Flags {
			row.Flags = append(row.Flags, flagLabel(f))
		}
		d.Rows = append(d.Rows, row)
	}
	for _, a := range surveys.Attributes {
		if fv, ok := funnelFor(rep, a); ok {
			d.Funnels = append(d.Funnels, fv)
		}
	}
	d.Items = itemGroups(rep.Items)
}

// funnelFor builds one attribute's funnel plot from the residents shown
// with an adjusted mean; ok is false when the report has no funnel for it.
func funnelFor(rep *surveys.ProgramReport, a surveys.Attribute) (funnelView, bool) {
	fn, ok := rep.Funnel[a]
	if !ok || fn.ProgramMean == nil || len(fn.Limits) == 0 {
		return funnelView{}, false
	}
	f := frontend.Funnel{Title: a.Label() + ": adjusted mean by number of mentees", Mean: *fn.ProgramMean}
	for _, l := range fn.Limits {
		f.Limits = append(f.Limits, frontend.FunnelLimit{Mentees: l.Mentees, Inner: l.Inner, Outer: l.Outer})
	}
	v := funnelView{Label: a.Label(), Mean: num(fn.ProgramMean)}
	for _, r := range rep.Residents {
		fig := r.Attributes[a]
		if r.Suppressed || fig.AdjustedMean == nil {
			continue
		}
		p := frontend.FunnelPoint{Label: r.Name, Mentees: fig.Mentees, Value: *fig.AdjustedMean}
		f.Points = append(f.Points, p)
		o := f.Outside(p.Mentees, p.Value)
		if o == 0 {
			continue
		}
		where := map[int]string{-2: "below the 99.8% limit", -1: "below the 95% limit", 1: "above the 95% limit", 2: "above the 99.8% limit"}[o]
		v.Outside = append(v.Outside, funnelNote{Name: r.Name, Value: num(fig.AdjustedMean), Where: where, Mentees: p.Mentees})
	}
	v.Plotted = len(f.Points)
	desc := fmt.Sprintf("%d residents' adjusted means against their number of mentees, around the program mean %s.", v.Plotted, v.Mean)
	if len(v.Outside) == 0 {
		desc += " Every resident lies inside the 95% limits."
	}
	for _, n := range v.Outside {
		desc += fmt.Sprintf(" %s, %s with %d mentees, is %s.", n.Name, n.Value, n.Mentees, n.Where)
	}
	v.Chart = frontend.FunnelChart(f, desc)
	return v, true
}

// sortRows sorts by a column; suppressed figures go last either way.
func sortRows(rows []programRow, key string, desc bool) {
	sort.SliceStable(rows, func(i, j int) bool {
		if key == "" || key == "name" {
			if desc {
				return strings.ToLower(rows[i].Name) > strings.ToLower(rows[j].Name)
			}
			return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name)
		}
		a, b := rows[i].sortKeys[key], rows[j].sortKeys[key]
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case desc:
			return *a > *b
		}
		return *a < *b
	})
}

// percent shows a response rate as people read it: "91%".
func percent(x *float64) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", *x*100)
}

// flagLabel turns "below_program:availability" into words.
func flagLabel(f string) string {
	kind, attr, _ := strings.Cut(f, ":")
	label := surveys.Attribute(attr).Label()
	switch kind {
	case surveys.FlagBelowProgram:
		return label + " below program"
	case surveys.FlagBelow3:
		return label + " under 3"
	}
	return f
}
