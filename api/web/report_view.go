package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// attributeCard is one attribute as a page shows it; figures are text,
// "–" when suppressed, "" when the page has nothing to say.
type attributeCard struct {
	Label, Mean, Interval string
	// Responses and Mentees are what the figure rests on.
	Responses, Mentees int64
	// Adjusted is the adjusted mean and its interval, "" without one.
	Adjusted, AdjustedInterval string
	// ProgramMean is the other residents' mean (a resident's card), with
	// ProgramResidents how many; Residents is how many residents a
	// program card's mean weights equally.
	ProgramMean                 string
	ProgramResidents, Residents int
	TopBox, ThreeOrLower        string
	Reliability                 reliabilityView
	N, NotApplicable            int64
	Suppressed                  bool
	Bar                         template.HTML
	Distribution                [5]int64
}

// reliabilityView says how far an adjusted figure can be trusted.
type reliabilityView struct {
	// Value is the reliability as text ("0.62"), "" when unknown.
	Value string
	// More is how many more mentees would make it reliable; 0 when it is.
	More int64
}

// Low reports whether the figure is short of surveys.ReliableAt.
func (r reliabilityView) Low() bool { return r.More > 0 }

func reliabilityOf(a surveys.Adjustment) reliabilityView {
	var r reliabilityView
	if a.Reliability != nil {
		r.Value = fmt.Sprintf("%.2f", *a.Reliability)
	}
	if a.MoreMenteesForReliable != nil {
		r.More = *a.MoreMenteesForReliable
	}
	return r
}

func cardFor(a surveys.AttributeSummary) attributeCard {
	card := attributeCard{Label: a.Label, Mean: num(a.Mean), Interval: span(a.CI95), N: a.N, NotApplicable: a.NotApplicable,
		Suppressed: a.Suppressed(), Responses: a.Responses, Mentees: a.Mentees,
		TopBox: share(a.TopBox), ThreeOrLower: share(a.ThreeOrLower)}
	if a.Distribution != nil {
		for v := range card.Distribution {
			card.Distribution[v] = a.Distribution[strconv.Itoa(v+1)]
		}
		card.Bar = frontend.DistributionBar(card.Distribution)
	}
	return card
}

// withAdjustment adds an adjusted estimate to a card.
func (c *attributeCard) withAdjustment(a surveys.Adjustment) {
	if a.AdjustedMean == nil {
		return
	}
	c.Adjusted, c.AdjustedInterval = num(a.AdjustedMean), span(a.AdjustedCI95)
	c.Reliability = reliabilityOf(a)
}

// span writes an interval as "3.10–3.80", "–" when there is none.
func span(ci *[2]float64) string {
	if ci == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f–%.2f", ci[0], ci[1])
}

// share writes a share and its interval as percentages: "40% (25–57%)".
func share(s surveys.Share) string {
	if s.Share == nil {
		return "–"
	}
	if s.CI95 == nil {
		return fmt.Sprintf("%.0f%%", *s.Share*100)
	}
	return fmt.Sprintf("%.0f%% (%.0f–%.0f%%)", *s.Share*100, s.CI95[0]*100, s.CI95[1]*100)
}

// itemGroup is one attribute's table on the per-item view.
type itemGroup struct {
	Label string
	Rows  []itemRow
}

type itemRow struct {
	Key, Text, Mean, Interval, TopBox, ThreeOrLower string
	N, NotApplicable                                int64
	Suppressed                                      bool
	// Note says when the wording changed between versions, or when some
	// groups' answers were left out.
	Note string
}

// itemNote says what a reader must know to compare the item over time.
func itemNote(it surveys.ItemSummary) string {
	var notes []string
	if it.WordingChanged {
		notes = append(notes, "Wording changed between versions ("+strings.Join(it.Versions, ", ")+"); the meaning is the same.")
	}
	if it.Partial {
		notes = append(notes, "Answers from feedback windows in which only some mentees were asked this question are left out.")
	}
	return strings.Join(notes, " ")
}

// itemGroups groups items by attribute, in the order of surveys.Attributes.
func itemGroups(items []surveys.ItemSummary) []itemGroup {
	var out []itemGroup
	for _, a := range surveys.Attributes {
		g := itemGroup{Label: a.Label()}
		for _, it := range items {
			if it.Attribute != a {
				continue
			}
			g.Rows = append(g.Rows, itemRow{Key: it.Key, Text: it.Text, Mean: num(it.Mean), Interval: span(it.CI95),
				TopBox: share(it.TopBox), ThreeOrLower: share(it.ThreeOrLower), N: it.N, NotApplicable: it.NotApplicable,
				Suppressed: it.Mean == nil, Note: itemNote(it)})
		}
		if len(g.Rows) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// chance writes a probability in plain words: "about 87%", "more than
// 99%" (a model is never that sure of "100%").
func chance(p *float64) string {
	switch {
	case p == nil:
		return ""
	case *p >= 0.99:
		return "more than 99%"
	}
	return fmt.Sprintf("about %.0f%%", *p*100)
}
