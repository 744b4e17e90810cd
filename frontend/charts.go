package frontend

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are inline SVG written here: no JavaScript, no chart library, and
// they print. Each has a <title> for screen readers; the pages also show the
// numbers as text or a table.

// barColour fills the distribution's bars: one colour, dark enough to read
// in greyscale print; the rating is the label under each bar.
const barColour = "#3f6fae"

// DistributionBar draws counts of ratings 1..5 as five labelled columns,
// each with its count above it, so the chart reads without a legend even
// where a rating has one or two votes.
func DistributionBar(counts [5]int64) template.HTML {
	const w, h, slot, bar, top, base = 200.0, 78.0, 40.0, 26.0, 14.0, 62.0
	var total, peak int64
	for _, n := range counts {
		total += n
		peak = max(peak, n)
	}
	if total == 0 {
		return ""
	}
	var b strings.Builder
	var alt []string
	for v, n := range counts {
		alt = append(alt, fmt.Sprintf("%d rated %d", n, v+1))
	}
	label := template.HTMLEscapeString("Ratings: " + strings.Join(alt, ", "))
	fmt.Fprintf(&b, `<svg class="dist" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, w, h, label, label)
	fmt.Fprintf(&b, `<line x1="0" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#8a93a3"/>`, w, base+0.5, base+0.5)
	for v, n := range counts {
		cx := slot*float64(v) + slot/2
		bh := (base - top) * float64(n) / float64(peak)
		if n > 0 {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.0f" height="%.1f" fill="%s"/>`, cx-bar/2, base-bh, bar, bh, barColour)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="#1d2433">%d</text>`, cx, base-bh-3, n)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" text-anchor="middle" font-weight="700" fill="#535c6d">%d</text>`, cx, h-2, v+1)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// TrendSeries is one line of a trend chart: a value per point, nil where
// the point is suppressed, and optionally its 95% interval (nil: none).
type TrendSeries struct {
	Label     string
	Values    []*float64
	Intervals []*[2]float64
}

// seriesStyles tell lines apart by dash and marker as well as colour.
var seriesStyles = []struct{ colour, dash, marker string }{
	{"#1f5fae", "", "circle"},
	{"#b35c00", "6 3", "square"},
	{"#2e7d32", "2 3", "diamond"},
	{"#555", "10 3 2 3", "circle"},
}

// TrendChart draws series over labelled points on the 1–5 scale, each
// point with a whisker for its 95% interval. Gaps are left where a point is
// suppressed. Series are drawn a few units apart at each point so that
// their whiskers do not hide one another. The drawing is narrow (320 units) so
// that its 12-unit labels stay readable when a phone shrinks it; the
// stylesheet caps its width on larger screens.
func TrendChart(labels []string, series []TrendSeries) template.HTML {
	const w, h, left, right, top, bottom = 320.0, 190.0, 24.0, 16.0, 10.0, 34.0
	plotW, plotH := w-left-right, h-top-bottom
	x := func(i int) float64 {
		if len(labels) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return top + plotH*(5-v)/4 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %.0f %.0f" role="img" aria-label="Trend of mean ratings by window, with 95%% intervals as whiskers; the table lists the values"><title>Mean ratings by window, with 95%% intervals</title>`, w, h)
	for v := 1; v <= 5; v++ {
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#d5dae3"/><text x="%.0f" y="%.1f" font-size="12" text-anchor="end" fill="#535c6d">%d</text>`,
			left, w-right, y(float64(v)), y(float64(v)), left-7, y(float64(v))+4, v)
	}
	// At most about eight labelled quarters fit; the table has them all.
	every := (len(labels) + 7) / 8
	for i, l := range labels {
		if i%every != 0 && i != len(labels)-1 {
			continue
		}
		year, quarter, ok := strings.Cut(l, "-")
		if !ok {
			year, quarter = "", l
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" text-anchor="middle" fill="#535c6d">%s`, x(i), h-bottom+16, template.HTMLEscapeString(quarter))
		// The year under the first quarter shown and under each first quarter.
		if year != "" && (i == 0 || quarter == "Q1" || quarter == "01") {
			fmt.Fprintf(&b, `<tspan x="%.1f" dy="14">%s</tspan>`, x(i), template.HTMLEscapeString(year))
		}
		b.WriteString(`</text>`)
	}
	for si, s := range series {
		st := seriesStyles[si%len(seriesStyles)]
		dx := (float64(si) - float64(len(series)-1)/2) * 4
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
			px := x(i) + dx
			if i < len(s.Intervals) && s.Intervals[i] != nil {
				lo, hi := y(s.Intervals[i][0]), y(s.Intervals[i][1])
				fmt.Fprintf(&b, `<path class="whisker" d="M%.1f %.1fV%.1fM%.1f %.1fh4M%.1f %.1fh4" stroke="%s" stroke-width="1.2" fill="none"/>`,
					px, hi, lo, px-2, hi, px-2, lo, st.colour)
			}
			seg = append(seg, fmt.Sprintf("%.1f,%.1f", px, y(*v)))
			b.WriteString(marker(st.marker, st.colour, px, y(*v)))
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
