package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// copier copies tables from a SQLite transaction into a PostgreSQL one.
type copier struct {
	src, dst *sql.Tx
	progress func(total, copied int64)
	total    int64
	copied   int64
}

// moveBatchParams bounds one INSERT's parameters (PostgreSQL allows 65535).
const moveBatchParams = 30000

func (c *copier) copyAll(ctx context.Context, tables []*moveTable) error {
	for _, t := range tables {
		c.total += t.rows
	}
	if c.progress != nil {
		c.progress(c.total, 0)
	}
	for _, t := range tables {
		if t.skipped != "" {
			continue
		}
		if err := c.copyTable(ctx, t); err != nil {
			return fmt.Errorf("move: copy %s: %w", t.name, err)
		}
	}
	return nil
}

// sourceSelect reads a table's columns from SQLite in primary key order,
// JSON columns as text (the job queue keeps them as binary JSONB).
func sourceSelect(t *moveTable) string {
	exprs := make([]string, len(t.cols))
	for i, c := range t.cols {
		exprs[i] = quoteIdent(c.name)
		if c.jsonish() {
			exprs[i] = "json(" + exprs[i] + ")"
		}
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quoteIdent(t.name)
	if len(t.pk) > 0 {
		keys := make([]string, len(t.pk))
		for i, k := range t.pk {
			keys[i] = quoteIdent(k)
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
	}
	return q
}

// eachSourceRow calls fn with each row of t as the source holds it.
func eachSourceRow(ctx context.Context, src *sql.Tx, t *moveTable, fn func([]any) error) error {
	rows, err := src.QueryContext(ctx, sourceSelect(t))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (c *copier) copyTable(ctx context.Context, t *moveTable) error {
	batch := max(1, min(500, moveBatchParams/len(t.cols)))
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		if _, err := c.dst.ExecContext(ctx, insertStatement(t, n), args...); err != nil {
			return err
		}
		c.copied += int64(n)
		if c.progress != nil {
			c.progress(c.total, c.copied)
		}
		args, n = args[:0], 0
		return ctx.Err()
	}
	err := eachSourceRow(ctx, c.src, t, func(vals []any) error {
		for i, col := range t.cols {
			v, err := convertValue(col, vals[i])
			if err != nil {
				return fmt.Errorf("column %s: %w", col.name, err)
			}
			args = append(args, v)
		}
		n++
		if n == batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// insertStatement is a multi-row INSERT of n rows of t.
func insertStatement(t *moveTable, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quoteIdent(t.name) + " (")
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c.name))
	}
	b.WriteString(") VALUES ")
	p := 1
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for i := range t.cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(p))
			p++
		}
		b.WriteString(")")
	}
	return b.String()
}

// sqliteTimeLayouts are the ways a time is written in our SQLite databases:
// the driver's own, RFC 3339, and the job queue's.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	time.DateOnly,
}

// convertValue turns a value read from SQLite into what the PostgreSQL
// column of type col.udt takes: booleans from integers, times from text (to
// the microsecond PostgreSQL keeps), bytes for bytea, JSON arrays as
// PostgreSQL array literals, integers as bit strings.
func convertValue(col moveColumn, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok && col.udt != "bytea" {
		v = string(b)
	}
	switch col.udt {
	case "bool":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(x)
		}
	case "timestamptz", "timestamp":
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Truncate(time.Microsecond), nil
		case int64:
			return time.Unix(x, 0).UTC(), nil
		case string:
			for _, layout := range sqliteTimeLayouts {
				if t, err := time.Parse(layout, x); err == nil {
					return t.UTC().Truncate(time.Microsecond), nil
				}
			}
			return nil, fmt.Errorf("time %q in no known layout", x)
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
		return v, nil
	case "bit", "varbit":
		if n, ok := v.(int64); ok {
			return fmt.Sprintf("%0*b", max(col.bits, 1), n), nil
		}
		return v, nil
	case "text", "varchar":
		switch x := v.(type) {
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
		return v, nil
	default:
		if strings.HasPrefix(col.udt, "_") {
			return arrayLiteral(v)
		}
		return v, nil
	}
	return nil, fmt.Errorf("cannot store %T in a %s column", v, col.udt)
}

// arrayLiteral turns a JSON array (SQLite's form of an array column) into a
// PostgreSQL array literal, each element quoted: a string as itself, any
// other JSON value as its JSON text (for jsonb[]).
func arrayLiteral(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("array column holds %T, want JSON text", v)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(s), &elems); err != nil {
		return nil, fmt.Errorf("array column: %w", err)
	}
	var b strings.Builder
	b.WriteString("{")
	for i, e := range elems {
		if i > 0 {
			b.WriteString(",")
		}
		text := string(e)
		if text == "null" {
			b.WriteString("NULL")
			continue
		}
		var str string
		if json.Unmarshal(e, &str) == nil {
			text = str
		}
		b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`)
	}
	b.WriteString("}")
	return b.String(), nil
}

// resetSequences moves each sequence past the highest id copied, or past
// the highest id SQLite ever handed out (sqlite_sequence), so no id is
// used twice.
func resetSequences(ctx context.Context, src, dst *sql.Tx) error {
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("move: list the target's sequences: %w", err)
	}
	type serial struct{ table, col string }
	var serials []serial
	for rows.Next() {
		var s serial
		if err := rows.Scan(&s.table, &s.col); err != nil {
			rows.Close()
			return err
		}
		serials = append(serials, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range serials {
		var last int64
		if err := dst.QueryRowContext(ctx, `SELECT COALESCE(MAX(`+quoteIdent(s.col)+`), 0) FROM `+quoteIdent(s.table)).Scan(&last); err != nil {
			return fmt.Errorf("move: highest id of %s: %w", s.table, err)
		}
		var seq sql.NullInt64
		err := src.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, s.table).Scan(&seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) && !strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("move: sequence of %s: %w", s.table, err)
		}
		last = max(last, seq.Int64)
		if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)`,
			quoteIdent(s.table), s.col, max(last, 1), last > 0); err != nil {
			return fmt.Errorf("move: reset the sequence of %s: %w", s.table, err)
		}
	}
	return nil
}
