package models_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url, wantDialect, wantDSN string
		wantErr                         bool
	}{
		{name: "url-postgres", url: "postgres://u@h/db", wantDialect: "postgres", wantDSN: "postgres://u@h/db"},
		{name: "url-postgresql", url: "postgresql://u@h/db", wantDialect: "postgres", wantDSN: "postgresql://u@h/db"},
		{name: "url-sqlite-path", url: "sqlite:./x.db", wantDialect: "sqlite", wantDSN: "./x.db"},
		{name: "url-sqlite-memory", url: "sqlite::memory:", wantDialect: "sqlite", wantDSN: ":memory:"},
		{name: "url-empty-is-default", url: "", wantDialect: "sqlite", wantDSN: "./mentorpulse.db"},
		{name: "url-reject-sqlite-without-path", url: "sqlite:", wantErr: true},
		{name: "url-reject-mysql", url: "mysql://root:hunter2@db/x", wantErr: true},
		{name: "url-reject-bare-path", url: "./x.db", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialect, dsn, err := models.ParseURL(tt.url)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseURL(%q) error = %v, want error %v", tt.url, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
			if dialect != tt.wantDialect || dsn != tt.wantDSN {
				t.Errorf("ParseURL(%q) = %q, %q; want %q, %q", tt.url, dialect, dsn, tt.wantDialect, tt.wantDSN)
			}
		})
	}
}

// TestSQLiteConnectionSettings checks that the driver really applies the DSN
// pragmas on every pooled connection, not just the first.
func TestSQLiteConnectionSettings(t *testing.T) {
	db := openSQLite(t)
	sqlDB, _ := db.SQL()
	ctx := context.Background()
	// Hold four connections at once so that each is a distinct one.
	var conns []*sql.Conn
	for range 4 {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conns = append(conns, conn)
	}
	for i, conn := range conns {
		var mode string
		var timeout, fk int
		for q, dst := range map[string]any{"PRAGMA journal_mode": &mode, "PRAGMA busy_timeout": &timeout, "PRAGMA foreign_keys": &fk} {
			if err := conn.QueryRowContext(ctx, q).Scan(dst); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if mode != "wal" || timeout != 10000 || fk != 1 {
			t.Errorf("connection %d has journal_mode=%s busy_timeout=%d foreign_keys=%d; want wal, 10000, 1", i, mode, timeout, fk)
		}
	}
}

// TestSQLiteTransactionsBeginImmediate checks that _txlock=immediate is
// honoured: a transaction holds the write lock from BEGIN, so two writers
// queue on busy_timeout instead of deadlocking on a lock upgrade.
func TestSQLiteTransactionsBeginImmediate(t *testing.T) {
	db := openSQLite(t)
	sqlDB, _ := db.SQL()
	ctx := context.Background()
	other, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	err = db.WithTx(ctx, func(ctx context.Context) error {
		// This transaction has only begun, yet no other writer may start.
		_, err := other.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			other.ExecContext(ctx, "ROLLBACK")
			t.Error("a second writer began while a transaction was open: transactions are deferred, not immediate")
		} else if !strings.Contains(err.Error(), "locked") && !strings.Contains(err.Error(), "busy") {
			t.Errorf("second writer: %v, want database is locked", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Errorf("second writer after commit: %v", err)
	}
	other.ExecContext(ctx, "ROLLBACK")
	other.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
}

func TestOpenMemorySQLite(t *testing.T) {
	db, err := models.Open("sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate :memory: %v", err)
	}
	// One connection only, or each would see its own empty database.
	if err := db.CreateProgram(context.Background(), &models.Program{Name: "P"}); err != nil {
		t.Fatal(err)
	}
	if ps, err := db.Programs(context.Background()); err != nil || len(ps) != 1 {
		t.Errorf("Programs on :memory: = %v, %v; want the one created", ps, err)
	}
}

// openSQLite opens a migrated SQLite file database whatever engine the rest
// of the suite runs on.
func openSQLite(t *testing.T) *models.DB {
	t.Helper()
	db, err := models.Open("sqlite:" + filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
