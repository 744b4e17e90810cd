package web

// scoreBand is one step of the colour scale on the program page's scores.
// The number is always printed; the band's word beside it says the same
// as its colour, so the scale reads without colour too. Class names the
// CSS tint (app.css .band-*), each dark text on a light ground (contrast
// above 7:1).
type scoreBand struct {
	Class, Word, Range string
	// From is the band's lowest mean, inclusive.
	From float64
}

// scoreBands are the bands, highest first, on the 1–5 agreement scale: 4.5
// and above is most mentees strongly agreeing; below 3.0 is below the
// scale's neutral point, the program's "under 3" flag.
var scoreBands = []scoreBand{
	{Class: "band-high", Word: "high", Range: "4.50–5.00", From: 4.5},
	{Class: "band-good", Word: "good", Range: "4.00–4.49", From: 4.0},
	{Class: "band-fair", Word: "fair", Range: "3.00–3.99", From: 3.0},
	{Class: "band-low", Word: "low", Range: "1.00–2.99", From: 0},
}

// bandOf is the band of a mean as shown (rounded to two places), or no
// band when there is no figure.
func bandOf(mean *float64) scoreBand {
	if mean == nil {
		return scoreBand{}
	}
	m := float64(int(*mean*100+0.5)) / 100
	for _, b := range scoreBands {
		if m >= b.From {
			return b
		}
	}
	return scoreBands[len(scoreBands)-1]
}
