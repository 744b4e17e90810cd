package models

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMigrationLock is the PostgreSQL advisory lock key that serialises
// River's migrations across instances starting at once (rivermigrate takes
// no lock of its own).
const riverMigrationLock = 7452020

// RiverDriver returns the job queue's driver for this database: River's
// database/sql driver on PostgreSQL, its SQLite driver otherwise. Both share
// our connection pool, so jobs can be inserted in our transactions.
func (d *DB) RiverDriver() (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := d.SQL()
	if err != nil {
		return nil, err
	}
	if d.Dialect == Postgres {
		return riverdatabasesql.New(sqlDB), nil
	}
	return riversqlite.New(sqlDB), nil
}

// migrateRiver applies the job queue's own schema (River's river_job,
// river_leader, … tables) with River's migrator, after our migrations.
func (d *DB) migrateRiver(ctx context.Context) error {
	driver, err := d.RiverDriver()
	if err != nil {
		return err
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: discardLogger()})
	if err != nil {
		return fmt.Errorf("job queue migrator: %w", err)
	}
	if d.Dialect == Postgres {
		// A session lock on a dedicated connection: the migrator uses other
		// connections of the pool, one transaction per step.
		sqlDB, _ := d.SQL()
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("job queue migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", riverMigrationLock); err != nil {
			return fmt.Errorf("job queue migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverMigrationLock)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migration: %w", err)
	}
	return nil
}

// discardLogger silences the migrator's per-step lines; Migrate's caller
// logs what was applied.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
