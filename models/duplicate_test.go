package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// Conflicts are recognised by gorm's translated sentinels, so each driver
// must translate its own constraint errors.
func TestConstraintErrorsAreTranslatedOnThisEngine(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := mustProgram(t, db, "Surgery")

	dup := *p
	dup.ID, dup.Name = 0, "SURGERY"
	err := db.InsertRowForTest(ctx, &dup)
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("%s: second program named surgery: err = %v, want gorm.ErrDuplicatedKey", db.Dialect, err)
	}

	missing := int64(999999)
	err = db.InsertRowForTest(ctx, &models.User{Email: "orphan@example.org", Name: "Orphan", Role: models.RoleResident, ProgramID: &missing, PasswordHash: "x", Active: true})
	if !errors.Is(err, gorm.ErrForeignKeyViolated) || errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("%s: user in a missing program: err = %v, want gorm.ErrForeignKeyViolated only", db.Dialect, err)
	}
}

func TestDuplicatesAreConflictsAndMissingRowsNotFound(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	surgery := mustProgram(t, db, "Surgery")
	medicine := mustProgram(t, db, "Medicine")
	mustUser(t, db, &models.User{Email: "ana@example.org", Name: "Ana", Role: models.RoleAdmin})
	taken := "surgery"

	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"create-program-409-name-taken", func() error {
			return db.CreateProgram(ctx, &models.Program{Name: "SURGERY"})
		}, surveys.ECONFLICT},
		{"rename-program-409-name-taken", func() error {
			_, err := db.UpdateProgram(ctx, medicine.ID, models.ProgramUpdate{Name: &taken})
			return err
		}, surveys.ECONFLICT},
		{"create-user-409-email-taken", func() error {
			return db.CreateUser(ctx, &models.User{Email: "ANA@example.org", Name: "Ana Again", Role: models.RoleDirector, ProgramID: &surgery.ID})
		}, surveys.ECONFLICT},
		{"program-404", func() error {
			_, err := db.ProgramByID(ctx, 999999)
			return err
		}, surveys.ENOTFOUND},
		{"user-404", func() error {
			_, err := db.UserByEmail(ctx, "nobody@example.org")
			return err
		}, surveys.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); surveys.ErrorCode(err) != tt.want {
				t.Errorf("err = %v (code %q), want code %q", err, surveys.ErrorCode(err), tt.want)
			}
		})
	}
}
