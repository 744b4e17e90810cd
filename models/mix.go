package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
)

// MixBatch is how many held answers, deployment-wide, make the mixer move
// them before any window closes. Fewer wait for more, or for their window
// to close.
const MixBatch = 10

// heldResponse is a row of held_responses, as the mixer reads it.
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
	OtherComment      *string
	MenteeHash        *string
}

// mixLock is the PostgreSQL advisory lock that keeps the window_moments
// read-modify-write of two mixers from losing an update: a mixer takes it
// exclusively, a judgement shared, so that a release reads a resident's
// responses and sums as one mix left them.
const mixLock = 7452020

// MixHeld moves every held answer into responses, when at least MixBatch
// are held or any of them belongs to a window that has closed; it returns
// how many it moved. The move is a transaction of its own, never the one
// that claimed a link: it deletes every held row (DELETE … RETURNING),
// shuffles them in Go (crypto/rand) and inserts them in that order, so that
// neither xmin, ctid order nor SQLite's key order says which claim a
// response came from. In the same transaction it adds each response's
// scores to its mentee's sealed sums (window_moments, see addMoments).
// After the move the old row versions are reclaimed: VACUUM on PostgreSQL;
// on SQLite secure_delete zeroes them and the WAL is checkpointed and
// truncated. Safe to run concurrently: a held row is moved once, by
// whichever mixer deletes it, and mixers take mixLock (SQLite's immediate
// transactions already write one at a time).
func (d *DB) MixHeld(ctx context.Context) (int, error) {
	due, err := d.mixDue(ctx)
	if err != nil || !due {
		return 0, err
	}
	var moved int
	err = d.WithTx(ctx, func(ctx context.Context) error {
		if d.Dialect == Postgres {
			if err := d.db(ctx).Exec(`SELECT pg_advisory_xact_lock(?)`, mixLock).Error; err != nil {
				return err
			}
		}
		var held []heldResponse
		err := d.db(ctx).Raw(`DELETE FROM held_responses RETURNING id, resident_id, program_id, window_id,
			instrument_key, instrument_version, answers, keep_doing, next_time, other_comment, mentee_hash`).Scan(&held).Error
		if err != nil {
			return err
		}
		shuffle(held)
		flat := make([]any, 0, len(held)*9)
		for _, h := range held {
			flat = append(flat, h.ID, h.ResidentID, h.ProgramID, h.InstrumentKey, h.InstrumentVersion, h.WindowID, h.Answers, h.KeepDoing, h.NextTime, h.OtherComment)
		}
		err = insertRows(ctx, d, `INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time, other_comment) VALUES `, "", 10, flat)
		if err != nil {
			return err
		}
		moved = len(held)
		return d.addMoments(ctx, held)
	})
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
		stmt = `VACUUM held_responses, window_moments`
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
