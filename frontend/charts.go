package frontend

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are inline SVG written here: no JavaScript, no chart library, and
// they print. Each has a <title> for screen readers; the pages also show the
// numbers as text or a table.

// ratingShades colour the ratings 1..5 from light to dark, so a bar still
// reads in greyscale print.
var ratingShades = []string{"#dfe6f1", "#b3c6e0", "#7d9fcc", "#3f6fae", "#173f78"}

// DistributionBar draws counts of ratings 1..5 as one stacked bar.
func DistributionBar(counts [5]int64) template.HTML {
	var total int64
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return ""
	}
	var b strings.Builder
	var alt []string
	for v, n := range counts {
		alt = append(alt, fmt.Sprintf("%d rated %d", n, v+1))
	}
	fmt.Fprintf(&b, `<svg class="dist" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="%s"><title>%s</title>`,
		template.HTMLEscapeString(strings.Join(alt, ", ")), template.HTMLEscapeString(strings.Join(alt, ", ")))
	x := 0.0
	for v, n := range counts {
		if n == 0 {
			continue
		}
		w := float64(n) / float64(total) * 100
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="8" fill="%s"/>`, x, w, ratingShades[v])
		x += w
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// TrendSeries is one line of a trend chart: a value per point, nil where
// the point is suppressed.
type TrendSeries struct {
	Label  string
	Values []*float64
}

// seriesStyles tell lines apart by dash and marker as well as colour.
var seriesStyles = []struct{ colour, dash, marker string }{
	{"#1f5fae", "", "circle"},
	{"#b35c00", "6 3", "square"},
	{"#2e7d32", "2 3", "diamond"},
	{"#555", "10 3 2 3", "circle"},
}

// TrendChart draws series over labelled points on the 1–5 scale. Gaps are
// left where a point is suppressed.
func TrendChart(labels []string, series []TrendSeries) template.HTML {
	const w, h, left, right, top, bottom = 560.0, 220.0, 34.0, 30.0, 12.0, 28.0
	plotW, plotH := w-left-right, h-top-bottom
	x := func(i int) float64 {
		if len(labels) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return top + plotH*(5-v)/4 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %.0f %.0f" role="img" aria-label="Trend of mean ratings by quarter; the table below lists the values"><title>Mean ratings by quarter</title>`, w, h)
	for v := 1; v <= 5; v++ {
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#d5dae3"/><text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="#5b6475">%d</text>`,
			left, w-right, y(float64(v)), y(float64(v)), left-6, y(float64(v))+4, v)
	}
	for i, l := range labels {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="middle" fill="#5b6475">%s</text>`, x(i), h-8, template.HTMLEscapeString(l))
	}
	for si, s := range series {
		st := seriesStyles[si%len(seriesStyles)]
		var seg []string
		flush := func() {
			if len(seg) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s" points="%s"/>`, st.colour, st.dash, strings.Join(seg, " "))
			}
			seg = nil
		}
		for i, v := range s.Values {
			if v == nil {
				flush()
				continue
			}
			seg = append(seg, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
			b.WriteString(marker(st.marker, st.colour, x(i), y(*v)))
		}
		flush()
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func marker(kind, colour string, x, y float64) string {
	switch kind {
	case "square":
		return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="7" height="7" fill="%s"/>`, x-3.5, y-3.5, colour)
	case "diamond":
		return fmt.Sprintf(`<path d="M%.1f %.1fl4.5 4.5l-4.5 4.5l-4.5-4.5z" fill="%s"/>`, x, y-4.5, colour)
	}
	return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`, x, y, colour)
}

// LegendSwatch is the small line sample shown beside a series' name.
func LegendSwatch(i int) template.HTML {
	st := seriesStyles[i%len(seriesStyles)]
	return template.HTML(fmt.Sprintf(`<svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>%s</svg>`,
		st.colour, st.dash, marker(st.marker, st.colour, 14, 5)))
}
