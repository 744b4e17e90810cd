package models_test

import (
	"context"
	"testing"

	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The job queue's tables come with our migrations, and migrating again is a
// no-op, so every start can migrate.
func TestMigrateCreatesJobQueueTables(t *testing.T) {
	db := dbtest.New(t)
	applied, err := db.Migrate(context.Background())
	if err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if len(applied) != 0 {
		t.Errorf("second migrate applied %v, want nothing", applied)
	}
	sqlDB, _ := db.SQL()
	var n int
	if err := sqlDB.QueryRow("SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Fatalf("river_job missing after migrate: %v", err)
	}
}
