package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestPGYYearsListEveryYearInOrder(t *testing.T) {
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7}, models.PGYYears()); diff != "" {
		t.Errorf("PGYYears (-want +got):\n%s", diff)
	}
}

func TestCreateUserAcceptsOnlyPGYYearsInRange(t *testing.T) {
	db := dbtest.New(t)
	p := mustProgram(t, db, "Surgery")
	for _, tc := range []struct {
		year int
		want string
	}{
		{models.MinPGYYear - 1, surveys.EINVALID},
		{models.MinPGYYear, ""},
		{models.MaxPGYYear, ""},
		{models.MaxPGYYear + 1, surveys.EINVALID},
	} {
		t.Run(fmt.Sprintf("pgy-%d", tc.year), func(t *testing.T) {
			u := &models.User{Email: fmt.Sprintf("pgy%d@example.org", tc.year), Name: "Resident", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(tc.year)}
			if err := db.CreateUser(context.Background(), u); surveys.ErrorCode(err) != tc.want {
				t.Errorf("err = %v, want code %q", err, tc.want)
			}
		})
	}
}
