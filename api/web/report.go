package web

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/surveys"
)

type trendRow struct {
	Period, FirstWindow string
	Responses           int64
	Suppressed          bool
	Cells               []trendCell
}

// trendCell is one attribute at one window: its mean and 95% interval.
type trendCell struct{ Mean, Interval string }

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
	Items       []itemGroup
	// HasAdjusted says whether any card has an adjusted mean.
	HasAdjusted bool
	// FocusLabel and StrongLabel name the focus and the strength when the
	// report names them, with FocusChance and StrongChance the model's
	// probability in words.
	FocusLabel, FocusChance   string
	StrongLabel, StrongChance string
	PDFURL                    string
	PacketURL                 string
	FormAction                string
	BackURL                   string
	// Voice says whether the page speaks to the resident or about them.
	Voice reportVoice
	// Period is the form's months, with messages when they were wrong.
	Period periodForm
	// WeakestText and WeakestMean name the lowest-rated question, for its
	// suggestions; WeakestTarget is its goal target ("item:A2").
	WeakestText, WeakestMean, WeakestTarget string
	// Growth is the self-comparison and goals: the resident's own, or
	// what they shared for a director.
	Growth *growthView
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
	res, q, err := s.ResidentReportRequest(c, residentID)
	if err != nil {
		return err
	}
	self := httpkit.CurrentUser(c) != nil && httpkit.CurrentUser(c).ID == res.ID
	d := residentPageData{Nav: s.nav(c), FormAction: action, BackURL: back, Voice: voiceFor(res.Name, self),
		PacketURL: fmt.Sprintf("/api/v1/residents/%d/review-packet.pdf", residentID)}
	if p, err := s.DB.ProgramByID(c.Request().Context(), *res.ProgramID); err == nil {
		d.ProgramName = p.Name
	}
	if d.Growth, err = s.growthFor(c, residentID, self, d.Voice.Formal); err != nil {
		return err
	}
	httpkit.NoStore(c)
	period, err := s.ParsePeriod(q)
	if err != nil {
		form, ok := periodFailure(err, q.From, q.To)
		if !ok {
			return err
		}
		// The form as typed, beside its messages, and no figures.
		d.Period = form
		d.Report = &surveys.ResidentReport{Resident: surveys.ResidentRef{ID: res.ID, Name: res.Name, PGYYear: res.PGYYear}}
		return s.render(c, http.StatusUnprocessableEntity, "dashboard", d)
	}
	rep, err := s.ResidentReportFor(c, res, period)
	if err != nil {
		return err
	}
	d.Report, d.Period = rep, periodForm{From: rep.Period.From, To: rep.Period.To}
	d.PDFURL = fmt.Sprintf("/api/v1/residents/%d/report.pdf?from=%s&to=%s", residentID, rep.Period.From, rep.Period.To)
	d.fill(rep)
	return s.render(c, http.StatusOK, "dashboard", d)
}

// fill turns the report into the page's cards, trend, items and focus.
func (d *residentPageData) fill(rep *surveys.ResidentReport) {
	for _, a := range rep.Attributes {
		card := cardFor(a.AttributeSummary)
		card.ProgramMean, card.ProgramResidents = num(a.ProgramMean), a.ProgramResidents
		card.withAdjustment(a.Adjustment)
		d.HasAdjusted = d.HasAdjusted || card.Adjusted != ""
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
		if tp.FirstWindow != "" && tp.FirstWindow != tp.Period {
			row.FirstWindow = tp.FirstWindow
		}
		for i, a := range surveys.Attributes {
			v := tp.Attributes[a]
			series[i].Values = append(series[i].Values, v.Mean)
			series[i].Intervals = append(series[i].Intervals, v.CI95)
			row.Cells = append(row.Cells, trendCell{Mean: num(v.Mean), Interval: span(v.CI95)})
		}
		d.TrendRows = append(d.TrendRows, row)
	}
	d.TrendChart = frontend.TrendChart(labels, series)
	d.Items = itemGroups(rep.Items)
	if f := rep.Focus; f.Focus != nil {
		d.FocusLabel, d.FocusChance = f.Focus.Label(), chance(f.FocusProbability)
	}
	if f := rep.Focus; f.Strength != nil {
		d.StrongLabel, d.StrongChance = f.Strength.Label(), chance(f.StrengthProbability)
	}
	if k := rep.Focus.WeakestItem; k != nil {
		for _, it := range rep.Items {
			if it.Key == *k {
				d.WeakestText, d.WeakestMean, d.WeakestTarget = it.Text, num(it.Mean)+" ["+span(it.CI95)+"]", surveys.TargetItem+":"+it.Key
			}
		}
	}
}
