package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestReleaseRuleMatchesSimulation submits random responses about several
// residents, each with a small pool of mentees (one resident has too few
// to ever be released), over more than a year, runs the release job at
// random moments as well as at every window's close (twice, as two
// instances might), and checks every stored release and tally against the
// rule computed from the known truth. Fixed seeds keep it deterministic.
func TestReleaseRuleMatchesSimulation(t *testing.T) {
	for _, seed := range []uint64{7, 19} {
		t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
			db := dbtest.New(t)
			const min = 4
			f := newFixture(t, db, min, 3)
			p := f.program
			rng := rand.New(rand.NewPCG(seed, 11))
			pools := []int{6, 3, 2} // mentees per resident
			at := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
			nextClose := p.WindowOf(at).End()
			var subs []simSubmission
			for i := range 80 {
				at = at.Add(time.Duration(rng.IntN(140)) * time.Hour)
				for !at.Before(nextClose) {
					f.releaseAt(t, nextClose)
					f.releaseAt(t, nextClose.Add(time.Minute))
					nextClose = p.WindowOf(nextClose).End()
				}
				if rng.IntN(10) == 0 {
					f.releaseAt(t, at) // mid-window: must release nothing new
				}
				r := rng.IntN(len(f.residents))
				mentee := int64(100*r + rng.IntN(pools[r]))
				sub := randomSubmission(rng, fmt.Sprint(i))
				f.submitAs(t, at, f.residents[r].ID, &mentee, sub)
				subs = append(subs, simSubmission{f.residents[r].ID, p.WindowOf(at), &mentee, sub.Answers})
			}
			f.releaseAt(t, at)
			want, groupOf := simulateGroups(subs, p, at)
			got := stored(t, db)
			if len(want.releases) < 3 {
				t.Fatalf("the data should make several releases, got %v", want.releases)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(released{})); diff != "" {
				t.Errorf("releases differ from the rule (-want +got):\n%s", diff)
			}
			// The report over everything shows exactly the released groups.
			for _, u := range f.residents {
				rep, err := db.ResidentReport(context.Background(), u.ID, surveys.Period{From: "2026-01", To: "2027-12"})
				if err != nil {
					t.Fatal(err)
				}
				var responses, mentees int64
				pooled := map[surveys.Attribute]surveys.Counts{}
				for k, c := range want.tallies {
					if k.resident == u.ID {
						it, _ := surveys.Default().Item(k.item)
						pooled[it.Attribute] = pooled[it.Attribute].Plus(c)
					}
				}
				for k, r := range want.releases {
					if k.resident == u.ID {
						responses += r.Responses
						mentees += r.Mentees
					}
				}
				if rep.Responses != responses || rep.Mentees != mentees {
					t.Errorf("resident %d: report shows %d responses from %d mentees, the rule %d from %d", u.ID, rep.Responses, rep.Mentees, responses, mentees)
				}
				// Per attribute, the rule: the mean of the released
				// responses' scores, resting on the responses that rated
				// it and on the mentees who did, counted per group.
				type truth struct {
					sum     float64
					n       int64
					mentees map[releaseKey]map[int64]bool
				}
				attrs := map[surveys.Attribute]*truth{}
				for i, sub := range subs {
					g, ok := groupOf[i]
					if !ok || sub.resident != u.ID {
						continue
					}
					for a, v := range surveys.Default().Scores(sub.answers) {
						if v == nil {
							continue
						}
						tr := attrs[a]
						if tr == nil {
							tr = &truth{mentees: map[releaseKey]map[int64]bool{}}
							attrs[a] = tr
						}
						tr.sum += *v
						tr.n++
						if tr.mentees[g] == nil {
							tr.mentees[g] = map[int64]bool{}
						}
						tr.mentees[g][*sub.mentee] = true
					}
				}
				for _, a := range rep.Attributes {
					c, tr := pooled[a.Key], attrs[a.Key]
					if tr == nil {
						tr = &truth{}
					}
					var raters int64
					for _, m := range tr.mentees {
						raters += int64(len(m))
					}
					if a.N != c.Answers() || a.NotApplicable != c.NotApplicable || a.Responses != tr.n || a.Mentees != raters {
						t.Errorf("resident %d %s: n %d n/a %d rests on %d/%d; the rule %d %d on %d/%d", u.ID, a.Key, a.N, a.NotApplicable, a.Responses, a.Mentees, c.Answers(), c.NotApplicable, tr.n, raters)
					}
					if a.Mean != nil && (tr.n == 0 || *a.Mean != surveys.Round2(tr.sum/float64(tr.n))) {
						t.Errorf("resident %d %s: mean %v, the rule %v", u.ID, a.Key, *a.Mean, tr.sum/float64(tr.n))
					}
				}
			}
		})
	}
}

// TestAggregatesUnderConcurrentSubmissions has many mentees answer at once
// about the same residents and the release job run from two goroutines at
// once: every answer is released exactly once and the tallies stay exact.
func TestAggregatesUnderConcurrentSubmissions(t *testing.T) {
	db := dbtest.New(t)
	const min = 3
	f := newFixture(t, db, min, 2)
	ctx := context.Background()
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return at }
	var tokens []string
	var subs []surveys.Submission
	var sims []simSubmission
	rng := rand.New(rand.NewPCG(3, 5))
	for i := range 40 {
		mentee := int64(i % 7)
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.residents[i%2].ID, MenteeID: &mentee})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, inv.Token)
		sub := randomSubmission(rng, fmt.Sprint(i))
		subs = append(subs, sub)
		sims = append(sims, simSubmission{f.residents[i%2].ID, f.program.WindowOf(at), &mentee, sub.Answers})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(tokens)+2)
	for i := range tokens {
		wg.Go(func() { errs <- db.SubmitResponse(ctx, tokens[i], surveys.Default(), subs[i]) })
	}
	wg.Wait()
	after := f.program.WindowOf(at).End()
	db.Now = func() time.Time { return after }
	for range 2 {
		wg.Go(func() {
			_, err := db.ReleaseClosedWindows(ctx)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := simulate(sims, f.program, after)
	if diff := cmp.Diff(want, stored(t, db), cmp.AllowUnexported(released{})); diff != "" {
		t.Errorf("releases differ from the rule (-want +got):\n%s", diff)
	}
	if r := want.releases[releaseKey{f.residents[0].ID, "2026-01"}]; r.Responses != 20 {
		t.Errorf("20 answers from 4 mentees release together at the quarter's close: %v", want.releases)
	}
}
