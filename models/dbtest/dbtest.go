// Package dbtest gives each test a fresh, migrated database: SQLite in a temp
// dir by default, or a new PostgreSQL database when
// MENTORPULSE_TEST_DATABASE_URL is set, dropped when the test ends.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
)

// EnvURL names the PostgreSQL server tests use when set.
const EnvURL = "MENTORPULSE_TEST_DATABASE_URL"

// New returns a migrated database that lives as long as the test.
func New(t testing.TB) *models.DB {
	t.Helper()
	u := URL(t)
	db, err := models.Open(u)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// URL creates an empty database for the test and returns its URL, without
// opening or migrating it.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	admin, err := models.Open(base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvURL, err)
	}
	defer admin.Close()
	sqlDB, err := admin.SQL()
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "mentorpulse_test_" + hex.EncodeToString(b)
	if _, err := sqlDB.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := models.Open(base)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer admin.Close()
		sqlDB, _ := admin.SQL()
		if _, err := sqlDB.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	pu, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	pu.Path = "/" + name
	return pu.String()
}
