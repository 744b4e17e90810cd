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
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// attributeCard is one attribute as a page shows it; figures are text,
// "–" when suppressed.
type attributeCard struct {
	Label, Mean, Interval, ProgramMean string
	N, NotApplicable                   int64
	Suppressed                         bool
	Bar                                template.HTML
	Distribution                       [5]int64
}

type trendRow struct {
	Period     string
	Responses  int64
	Suppressed bool
	Means      []string
}

type legendItem struct {
	Label  string
	Swatch template.HTML
}

type residentPageData struct {
	Nav         *navView
	Report      *surveys.ResidentReport
	ProgramName string
	Cards       []attributeCard
	TrendChart  template.HTML
	Legend      []legendItem
	TrendRows   []trendRow
	Attributes  []string
	FocusLabel  string
	StrongLabel string
	PDFURL      string
	FormAction  string
	BackURL     string
}

func (s *Server) dashboardPage(c echo.Context) error {
	id, err := httpkit.CurrentResidentID(c)
	if err != nil {
		return err
	}
	return s.renderResidentPage(c, id, "/dashboard", "")
}

func (s *Server) residentReportPage(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "resident")
	if err != nil {
		return err
	}
	back := ""
	if u, err := s.DB.ReportResident(c.Request().Context(), id); err == nil {
		back = fmt.Sprintf("/programs/%d/report", *u.ProgramID)
	}
	return s.renderResidentPage(c, id, c.Request().URL.Path, back)
}

func (s *Server) renderResidentPage(c echo.Context, residentID int64, action, back string) error {
	rep, err := s.LoadResidentReport(c, residentID)
	if err != nil {
		return err
	}
	d := residentPageData{Nav: s.nav(c), Report: rep, FormAction: action, BackURL: back,
		PDFURL: fmt.Sprintf("/api/v1/residents/%d/report.pdf?from=%s&to=%s", residentID, rep.Period.From, rep.Period.To)}
	if u, err := s.DB.ReportResident(c.Request().Context(), residentID); err == nil {
		if p, err := s.DB.ProgramByID(c.Request().Context(), *u.ProgramID); err == nil {
			d.ProgramName = p.Name
		}
	}
	for _, a := range rep.Attributes {
		card := cardFor(a.AttributeSummary)
		card.ProgramMean = num(a.ProgramMean)
		d.Cards = append(d.Cards, card)
	}
	var labels []string
	series := make([]frontend.TrendSeries, len(surveys.Attributes))
	for i, a := range surveys.Attributes {
		series[i].Label = a.Label()
		d.Attributes = append(d.Attributes, a.Label())
		d.Legend = append(d.Legend, legendItem{a.Label(), frontend.LegendSwatch(i)})
	}
	for _, tp := range rep.Trend {
		labels = append(labels, tp.Period)
		row := trendRow{Period: tp.Period, Responses: tp.Responses, Suppressed: tp.Suppressed}
		for i, a := range surveys.Attributes {
			series[i].Values = append(series[i].Values, tp.Attributes[a].Mean)
			row.Means = append(row.Means, num(tp.Attributes[a].Mean))
		}
		d.TrendRows = append(d.TrendRows, row)
	}
	d.TrendChart = frontend.TrendChart(labels, series)
	if rep.Focus.Focus != nil {
		d.FocusLabel, d.StrongLabel = rep.Focus.Focus.Label(), rep.Focus.Strength.Label()
	}
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "dashboard", d)
}

func cardFor(a surveys.AttributeSummary) attributeCard {
	card := attributeCard{Label: a.Label, Mean: num(a.Mean), Interval: "–", N: a.N, NotApplicable: a.NotApplicable, Suppressed: a.Suppressed()}
	if a.CI95 != nil {
		card.Interval = fmt.Sprintf("%.2f–%.2f", a.CI95[0], a.CI95[1])
	}
	if a.Distribution != nil {
		for v := range card.Distribution {
			card.Distribution[v] = a.Distribution[strconv.Itoa(v+1)]
		}
		card.Bar = frontend.DistributionBar(card.Distribution)
	}
	return card
}

// programRow is one resident in the program page's table.
type programRow struct {
	ID                     int64
	Name, PGY, Rate, URL   string
	Responses, Invitations int64
	Means                  []string
	Suppressed             bool
	Flags                  []string
	sortKeys               map[string]*float64
}

// sortLink is a column heading that sorts the table; Sort is its
// aria-sort value when the table is sorted by it.
type sortLink struct {
	Label, URL, Arrow, Sort string
	Numeric                 bool
}

type programPageData struct {
	Nav        *navView
	Report     *surveys.ProgramReport
	Cards      []attributeCard
	Rows       []programRow
	Headers    []sortLink
	PGY        int
	PGYOptions []int
	CSVURL     string
	FormAction string
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
	id, q, rep, err := s.LoadProgramReport(c)
	if err != nil {
		return err
	}
	d := programPageData{Nav: s.nav(c), Report: rep, FormAction: c.Request().URL.Path, PGYOptions: accounts.PGYYears()}
	if q.PGYYear != nil {
		d.PGY = *q.PGYYear
	}
	for _, a := range rep.Attributes {
		d.Cards = append(d.Cards, cardFor(a.AttributeSummary))
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
			row.Means = append(row.Means, num(r.Attributes[a].Mean))
			row.sortKeys[string(a)] = r.Attributes[a].Mean
		}
		for _, f := range r.Flags {
			row.Flags = append(row.Flags, flagLabel(f))
		}
		d.Rows = append(d.Rows, row)
	}
	sortKey, desc := c.QueryParam("sort"), c.QueryParam("dir") == "desc"
	if !slices.ContainsFunc(programSortKeys, func(k struct{ key, label string }) bool { return k.key == sortKey }) {
		sortKey = ""
	}
	sortRows(d.Rows, sortKey, desc)
	d.Sort, d.Desc = sortKey, desc
	base := url.Values{"from": {rep.Period.From}, "to": {rep.Period.To}}
	if q.PGYYear != nil {
		base.Set("pgy_year", strconv.Itoa(*q.PGYYear))
	}
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
		link.URL = d.FormAction + "?" + v.Encode()
		d.Headers = append(d.Headers, link)
	}
	csv := url.Values{"format": {"csv"}}
	for key, vals := range base {
		csv[key] = vals
	}
	d.CSVURL = fmt.Sprintf("/api/v1/programs/%d/report?%s", id, csv.Encode())
	httpkit.NoStore(c)
	return s.render(c, http.StatusOK, "program_report", d)
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
