package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestMixedVersionGroupReleasesOnlyCommonItems performs the attack a new
// version invites: a program publishes a version without S3 and with OR1
// mid-window, so of a group's four responses one (whose meeting the
// resident can place before the publish) answered S3 and three answered
// OR1. Released as they were, S3's single rating would be the
// altruistic-support distribution less S1's and S2's. The group is
// released on the items all four were asked: no S3 or OR1 rows, and
// altruistic support scored on S1 and S2 alone.
func TestMixedVersionGroupReleasesOnlyCommonItems(t *testing.T) {
	v2 := &surveys.Instrument{Key: "mixed-test", Version: 1, Scale: surveys.Default().Scale, Comments: surveys.Default().Comments}
	for _, it := range surveys.Default().Items {
		if it.Key != "S3" {
			v2.Items = append(v2.Items, it)
		}
	}
	v2.Items = append(v2.Items, surveys.Item{Key: "OR1", Attribute: surveys.Competence, Text: "My mentor taught me in the operating room."})
	if _, err := surveys.Lookup(v2.Key, v2.Version); err != nil {
		if err := surveys.Register(v2); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	answer := func(inst *surveys.Instrument, v int) surveys.Submission {
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for _, it := range inst.Items {
			v := v
			sub.Answers[it.Key] = &v
		}
		return sub
	}
	at := time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC)
	one := int64(1)
	// Before the publish: S3 rated 1 (S1, S2 rated 5).
	sub := answer(surveys.Default(), 5)
	low := 1
	sub.Answers["S3"] = &low
	f.submitAs(t, at, r.ID, &one, sub)
	sqlDB, _ := db.SQL()
	if _, err := sqlDB.Exec(`UPDATE programs SET instrument_key = 'mixed-test', instrument_version = 1 WHERE id = $1`, f.program.ID); err != nil {
		t.Fatal(err)
	}
	for i := int64(2); i <= 4; i++ {
		m := i
		f.db.Now = func() time.Time { return at.Add(time.Duration(i) * time.Hour) }
		inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: r.ID, MenteeID: &m})
		if err != nil {
			t.Fatal(err)
		}
		if inv.InstrumentKey != "mixed-test" {
			t.Fatalf("a link made after the publish answers %s", inv.InstrumentKey)
		}
		if err := f.db.SubmitResponse(ctx, inv.Token, v2, answer(v2, 5)); err != nil {
			t.Fatal(err)
		}
	}
	f.releaseAt(t, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC))
	var items []string
	rows, err := sqlDB.Query(`SELECT item FROM report_released ORDER BY item`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var it string
		rows.Scan(&it)
		items = append(items, it)
	}
	rows.Close()
	if slices.Contains(items, "S3") || slices.Contains(items, "OR1") || !slices.Contains(items, "S1") || len(items) != 8 {
		t.Errorf("released items %v, want the eight both versions ask", items)
	}
	rep, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-10", To: "2026-12"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rep.Attributes {
		if a.Key == surveys.AltruisticSupport && (a.N != 8 || a.Mean == nil || *a.Mean != 5 || a.Distribution["1"] != 0) {
			t.Errorf("altruistic support %+v: want S1 and S2 only, every rating 5, S3's 1 nowhere", a)
		}
	}
}

// TestThirdCommentIsHeldMixedAndReleased: answers to a program's third
// prompt travel as the other two do: held, mixed, released with their
// group, and shown only then.
func TestThirdCommentIsHeldMixedAndReleased(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	at := time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC)
	for i := int64(1); i <= 3; i++ {
		m := i
		sub := answers(4)
		sub.Comments = map[string]string{surveys.CommentOther: "Other thought " + string(rune('0'+i))}
		f.submitAs(t, at.Add(time.Duration(i)*time.Hour), r.ID, &m, sub)
	}
	before, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-10", To: "2026-12"})
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Comments.Other) != 0 {
		t.Fatalf("comments shown before their group is released: %v", before.Comments.Other)
	}
	f.releaseAt(t, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC))
	rep, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: "2026-10", To: "2026-12"})
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(slices.Values(rep.Comments.Other))
	if want := []string{"Other thought 1", "Other thought 2", "Other thought 3"}; !slices.Equal(got, want) {
		t.Errorf("other comments %v, want %v", got, want)
	}
}
