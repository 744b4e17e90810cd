package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
)

// MixBatch is how many held answers, deployment-wide, make the mixer move
// them before any window closes. Fewer wait for more, or for their window
// to close.
const MixBatch = 10

// heldResponse is a row of held_responses, as the SQLite mixer reads it.
type heldResponse struct {
	ID                string
	ResidentID        int64
	ProgramID         int64
	WindowID          string
	InstrumentKey     string
	InstrumentVersion int
	Answers           string
	KeepDoing         *string
	NextTime          *string
}

// MixHeld moves every held answer into responses, when at least MixBatch
// are held or any of them belongs to a window that has closed; it returns
// how many it moved. The move is a transaction of its own, never the one
// that claimed a link, and inserts in random order: PostgreSQL by ORDER BY
// random() (so neither xmin nor ctid order says which claim a response came
// from), SQLite by a shuffle in Go into a WITHOUT ROWID table keyed by a
// random id. After the move the old row versions are reclaimed: VACUUM on
// PostgreSQL; on SQLite secure_delete zeroes them and the WAL is
// checkpointed and truncated. Safe to run concurrently: a held row is moved
// once, by whichever mixer deletes it.
func (d *DB) MixHeld(ctx context.Context) (int, error) {
	due, err := d.mixDue(ctx)
	if err != nil || !due {
		return 0, err
	}
	var moved int
	switch d.Dialect {
	case Postgres:
		err = d.WithTx(ctx, func(ctx context.Context) error {
			res := d.db(ctx).Exec(`WITH moved AS (DELETE FROM held_responses RETURNING *)
				INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time)
				SELECT id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time
				FROM moved ORDER BY random()`)
			moved = int(res.RowsAffected)
			return res.Error
		})
	default:
		err = d.WithTx(ctx, func(ctx context.Context) error {
			var held []heldResponse
			if err := d.db(ctx).Raw(`SELECT * FROM held_responses`).Scan(&held).Error; err != nil {
				return err
			}
			shuffle(held)
			for len(held) > 0 {
				n := min(len(held), sqliteChunk)
				if err := d.insertMixed(ctx, held[:n]); err != nil {
					return err
				}
				held = held[n:]
				moved += n
			}
			return nil
		})
	}
	if err != nil {
		return 0, fmt.Errorf("mix held answers: %w", err)
	}
	if moved > 0 {
		if err := d.reclaim(ctx); err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// mixDue reports whether the mixer should run now.
func (d *DB) mixDue(ctx context.Context) (bool, error) {
	var held []struct {
		ProgramID int64
		N         int
		Oldest    string
	}
	err := d.db(ctx).Raw(`SELECT program_id, count(*) AS n, min(window_id) AS oldest FROM held_responses GROUP BY program_id`).Scan(&held).Error
	if err != nil {
		return false, fmt.Errorf("count held answers: %w", err)
	}
	total := 0
	for _, h := range held {
		total += h.N
	}
	if total >= MixBatch {
		return true, nil
	}
	now := d.now()
	for _, h := range held {
		p, err := d.ProgramByID(ctx, h.ProgramID)
		if err != nil {
			return false, err
		}
		if h.Oldest < p.WindowOf(now).ID {
			return true, nil
		}
	}
	return false, nil
}

// insertMixed inserts shuffled held rows into responses and deletes them
// from holding, on SQLite.
func (d *DB) insertMixed(ctx context.Context, rows []heldResponse) error {
	vals := make([]string, len(rows))
	ids := make([]string, len(rows))
	var args []any
	for i, h := range rows {
		vals[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
		ids[i] = h.ID
		args = append(args, h.ID, h.ResidentID, h.ProgramID, h.InstrumentKey, h.InstrumentVersion, h.WindowID, h.Answers, h.KeepDoing, h.NextTime)
	}
	err := d.db(ctx).Exec(`INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time)
		VALUES `+strings.Join(vals, ", "), args...).Error
	if err != nil {
		return err
	}
	return d.db(ctx).Exec(`DELETE FROM held_responses WHERE id IN ?`, ids).Error
}

// reclaim makes the old versions of moved rows go away, outside any
// transaction.
func (d *DB) reclaim(ctx context.Context) error {
	if _, inTx := d.SQLTx(ctx); inTx {
		return nil
	}
	pool, err := d.gorm.DB()
	if err != nil {
		return err
	}
	stmt := `PRAGMA wal_checkpoint(TRUNCATE)`
	if d.Dialect == Postgres {
		stmt = `VACUUM held_responses`
	}
	if _, err := pool.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("reclaim held answers: %w", err)
	}
	return nil
}

// shuffle is a Fisher–Yates shuffle from crypto/rand: the order must not be
// predictable from a seed.
func shuffle[T any](s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		k := int(j.Int64())
		s[i], s[k] = s[k], s[i]
	}
}
