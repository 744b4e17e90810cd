package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema step, with one SQL file per dialect.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the migrations for a dialect in order. Files are named
// NNNN_name.sql under migrations/{postgres,sqlite}.
func Migrations(dialect string) ([]Migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// Migrate applies every migration not yet recorded in schema_migrations, in
// order, each in its own transaction, then the job queue's own schema (see
// migrateRiver). On PostgreSQL advisory locks keep several instances starting
// at once from applying the same step twice. It returns the versions of our
// migrations it applied.
func (d *DB) Migrate(ctx context.Context) ([]int, error) {
	migs, err := Migrations(d.Dialect)
	if err != nil {
		return nil, err
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL)`
	if err := d.gorm.WithContext(ctx).Exec(create).Error; err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []int
	for _, m := range migs {
		done := false
		err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if d.Dialect == Postgres {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7452019)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw("SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			for _, stmt := range splitStatements(m.SQL) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%w\nin statement:\n%s", err, stmt)
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, d.now()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if !done {
			applied = append(applied, m.Version)
		}
	}
	if err := d.migrateRiver(ctx); err != nil {
		return applied, err
	}
	// The mentee key exists before any link needs it (see mentee_key.go).
	if _, err := d.EnsureStoredSecret(ctx, menteeKeySecret); err != nil {
		return applied, err
	}
	if _, err := d.EnsureStoredSecret(ctx, sumsKeySecret); err != nil {
		return applied, err
	}
	if err := d.loadInstruments(ctx); err != nil {
		return applied, err
	}
	if err := d.backfillMoments(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// splitStatements splits a migration file on semicolons at line ends. Our
// migrations hold no procedural bodies, so that is enough.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
