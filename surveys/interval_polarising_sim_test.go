package surveys

import (
	"math/rand/v2"
	"testing"
)

// TestIntervalCoverageForAPolarisingResident records the price of keeping
// no mentee structure per group: a resident whose mentees disagree three
// times as much as the program's (mentee SD 0.9 among 0.3) is covered less
// often than 95%, because the split of their spread between mentees and
// answers is borrowed from the program. docs/reports.md gives the figures;
// the test holds them above 80%.
func TestIntervalCoverageForAPolarisingResident(t *testing.T) {
	for _, each := range []int{1, 2, 5} {
		for _, k := range []int{3, 8} {
			rng := rand.New(rand.NewPCG(uint64(each), uint64(k)))
			var covered, n int
			for p := 0; p < 400; p++ {
				var ms []Moments
				var mine Moments
				lvl := 4.3 + rng.NormFloat64()*0.25
				for r := 0; r < 10; r++ {
					d := simDesign{mentees: k, each: each, menteeSD: 0.3, noiseSD: 0.6, items: 2}
					if r == 0 {
						d.menteeSD = 0.9
						mine, _ = simAttribute(rng, lvl, d, "w", Availability)
						ms = append(ms, mine)
						continue
					}
					m, _ := simAttribute(rng, 4.3+rng.NormFloat64()*0.25, d, "w", Availability)
					ms = append(ms, m)
				}
				e, _ := EstimateOf(PoolOf(mine), EstimateComponents(ms))
				lo, hi := e.Interval95()
				truth := trueMean(lvl, sqrtSum(0.9, 0.6))
				n++
				if lo <= truth && truth <= hi {
					covered++
				}
			}
			cov := float64(covered) / float64(n)
			t.Logf("polarising resident (mentee SD 0.9 among 0.3), %d × %d: coverage %.1f%%", k, each, 100*cov)
			if cov < 0.8 {
				t.Errorf("polarising resident, %d mentees × %d: coverage %.1f%%, want at least 80%%", k, each, 100*cov)
			}
		}
	}
}
