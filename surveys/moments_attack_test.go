package surveys

import (
	"fmt"
	"testing"
)

// TestStoredMomentsDoNotRevealAMenteesMean performs the attack the stored
// moments must resist. A resident knows that mentee A answered twice and B
// and C once each (a copy of the database knows it from the answered
// links), reads a released group's moments, and tries to work out A's mean.
// Over every possible set of answers (1–5 each) it counts the stored values
// that leave only one mean for A. What a group stores must pin A down no
// more often than the response-level figures any mean with an interval
// needs (count, sum, sum of squares). The test also shows why the group
// keeps no sum over mentees: adding the clusters' residual sum of squares,
// or Σ n_j·T_j, pins A down almost always.
func TestStoredMomentsDoNotRevealAMenteesMean(t *testing.T) {
	views := map[string]map[string]map[float64]bool{}
	note := func(view, key string, aMean float64) {
		if views[view] == nil {
			views[view] = map[string]map[float64]bool{}
		}
		if views[view][key] == nil {
			views[view][key] = map[float64]bool{}
		}
		views[view][key][aMean] = true
	}
	for a1 := 1; a1 <= 5; a1++ {
		for a2 := 1; a2 <= 5; a2++ {
			for b := 1; b <= 5; b++ {
				for c := 1; c <= 5; c++ {
					var m Moments
					ta := float64(a1 + a2)
					m.AddCluster(2, ta, float64(a1*a1+a2*a2), true)
					m.AddCluster(1, float64(b), float64(b*b), true)
					m.AddCluster(1, float64(c), float64(c*c), true)
					aMean := ta / 2
					floor := fmt.Sprintf("%d %.0f %.0f", m.Responses, m.Sum, m.SumSq)
					note("floor", floor, aMean)
					note("stored", fmt.Sprintf("%s %d %d %d", floor, m.Mentees, m.Clusters, m.EffectiveClusters), aMean)
					mean := m.Sum / 4
					r := (ta-2*mean)*(ta-2*mean) + (float64(b)-mean)*(float64(b)-mean) + (float64(c)-mean)*(float64(c)-mean)
					note("with residual SS", fmt.Sprintf("%s %.6f", floor, r), aMean)
					note("with Σ n·T", fmt.Sprintf("%s %.0f", floor, 2*ta+float64(b+c)), aMean)
				}
			}
		}
	}
	pinned := map[string]float64{}
	for view, keys := range views {
		n := 0
		for _, means := range keys {
			if len(means) == 1 {
				n++
			}
		}
		pinned[view] = float64(n) / float64(len(keys))
	}
	t.Logf("share of stored values that pin down A's mean: %v", pinned)
	if pinned["stored"] > pinned["floor"] {
		t.Errorf("what a group stores pins A down for %.0f%% of its values, the response-level figures alone for %.0f%%", 100*pinned["stored"], 100*pinned["floor"])
	}
	if pinned["with residual SS"] < 0.5 || pinned["with Σ n·T"] < 0.99 {
		t.Errorf("the attack should succeed on richer sums (it is what rules them out): %v", pinned)
	}
}
