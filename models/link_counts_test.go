package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The roster and the resident's home show how many links are in each
// status; a pending link past its expiry counts as expired even before the
// sweeper marks it.
func TestCountLinksByEffectiveStatusPerResident(t *testing.T) {
	db := dbtest.New(t)
	clk := newClock(db)
	ctx := context.Background()
	p := mustProgram(t, db, "Paediatrics")
	other := mustProgram(t, db, "Surgery")
	ana := mustUser(t, db, &models.User{Email: "ana@example.org", Name: "Ana", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(1)})
	ben := mustUser(t, db, &models.User{Email: "ben@example.org", Name: "Ben", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(2)})
	cal := mustUser(t, db, &models.User{Email: "cal@example.org", Name: "Cal", Role: models.RoleResident, ProgramID: &other.ID, PGYYear: pgy(2)})
	link := func(u *models.User, lifetime time.Duration) string {
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: u.ID, Lifetime: lifetime})
		if err != nil {
			t.Fatal(err)
		}
		return inv.Token
	}
	link(ana, 24*time.Hour) // will expire unswept
	link(ana, 10*24*time.Hour)
	link(ana, 10*24*time.Hour)
	inst := surveys.Default()
	answers := map[string]*int{}
	for _, it := range inst.Items {
		answers[it.Key] = pgy(4)
	}
	if err := db.SubmitResponse(ctx, link(ana, 0), inst, surveys.Submission{Answers: answers}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeclineLink(ctx, link(ben, 0)); err != nil {
		t.Fatal(err)
	}
	link(cal, 0)
	clk.advance(48 * time.Hour)

	got, err := db.CountLinks(ctx, models.InvitationFilter{ProgramID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]models.LinkCounts{
		ana.ID: {ResidentID: ana.ID, Pending: 2, Completed: 1, Expired: 1},
		ben.ID: {ResidentID: ben.ID, Declined: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("program counts (-want +got):\n%s", diff)
	}
	mine, err := db.CountLinks(ctx, models.InvitationFilter{ResidentID: ana.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c := mine[ana.ID]; len(mine) != 1 || c.Total() != 4 {
		t.Errorf("one resident's counts = %+v, want only Ana's 4 links", mine)
	}
}
