package surveys

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// programLevels are the program's latent level per attribute.
var programLevels = map[Attribute]float64{Availability: 4.0, Competence: 4.3, AltruisticSupport: 4.2, Overall: 4.2}

// simResident simulates one resident with a design and per-attribute gaps
// from the program's level (gaps[a] < 0 is below the program).
func simResident(rng *rand.Rand, id int64, d simDesign, gaps map[Attribute]float64) ResidentData {
	w, _ := WindowOfMonth("2026-07", WindowQuarter, 7)
	rd := ResidentData{Resident: ResidentRef{ID: id}, Releases: []Release{{Window: w, FirstWindow: w.ID, LastWindow: w.ID,
		Responses: int64(d.mentees * d.each), Mentees: int64(d.mentees)}}}
	for _, a := range Attributes {
		da := d
		if a == Overall {
			da.items = 1
		}
		m, ts := simAttribute(rng, programLevels[a]+gaps[a], da, w.ID, a)
		rd.Moments = append(rd.Moments, ReleaseMoments{Window: w.ID, Attribute: a, Moments: m})
		rd.Tallies = append(rd.Tallies, ts...)
	}
	return rd
}

// simProgram simulates a program of n residents with one design; resident 1
// has the given gaps, the others sit at the program's level.
func simProgram(rng *rand.Rand, n int, d simDesign, gaps map[Attribute]float64) ProgramInput {
	in := ProgramInput{Period: Period{"2026-07", "2026-09"}, MinResponses: 3, MinMentees: 3}
	for i := 1; i <= n; i++ {
		g := map[Attribute]float64{}
		if i == 1 {
			g = gaps
		}
		rd := simResident(rng, int64(i), d, g)
		in.Residents = append(in.Residents, rd)
		in.ProgramResidents = append(in.ProgramResidents, ResidentMoments{ResidentID: rd.Resident.ID, Releases: rd.Releases, Moments: rd.Moments})
		in.ProgramReleases = append(in.ProgramReleases, rd.Releases...)
	}
	return in
}

func design(mentees, each int) simDesign {
	return simDesign{mentees: mentees, each: each, menteeSD: 0.45, noiseSD: 0.6, items: 2}
}

// TestFlagsDoNotFireOnNoise: in programs where every resident sits at the
// program's level, a resident-report carries any flag at most 5% of the
// time, for small and large designs alike.
func TestFlagsDoNotFireOnNoise(t *testing.T) {
	for _, d := range []simDesign{design(3, 1), design(3, 5), design(5, 1), design(8, 2), design(15, 3)} {
		rng := rand.New(rand.NewPCG(uint64(d.mentees), uint64(d.each)))
		var flagged, reports int
		for p := 0; p < 200; p++ {
			r := BuildProgramReport(simProgram(rng, 20, d, nil))
			for _, row := range r.Residents {
				reports++
				if len(row.Flags) > 0 {
					flagged++
				}
			}
		}
		rate := float64(flagged) / float64(reports)
		t.Logf("%d mentees × %d: %.2f%% of %d resident-reports flagged", d.mentees, d.each, 100*rate, reports)
		if rate > 0.05 {
			t.Errorf("%d mentees × %d: %.1f%% of residents at the program's level flagged, want at most 5%%", d.mentees, d.each, 100*rate)
		}
	}
}

// TestFlagsDetectARealGap: a resident a whole point below the program on
// availability, with 8 mentees × 2 responses, is flagged on it at least
// 80% of the time.
func TestFlagsDetectARealGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2))
	var hit, wrong int
	const programs = 400
	for p := 0; p < programs; p++ {
		r := BuildProgramReport(simProgram(rng, 20, design(8, 2), map[Attribute]float64{Availability: -1.0}))
		for _, f := range r.Residents[0].Flags {
			switch f {
			case FlagBelowProgram + ":" + string(Availability):
				hit++
			case FlagBelowProgram + ":" + string(Competence), FlagBelowProgram + ":" + string(AltruisticSupport):
				wrong++
			}
		}
	}
	rate := float64(hit) / programs
	t.Logf("gap 1.0, 8 mentees × 2: flagged on availability in %.1f%% of %d programs; on another attribute %d times", 100*rate, programs, wrong)
	if rate < 0.8 {
		t.Errorf("detection %.1f%%, want at least 80%%", 100*rate)
	}
}

// TestDetectionGrid measures how often a below_program flag finds a real
// gap over a grid of gaps and mentees (2 responses each), for
// docs/reports.md (-v prints the table). It asserts what must hold of any
// sound rule: more data or a larger gap never makes detection much rarer.
func TestDetectionGrid(t *testing.T) {
	gaps := []float64{0.3, 0.5, 0.75, 1.0, 1.2}
	mentees := []int{3, 5, 8, 10, 15}
	const programs = 120
	rates := map[[2]int]float64{}
	var table strings.Builder
	fmt.Fprintf(&table, "| gap \\ mentees |")
	for _, k := range mentees {
		fmt.Fprintf(&table, " %d |", k)
	}
	fmt.Fprintf(&table, "\n|---|%s\n", strings.Repeat("---|", len(mentees)))
	for gi, g := range gaps {
		fmt.Fprintf(&table, "| %.2f |", g)
		for ki, k := range mentees {
			rng := rand.New(rand.NewPCG(uint64(gi), uint64(k)))
			hit := 0
			for p := 0; p < programs; p++ {
				r := BuildProgramReport(simProgram(rng, 20, design(k, 2), map[Attribute]float64{Availability: -g}))
				for _, f := range r.Residents[0].Flags {
					if f == FlagBelowProgram+":"+string(Availability) {
						hit++
					}
				}
			}
			rates[[2]int{gi, ki}] = float64(hit) / programs
			fmt.Fprintf(&table, " %.0f%% |", 100*rates[[2]int{gi, ki}])
		}
		fmt.Fprintln(&table)
	}
	t.Logf("detection of a gap on availability, 20 residents, 2 responses per mentee, %d programs per cell\n%s", programs, table.String())
	const slack = 0.12 // sampling noise of 120 programs
	for gi := range gaps {
		for ki := range mentees {
			if gi > 0 && rates[[2]int{gi, ki}] < rates[[2]int{gi - 1, ki}]-slack {
				t.Errorf("a larger gap (%.2f) is detected less often at %d mentees", gaps[gi], mentees[ki])
			}
			if ki > 0 && rates[[2]int{gi, ki}] < rates[[2]int{gi, ki - 1}]-slack {
				t.Errorf("more mentees (%d) detect a %.2f gap less often", mentees[ki], gaps[gi])
			}
		}
	}
	if rates[[2]int{len(gaps) - 1, len(mentees) - 1}] < 0.9 {
		t.Errorf("a 1.2 gap with 15 mentees is found only %.0f%% of the time", 100*rates[[2]int{len(gaps) - 1, len(mentees) - 1}])
	}
}
