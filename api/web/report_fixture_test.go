package web

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// A program built straight from answers, through the report maths, with
// every figure the model gives (moments per mentee, adjusted means,
// funnels): what the pages show once released groups carry their moments.

// syntheticResident is one resident of the synthetic program: a level per
// attribute, how many mentees, and how many responses each gives.
type syntheticResident struct {
	name     string
	pgy      int
	level    map[surveys.Attribute]float64
	mentees  int
	perMente int
}

// syntheticProgram are nine residents around 4.2, one far below on
// availability with many mentees, one below with only three.
var syntheticProgram = []syntheticResident{
	{"Dr. Ana Silva", 1, levels(4.3, 4.2, 4.4), 8, 2},
	{"Dr. Ben Okoro", 2, levels(4.1, 4.3, 4.2), 6, 2},
	{"Dr. Cleo Park", 2, levels(4.4, 4.1, 4.3), 10, 2},
	{"Dr. Dev Rao", 3, levels(2.7, 4.0, 4.1), 18, 2},
	{"Dr. Eun-ji Han", 1, levels(4.2, 4.4, 4.0), 5, 1},
	{"Dr. Femi Adeyemi", 3, levels(3.2, 4.0, 4.2), 3, 2},
	{"Dr. Gita Bose", 2, levels(4.5, 4.5, 4.6), 12, 2},
	{"Dr. Hugo Laurent", 1, levels(4.0, 3.9, 4.1), 7, 2},
	{"Dr. Ines Moreau", 3, levels(4.2, 4.2, 4.2), 9, 1},
}

func levels(avail, comp, support float64) map[surveys.Attribute]float64 {
	return map[surveys.Attribute]float64{surveys.Availability: avail, surveys.Competence: comp,
		surveys.AltruisticSupport: support, surveys.Overall: (avail + comp + support) / 3}
}

// syntheticPeriod is two quarters (windows from July).
var syntheticPeriod = surveys.Period{From: "2026-01", To: "2026-06"}

type syntheticData struct {
	program   surveys.ProgramInput
	residents map[string]surveys.ResidentInput
}

// buildSynthetic draws answers with a fixed seed and turns them into the
// inputs of BuildProgramReport and BuildResidentReport.
func buildSynthetic() syntheticData {
	rng := rand.New(rand.NewPCG(7, 11))
	windows := syntheticPeriod.Windows(surveys.WindowQuarter, 7)
	in := surveys.ProgramInput{Program: surveys.ProgramRef{ID: 1, Name: "Internal Medicine"}, Period: syntheticPeriod,
		MinResponses: 3, MinMentees: 3, ReleaseWindow: surveys.WindowQuarter}
	type own struct {
		releases []surveys.Release
		tallies  []surveys.Tally
		moments  []surveys.ReleaseMoments
	}
	owns := map[int64]*own{}
	for i, sr := range syntheticProgram {
		id := int64(i + 1)
		o := &own{}
		owns[id] = o
		for wi, w := range windows {
			var rs []syntheticAnswer
			for m := 1; m <= sr.mentees; m++ {
				// Mentees answer in either window, some in both.
				if (m+wi)%3 == 0 && sr.mentees > 3 {
					continue
				}
				effect := rng.NormFloat64() * 0.3
				for range sr.perMente {
					ans := map[string]int{}
					for _, it := range surveys.Default().Items {
						if it.Key == "A2" && rng.IntN(8) == 0 {
							ans[it.Key] = 0
							continue
						}
						v := sr.level[it.Attribute] + effect + rng.NormFloat64()*0.6
						if it.Key == "A2" {
							v -= 0.3
						}
						ans[it.Key] = int(math.Max(1, math.Min(5, math.Round(v))))
					}
					rs = append(rs, syntheticAnswer{mentee: int(id)*100 + m, answers: ans})
				}
			}
			tallies, moments, mentees := syntheticGroup(w.ID, rs)
			rel := surveys.Release{Window: w, FirstWindow: w.ID, LastWindow: w.ID, Responses: int64(len(rs)), Mentees: mentees}
			o.releases = append(o.releases, rel)
			o.tallies = append(o.tallies, tallies...)
			o.moments = append(o.moments, moments...)
		}
		in.ProgramReleases = append(in.ProgramReleases, o.releases...)
		in.ProgramTallies = append(in.ProgramTallies, o.tallies...)
		in.ProgramResidents = append(in.ProgramResidents, surveys.ResidentMoments{ResidentID: id, Releases: o.releases, Moments: o.moments})
		pgy := sr.pgy
		var responses int64
		for _, r := range o.releases {
			responses += r.Responses
		}
		in.Residents = append(in.Residents, surveys.ResidentData{Resident: surveys.ResidentRef{ID: id, Name: sr.name, PGYYear: &pgy},
			Releases: o.releases, Tallies: o.tallies, Moments: o.moments,
			Links: surveys.LinkCounts{Created: responses + 3, Completed: responses, Declined: 1}})
	}
	d := syntheticData{program: in, residents: map[string]surveys.ResidentInput{}}
	for i, sr := range syntheticProgram {
		id := int64(i + 1)
		o := owns[id]
		pgy := sr.pgy
		d.residents[sr.name] = surveys.ResidentInput{Resident: surveys.ResidentRef{ID: id, Name: sr.name, PGYYear: &pgy},
			Period: syntheticPeriod, MinResponses: 3, MinMentees: 3, ReleaseWindow: surveys.WindowQuarter, Windows: windows,
			Releases: o.releases, ProgramReleases: in.ProgramReleases, Tallies: o.tallies, ProgramTallies: in.ProgramTallies,
			Moments: o.moments, ProgramResidents: in.ProgramResidents,
			KeepDoing: []string{"Kept time for me.", "Answered my messages the same day."},
			NextTime:  []string{"Agree on the next meeting before we part."}}
	}
	return d
}

// syntheticAnswer is one response: its mentee and its answers by item (0
// is "not applicable").
type syntheticAnswer struct {
	mentee  int
	answers map[string]int
}

// syntheticGroup turns one window's responses into what a release stores:
// item tallies and per-attribute moments with each mentee a cluster.
func syntheticGroup(window string, rs []syntheticAnswer) ([]surveys.Tally, []surveys.ReleaseMoments, int64) {
	type acc struct {
		n         int64
		total, sq float64
	}
	byItem := map[string]*surveys.Tally{}
	per := map[surveys.Attribute]map[int]*acc{}
	people := map[int]bool{}
	for _, r := range rs {
		people[r.mentee] = true
		ans := map[string]*int{}
		for k, v := range r.answers {
			it, _ := surveys.Default().Item(k)
			if byItem[k] == nil {
				byItem[k] = &surveys.Tally{Window: window, Item: k, Attribute: it.Attribute}
			}
			if v == 0 {
				byItem[k].Add(nil)
				continue
			}
			v := v
			byItem[k].Add(&v)
			ans[k] = &v
		}
		for a, sc := range surveys.Default().Scores(ans) {
			if sc == nil {
				continue
			}
			if per[a] == nil {
				per[a] = map[int]*acc{}
			}
			if per[a][r.mentee] == nil {
				per[a][r.mentee] = &acc{}
			}
			c := per[a][r.mentee]
			c.n++
			c.total += *sc
			c.sq += *sc * *sc
		}
	}
	var tallies []surveys.Tally
	for _, it := range surveys.Default().Items {
		if t := byItem[it.Key]; t != nil {
			tallies = append(tallies, *t)
		}
	}
	var ms []surveys.ReleaseMoments
	for _, a := range surveys.Attributes {
		var m surveys.Moments
		for _, c := range per[a] {
			m.AddCluster(c.n, c.total, c.sq, true)
		}
		if m.Responses > 0 {
			ms = append(ms, surveys.ReleaseMoments{Window: window, Attribute: a, Moments: m})
		}
	}
	return tallies, ms, int64(len(people))
}

func (d syntheticData) programReport() *surveys.ProgramReport {
	r := surveys.BuildProgramReport(d.program)
	return &r
}

func (d syntheticData) residentReport(name string) *surveys.ResidentReport {
	in, ok := d.residents[name]
	if !ok {
		panic(fmt.Sprintf("no synthetic resident %q", name))
	}
	r := surveys.BuildResidentReport(in)
	return &r
}
