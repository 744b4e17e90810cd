package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// TestBackupWhileAWriterRuns: mentorpulse backup copies the SQLite
// database while another connection keeps writing; the copy opens, passes
// SQLite's integrity check, is migrated, and holds every row committed
// before the backup began and none that was never committed.
func TestBackupWhileAWriterRuns(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) != "" {
		t.Skip("backup copies SQLite only; TestBackupRefusesPostgres covers PostgreSQL")
	}
	c := newCLI(t)
	c.mustRun("migrate")
	writer := c.openDB()
	ctx, stop := context.WithCancel(context.Background())
	var written atomic.Int64
	done := make(chan error, 1)
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			if err := writer.CreateProgram(context.Background(), &models.Program{Name: fmt.Sprintf("Program %d", i)}); err != nil {
				done <- err
				return
			}
			written.Add(1)
		}
	}()
	deliverytest.WaitFor(t, "the writer's first programs", func() bool { return written.Load() >= 20 })
	before := written.Load()
	file := filepath.Join(t.TempDir(), "copy.db")
	out := c.mustRun("backup", file)
	during := written.Load()
	deliverytest.WaitFor(t, "the writer to go on after the backup", func() bool { return written.Load() > during })
	stop()
	if err := <-done; err != nil {
		t.Fatalf("the writer failed during the backup: %v", err)
	}
	if !strings.Contains(out, file) {
		t.Errorf("backup says %q, want the file named", out)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600", err, st.Mode())
	}

	cp, err := models.Open("sqlite:" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	sqlDB, err := cp.SQL()
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := sqlDB.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check of the copy: %q, %v", check, err)
	}
	if applied, err := cp.Migrate(context.Background()); err != nil || len(applied) != 0 {
		t.Errorf("the copy needed migrations %v (%v)", applied, err)
	}
	var n int64
	if err := sqlDB.QueryRow("SELECT count(*) FROM programs").Scan(&n); err != nil {
		t.Fatal(err)
	}
	// The writer counts a program just after its commit: one may be
	// committed but not yet counted when the backup ends.
	if n < before || n > during+1 {
		t.Errorf("the copy holds %d programs; %d were committed before the backup, %d by its end", n, before, during)
	}
	// Nothing is overwritten, and a second backup to the same name says so.
	if _, _, err := c.run("backup", file); !errors.Is(err, models.ErrBackupExists) {
		t.Errorf("backup over an existing file: %v", err)
	}
	if _, _, err := c.run("backup"); err == nil || !strings.Contains(err.Error(), "name one file") {
		t.Errorf("backup without a file: %v", err)
	}
}

// TestBackupRefusesPostgres: on PostgreSQL the command writes nothing and
// points to pg_dump and the secret key.
func TestBackupRefusesPostgres(t *testing.T) {
	c := newCLI(t)
	c.env["MENTORPULSE_DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none?sslmode=disable"
	file := filepath.Join(t.TempDir(), "copy.db")
	_, _, err := c.run("backup", file)
	if !errors.Is(err, models.ErrBackupPostgres) || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "MENTORPULSE_SECRET_KEY") {
		t.Errorf("backup on PostgreSQL: %v", err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup on PostgreSQL wrote %s", file)
	}
}

// TestAuditRetentionFromEnvironment: seven years unless set; below one
// year, or not a number, is refused at start.
func TestAuditRetentionFromEnvironment(t *testing.T) {
	c, err := loadConfig(envFrom(nil))
	if err != nil || c.AuditRetentionYears != 7 {
		t.Errorf("default audit retention %d (%v), want 7", c.AuditRetentionYears, err)
	}
	if c, err := loadConfig(envFrom(map[string]string{"MENTORPULSE_AUDIT_RETENTION_YEARS": "10"})); err != nil || c.AuditRetentionYears != 10 {
		t.Errorf("audit retention 10: %d, %v", c.AuditRetentionYears, err)
	}
	for _, v := range []string{"0", "-3", "seven", "101"} {
		if _, err := loadConfig(envFrom(map[string]string{"MENTORPULSE_AUDIT_RETENTION_YEARS": v})); err == nil || !strings.Contains(err.Error(), "MENTORPULSE_AUDIT_RETENTION_YEARS") {
			t.Errorf("audit retention %q: %v", v, err)
		}
	}
}
