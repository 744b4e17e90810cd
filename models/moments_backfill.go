package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// releaseChunk is how many releases one backfill step reads responses for.
const releaseChunk = 50

// backfillMoments gives releases made before migration 0009 their moments:
// response totals from their responses, every response a cluster of its own,
// since nobody kept which mentee gave which. It looks only at releases with
// no moments rows, so it is idempotent, and after the first run it finds
// only releases whose responses rated nothing. Instances starting at once
// take the migration lock in turn.
func (d *DB) backfillMoments(ctx context.Context) error {
	return d.WithTx(ctx, func(ctx context.Context) error {
		if d.Dialect == Postgres {
			if err := d.db(ctx).Exec("SELECT pg_advisory_xact_lock(7452019)").Error; err != nil {
				return err
			}
		}
		var rels []struct {
			ID, ResidentID, ProgramID int64
			WindowID                  string
		}
		err := d.db(ctx).Raw(`SELECT r.id, r.resident_id, r.program_id, r.window_id FROM report_releases r
			WHERE NOT EXISTS (SELECT 1 FROM report_release_moments m WHERE m.release_id = r.id) ORDER BY r.id`).Scan(&rels).Error
		if err != nil {
			return fmt.Errorf("backfill moments: find releases: %w", err)
		}
		insts := d.instrumentSet()
		for len(rels) > 0 {
			chunk := rels[:min(len(rels), releaseChunk)]
			rels = rels[len(chunk):]
			ids := make([]int64, len(chunk))
			for i, r := range chunk {
				ids[i] = r.ID
			}
			var resps []struct {
				ReleaseID         int64
				InstrumentKey     string
				InstrumentVersion int
				Answers           string
			}
			err := d.db(ctx).Raw(`SELECT release_id, instrument_key, instrument_version, answers FROM responses WHERE release_id IN ?`, ids).Scan(&resps).Error
			if err != nil {
				return fmt.Errorf("backfill moments: read responses: %w", err)
			}
			totals := map[int64]*menteeSums{}
			for _, r := range resps {
				s, err := insts.scores(ctx, r.InstrumentKey, r.InstrumentVersion, r.Answers)
				if err != nil {
					return fmt.Errorf("backfill moments: %w", err)
				}
				t := totals[r.ReleaseID]
				if t == nil {
					t = &menteeSums{}
					totals[r.ReleaseID] = t
				}
				t.add(s)
			}
			for _, r := range chunk {
				t := totals[r.ID]
				if t == nil {
					continue
				}
				var ms [4]surveys.Moments
				for i, a := range t {
					ms[i].AddSingles(int64(a.N), a.Sum, a.SumSq)
				}
				if _, err := d.insertReleaseMoments(ctx, r.ID, r.ResidentID, r.ProgramID, r.WindowID, ms); err != nil {
					return fmt.Errorf("backfill moments: %w", err)
				}
			}
		}
		return nil
	})
}
