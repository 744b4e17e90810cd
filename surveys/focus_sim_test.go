package surveys

import (
	"math/rand/v2"
	"testing"
)

// focusRates simulates programs of 20 residents whose attributes all sit at
// 4.2 except resident 1's gaps, and returns how often resident 1's report
// names a focus, and how often it names want.
func focusRates(t *testing.T, seed uint64, d simDesign, gaps map[Attribute]float64, want Attribute, programs int) (named, right float64) {
	t.Helper()
	saved := programLevels
	programLevels = map[Attribute]float64{Availability: 4.2, Competence: 4.2, AltruisticSupport: 4.2, Overall: 4.2}
	defer func() { programLevels = saved }()
	rng := rand.New(rand.NewPCG(seed, uint64(d.mentees*10+d.each)))
	var n, ok int
	for p := 0; p < programs; p++ {
		prog := simProgram(rng, 20, d, gaps)
		me := prog.Residents[0]
		r := BuildResidentReport(ResidentInput{Resident: me.Resident, Period: prog.Period, MinResponses: 3, MinMentees: 3,
			Releases: me.Releases, Tallies: me.Tallies, Moments: me.Moments, ProgramResidents: prog.ProgramResidents})
		if r.Focus.Focus != nil {
			n++
			if *r.Focus.Focus == want {
				ok++
			}
		}
	}
	return float64(n) / float64(programs), float64(ok) / float64(programs)
}

// TestFocusNotNamedOnAFlatProfile: a resident whose three attributes are
// truly equal is told one of them is their weakest for at most 15% of
// simulated residents, at small and large designs.
func TestFocusNotNamedOnAFlatProfile(t *testing.T) {
	for _, d := range []simDesign{design(5, 1), design(8, 2), design(15, 3)} {
		named, _ := focusRates(t, 1, d, nil, Availability, 400)
		t.Logf("flat profile, %d mentees × %d: a focus named for %.1f%%", d.mentees, d.each, 100*named)
		if named > 0.15 {
			t.Errorf("flat profile, %d mentees × %d: a focus named for %.1f%%, want at most 15%%", d.mentees, d.each, 100*named)
		}
	}
}

// TestFocusFindsARealWeakness: with a real 0.6-point gap on availability
// and enough data, the focus names availability most of the time and
// almost never names another attribute.
func TestFocusFindsARealWeakness(t *testing.T) {
	for _, c := range []struct {
		d       simDesign
		gap     float64
		atLeast float64
	}{{design(8, 2), 0.4, 0.0}, {design(15, 3), 0.4, 0.3}, {design(15, 3), 0.8, 0.8}} {
		named, right := focusRates(t, 2, c.d, map[Attribute]float64{Availability: -c.gap}, Availability, 300)
		t.Logf("gap %.1f, %d mentees × %d: focus named %.1f%%, availability %.1f%%", c.gap, c.d.mentees, c.d.each, 100*named, 100*right)
		if right < c.atLeast {
			t.Errorf("gap %.1f, %d mentees × %d: availability named %.1f%% of the time, want at least %.0f%%", c.gap, c.d.mentees, c.d.each, 100*right, 100*c.atLeast)
		}
		if named-right > 0.05 {
			t.Errorf("gap %.1f: another attribute named as the weakest %.1f%% of the time", c.gap, 100*(named-right))
		}
	}
}
