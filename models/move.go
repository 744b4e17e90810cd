package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MoveOptions says what Move copies and whom it tells.
type MoveOptions struct {
	// Sessions copies signed-in sessions too; without it everyone signs in
	// again on the new database.
	Sessions bool
	// Progress, when set, hears the rows to copy in all before the first
	// and then each batch's rows as it is written.
	Progress func(total, copied int64)
}

// MovedTable is one table of the source and what Move did with it.
type MovedTable struct {
	Name string
	// Rows is the source's row count of a copied table.
	Rows int64
	// Skipped is why the table was not copied; empty when it was.
	Skipped string
}

// ErrTargetNotEmpty means the target of a move already holds tables or
// rows; a move copies only into an empty database.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// moveSkipped lists the tables a move does not copy, with the reason. Every
// other table of the source schema is copied, so a table added by a later
// migration is never forgotten.
func moveSkipped(opts MoveOptions) map[string]string {
	skip := map[string]string{
		"river_migration": "written by the job queue's own migration of the target",
		"river_leader":    "the running instances elect a leader afresh; a copied row would only delay the first election",
	}
	if !opts.Sessions {
		skip["sessions"] = "sessions are not copied without --sessions: everyone signs in again"
	}
	return skip
}

// Move copies every table of this SQLite database into the empty
// PostgreSQL database target, in one transaction of the target: it creates
// the schema (our migrations; the job queue's just before) and copies the rows,
// preserving ids, then resets the sequences and checks each copied table's
// row count and checksum against the source. Any failure, or a cancelled
// ctx, rolls the whole target back to empty. The source is read in one
// transaction, so the copy is of one moment; SQLite's immediate
// transactions make writers wait meanwhile.
//
// Rows are copied in primary key order. The tables whose physical order
// must not keep submission order (responses, held_responses, window_mentees,
// window_moments) are keyed by random ids or hashes, so that order carries
// nothing; the other tables' keys are sequence numbers already visible in
// the rows. All rows share the move's one transaction id (xmin), which
// tells less than the source's own history did.
func (d *DB) Move(ctx context.Context, target *DB, opts MoveOptions) ([]MovedTable, error) {
	if d.Dialect != SQLite {
		return nil, fmt.Errorf("move: the source must be a SQLite database, not %s", d.Dialect)
	}
	if target.Dialect != Postgres {
		return nil, fmt.Errorf("move: the target must be a PostgreSQL database, not %s", target.Dialect)
	}
	if err := target.checkEmpty(ctx); err != nil {
		return nil, err
	}
	// The job queue's schema cannot be created in the move's transaction:
	// its migrations add a value to an enum type and then use it, which
	// PostgreSQL allows only once the value is committed. It is created
	// first, empty; a failed move leaves it and nothing else, and a second
	// move accepts it (checkEmpty).
	if err := target.migrateRiver(ctx); err != nil {
		return nil, fmt.Errorf("move: %w", err)
	}
	srcPool, err := d.SQL()
	if err != nil {
		return nil, err
	}
	dstPool, err := target.SQL()
	if err != nil {
		return nil, err
	}
	src, err := srcPool.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		return nil, fmt.Errorf("move: read the source: %w", err)
	}
	defer src.Rollback()
	if err := checkSourceVersion(ctx, src); err != nil {
		return nil, err
	}
	dst, err := dstPool.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("move: open the target: %w", err)
	}
	defer dst.Rollback()
	// An instance started on the target meanwhile waits for the move
	// instead of migrating the same tables.
	if _, err := dst.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7452019)"); err != nil {
		return nil, fmt.Errorf("move: lock the target: %w", err)
	}
	if err := createSchema(ctx, dst); err != nil {
		return nil, err
	}
	tables, err := movePlan(ctx, src, dst, opts)
	if err != nil {
		return nil, err
	}
	c := &copier{src: src, dst: dst, progress: opts.Progress}
	if err := c.copyAll(ctx, tables); err != nil {
		return nil, err
	}
	if err := resetSequences(ctx, src, dst); err != nil {
		return nil, err
	}
	if err := verifyCopy(ctx, src, dst, tables); err != nil {
		return nil, err
	}
	if err := dst.Commit(); err != nil {
		return nil, fmt.Errorf("move: commit the target: %w", err)
	}
	out := make([]MovedTable, 0, len(tables))
	for _, t := range tables {
		out = append(out, MovedTable{Name: t.name, Rows: t.rows, Skipped: t.skipped})
	}
	return out, nil
}

// checkEmpty refuses a target that holds rows or any table of ours: a
// migrated database has rows (the secrets, the migrations' versions), and
// tables without rows would clash with the schema the move creates. The
// job queue's schema without jobs is accepted: an earlier, interrupted move
// leaves it (see Move), and its migration is skipped when complete.
func (d *DB) checkEmpty(ctx context.Context) error {
	var tables []string
	if err := d.gorm.WithContext(ctx).Raw(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`).
		Scan(&tables).Error; err != nil {
		return fmt.Errorf("move: read the target's tables: %w", err)
	}
	var full, ours []string
	for _, t := range tables {
		if !strings.HasPrefix(t, "river_") {
			ours = append(ours, t)
		}
		if t == "river_migration" {
			continue
		}
		var n int64
		if err := d.gorm.WithContext(ctx).Raw(`SELECT count(*) FROM ` + quoteIdent(t)).Scan(&n).Error; err != nil {
			return fmt.Errorf("move: count %s in the target: %w", t, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s (%d)", t, n))
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w: it holds rows in %s; move copies into an empty database only (create one with createdb) and changed nothing", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	if len(ours) > 0 {
		return fmt.Errorf("%w: it holds the tables %s, all empty; move creates the schema itself, so give it a new database (createdb) — it changed nothing", ErrTargetNotEmpty, strings.Join(ours, ", "))
	}
	return nil
}

// checkSourceVersion refuses a source whose migrations are not exactly the
// ones this binary knows, e.g. one migrated by a newer release.
func checkSourceVersion(ctx context.Context, src *sql.Tx) error {
	migs, err := Migrations(SQLite)
	if err != nil {
		return err
	}
	var want []int
	for _, m := range migs {
		want = append(want, m.Version)
	}
	got, err := queryInts(ctx, src, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("move: read the source's migrations: %w", err)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("move: the source is at migrations %v but this binary knows %v; move with the binary that last migrated it", got, want)
	}
	return nil
}

// createSchema applies our PostgreSQL migrations inside the move's
// transaction. The versions are copied from the source with the
// rest (schema_migrations), keeping their original dates.
func createSchema(ctx context.Context, dst *sql.Tx) error {
	migs, err := Migrations(Postgres)
	if err != nil {
		return err
	}
	if _, err := dst.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("move: create schema_migrations: %w", err)
	}
	for _, m := range migs {
		for _, stmt := range splitStatements(m.SQL) {
			if _, err := dst.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("move: migration %04d_%s: %w", m.Version, m.Name, err)
			}
		}
	}
	return nil
}

func queryInts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// quoteIdent quotes a table or column name for either engine.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
