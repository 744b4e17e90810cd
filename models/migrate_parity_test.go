package models_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The two dialects' migrations are written by hand, so nothing but this test
// notices when a column is added to one and forgotten in the other.
func TestMigrationsBuildTheSameSchemaOnBothEngines(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("needs PostgreSQL: set %s to compare its schema with SQLite's", dbtest.EnvURL)
	}
	lite := migratedSchema(t, "sqlite:"+filepath.Join(t.TempDir(), "parity.db"))
	pg := migratedSchema(t, dbtest.URL(t))
	if len(lite) == 0 {
		t.Fatal("SQLite schema is empty after migrating")
	}
	if diff := cmp.Diff(pg, lite); diff != "" {
		t.Errorf("schemas differ after migrating (-postgres +sqlite):\n%s", diff)
	}
}

// migratedSchema migrates a fresh database and describes its tables, one line
// per column ("table.column not null"), sorted. River's tables are left out:
// River owns them and its drivers lay them out differently per engine.
func migratedSchema(t *testing.T, url string) []string {
	t.Helper()
	db, err := models.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", db.Dialect, err)
	}
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	var q string
	switch db.Dialect {
	case models.Postgres:
		q = `SELECT c.table_name, c.column_name, c.is_nullable = 'NO'
			FROM information_schema.columns c
			JOIN information_schema.tables t
			  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`
	case models.SQLite:
		// A primary key column counts as NOT NULL, as PostgreSQL reports it;
		// SQLite's table_info leaves notnull at 0 for INTEGER PRIMARY KEY.
		q = `SELECT m.name, p.name, p."notnull" = 1 OR p.pk > 0
			FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	}
	rows, err := sqlDB.Query(q)
	if err != nil {
		t.Fatalf("list %s columns: %v", db.Dialect, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, column string
		var notNull bool
		if err := rows.Scan(&table, &column, &notNull); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(table, "river_") {
			continue
		}
		out = append(out, table+"."+column+" "+nullability(notNull))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func nullability(notNull bool) string {
	if notNull {
		return "not null"
	}
	return "null"
}
