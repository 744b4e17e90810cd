package models_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// inputMoments keys report-input moments like storedMoments.
func inputMoments(resident int64, ms []surveys.ReleaseMoments) map[momentsKey]surveys.Moments {
	out := map[momentsKey]surveys.Moments{}
	for _, m := range ms {
		out[momentsKey{resident, m.Window, m.Attribute}] = m.Moments
	}
	return out
}

func only(resident int64, all map[momentsKey]surveys.Moments) map[momentsKey]surveys.Moments {
	out := map[momentsKey]surveys.Moments{}
	for k, v := range all {
		if k.resident == resident {
			out[k] = v
		}
	}
	return out
}

// TestReportInputsCarryReleasedMoments checks that both reports get the
// released moments: the resident's own, every resident's of the program
// (through the cache, refreshed by a new release), and on the program
// report each listed resident's and the whole program's whatever the PGY
// filter.
func TestReportInputsCarryReleasedMoments(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 2)
	a, b := f.residents[0], f.residents[1]
	rng := rand.New(rand.NewPCG(7, 7))
	submitGroup := func(at time.Time, resident int64) {
		for i := range 6 {
			f.submitAs(t, at.Add(time.Duration(i)*time.Hour), resident, mentee(int64(100*resident)+int64(i%3)), submissionWithGaps(rng, i))
		}
	}
	submitGroup(time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC), a.ID)
	submitGroup(time.Date(2026, 7, 11, 9, 0, 0, 0, time.UTC), b.ID)
	submitGroup(time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC), a.ID)
	f.releaseAt(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	period := surveys.Period{From: "2026-07", To: "2027-06"}

	check := func(step string) {
		t.Helper()
		all := storedMoments(t, db)
		in, err := db.ResidentInputForTest(ctx, a.ID, period)
		if err != nil {
			t.Fatal(err)
		}
		compareMoments(t, only(a.ID, all), inputMoments(a.ID, in.Moments))
		got := map[momentsKey]surveys.Moments{}
		releases := 0
		for _, rm := range in.ProgramResidents {
			for k, v := range inputMoments(rm.ResidentID, rm.Moments) {
				got[k] = v
			}
			for _, r := range rm.Releases {
				releases++
				if r.Mentees != 3 || r.Window.ID < "2026-07" {
					t.Errorf("%s: resident %d release %+v, want its own window and 3 mentees", step, rm.ResidentID, r)
				}
			}
		}
		compareMoments(t, all, got)
		if want := count(t, db, `SELECT count(*) FROM report_releases`); int64(releases) != want {
			t.Errorf("%s: program residents carry %d releases, want %d", step, releases, want)
		}

		pgy := *a.PGYYear
		pin, err := db.ProgramInputForTest(ctx, f.program, models.ProgramReportFilter{Period: period, PGYYear: &pgy})
		if err != nil {
			t.Fatal(err)
		}
		if len(pin.Residents) != 1 || pin.Residents[0].Resident.ID != a.ID {
			t.Fatalf("%s: PGY filter lists %+v, want resident a only", step, pin.Residents)
		}
		compareMoments(t, only(a.ID, all), inputMoments(a.ID, pin.Residents[0].Moments))
		got = map[momentsKey]surveys.Moments{}
		for _, rm := range pin.ProgramResidents {
			for k, v := range inputMoments(rm.ResidentID, rm.Moments) {
				got[k] = v
			}
		}
		compareMoments(t, all, got)
	}
	check("after the July quarter")
	if n := len(only(b.ID, storedMoments(t, db))); n == 0 {
		t.Fatal("resident b has no released moments")
	}
	// The cached program figures follow a new release.
	f.releaseAt(t, time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC))
	if n := count(t, db, `SELECT count(*) FROM report_releases`); n != 3 {
		t.Fatalf("%d releases, want 3", n)
	}
	check("after the October quarter")
}
