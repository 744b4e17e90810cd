package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// A submission writes no response. It claims the link, erases the link's
// mentee_key and the meeting's contact details, puts the answers in
// held_responses (see mix.go), marks the mentee as one of the resident's
// distinct mentees of the window (window_mentees; the same hash goes into the
// held row, for the mixer's per-mentee sums) and counts the answered
// link for the window (window_links). On PostgreSQL that is one statement;
// on SQLite one immediate transaction. Reports read none of it: the mixer
// moves held answers into responses in a transaction of its own, and the
// release job (release.go) releases whole groups at a window's close.

// itemTally counts a group's answers per item key (ratings 1..5 and "not
// applicable"), each item with the attribute its instrument gives it.
// Keyed by item, so a new instrument version, or another program's
// instrument, adds rows and can shift nothing.
type itemTally map[string]*tallyRow

// add counts one response to inst.
func (t itemTally) add(inst *surveys.Instrument, answers map[string]*int) {
	for _, it := range inst.Items {
		v, asked := answers[it.Key]
		if !asked {
			continue
		}
		r := t[it.Key]
		if r == nil {
			r = &tallyRow{Item: it.Key, Attribute: string(it.Attribute)}
			t[it.Key] = r
		}
		switch {
		case v == nil:
			r.NA++
		case *v == 1:
			r.N1++
		case *v == 2:
			r.N2++
		case *v == 3:
			r.N3++
		case *v == 4:
			r.N4++
		case *v == 5:
			r.N5++
		}
	}
}

// rows lists the tally's rows by item key.
func (t itemTally) rows() []tallyRow {
	out := make([]tallyRow, 0, len(t))
	for _, r := range t {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Item < out[j].Item })
	return out
}

// windowSQL computes, in PostgreSQL, the id of the program's window that
// holds the month numbered by @mindex (surveys.MonthIndex), from p's
// release_window and academic_year_start_month: the same arithmetic as
// surveys.WindowOf, which TestWindowSQLMatchesGo holds it to.
const windowSQL = `lpad(((@mindex::int - ((@mindex::int - p.academic_year_start_month + 1) % n.len + n.len) % n.len) / 12)::text, 4, '0') || '-' ||
		lpad(((@mindex::int - ((@mindex::int - p.academic_year_start_month + 1) % n.len + n.len) % n.len) % 12 + 1)::text, 2, '0')`

// windowLenSQL is the length in months of p's window kind.
const windowLenSQL = `CROSS JOIN LATERAL (SELECT CASE p.release_window WHEN 'month' THEN 1 WHEN 'half' THEN 6 ELSE 3 END AS len) n`

// menteeHashSQL is menteeHash in PostgreSQL.
const menteeHashSQL = `encode(sha256(convert_to(mentee_key || ':' || resident_id::text, 'UTF8')), 'hex')`

// pgSubmitSQL claims the link and stores everything in one statement: one
// round trip, one implicit transaction. The claim reads the link's
// mentee_key through a self-join, because RETURNING shows the new (erased)
// value. Every later step reads only what earlier steps RETURNed.
var pgSubmitSQL = `WITH claimed AS (
	UPDATE invitations i SET status = 'completed', mentee_key = NULL
	FROM invitations o
	WHERE o.id = i.id AND i.token_hash = @hash AND i.status = 'pending' AND i.expires_at > @now
	  AND i.instrument_key = @key AND i.instrument_version = @version
	RETURNING i.id, i.resident_id, i.program_id, o.mentee_key),
` + submitEraseMeetingCTE + `,
win AS (
	SELECT c.resident_id, c.program_id, c.mentee_key, ` + windowSQL + ` AS window_id
	FROM claimed c JOIN programs p ON p.id = c.program_id ` + windowLenSQL + `),
held AS (
	INSERT INTO held_responses (id, resident_id, program_id, window_id, instrument_key, instrument_version, answers, keep_doing, next_time, other_comment, mentee_hash)
	SELECT @id, resident_id, program_id, window_id, @key, @version, @answers, @keep, @next, @other, ` + menteeHashSQL + ` FROM win),
marker AS (
	INSERT INTO window_mentees (resident_id, window_id, mentee_hash, program_id)
	SELECT resident_id, window_id, ` + menteeHashSQL + `, program_id FROM win WHERE mentee_key IS NOT NULL
	ON CONFLICT DO NOTHING),
links AS (
	INSERT INTO window_links AS s (resident_id, window_id, program_id, created, completed, declined)
	SELECT resident_id, window_id, program_id, 0, 1, 0 FROM win
	ON CONFLICT (resident_id, window_id) DO UPDATE SET completed = s.completed + 1)
SELECT count(*) FROM win`

// menteeHash is what window_mentees keeps of a mentee: the SHA-256 of the
// link's mentee_key (itself a keyed hash of the roster id) and the resident.
// It does not depend on the window, so a group carried over several windows
// counts a mentee once; it depends on the resident, so one mentee's markers
// about two residents do not match.
func menteeHash(menteeKey string, residentID int64) string {
	sum := sha256.Sum256([]byte(menteeKey + ":" + strconv.FormatInt(residentID, 10)))
	return hex.EncodeToString(sum[:])
}

// pgSubmitPositional is pgSubmitSQL with $n placeholders, and
// pgSubmitParams the name of each $n in order. The hot path runs it through
// database/sql directly: GORM's named-parameter expansion of this statement
// cost more CPU than the rest of the request.
var pgSubmitPositional, pgSubmitParams = positional(pgSubmitSQL)

// positional rewrites @name parameters to $1, $2, … (a repeated name reuses
// its number).
func positional(sql string) (string, []string) {
	var names []string
	num := map[string]int{}
	out := namedParam.ReplaceAllStringFunc(sql, func(m string) string {
		name := m[1:]
		if _, ok := num[name]; !ok {
			names = append(names, name)
			num[name] = len(names)
		}
		return "$" + strconv.Itoa(num[name])
	})
	return out, names
}

var namedParam = regexp.MustCompile(`@[a-z]+`)

func (d *DB) submitPostgres(ctx context.Context, p submitParams) (bool, error) {
	byName := map[string]any{
		"hash": p.hash, "now": p.now, "key": p.key, "version": p.version, "mindex": surveys.MonthIndex(p.now),
		"id": p.id, "answers": p.answers, "keep": p.keepDoing, "next": p.nextTime, "other": p.other,
	}
	args := make([]any, len(pgSubmitParams))
	for i, name := range pgSubmitParams {
		args[i] = byName[name]
	}
	var row *sql.Row
	if tx, ok := d.SQLTx(ctx); ok {
		row = tx.QueryRowContext(ctx, pgSubmitPositional, args...)
	} else {
		stmt, err := d.submitStmt(ctx)
		if err != nil {
			return false, err
		}
		row = stmt.QueryRowContext(ctx, args...)
	}
	var stored int
	if err := row.Scan(&stored); err != nil {
		return false, err
	}
	return stored == 1, nil
}

// submitStmt prepares the submission statement once per pool; database/sql
// prepares it again on each connection as needed. A failed preparation is
// not kept: the first submission during an outage would otherwise fail every
// later one until a restart.
func (d *DB) submitStmt(ctx context.Context) (*sql.Stmt, error) {
	d.submitMu.Lock()
	defer d.submitMu.Unlock()
	if d.submitPrepared != nil {
		return d.submitPrepared, nil
	}
	pool, err := d.gorm.DB()
	if err != nil {
		return nil, err
	}
	// Not the request context: the statement outlives the request.
	stmt, err := pool.PrepareContext(context.WithoutCancel(ctx), pgSubmitPositional)
	if err != nil {
		return nil, fmt.Errorf("prepare submission: %w", err)
	}
	d.submitPrepared = stmt
	return stmt, nil
}

// submitSQLite does the same in an immediate transaction, step by step:
// SQLite has no data-modifying CTEs, and its single writer makes reading
// the link and then claiming it safe.
func (d *DB) submitSQLite(ctx context.Context, p submitParams) (bool, error) {
	stored := false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var links []struct {
			ID, ResidentID, ProgramID int64
			MenteeKey                 *string
			ReleaseWindow             string
			AcademicYearStartMonth    int
		}
		err := d.db(ctx).Raw(`SELECT i.id, i.resident_id, i.program_id, i.mentee_key, p.release_window, p.academic_year_start_month
			FROM invitations i JOIN programs p ON p.id = i.program_id
			WHERE i.token_hash = ? AND i.status = 'pending' AND i.expires_at > ?
			  AND i.instrument_key = ? AND i.instrument_version = ?`,
			p.hash, p.now, p.key, p.version).Scan(&links).Error
		if err != nil || len(links) != 1 {
			return err
		}
		l := links[0]
		res := d.db(ctx).Exec(`UPDATE invitations SET status = 'completed', mentee_key = NULL WHERE id = ? AND status = 'pending'`, l.ID)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		// meetings (issue 5): erase the mentee's contact details with the
		// claim. The link id goes no further than this step.
		if err := d.closeMeeting(ctx, l.ID, DeliveryCompleted); err != nil {
			return err
		}
		window := surveys.WindowOf(p.now, l.ReleaseWindow, l.AcademicYearStartMonth).ID
		var hash *string
		if l.MenteeKey != nil {
			h := menteeHash(*l.MenteeKey, l.ResidentID)
			hash = &h
		}
		err = d.db(ctx).Exec(`INSERT INTO held_responses (id, resident_id, program_id, window_id, instrument_key, instrument_version, answers, keep_doing, next_time, other_comment, mentee_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.id, l.ResidentID, l.ProgramID, window, p.key, p.version, p.answers, p.keepDoing, p.nextTime, p.other, hash).Error
		if err != nil {
			return fmt.Errorf("hold answers: %w", err)
		}
		if hash != nil {
			err = d.db(ctx).Exec(`INSERT INTO window_mentees (resident_id, window_id, mentee_hash, program_id) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, l.ResidentID, window, *hash, l.ProgramID).Error
			if err != nil {
				return fmt.Errorf("count mentee: %w", err)
			}
		}
		if err := d.countLink(ctx, l.ResidentID, l.ProgramID, window, 0, 1, 0); err != nil {
			return err
		}
		stored = true
		return nil
	})
	return stored, err
}

// tallyRow is one row of report_released, or a sum of them.
type tallyRow struct {
	ResidentID             int64
	WindowID               string
	Item, Attribute        string
	N1, N2, N3, N4, N5, NA int64
}

func (r tallyRow) counts() surveys.Counts {
	return surveys.Counts{Ratings: [5]int64{r.N1, r.N2, r.N3, r.N4, r.N5}, NotApplicable: r.NA}
}

// addReleased adds tallies to a resident's release window.
func (d *DB) addReleased(ctx context.Context, residentID, programID int64, window string, rows []tallyRow) error {
	if len(rows) == 0 {
		return nil
	}
	var vals []string
	var args []any
	for _, r := range rows {
		vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, residentID, window, r.Item, programID, r.Attribute, r.N1, r.N2, r.N3, r.N4, r.N5, r.NA)
	}
	err := d.db(ctx).Exec(`INSERT INTO report_released (resident_id, window_id, item, program_id, attribute, n1, n2, n3, n4, n5, na)
		VALUES `+strings.Join(vals, ", ")+`
		ON CONFLICT (resident_id, window_id, item) DO UPDATE SET n1 = report_released.n1 + excluded.n1,
			n2 = report_released.n2 + excluded.n2, n3 = report_released.n3 + excluded.n3,
			n4 = report_released.n4 + excluded.n4, n5 = report_released.n5 + excluded.n5,
			na = report_released.na + excluded.na`, args...).Error
	if err != nil {
		return fmt.Errorf("add released tallies: %w", err)
	}
	return nil
}

// countLink adds to a resident's link counts for a window: created counts
// in the window a link was made, completed and declined in the window it
// was answered or declined.
func (d *DB) countLink(ctx context.Context, residentID, programID int64, window string, created, completed, declined int) error {
	err := d.db(ctx).Exec(`INSERT INTO window_links (resident_id, window_id, program_id, created, completed, declined) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (resident_id, window_id) DO UPDATE SET created = window_links.created + excluded.created,
			completed = window_links.completed + excluded.completed, declined = window_links.declined + excluded.declined`,
		residentID, window, programID, created, completed, declined).Error
	if err != nil {
		return fmt.Errorf("count link: %w", err)
	}
	return nil
}

// PostgresSubmitSQL returns the single statement a submission runs on
// PostgreSQL, with named parameters (@hash, @now, …). The load generator
// turns it into the pgbench script that measures the database alone.
func PostgresSubmitSQL() string { return pgSubmitSQL }
