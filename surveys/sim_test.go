package surveys

import (
	"math"
	"math/rand/v2"
)

// Simulated programs with a known truth, for the statistics tests. A
// rating is the resident's latent level for the attribute, plus the
// mentee's effect (SD menteeSD, the same in all of that mentee's
// responses), plus answer noise (SD noiseSD, fresh for every item),
// rounded and clamped to 1–5: most ratings land on 4 and 5 when the level
// is above 4, as real mentoring ratings do.

// simDesign is how much data one resident has.
type simDesign struct {
	mentees, each int     // mentees, and responses from each
	menteeSD      float64 // SD of mentee effects
	noiseSD       float64 // SD of answer noise
	items         int     // items of the attribute per response
	sizes         []int   // responses per mentee, when they differ
}

// rating draws one clamped, rounded rating.
func rating(latent float64) int {
	v := int(math.Round(latent))
	return min(5, max(1, v))
}

// simAttribute simulates one resident's responses to one attribute: the
// moments a release would store and the item tallies.
func simAttribute(rng *rand.Rand, level float64, d simDesign, window string, a Attribute) (Moments, []Tally) {
	var m Moments
	items := make([]Tally, d.items)
	for i := range items {
		items[i] = Tally{Window: window, Item: string(a) + string(rune('1'+i)), Attribute: a}
	}
	sizes := d.sizes
	if sizes == nil {
		sizes = make([]int, d.mentees)
		for j := range sizes {
			sizes[j] = d.each
		}
	}
	for _, each := range sizes {
		u := rng.NormFloat64() * d.menteeSD
		var total, sq float64
		for k := 0; k < each; k++ {
			var sum int
			for i := range items {
				v := rating(level + u + rng.NormFloat64()*d.noiseSD)
				items[i].Add(&v)
				sum += v
			}
			score := float64(sum) / float64(d.items)
			total += score
			sq += score * score
		}
		m.AddCluster(int64(each), total, sq, true)
	}
	return m, items
}

// trueMean is the expected rating at a latent level when mentee effect and
// noise together have SD sd: the truth a resident's mean estimates.
func trueMean(level, sd float64) float64 {
	if sd == 0 {
		return float64(min(5, max(1, int(math.Round(level)))))
	}
	cdf := func(x float64) float64 { return normalCDF((x - level) / sd) }
	mean := 0.0
	for k := 1; k <= 5; k++ {
		lo, hi := cdf(float64(k)-0.5), cdf(float64(k)+0.5)
		if k == 1 {
			lo = 0
		}
		if k == 5 {
			hi = 1
		}
		mean += float64(k) * (hi - lo)
	}
	return mean
}
