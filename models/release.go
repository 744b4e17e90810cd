package models

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// ReleaseSummary is what one run of ReleaseClosedWindows did, in counts.
type ReleaseSummary struct {
	Mixed     int // held answers moved into responses first
	Judged    int // residents whose group was judged
	Released  int // groups released
	Responses int // responses in them
	// UnopenedSums counts mentees' sums rows of released groups that would
	// not open (the secret changed mid-window): their responses counted as
	// unknown raters'.
	UnopenedSums int
}

// ReleaseClosedWindows applies the release rule (surveys/release.go) for
// every program: it runs the mixer first, so that every answer of a closed
// window is a response, then judges once, per resident, the group of their
// unreleased responses of closed windows. It is idempotent and safe on
// several instances at once: each resident is judged in a transaction of
// its own that first moves report_judged to the last closed window with a
// conditional upsert, and a resident already judged there is skipped.
func (d *DB) ReleaseClosedWindows(ctx context.Context) (ReleaseSummary, error) {
	return d.ReleaseClosedWindowsThen(ctx, nil)
}

// Released is one resident's group just released at a window's close: who
// and which window, nothing about the responses.
type Released struct {
	ResidentID int64
	ProgramID  int64
	WindowID   string // the closed window the group was released at
}

// OnRelease runs inside the transaction that releases a group, so that what
// it writes (a job) commits with the release or not at all; an error rolls
// the release back.
type OnRelease func(ctx context.Context, r Released) error

// ReleaseClosedWindowsThen is ReleaseClosedWindows calling then, when not
// nil, in each release's transaction. A group carried over, or judged by
// another instance, calls nothing, so a run repeated calls nothing twice.
func (d *DB) ReleaseClosedWindowsThen(ctx context.Context, then OnRelease) (ReleaseSummary, error) {
	var sum ReleaseSummary
	mixed, err := d.MixHeld(ctx)
	if err != nil {
		return sum, err
	}
	sum.Mixed = mixed
	programs, err := d.Programs(ctx)
	if err != nil {
		return sum, err
	}
	now := d.now()
	for _, p := range programs {
		current := p.WindowOf(now)
		closed := current.Previous(p.ReleaseWindow, p.AcademicYearStartMonth)
		var residents []int64
		err := d.db(ctx).Raw(`SELECT DISTINCT r.resident_id FROM responses r
			LEFT JOIN report_judged j ON j.resident_id = r.resident_id
			WHERE r.program_id = ? AND r.release_id IS NULL AND r.window_id < ?
			  AND (j.window_id IS NULL OR j.window_id < ?)`, p.ID, current.ID, closed.ID).Scan(&residents).Error
		if err != nil {
			return sum, fmt.Errorf("find groups to judge: %w", err)
		}
		for _, id := range residents {
			released, n, unopened, err := d.judge(ctx, &p, id, current, closed, then)
			if err != nil {
				return sum, err
			}
			sum.Judged++
			sum.UnopenedSums += unopened
			if released {
				sum.Released++
				sum.Responses += n
			}
		}
	}
	return sum, nil
}

// judge releases or carries over one resident's group.
func (d *DB) judge(ctx context.Context, p *Program, residentID int64, current, closed surveys.Window, then OnRelease) (released bool, n, unopened int, err error) {
	err = d.WithTx(ctx, func(ctx context.Context) error {
		if d.Dialect == Postgres {
			// No mixer between reading the group and reading its sums.
			if err := d.db(ctx).Exec(`SELECT pg_advisory_xact_lock_shared(?)`, mixLock).Error; err != nil {
				return err
			}
		}
		var claimed []int64
		err := d.db(ctx).Raw(`INSERT INTO report_judged (resident_id, program_id, window_id) VALUES (?, ?, ?)
			ON CONFLICT (resident_id) DO UPDATE SET window_id = excluded.window_id, program_id = excluded.program_id
			WHERE report_judged.window_id < excluded.window_id
			RETURNING resident_id`, residentID, p.ID, closed.ID).Scan(&claimed).Error
		if err != nil {
			return fmt.Errorf("claim judgement: %w", err)
		}
		if len(claimed) == 0 {
			return nil // another instance judged this window
		}
		var group []groupResponse
		err = d.db(ctx).Raw(`SELECT id, window_id, answers, instrument_key, instrument_version FROM responses
			WHERE resident_id = ? AND release_id IS NULL AND window_id < ?`, residentID, current.ID).Scan(&group).Error
		if err != nil {
			return fmt.Errorf("read group: %w", err)
		}
		var mentees int
		err = d.db(ctx).Raw(`SELECT count(DISTINCT mentee_hash) FROM window_mentees WHERE resident_id = ? AND window_id < ?`,
			residentID, current.ID).Scan(&mentees).Error
		if err != nil {
			return fmt.Errorf("count mentees: %w", err)
		}
		if !(surveys.Group{Responses: len(group), Mentees: mentees}).Releases(p.MinResponses, p.MinMentees) {
			return nil // carried over to the next window's close
		}
		first, last := group[0].WindowID, group[0].WindowID
		insts, common, mixed, err := d.groupInstruments(ctx, group)
		if err != nil {
			return err
		}
		tally := itemTally{}
		ids := make([]string, len(group))
		for i, r := range group {
			first, last = min(first, r.WindowID), max(last, r.WindowID)
			var ans map[string]*int
			if err := decodeAnswers(r.Answers, &ans); err != nil {
				return err
			}
			tally.add(restrict(insts[i], common), ans)
			ids[i] = r.ID
		}
		var releaseID []int64
		err = d.db(ctx).Raw(`INSERT INTO report_releases (resident_id, program_id, window_id, first_window, last_window, responses, mentees)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, residentID, p.ID, closed.ID, first, last, len(group), mentees).Scan(&releaseID).Error
		if err != nil || len(releaseID) != 1 {
			return fmt.Errorf("record release: %w", err)
		}
		if err := d.addReleased(ctx, residentID, p.ID, closed.ID, tally.rows()); err != nil {
			return err
		}
		moments, bad, err := d.groupMoments(ctx, residentID, current.ID, group)
		if err != nil {
			return err
		}
		if mixed {
			if moments, err = commonMoments(moments, insts, group, common); err != nil {
				return err
			}
		}
		restarted, err := d.insertReleaseMoments(ctx, releaseID[0], residentID, p.ID, closed.ID, moments)
		if err != nil {
			return err
		}
		bad += restarted
		for len(ids) > 0 {
			k := min(len(ids), 500)
			if err := d.db(ctx).Exec(`UPDATE responses SET release_id = ? WHERE id IN ?`, releaseID[0], ids[:k]).Error; err != nil {
				return fmt.Errorf("mark released: %w", err)
			}
			ids = ids[k:]
		}
		// The hashes have done their work: gone with the release.
		if err := d.db(ctx).Exec(`DELETE FROM window_mentees WHERE resident_id = ? AND window_id < ?`, residentID, current.ID).Error; err != nil {
			return fmt.Errorf("erase mentee hashes: %w", err)
		}
		if err := d.db(ctx).Exec(`DELETE FROM window_moments WHERE resident_id = ? AND window_id < ?`, residentID, current.ID).Error; err != nil {
			return fmt.Errorf("erase mentee sums: %w", err)
		}
		if then != nil {
			if err := then(ctx, Released{ResidentID: residentID, ProgramID: p.ID, WindowID: closed.ID}); err != nil {
				return err
			}
		}
		released, n, unopened = true, len(group), bad
		return nil
	})
	return released, n, unopened, err
}

func decodeAnswers(s string, into *map[string]*int) error {
	if err := json.Unmarshal([]byte(s), into); err != nil {
		return fmt.Errorf("decode answers: %w", err)
	}
	return nil
}
