package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// moveTable is one table of a move: its columns as the target types them,
// the source's primary key (the copy's order) and its row count.
type moveTable struct {
	name    string
	cols    []moveColumn
	pk      []string
	rows    int64
	skipped string
}

// moveColumn is a column and its PostgreSQL type, which decides how a
// SQLite value is converted (see convertValue).
type moveColumn struct {
	name string
	// udt is PostgreSQL's type name: int8, bool, timestamptz, jsonb, _text…
	udt string
	// bits is the length of a bit(n) column.
	bits int
}

// jsonish reports whether the column holds JSON in SQLite (the job queue
// stores it as SQLite's binary JSONB): JSON and array columns.
func (c moveColumn) jsonish() bool {
	return c.udt == "json" || c.udt == "jsonb" || strings.HasPrefix(c.udt, "_")
}

// movePlan lists every table of the source schema, in an order that
// satisfies the target's foreign keys, with the target's column types. It
// fails when the two schemas disagree on a table or a column, so a move
// never drops data silently.
func movePlan(ctx context.Context, src, dst *sql.Tx, opts MoveOptions) ([]*moveTable, error) {
	names, err := queryStrings(ctx, src, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("move: list the source's tables: %w", err)
	}
	skip := moveSkipped(opts)
	byName := map[string]*moveTable{}
	for _, name := range names {
		t := &moveTable{name: name, skipped: skip[name]}
		byName[name] = t
		if t.skipped != "" {
			continue
		}
		if err := t.load(ctx, src, dst); err != nil {
			return nil, err
		}
	}
	order, err := foreignKeyOrder(ctx, dst, names)
	if err != nil {
		return nil, err
	}
	out := make([]*moveTable, 0, len(order))
	for _, n := range order {
		out = append(out, byName[n])
	}
	return out, nil
}

// load reads the table's columns on both sides, its primary key and its
// row count in the source.
func (t *moveTable) load(ctx context.Context, src, dst *sql.Tx) error {
	rows, err := dst.QueryContext(ctx, `SELECT column_name, udt_name, COALESCE(character_maximum_length, 0)
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, t.name)
	if err != nil {
		return fmt.Errorf("move: read the target's columns of %s: %w", t.name, err)
	}
	for rows.Next() {
		var c moveColumn
		if err := rows.Scan(&c.name, &c.udt, &c.bits); err != nil {
			rows.Close()
			return err
		}
		t.cols = append(t.cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(t.cols) == 0 {
		return fmt.Errorf("move: the source's table %s has no counterpart in the PostgreSQL schema", t.name)
	}
	info, err := src.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY pk, cid`, t.name)
	if err != nil {
		return fmt.Errorf("move: read the source's columns of %s: %w", t.name, err)
	}
	var srcCols []string
	var pk []string
	for info.Next() {
		var name string
		var pos int
		if err := info.Scan(&name, &pos); err != nil {
			info.Close()
			return err
		}
		srcCols = append(srcCols, name)
		if pos > 0 {
			pk = append(pk, name)
		}
	}
	info.Close()
	if err := info.Err(); err != nil {
		return err
	}
	for _, c := range t.cols {
		if !slices.Contains(srcCols, c.name) {
			return fmt.Errorf("move: column %s.%s of the PostgreSQL schema is missing in the source", t.name, c.name)
		}
	}
	for _, s := range srcCols {
		if !slices.ContainsFunc(t.cols, func(c moveColumn) bool { return c.name == s }) {
			return fmt.Errorf("move: column %s.%s of the source is missing in the PostgreSQL schema", t.name, s)
		}
	}
	t.pk = pk
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.name)).Scan(&t.rows); err != nil {
		return fmt.Errorf("move: count %s: %w", t.name, err)
	}
	return nil
}

// foreignKeyOrder sorts tables so that each comes after the tables its
// foreign keys point to (ties by name, so the order is stable).
func foreignKeyOrder(ctx context.Context, dst *sql.Tx, names []string) ([]string, error) {
	rows, err := dst.QueryContext(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
		WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("move: read the target's foreign keys: %w", err)
	}
	defer rows.Close()
	needs := map[string]map[string]bool{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		if from != to && slices.Contains(names, to) {
			if needs[from] == nil {
				needs[from] = map[string]bool{}
			}
			needs[from][to] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	done := map[string]bool{}
	var order []string
	for len(order) < len(names) {
		progressed := false
		for _, n := range names {
			if done[n] {
				continue
			}
			ready := true
			for dep := range needs[n] {
				if !done[dep] {
					ready = false
				}
			}
			if ready {
				done[n] = true
				order = append(order, n)
				progressed = true
			}
		}
		if !progressed {
			return nil, fmt.Errorf("move: the foreign keys between the tables form a cycle")
		}
	}
	return order, nil
}

func queryStrings(ctx context.Context, q *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
