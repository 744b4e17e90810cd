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

// TestAggregatesMatchBruteForce submits random responses about several
// residents over several months and checks every stored aggregate against a
// recomputation from the raw responses.
func TestAggregatesMatchBruteForce(t *testing.T) {
	db := dbtest.New(t)
	const min = 4
	f := newFixture(t, db, min, 3)
	rng := rand.New(rand.NewPCG(7, 11))
	at := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
	for i := range 90 {
		at = at.Add(time.Duration(rng.IntN(72)) * time.Hour)
		r := f.residents[rng.IntN(len(f.residents))]
		f.submitAt(t, at, r.ID, randomSubmission(rng, fmt.Sprint(i)))
	}
	want := computeBruteForce(t, db, f.residents, min)
	got := storedAggregates(t, db)
	if len(want.months) < 4 {
		t.Fatalf("the data should span several release months, got %v", want.months)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(bruteForce{})); diff != "" {
		t.Errorf("aggregates differ from brute force (-want +got):\n%s", diff)
	}
	// The report over everything shows exactly the brute-force distribution.
	for _, u := range f.residents {
		rep, err := db.ResidentReport(context.Background(), u.ID, surveys.Period{From: "2026-01", To: "2026-12"})
		if err != nil {
			t.Fatal(err)
		}
		var responses int64
		pooled := map[surveys.Attribute]surveys.Counts{}
		for k, c := range want.tallies {
			if k.resident == u.ID {
				it, _ := surveys.Default().Item(k.item)
				pooled[it.Attribute] = pooled[it.Attribute].Plus(c)
			}
		}
		for k, n := range want.months {
			if k[0] == fmt.Sprint(u.ID) {
				responses += n
			}
		}
		if rep.Responses != responses || rep.AwaitingRelease != want.pending[u.ID] {
			t.Errorf("resident %d: report shows %d responses (%d awaiting), brute force %d (%d)", u.ID, rep.Responses, rep.AwaitingRelease, responses, want.pending[u.ID])
		}
		for _, a := range rep.Attributes {
			c := pooled[a.Key]
			if a.N != c.Answers() || a.NotApplicable != c.NotApplicable {
				t.Errorf("resident %d %s: n %d n/a %d, brute force %d %d", u.ID, a.Key, a.N, a.NotApplicable, c.Answers(), c.NotApplicable)
			}
			if a.Mean != nil && *a.Mean != surveys.Round2(c.Mean()) {
				t.Errorf("resident %d %s: mean %v, brute force %v", u.ID, a.Key, *a.Mean, c.Mean())
			}
		}
	}
}

// TestAggregatesUnderConcurrentSubmissions has many mentees answer at once
// about the same residents: batch numbers and tallies must stay exact.
func TestAggregatesUnderConcurrentSubmissions(t *testing.T) {
	db := dbtest.New(t)
	const min = 3
	f := newFixture(t, db, min, 2)
	ctx := context.Background()
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return at }
	var tokens []string
	var subs []surveys.Submission
	rng := rand.New(rand.NewPCG(3, 5))
	for i := range 40 {
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.residents[i%2].ID})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, inv.Token)
		subs = append(subs, randomSubmission(rng, fmt.Sprint(i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(tokens))
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.SubmitResponse(ctx, tokens[i], surveys.Default(), subs[i])
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := computeBruteForce(t, db, f.residents, min)
	if diff := cmp.Diff(want, storedAggregates(t, db), cmp.AllowUnexported(bruteForce{})); diff != "" {
		t.Errorf("aggregates differ from brute force (-want +got):\n%s", diff)
	}
	if want.months[[2]string{fmt.Sprint(f.residents[0].ID), "2026-03"}] != 18 {
		t.Errorf("20 responses at min 3 release 18: %v", want.months)
	}
}
