package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

var year2026 = surveys.Period{From: "2026-01", To: "2026-12"}

func TestReportSuppressedBelowThresholdReleasedAtIt(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 5, 1)
	ctx := context.Background()
	r := f.residents[0]
	at := time.Date(2026, 4, 6, 10, 0, 0, 0, time.UTC)
	for i := range 4 {
		f.submitAt(t, at.Add(time.Duration(i)*time.Hour), r.ID, answers(4))
	}
	rep, err := db.ResidentReport(ctx, r.ID, year2026)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Suppressed || rep.Responses != 0 || rep.AwaitingRelease != 4 || rep.Attributes[0].Mean != nil {
		t.Fatalf("4 of 5: want suppressed, 0 released, 4 awaiting; got suppressed=%v responses=%d awaiting=%d", rep.Suppressed, rep.Responses, rep.AwaitingRelease)
	}
	f.submitAt(t, at.Add(5*time.Hour), r.ID, answers(2))
	rep, err = db.ResidentReport(ctx, r.ID, year2026)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Suppressed || rep.Responses != 5 || rep.AwaitingRelease != 0 {
		t.Fatalf("5 of 5: want released; got suppressed=%v responses=%d awaiting=%d", rep.Suppressed, rep.Responses, rep.AwaitingRelease)
	}
	if got := *rep.Attributes[3].Mean; got != 3.6 {
		t.Errorf("overall mean %v, want 3.6 from four 4s and a 2", got)
	}
}

// TestOneResponseAfterReleaseChangesNothing is the differencing case: a
// resident who looks before and after one more meeting learns nothing.
func TestOneResponseAfterReleaseChangesNothing(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 5, 1)
	ctx := context.Background()
	r := f.residents[0]
	at := time.Date(2026, 4, 6, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		sub := answers(4)
		sub.Comments[surveys.CommentKeepDoing] = fmt.Sprintf("comment %d", i)
		f.submitAt(t, at.Add(time.Duration(i)*time.Hour), r.ID, sub)
	}
	before, err := db.ResidentReport(ctx, r.ID, year2026)
	if err != nil {
		t.Fatal(err)
	}
	lone := answers(1)
	lone.Comments[surveys.CommentKeepDoing] = "the lone mentee"
	f.submitAt(t, at.Add(24*time.Hour), r.ID, lone)
	after, err := db.ResidentReport(ctx, r.ID, year2026)
	if err != nil {
		t.Fatal(err)
	}
	if after.AwaitingRelease != 1 {
		t.Errorf("the new response should await release, got %d", after.AwaitingRelease)
	}
	before.AwaitingRelease, after.AwaitingRelease = 0, 0
	if diff := cmp.Diff(before, after, cmp.AllowUnexported(surveys.AttributeSummary{})); diff != "" {
		t.Errorf("one more response changed what the resident sees (-before +after):\n%s", diff)
	}
}

// TestMonthFilterTakesWholeBatches: a batch collected across a month
// boundary counts wholly in its release month, so comparing two month
// filters cannot isolate the responses of one month.
func TestMonthFilterTakesWholeBatches(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 5, 1)
	ctx := context.Background()
	r := f.residents[0]
	// Three in March, two in April: the batch is released in April.
	for i, day := range []int{9, 16, 23, 7, 14} {
		month := time.March
		if i >= 3 {
			month = time.April
		}
		f.submitAt(t, time.Date(2026, month, day, 10, 0, 0, 0, time.UTC), r.ID, answers(3+i%2))
	}
	march, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-03", To: "2026-03"})
	if err != nil {
		t.Fatal(err)
	}
	april, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-04", To: "2026-04"})
	if err != nil {
		t.Fatal(err)
	}
	both, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-03", To: "2026-04"})
	if err != nil {
		t.Fatal(err)
	}
	if march.Responses != 0 || april.Responses != 5 || both.Responses != 5 {
		t.Errorf("responses March %d, April %d, both %d; want 0, 5, 5", march.Responses, april.Responses, both.Responses)
	}
	if *april.Attributes[3].Mean != *both.Attributes[3].Mean {
		t.Errorf("April alone and March–April must show the same batch")
	}
}

func TestCommentsReleasedOnlyWithTheirBatch(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	ctx := context.Background()
	r := f.residents[0]
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	submit := func(i int) {
		sub := answers(4)
		sub.Comments[surveys.CommentKeepDoing] = fmt.Sprintf("keep %d", i)
		sub.Comments[surveys.CommentNextTime] = fmt.Sprintf("next %d", i)
		f.submitAt(t, at.Add(time.Duration(i)*time.Hour), r.ID, sub)
	}
	comments := func() []string {
		rep, err := db.ResidentReport(ctx, r.ID, year2026)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Sorted(slices.Values(append(rep.Comments.KeepDoing, rep.Comments.NextTime...)))
	}
	submit(0)
	submit(1)
	if got := comments(); len(got) != 0 {
		t.Fatalf("comments shown before their batch is released: %v", got)
	}
	submit(2)
	if got, want := comments(), []string{"keep 0", "keep 1", "keep 2", "next 0", "next 1", "next 2"}; !slices.Equal(got, want) {
		t.Fatalf("after release got %v, want %v", got, want)
	}
	submit(3)
	submit(4)
	if got := comments(); len(got) != 6 {
		t.Fatalf("comments of the open batch leaked: %v", got)
	}
}

// TestProgramMeanFollowsOtherResidentsReleases: the program mean beside a
// resident's figures (cached between releases) moves when another
// resident's batch is released, and only then.
func TestProgramMeanFollowsOtherResidentsReleases(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 2)
	ctx := context.Background()
	a, b := f.residents[0], f.residents[1]
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		f.submitAt(t, at.Add(time.Duration(i)*time.Hour), a.ID, answers(5))
	}
	programMean := func() float64 {
		rep, err := db.ResidentReport(ctx, a.ID, year2026)
		if err != nil {
			t.Fatal(err)
		}
		return *rep.Attributes[3].ProgramMean
	}
	if got := programMean(); got != 5 {
		t.Fatalf("program mean %v, want 5", got)
	}
	f.submitAt(t, at.Add(5*time.Hour), b.ID, answers(1))
	f.submitAt(t, at.Add(6*time.Hour), b.ID, answers(1))
	if got := programMean(); got != 5 {
		t.Fatalf("an unreleased batch moved the program mean to %v", got)
	}
	f.submitAt(t, at.Add(7*time.Hour), b.ID, answers(1))
	if got := programMean(); got != 3 {
		t.Fatalf("after the release the program mean is %v, want 3", got)
	}
}
