package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Who require_second_factor_for covers: a resident only under staff, a
// director under directors or staff of any program they direct, an admin
// whenever any program requires it of anyone.
func TestSecondFactorPolicyCoversTheRightPeople(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	a, b := mustProgram(t, db, "A"), mustProgram(t, db, "B")
	admin := mustUser(t, db, &models.User{Email: "admin@example.org", Name: "Admin", Role: models.RoleAdmin})
	dir := mustUser(t, db, &models.User{Email: "dir@example.org", Name: "Dir", Role: models.RoleDirector, ProgramID: &a.ID})
	if err := db.AddDirector(ctx, b.ID, dir.ID); err != nil {
		t.Fatal(err)
	}
	res := mustUser(t, db, &models.User{Email: "res@example.org", Name: "Res", Role: models.RoleResident, ProgramID: &a.ID, PGYYear: new(1)})
	for _, tc := range []struct {
		a, b                  string
		admin, director, resi bool
	}{
		{"none", "none", false, false, false},
		{"none", "directors", true, true, false},
		{"directors", "none", true, true, false},
		{"none", "staff", true, true, false},
		{"staff", "none", true, true, true},
	} {
		for p, v := range map[int64]string{a.ID: tc.a, b.ID: tc.b} {
			if err := db.UpdateSecondFactorPolicy(ctx, p, v); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			u    *models.User
			want bool
		}{{admin, tc.admin}, {dir, tc.director}, {res, tc.resi}} {
			got, err := db.SecondFactorRequired(ctx, c.u)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("A=%s B=%s: %s covered %v, want %v", tc.a, tc.b, c.u.Role, got, c.want)
			}
		}
	}
	if err := db.UpdateSecondFactorPolicy(ctx, a.ID, "everyone"); err == nil {
		t.Error("an unknown policy was stored")
	}
}

// A sealed secret opens for its user only, and still opens after the
// operator's secret is set (the stored key stays in the ring).
func TestTOTPSecretIsSealedPerUserAndSurvivesSettingTheOperatorSecret(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	clk := newClock(db)
	u := mustUser(t, db, &models.User{Email: "u@example.org", Name: "U", Role: models.RoleAdmin})
	e, err := db.StartTOTPEnrolment(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	db.SetSumsSecret("an operator secret of thirty-two characters or more")
	again, err := db.PendingTOTPEnrolment(ctx, u)
	if err != nil || again.Secret != e.Secret {
		t.Fatalf("pending secret after setting the operator secret: %v, same %v", err, again != nil && again.Secret == e.Secret)
	}
	code, _ := totp.GenerateCodeCustom(e.Secret, clk.t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if _, err := db.ConfirmTOTPEnrolment(ctx, u.ID, code); err != nil {
		t.Fatal(err)
	}
	// A code of the step already used is refused; one a step later works
	// once; one two steps behind is refused.
	if err := db.CheckTOTP(ctx, u.ID, code); err != models.ErrCodeReused {
		t.Errorf("same step again: %v", err)
	}
	clk.advance(30 * time.Second)
	next, _ := totp.GenerateCodeCustom(e.Secret, clk.t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err := db.CheckTOTP(ctx, u.ID, next); err != nil {
		t.Errorf("next step: %v", err)
	}
	clk.advance(90 * time.Second)
	if err := db.CheckTOTP(ctx, u.ID, next); err != models.ErrCodeWrong {
		t.Errorf("a code three steps old: %v", err)
	}
}
