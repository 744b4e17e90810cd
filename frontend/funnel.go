package frontend

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// FunnelLimit is the funnel at one number of mentees: the 95% (Inner) and
// 99.8% (Outer) limits around the program mean.
type FunnelLimit struct {
	Mentees      int64
	Inner, Outer [2]float64
}

// FunnelPoint is one resident on a funnel plot.
type FunnelPoint struct {
	Label   string
	Mentees int64
	Value   float64
}

// Funnel is what FunnelChart draws for one attribute.
type Funnel struct {
	Title  string
	Mean   float64
	Limits []FunnelLimit
	Points []FunnelPoint
}

// Outside says where a value lies against the funnel at a number of
// mentees: 0 inside the 95% limits, 1 outside them, 2 outside the 99.8%
// limits; negative when below. Limits between listed steps are
// interpolated; beyond the last, the last applies.
func (f Funnel) Outside(mentees int64, v float64) int {
	inner, outer, ok := f.limitsAt(mentees)
	if !ok {
		return 0
	}
	sign := 1
	if v < f.Mean {
		sign = -1
	}
	switch {
	case v < outer[0] || v > outer[1]:
		return 2 * sign
	case v < inner[0] || v > inner[1]:
		return sign
	}
	return 0
}

func (f Funnel) limitsAt(k int64) (inner, outer [2]float64, ok bool) {
	ls := f.Limits
	if len(ls) == 0 {
		return inner, outer, false
	}
	if k <= ls[0].Mentees {
		return ls[0].Inner, ls[0].Outer, true
	}
	for i := 1; i < len(ls); i++ {
		if k <= ls[i].Mentees {
			a, b := ls[i-1], ls[i]
			t := float64(k-a.Mentees) / float64(b.Mentees-a.Mentees)
			lerp := func(x, y [2]float64) [2]float64 {
				return [2]float64{x[0] + t*(y[0]-x[0]), x[1] + t*(y[1]-x[1])}
			}
			return lerp(a.Inner, b.Inner), lerp(a.Outer, b.Outer), true
		}
	}
	last := ls[len(ls)-1]
	return last.Inner, last.Outer, true
}

// FunnelChart draws a funnel plot: across, the number of mentees a
// resident's figure rests on; up, their adjusted mean; the program mean as
// a line, the 95% limits as solid curves and the 99.8% limits as dashed
// ones. A resident inside the 95% limits is an open circle, outside them a
// filled square, outside the 99.8% limits a filled diamond, so the chart
// reads without colour. The page lists the residents outside the limits as
// text; the chart's <desc> says the same.
func FunnelChart(f Funnel, desc string) template.HTML {
	if len(f.Limits) == 0 {
		return ""
	}
	const w, h, left, right, top, bottom = 320.0, 200.0, 30.0, 12.0, 10.0, 36.0
	plotW, plotH := w-left-right, h-top-bottom
	maxK := f.Limits[len(f.Limits)-1].Mentees
	lo, hi := f.Mean, f.Mean
	for _, l := range f.Limits {
		lo, hi = math.Min(lo, l.Outer[0]), math.Max(hi, l.Outer[1])
	}
	for _, p := range f.Points {
		maxK = max(maxK, p.Mentees)
		lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
	}
	// Whole or half points on the axis, inside the 1–5 scale.
	lo, hi = math.Max(1, math.Floor(lo*2)/2), math.Min(5, math.Ceil(hi*2)/2)
	if hi-lo < 1 {
		lo, hi = math.Max(1, hi-1), math.Max(hi, lo+1)
	}
	x := func(k float64) float64 { return left + plotW*k/float64(maxK) }
	y := func(v float64) float64 { return top + plotH*(hi-v)/(hi-lo) }
	var b strings.Builder
	t := template.HTMLEscapeString(f.Title)
	fmt.Fprintf(&b, `<svg class="funnel" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title><desc>%s</desc>`,
		w, h, t, t, template.HTMLEscapeString(desc))
	step := 0.5
	if hi-lo > 2 {
		step = 1
	}
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#e3e7ee"/><text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="#535c6d">%s</text>`,
			left, w-right, y(v), y(v), left-5, y(v)+4, strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0"))
	}
	for _, k := range funnelTicks(maxK) {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="middle" fill="#535c6d">%d</text>`, x(float64(k)), h-bottom+14, k)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="11" text-anchor="middle" fill="#535c6d">mentees</text>`, left+plotW/2, h-4)
	// Past the last step the limits are drawn level, as Outside judges
	// them: wider than they would be, so no point looks further out than
	// it is.
	limits := f.Limits
	if last := limits[len(limits)-1]; last.Mentees < maxK {
		limits = append(limits[:len(limits):len(limits)], FunnelLimit{Mentees: maxK, Inner: last.Inner, Outer: last.Outer})
	}
	curve := func(pick func(FunnelLimit) float64) string {
		var pts []string
		for _, l := range limits {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(l.Mentees)), y(pick(l))))
		}
		return strings.Join(pts, " ")
	}
	for _, c := range []struct {
		pick func(FunnelLimit) float64
		dash string
	}{
		{func(l FunnelLimit) float64 { return l.Inner[0] }, ""},
		{func(l FunnelLimit) float64 { return l.Inner[1] }, ""},
		{func(l FunnelLimit) float64 { return l.Outer[0] }, "5 3"},
		{func(l FunnelLimit) float64 { return l.Outer[1] }, "5 3"},
	} {
		fmt.Fprintf(&b, `<polyline fill="none" stroke="#7a8599" stroke-width="1.3" stroke-dasharray="%s" points="%s"/>`, c.dash, curve(c.pick))
	}
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#1d2433" stroke-width="1.5"/>`, left, w-right, y(f.Mean), y(f.Mean))
	for _, p := range f.Points {
		px, py := x(float64(p.Mentees)), y(p.Value)
		label := template.HTMLEscapeString(fmt.Sprintf("%s: %.2f, %d mentees", p.Label, p.Value, p.Mentees))
		switch o := f.Outside(p.Mentees, p.Value); {
		case o == 2 || o == -2:
			fmt.Fprintf(&b, `<path d="M%.1f %.1fl5 5l-5 5l-5-5z" fill="#b3261e"><title>%s</title></path>`, px, py-5, label)
		case o != 0:
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="8" height="8" fill="#b35c00"><title>%s</title></rect>`, px-4, py-4, label)
		default:
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="#fff" stroke="#1f5fae" stroke-width="1.5"><title>%s</title></circle>`, px, py, label)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// funnelTicks are a few round numbers of mentees for the x axis.
func funnelTicks(maxK int64) []int64 {
	step := int64(5)
	switch {
	case maxK > 100:
		step = 50
	case maxK > 50:
		step = 25
	case maxK > 25:
		step = 10
	}
	var out []int64
	for k := int64(0); k <= maxK; k += step {
		out = append(out, k)
	}
	return out
}
