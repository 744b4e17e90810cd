package accounts_test

import (
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestPGYYearsAreTheAcceptedYears: the years the pages offer are exactly
// the years a member may be given, no more and no fewer.
func TestPGYYearsAreTheAcceptedYears(t *testing.T) {
	svc := accounts.New(nil, accounts.Config{})
	member := func(year int) accounts.NewMember {
		return accounts.NewMember{Email: "r@example.org", Name: "R", Role: "resident", PGYYear: &year}
	}
	years := accounts.PGYYears()
	if len(years) == 0 || years[0] != models.MinPGYYear || years[len(years)-1] != models.MaxPGYYear {
		t.Fatalf("PGYYears() = %v, want %d..%d", years, models.MinPGYYear, models.MaxPGYYear)
	}
	for _, y := range years {
		if err := svc.Check(member(y)); err != nil {
			t.Errorf("PGY %d offered but refused: %v", y, err)
		}
	}
	for _, y := range []int{models.MinPGYYear - 1, models.MaxPGYYear + 1} {
		if err := svc.Check(member(y)); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("PGY %d accepted: %v", y, err)
		}
	}
}
