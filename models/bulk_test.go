package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestBulkLoadMatchesLiveSubmissions loads the same responses through the
// live submission path and through the bulk loader: every aggregate and
// report must come out the same, and both must match brute force.
func TestBulkLoadMatchesLiveSubmissions(t *testing.T) {
	const min = 4
	type planned struct {
		resident int
		mentee   int64
		at       time.Time
		sub      surveys.Submission
	}
	rng := rand.New(rand.NewPCG(21, 4))
	var plan []planned
	at := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
	for i := range 70 {
		at = at.Add(time.Duration(rng.IntN(120)) * time.Hour)
		r := rng.IntN(3)
		plan = append(plan, planned{r, int64(10*r + rng.IntN(2+2*r)), at, randomSubmission(rng, fmt.Sprint(i))})
	}
	end := at
	ctx := context.Background()

	live := dbtest.New(t)
	lf := newFixture(t, live, min, 3)
	nextClose := lf.program.WindowOf(plan[0].at).End()
	var sims []simSubmission
	for _, p := range plan {
		for !p.at.Before(nextClose) {
			lf.releaseAt(t, nextClose)
			nextClose = lf.program.WindowOf(nextClose).End()
		}
		lf.submitAs(t, p.at, lf.residents[p.resident].ID, &p.mentee, p.sub)
		sims = append(sims, simSubmission{lf.residents[p.resident].ID, lf.program.WindowOf(p.at), &p.mentee, p.sub.Answers})
	}
	lf.releaseAt(t, end)

	bulk := dbtest.New(t)
	bulk.Now = func() time.Time { return end }
	bf := newFixture(t, bulk, min, 3)
	err := bulk.WithTx(ctx, func(ctx context.Context) error {
		l := bulk.NewBulkLoader()
		for _, p := range plan {
			if err := l.Add(ctx, models.BulkResponse{ResidentID: bf.residents[p.resident].ID, MenteeID: &p.mentee, At: p.at, Instrument: surveys.Default(), Submission: p.sub}); err != nil {
				return err
			}
		}
		return l.Close(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := stored(t, live)
	if len(want.releases) < 3 {
		t.Fatalf("the plan should make several releases: %v", want.releases)
	}
	if diff := cmp.Diff(want, stored(t, bulk), cmp.AllowUnexported(released{})); diff != "" {
		t.Errorf("bulk releases differ from live ones (-live +bulk):\n%s", diff)
	}
	if diff := cmp.Diff(simulate(sims, lf.program, end), want, cmp.AllowUnexported(released{})); diff != "" {
		t.Errorf("live releases differ from the rule (-want +got):\n%s", diff)
	}
	// The mentee-level moments too: the loader seals each mentee's sums as
	// the mixer would, so the releases keep the same clusters. Residents
	// are compared by position, sums to rounding.
	liveMoments, bulkMoments := storedMoments(t, live), storedMoments(t, bulk)
	byPosition := func(f *fixture, m map[momentsKey]surveys.Moments) map[momentsKey]surveys.Moments {
		out := map[momentsKey]surveys.Moments{}
		for k, v := range m {
			for i, r := range f.residents {
				if r.ID == k.resident {
					k.resident = int64(i)
					break
				}
			}
			out[k] = v
		}
		return out
	}
	if len(liveMoments) < 3*len(surveys.Attributes) {
		t.Errorf("live releases keep %d moments rows, want one per attribute of each release", len(liveMoments))
	}
	compareMoments(t, byPosition(lf, liveMoments), byPosition(bf, bulkMoments))
	for _, m := range liveMoments {
		if m.Mentees == 0 || m.Clusters != m.Mentees {
			t.Errorf("every planned response has a mentee, yet moments %+v count other raters", m)
		}
	}
	period := surveys.Period{From: "2026-01", To: "2026-12"}
	for i := range lf.residents {
		lr, err := live.ResidentReport(ctx, lf.residents[i].ID, period)
		if err != nil {
			t.Fatal(err)
		}
		br, err := bulk.ResidentReport(ctx, bf.residents[i].ID, period)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(asJSON(t, lr), asJSON(t, br)); diff != "" {
			t.Errorf("resident %d report differs (-live +bulk):\n%s", i, diff)
		}
	}
	lp, err := live.ProgramReport(ctx, lf.program.ID, models.ProgramReportFilter{Period: period})
	if err != nil {
		t.Fatal(err)
	}
	bp, err := bulk.ProgramReport(ctx, bf.program.ID, models.ProgramReportFilter{Period: period})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(asJSON(t, lp), asJSON(t, bp)); diff != "" {
		t.Errorf("program report differs (-live +bulk):\n%s", diff)
	}
	if lp.Residents[0].Invitations == 0 || *lp.Residents[0].ResponseRate != 1 {
		t.Errorf("every link was answered: %+v", lp.Residents[0])
	}
}

func TestBulkLoadRefusesResidentsWithLinks(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	ctx := context.Background()
	if _, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.residents[0].ID}); err != nil {
		t.Fatal(err)
	}
	err := db.NewBulkLoader().Add(ctx, models.BulkResponse{ResidentID: f.residents[0].ID, At: time.Now(), Instrument: surveys.Default(), Submission: answers(3)})
	if surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("want conflict, got %v", err)
	}
}

// asJSON is what a client sees of a report: its JSON, decoded. Figures are
// rounded there, so sums added in another order compare equal.
func asJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
