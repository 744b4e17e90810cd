package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Anyone may ask for a reset by email address, so a reset must not take
// away the setup link a new member was sent: both work until one is used,
// which retires the other. Reset links last an hour, setup links 7 days.
func TestResetRequestLeavesAnUnusedSetupLinkWorking(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	clk := newClock(db)
	p := mustProgram(t, db, "Neurology")
	u, err := db.CreateMember(ctx, p.ID, models.NewMember{Email: "new@example.org", Name: "New", Role: models.RoleResident, PGYYear: pgy(1)})
	if err != nil {
		t.Fatal(err)
	}
	setup, sl, err := db.CreatePasswordLink(ctx, u.ID, models.PurposeSetup)
	if err != nil {
		t.Fatal(err)
	}
	firstReset, _, err := db.CreatePasswordLink(ctx, u.ID, models.PurposeReset)
	if err != nil {
		t.Fatal(err)
	}
	reset, rl, err := db.CreatePasswordLink(ctx, u.ID, models.PurposeReset)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.OpenPasswordLink(ctx, setup); err != nil {
		t.Fatalf("the setup link stopped working after reset requests: %v", err)
	}
	if _, _, err := db.OpenPasswordLink(ctx, firstReset); surveys.ErrorCode(err) != surveys.EGONE {
		t.Errorf("an older reset link still works after a newer one: %v", err)
	}
	start := clk.t
	if got := sl.ExpiresAt.Sub(start); got != 7*24*time.Hour {
		t.Errorf("setup link lasts %s, want 7 days", got)
	}
	if got := rl.ExpiresAt.Sub(start); got != time.Hour {
		t.Errorf("reset link lasts %s, want 1 hour", got)
	}
	clk.advance(time.Hour)
	if _, _, err := db.OpenPasswordLink(ctx, reset); surveys.ErrorCode(err) != surveys.EGONE {
		t.Errorf("reset link after an hour: %v, want gone", err)
	}
	if _, _, err := db.OpenPasswordLink(ctx, setup); err != nil {
		t.Errorf("setup link after an hour: %v", err)
	}

	// Using one link retires every other: the password is set.
	reset, _, err = db.CreatePasswordLink(ctx, u.ID, models.PurposeReset)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UsePasswordLink(ctx, setup, "violet kettle marathon"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.OpenPasswordLink(ctx, reset); surveys.ErrorCode(err) != surveys.EGONE {
		t.Errorf("a reset link still works after the setup link set the password: %v", err)
	}
}

// Setting a password through a link ends everything the old password
// opened: sessions and API tokens alike (a token made by whoever knew the
// old password would otherwise outlive the reset).
func TestPasswordResetRevokesSessionsAndAPITokens(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	newClock(db)
	p := mustProgram(t, db, "Oncology")
	u, err := db.CreateMember(ctx, p.ID, models.NewMember{Email: "onc@example.org", Name: "Onc", Role: models.RoleResident, PGYYear: pgy(2)})
	if err != nil {
		t.Fatal(err)
	}
	cookie, _, err := db.CreateSession(ctx, u.ID, models.SessionLimits{})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := db.CreateAPIToken(ctx, u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreatePasswordLink(ctx, u.ID, models.PurposeReset)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UsePasswordLink(ctx, token, "harbour cinnamon violin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionByToken(ctx, cookie, models.SessionLimits{}); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("session after a reset: %v, want unauthorized", err)
	}
	if _, _, err := db.APITokenUser(ctx, secret); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("API token after a reset: %v, want unauthorized", err)
	}
	ts, err := db.APITokens(ctx, u.ID)
	if err != nil || len(ts) != 1 || ts[0].RevokedAt == nil {
		t.Errorf("tokens after a reset: %+v, %v; want the one token listed as revoked", ts, err)
	}
}
