package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// verifyCopy reads every copied table back from the target and compares
// its row count and a checksum of its rows with the source's, before the
// move commits: a mismatch rolls the move back.
func verifyCopy(ctx context.Context, src, dst *sql.Tx, tables []*moveTable) error {
	for _, t := range tables {
		if t.skipped != "" {
			continue
		}
		want, wantN, err := sourceChecksum(ctx, src, t)
		if err != nil {
			return fmt.Errorf("move: checksum %s in the source: %w", t.name, err)
		}
		got, gotN, err := targetChecksum(ctx, dst, t)
		if err != nil {
			return fmt.Errorf("move: checksum %s in the target: %w", t.name, err)
		}
		if gotN != wantN {
			return fmt.Errorf("move: %s has %d rows in the target but %d in the source; nothing was kept", t.name, gotN, wantN)
		}
		if got != want {
			return fmt.Errorf("move: the rows of %s differ between the source and the target; nothing was kept", t.name)
		}
	}
	return nil
}

// rowSum adds up a hash of each row, so the checksum does not depend on the
// order either engine returns rows in.
type rowSum struct {
	sum uint64
	n   int64
}

func (s *rowSum) add(vals []string) {
	h := sha256.New()
	for _, v := range vals {
		var l [8]byte
		binary.BigEndian.PutUint64(l[:], uint64(len(v)))
		h.Write(l[:])
		h.Write([]byte(v))
	}
	s.sum += binary.BigEndian.Uint64(h.Sum(nil))
	s.n++
}

func sourceChecksum(ctx context.Context, src *sql.Tx, t *moveTable) (uint64, int64, error) {
	var s rowSum
	canon := make([]string, len(t.cols))
	err := eachSourceRow(ctx, src, t, func(vals []any) error {
		for i, col := range t.cols {
			v := vals[i]
			if !col.jsonish() {
				var err error
				if v, err = convertValue(col, v); err != nil {
					return err
				}
			}
			c, err := canonical(col, v)
			if err != nil {
				return fmt.Errorf("column %s: %w", col.name, err)
			}
			canon[i] = c
		}
		s.add(canon)
		return nil
	})
	return s.sum, s.n, err
}

// targetChecksum reads the target's rows with JSON and array columns as
// JSON text and bit strings as text, the forms the source's are compared
// in.
func targetChecksum(ctx context.Context, dst *sql.Tx, t *moveTable) (uint64, int64, error) {
	exprs := make([]string, len(t.cols))
	for i, c := range t.cols {
		exprs[i] = quoteIdent(c.name)
		switch {
		case c.jsonish():
			exprs[i] = "to_json(" + exprs[i] + ")::text"
		case c.udt == "bit" || c.udt == "varbit":
			exprs[i] += "::text"
		}
	}
	rows, err := dst.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+quoteIdent(t.name))
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var s rowSum
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	canon := make([]string, len(t.cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, 0, err
		}
		for i, col := range t.cols {
			c, err := canonical(col, vals[i])
			if err != nil {
				return 0, 0, fmt.Errorf("column %s: %w", col.name, err)
			}
			canon[i] = c
		}
		s.add(canon)
	}
	return s.sum, s.n, rows.Err()
}

// canonical writes a value the same way whichever engine it came from.
func canonical(col moveColumn, v any) (string, error) {
	if v == nil {
		return "\x00null", nil
	}
	if col.jsonish() {
		text, ok := v.(string)
		if b, isBytes := v.([]byte); isBytes {
			text, ok = string(b), true
		}
		if !ok {
			return "", fmt.Errorf("JSON column holds %T", v)
		}
		var x any
		if err := json.Unmarshal([]byte(text), &x); err != nil {
			return "", err
		}
		out, err := json.Marshal(x)
		return string(out), err
	}
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case string:
		return x, nil
	case []byte:
		return hex.EncodeToString(x), nil
	}
	return fmt.Sprint(v), nil
}
