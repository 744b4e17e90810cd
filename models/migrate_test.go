package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

func TestMigrateRecordsVersionsAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, err := models.Open(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migs, err := models.Migrations(db.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	wantNames := map[int]string{}
	for _, m := range migs {
		want = append(want, m.Version)
		wantNames[m.Version] = m.Name
	}

	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("first Migrate: %v", err)
	}
	if diff := cmp.Diff(want, applied); diff != "" {
		t.Errorf("first Migrate applied (-want +got):\n%s", diff)
	}
	sqlDB, _ := db.SQL()
	rows, err := sqlDB.Query(`SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[int]string{}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		recorded[v] = name
	}
	rows.Close()
	if diff := cmp.Diff(wantNames, recorded); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}

	again, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if len(again) != 0 {
		t.Errorf("second Migrate applied %v, want nothing", again)
	}
	var n int
	if err := sqlDB.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(want) {
		t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, len(want))
	}
	// The schema is usable: the data layer's own queries run.
	if _, err := db.Programs(ctx); err != nil {
		t.Errorf("query after migrating: %v", err)
	}
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	pg, err := models.Migrations(models.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := models.Migrations(models.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	// Numbers only grow; a gap is allowed, because branches number their
	// migrations ahead of each other's (0008 may land before 0007) and the
	// runner applies whatever is not recorded yet, in order.
	names := func(ms []models.Migration) []string {
		var out []string
		for i, m := range ms {
			if m.Version < 1 || i > 0 && m.Version <= ms[i-1].Version {
				t.Errorf("migration %s is numbered %d after %d", m.Name, m.Version, ms[max(i-1, 0)].Version)
			}
			out = append(out, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
		return out
	}
	if diff := cmp.Diff(names(pg), names(lite)); diff != "" {
		t.Errorf("migrations differ between postgres and sqlite (-postgres +sqlite):\n%s", diff)
	}
}
