package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Report aggregates are written by the submission itself (see
// migrations/*/0003_reports.sql and surveys/release.go). On PostgreSQL the
// claim, the response and every aggregate are one statement; on SQLite one
// immediate transaction.

// reportItems are the item keys every submission writes a tally row for:
// all items of all instruments, so that releasing a batch flushes every row
// the open batch holds, whatever version its responses answered.
var reportItems = surveys.AllItems()

// itemValue encodes one answer for the submission statement: 1..5 a rating,
// 0 "not applicable", nil an item this response's instrument does not ask.
func itemValues(answers map[string]*int) []any {
	out := make([]any, len(reportItems))
	for i, it := range reportItems {
		v, asked := answers[it.Key]
		switch {
		case !asked:
			out[i] = nil
		case v == nil:
			out[i] = 0
		default:
			out[i] = *v
		}
	}
	return out
}

// pgSubmitSQL claims the link, stores the response with its batch number and
// updates every aggregate in one statement: one round trip, one implicit
// transaction. Concurrent submissions about one resident queue on the
// report_counters row; every later step reads only what earlier steps
// RETURNed (never a table snapshot), so it sees the latest committed counts.
// gorm ends a named parameter only at a space or punctuation, hence "@v0 ::int".
var pgSubmitSQL = buildPGSubmitSQL()

func buildPGSubmitSQL() string {
	var values []string
	for i, it := range reportItems {
		values = append(values, fmt.Sprintf("(%s, %s, @v%d ::int)", sqlString(it.Key), sqlString(string(it.Attribute)), i))
	}
	// cols joins f over the six tally columns: k is the value counted (0 for
	// "not applicable"), n and r the column names in the open and the
	// just-released tally (n1..n5, na; r1..r5, rna).
	cols := func(f func(k int, n, r string) string) string {
		var out []string
		for k := 1; k <= 5; k++ {
			out = append(out, f(k, fmt.Sprintf("n%d", k), fmt.Sprintf("r%d", k)))
		}
		out = append(out, f(0, "na", "rna"))
		return strings.Join(out, ", ")
	}
	tally := func(cond string) string {
		return cols(func(k int, _, _ string) string {
			return fmt.Sprintf("CASE WHEN %s AND v.v = %d THEN 1 ELSE 0 END", cond, k)
		})
	}
	return `WITH claimed AS (
	UPDATE invitations SET status = 'completed', completed_week = @week
	WHERE token_hash = @hash AND status = 'pending' AND expires_at > @now
	  AND instrument_key = @key AND instrument_version = @version
	RETURNING resident_id, program_id, created_at),
links AS (
	INSERT INTO link_stats AS s (resident_id, month, program_id, created, completed, declined)
	SELECT resident_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), program_id, 0, 1, 0 FROM claimed
	ON CONFLICT (resident_id, month) DO UPDATE SET completed = s.completed + 1),
counter AS (
	INSERT INTO report_counters AS c (resident_id, program_id, min_responses, batch, pending, released, last_size)
	SELECT cl.resident_id, cl.program_id, p.min_responses, 1, 1, 0, 0
	FROM claimed cl JOIN programs p ON p.id = cl.program_id
	ON CONFLICT (resident_id) DO UPDATE SET
		program_id = EXCLUDED.program_id,
		min_responses = EXCLUDED.min_responses,
		batch = c.batch + CASE WHEN c.pending + 1 >= EXCLUDED.min_responses THEN 1 ELSE 0 END,
		pending = CASE WHEN c.pending + 1 >= EXCLUDED.min_responses THEN 0 ELSE c.pending + 1 END,
		released = c.released + CASE WHEN c.pending + 1 >= EXCLUDED.min_responses THEN c.pending + 1 ELSE 0 END,
		last_size = CASE WHEN c.pending + 1 >= EXCLUDED.min_responses THEN c.pending + 1 ELSE c.last_size END
	RETURNING resident_id, program_id, batch, pending, last_size),
mine AS (
	SELECT resident_id, program_id, pending = 0 AS closes, last_size,
	       CASE WHEN pending = 0 THEN batch - 1 ELSE batch END AS batch
	FROM counter),
response AS (
	INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time, batch)
	SELECT @id, resident_id, program_id, @key, @version, @week, @answers, @keep, @next, batch FROM mine),
open_rows AS (
	INSERT INTO report_open AS o (resident_id, item, attribute, n1, n2, n3, n4, n5, na, released_batch, r1, r2, r3, r4, r5, rna)
	SELECT m.resident_id, v.item, v.attribute, ` + tally("NOT m.closes") + `,
	       CASE WHEN m.closes THEN m.batch ELSE 0 END, ` + tally("m.closes") + `
	FROM mine m CROSS JOIN (VALUES ` + strings.Join(values, ", ") + `) AS v (item, attribute, v)
	ON CONFLICT (resident_id, item) DO UPDATE SET
		` + cols(func(_ int, n, _ string) string {
		return fmt.Sprintf("%[1]s = CASE WHEN EXCLUDED.released_batch > 0 THEN 0 ELSE o.%[1]s + EXCLUDED.%[1]s END", n)
	}) + `,
		` + cols(func(_ int, n, r string) string {
		return fmt.Sprintf("%[2]s = CASE WHEN EXCLUDED.released_batch > 0 THEN o.%[1]s + EXCLUDED.%[2]s ELSE o.%[2]s END", n, r)
	}) + `,
		released_batch = GREATEST(o.released_batch, EXCLUDED.released_batch)
	RETURNING resident_id, item, attribute, released_batch, r1, r2, r3, r4, r5, rna),
released AS (
	INSERT INTO report_released AS r (resident_id, month, item, program_id, attribute, n1, n2, n3, n4, n5, na)
	SELECT o.resident_id, @month, o.item, m.program_id, o.attribute, o.r1, o.r2, o.r3, o.r4, o.r5, o.rna
	FROM open_rows o JOIN mine m ON m.closes AND o.released_batch = m.batch
	WHERE o.r1 + o.r2 + o.r3 + o.r4 + o.r5 + o.rna > 0
	ON CONFLICT (resident_id, month, item) DO UPDATE SET
		` + cols(func(_ int, n, _ string) string { return fmt.Sprintf("%[1]s = r.%[1]s + EXCLUDED.%[1]s", n) }) + `),
batches AS (
	INSERT INTO report_batches (resident_id, batch, program_id, month, responses)
	SELECT resident_id, batch, program_id, @month, last_size FROM mine WHERE closes),
months AS (
	INSERT INTO report_months AS rm (resident_id, month, program_id, responses, batches)
	SELECT resident_id, @month, program_id, last_size, 1 FROM mine WHERE closes
	ON CONFLICT (resident_id, month) DO UPDATE SET responses = rm.responses + EXCLUDED.responses, batches = rm.batches + 1)
SELECT count(*) FROM mine`
}

// sqlString quotes a constant for SQL text. Only item keys and attribute
// names from code pass through here.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (d *DB) submitPostgres(ctx context.Context, p submitParams) (bool, error) {
	args := map[string]any{
		"week": p.week, "hash": p.hash, "now": p.now, "key": p.key, "version": p.version,
		"id": p.id, "answers": p.answers, "keep": p.keepDoing, "next": p.nextTime, "month": p.month,
	}
	for i, v := range itemValues(p.values) {
		args[fmt.Sprintf("v%d", i)] = v
	}
	var stored int
	if err := d.db(ctx).Raw(pgSubmitSQL, args).Scan(&stored).Error; err != nil {
		return false, err
	}
	return stored == 1, nil
}

// submitSQLite does the same in an immediate transaction, step by step:
// SQLite has no data-modifying CTEs, and its single writer makes reading
// the counter and then writing it safe.
func (d *DB) submitSQLite(ctx context.Context, p submitParams) (bool, error) {
	stored := false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var claimed []struct {
			ResidentID int64
			ProgramID  int64
			CreatedAt  time.Time
		}
		err := d.db(ctx).Raw(`UPDATE invitations SET status = 'completed', completed_week = ?
			WHERE token_hash = ? AND status = 'pending' AND expires_at > ?
			  AND instrument_key = ? AND instrument_version = ?
			RETURNING resident_id, program_id, created_at`,
			p.week, p.hash, p.now, p.key, p.version).Scan(&claimed).Error
		if err != nil || len(claimed) != 1 {
			return err
		}
		cl := claimed[0]
		if err := d.countLink(ctx, cl.ResidentID, cl.ProgramID, surveys.MonthOf(cl.CreatedAt), 0, 1, 0); err != nil {
			return err
		}
		batch, releasedSize, err := d.advanceCounter(ctx, cl.ResidentID, cl.ProgramID)
		if err != nil {
			return err
		}
		err = d.db(ctx).Exec(`INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time, batch)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.id, cl.ResidentID, cl.ProgramID, p.key, p.version, p.week, p.answers, p.keepDoing, p.nextTime, batch).Error
		if err != nil {
			return err
		}
		if releasedSize == 0 {
			err = d.addOpen(ctx, cl.ResidentID, p.values)
		} else {
			err = d.releaseOpen(ctx, cl.ResidentID, cl.ProgramID, batch, releasedSize, p.month, p.values)
		}
		stored = err == nil
		return err
	})
	return stored, err
}

// advanceCounter applies surveys.ReleaseState.Add to a resident's counter.
func (d *DB) advanceCounter(ctx context.Context, residentID, programID int64) (batch, releasedSize int, err error) {
	var min int
	if err := d.db(ctx).Raw(`SELECT min_responses FROM programs WHERE id = ?`, programID).Scan(&min).Error; err != nil {
		return 0, 0, fmt.Errorf("read threshold: %w", err)
	}
	var rows []struct{ Batch, Pending, Released int }
	if err := d.db(ctx).Raw(`SELECT batch, pending, released FROM report_counters WHERE resident_id = ?`, residentID).Scan(&rows).Error; err != nil {
		return 0, 0, fmt.Errorf("read counter: %w", err)
	}
	var st surveys.ReleaseState
	if len(rows) == 1 {
		st = surveys.ReleaseState{Batch: rows[0].Batch, Pending: rows[0].Pending, Released: rows[0].Released}
	}
	batch, releasedSize = st.Add(min)
	err = d.db(ctx).Exec(`INSERT INTO report_counters (resident_id, program_id, min_responses, batch, pending, released, last_size)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (resident_id) DO UPDATE SET program_id = excluded.program_id, min_responses = excluded.min_responses,
			batch = excluded.batch, pending = excluded.pending, released = excluded.released,
			last_size = CASE WHEN excluded.last_size > 0 THEN excluded.last_size ELSE report_counters.last_size END`,
		residentID, programID, min, st.Batch, st.Pending, st.Released, releasedSize).Error
	if err != nil {
		return 0, 0, fmt.Errorf("write counter: %w", err)
	}
	return batch, releasedSize, nil
}

// answerTallies turns one response into a tally per item it asks.
func answerTallies(values map[string]*int) map[string]surveys.Counts {
	out := make(map[string]surveys.Counts, len(values))
	for key, v := range values {
		var c surveys.Counts
		c.Add(v)
		out[key] = c
	}
	return out
}

// addOpen adds one response to the resident's open batch.
func (d *DB) addOpen(ctx context.Context, residentID int64, values map[string]*int) error {
	var rows []string
	var args []any
	for _, it := range reportItems {
		c, ok := answerTallies(values)[it.Key]
		if !ok {
			continue
		}
		rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, residentID, it.Key, string(it.Attribute),
			c.Ratings[0], c.Ratings[1], c.Ratings[2], c.Ratings[3], c.Ratings[4], c.NotApplicable)
	}
	err := d.db(ctx).Exec(`INSERT INTO report_open (resident_id, item, attribute, n1, n2, n3, n4, n5, na)
		VALUES `+strings.Join(rows, ", ")+`
		ON CONFLICT (resident_id, item) DO UPDATE SET n1 = report_open.n1 + excluded.n1, n2 = report_open.n2 + excluded.n2,
			n3 = report_open.n3 + excluded.n3, n4 = report_open.n4 + excluded.n4, n5 = report_open.n5 + excluded.n5,
			na = report_open.na + excluded.na`, args...).Error
	if err != nil {
		return fmt.Errorf("add to open batch: %w", err)
	}
	return nil
}

// releaseOpen moves the open batch, completed by this response, into the
// released tallies of month.
func (d *DB) releaseOpen(ctx context.Context, residentID, programID int64, batch, size int, month string, values map[string]*int) error {
	var open []tallyRow
	if err := d.db(ctx).Raw(`SELECT item, attribute, n1, n2, n3, n4, n5, na FROM report_open WHERE resident_id = ?`, residentID).Scan(&open).Error; err != nil {
		return fmt.Errorf("read open batch: %w", err)
	}
	batchTally := map[string]tallyRow{}
	for _, r := range open {
		batchTally[r.Item] = r
	}
	for _, it := range reportItems {
		c, ok := answerTallies(values)[it.Key]
		if !ok {
			continue
		}
		r := batchTally[it.Key]
		r.Item, r.Attribute = it.Key, string(it.Attribute)
		r.add(c)
		batchTally[it.Key] = r
	}
	rows := make([]tallyRow, 0, len(batchTally))
	for _, r := range batchTally {
		rows = append(rows, r)
	}
	if err := d.addReleased(ctx, residentID, programID, month, rows); err != nil {
		return err
	}
	if err := d.db(ctx).Exec(`DELETE FROM report_open WHERE resident_id = ?`, residentID).Error; err != nil {
		return fmt.Errorf("clear open batch: %w", err)
	}
	if err := d.db(ctx).Exec(`INSERT INTO report_batches (resident_id, batch, program_id, month, responses) VALUES (?, ?, ?, ?, ?)`,
		residentID, batch, programID, month, size).Error; err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return d.addReleasedMonth(ctx, residentID, programID, month, size, 1)
}

// tallyRow is one row of report_open or report_released, or a sum of them.
type tallyRow struct {
	ResidentID             int64
	Month                  string
	Item, Attribute        string
	N1, N2, N3, N4, N5, NA int64
}

func (r *tallyRow) add(c surveys.Counts) {
	r.N1 += c.Ratings[0]
	r.N2 += c.Ratings[1]
	r.N3 += c.Ratings[2]
	r.N4 += c.Ratings[3]
	r.N5 += c.Ratings[4]
	r.NA += c.NotApplicable
}

func (r tallyRow) counts() surveys.Counts {
	return surveys.Counts{Ratings: [5]int64{r.N1, r.N2, r.N3, r.N4, r.N5}, NotApplicable: r.NA}
}

// addReleased adds tallies to a resident's released month.
func (d *DB) addReleased(ctx context.Context, residentID, programID int64, month string, rows []tallyRow) error {
	var vals []string
	var args []any
	for _, r := range rows {
		if r.counts().Answers()+r.NA == 0 {
			continue
		}
		vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, residentID, month, r.Item, programID, r.Attribute, r.N1, r.N2, r.N3, r.N4, r.N5, r.NA)
	}
	if len(vals) == 0 {
		return nil
	}
	err := d.db(ctx).Exec(`INSERT INTO report_released (resident_id, month, item, program_id, attribute, n1, n2, n3, n4, n5, na)
		VALUES `+strings.Join(vals, ", ")+`
		ON CONFLICT (resident_id, month, item) DO UPDATE SET n1 = report_released.n1 + excluded.n1,
			n2 = report_released.n2 + excluded.n2, n3 = report_released.n3 + excluded.n3,
			n4 = report_released.n4 + excluded.n4, n5 = report_released.n5 + excluded.n5,
			na = report_released.na + excluded.na`, args...).Error
	if err != nil {
		return fmt.Errorf("add released tallies: %w", err)
	}
	return nil
}

func (d *DB) addReleasedMonth(ctx context.Context, residentID, programID int64, month string, responses, batches int) error {
	err := d.db(ctx).Exec(`INSERT INTO report_months (resident_id, month, program_id, responses, batches) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (resident_id, month) DO UPDATE SET responses = report_months.responses + excluded.responses,
			batches = report_months.batches + excluded.batches`,
		residentID, month, programID, responses, batches).Error
	if err != nil {
		return fmt.Errorf("count released month: %w", err)
	}
	return nil
}

// countLink adds to a resident's link counts for the month a link was created.
func (d *DB) countLink(ctx context.Context, residentID, programID int64, month string, created, completed, declined int) error {
	err := d.db(ctx).Exec(`INSERT INTO link_stats (resident_id, month, program_id, created, completed, declined) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (resident_id, month) DO UPDATE SET created = link_stats.created + excluded.created,
			completed = link_stats.completed + excluded.completed, declined = link_stats.declined + excluded.declined`,
		residentID, month, programID, created, completed, declined).Error
	if err != nil {
		return fmt.Errorf("count link: %w", err)
	}
	return nil
}
