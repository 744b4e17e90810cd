package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Report aggregates are written by the submission itself (see
// migrations/*/0003_reports.sql and surveys/release.go). On PostgreSQL the
// claim, the response and every aggregate are one statement; on SQLite one
// immediate transaction.

// reportItems are the items a resident's open batch keeps counts for, in
// the order of the slots of report_counters.open_counts and
// released_counts: the append-only registry surveys.TallySlots, so a new
// instrument version can add slots but never move one.
var reportItems = surveys.TallySlots()

// slotsPerItem: counts of ratings 1..5, then of "not applicable".
const slotsPerItem = 6

// itemCounts is the open-batch tally of a resident: slotsPerItem counts per
// report item, in reportItems order.
type itemCounts []int64

// countsOf tallies one response.
func countsOf(answers map[string]*int) itemCounts {
	out := make(itemCounts, len(reportItems)*slotsPerItem)
	for i, it := range reportItems {
		v, asked := answers[it.Key]
		switch {
		case !asked:
		case v == nil:
			out[i*slotsPerItem+5]++
		case *v >= 1 && *v <= 5:
			out[i*slotsPerItem+*v-1]++
		}
	}
	return out
}

// plus adds two tallies slot by slot; a shorter one (stored before an item
// was added) counts as zeros.
func (c itemCounts) plus(o itemCounts) itemCounts {
	out := make(itemCounts, max(len(c), len(o)))
	for i := range out {
		if i < len(c) {
			out[i] += c[i]
		}
		if i < len(o) {
			out[i] += o[i]
		}
	}
	return out
}

// rows splits a tally into one row per item that has any count.
func (c itemCounts) rows() []tallyRow {
	var out []tallyRow
	for i, it := range reportItems {
		if (i+1)*slotsPerItem > len(c) {
			break
		}
		s := c[i*slotsPerItem : (i+1)*slotsPerItem]
		r := tallyRow{Item: it.Key, Attribute: string(it.Attribute), N1: s[0], N2: s[1], N3: s[2], N4: s[3], N5: s[4], NA: s[5]}
		if r.counts().Answers()+r.NA > 0 {
			out = append(out, r)
		}
	}
	return out
}

// pgArray writes a tally as a PostgreSQL array literal.
func (c itemCounts) pgArray() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range c {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(n, 10))
	}
	b.WriteByte('}')
	return b.String()
}

// pgSubmitSQL claims the link, stores the response with its batch number and
// updates every aggregate in one statement: one round trip, one implicit
// transaction. Concurrent submissions about one resident queue on the
// report_counters row; every later step reads only what earlier steps
// RETURNed (never a table snapshot), so it sees the latest committed counts.
// The open batch's tallies live in that same row as an array, so a
// submission that releases nothing writes four rows: link, link counts,
// counter, response.
var pgSubmitSQL = buildPGSubmitSQL()

func buildPGSubmitSQL() string {
	var items, slots []string
	for i, it := range reportItems {
		items = append(items, fmt.Sprintf("(%s, %s, %d)", sqlString(it.Key), sqlString(string(it.Attribute)), i*slotsPerItem))
	}
	cols := []string{"n1", "n2", "n3", "n4", "n5", "na"}
	for s := range cols {
		slots = append(slots, fmt.Sprintf("coalesce(m.rc[v.at + %d], 0)", s+1))
	}
	var updates []string
	for _, c := range cols {
		updates = append(updates, fmt.Sprintf("%[1]s = r.%[1]s + EXCLUDED.%[1]s", c))
	}
	const closes = "c.pending + 1 >= EXCLUDED.min_responses"
	const sum = "ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0) FROM unnest(c.open_counts, EXCLUDED.open_counts) WITH ORDINALITY AS t (a, b, i) ORDER BY i)"
	return `WITH claimed AS (
	UPDATE invitations SET status = 'completed', completed_week = @week
	WHERE token_hash = @hash AND status = 'pending' AND expires_at > @now
	  AND instrument_key = @key AND instrument_version = @version
	RETURNING id, resident_id, program_id, created_at),
` + submitEraseMeetingCTE + `,
links AS (
	INSERT INTO link_stats AS s (resident_id, month, program_id, created, completed, declined)
	SELECT resident_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), program_id, 0, 1, 0 FROM claimed
	ON CONFLICT (resident_id, month) DO UPDATE SET completed = s.completed + 1),
counter AS (
	INSERT INTO report_counters AS c (resident_id, program_id, min_responses, batch, pending, released, last_size, open_counts, released_counts)
	SELECT cl.resident_id, cl.program_id, p.min_responses, 1, 1, 0, 0, @counts ::int[], '{}'
	FROM claimed cl JOIN programs p ON p.id = cl.program_id
	ON CONFLICT (resident_id) DO UPDATE SET
		program_id = EXCLUDED.program_id,
		min_responses = EXCLUDED.min_responses,
		batch = c.batch + CASE WHEN ` + closes + ` THEN 1 ELSE 0 END,
		pending = CASE WHEN ` + closes + ` THEN 0 ELSE c.pending + 1 END,
		released = c.released + CASE WHEN ` + closes + ` THEN c.pending + 1 ELSE 0 END,
		last_size = CASE WHEN ` + closes + ` THEN c.pending + 1 ELSE c.last_size END,
		open_counts = CASE WHEN ` + closes + ` THEN '{}' ELSE ` + sum + ` END,
		released_counts = CASE WHEN ` + closes + ` THEN ` + sum + ` ELSE c.released_counts END
	RETURNING resident_id, program_id, batch, pending, last_size, released_counts),
mine AS (
	SELECT resident_id, program_id, pending = 0 AS closes, last_size, released_counts AS rc,
	       CASE WHEN pending = 0 THEN batch - 1 ELSE batch END AS batch
	FROM counter),
response AS (
	INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time, batch)
	SELECT @id, resident_id, program_id, @key, @version, @week, @answers, @keep, @next, batch FROM mine),
released AS (
	INSERT INTO report_released AS r (resident_id, month, item, program_id, attribute, n1, n2, n3, n4, n5, na)
	SELECT * FROM (
		SELECT m.resident_id, @month AS month, v.item, m.program_id, v.attribute, ` + strings.Join(slots, ", ") + `
		FROM mine m CROSS JOIN (VALUES ` + strings.Join(items, ", ") + `) AS v (item, attribute, at)
		WHERE m.closes) AS t (resident_id, month, item, program_id, attribute, n1, n2, n3, n4, n5, na)
	WHERE n1 + n2 + n3 + n4 + n5 + na > 0
	ON CONFLICT (resident_id, month, item) DO UPDATE SET ` + strings.Join(updates, ", ") + `),
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
		"week": p.week, "hash": p.hash, "now": p.now, "key": p.key, "version": p.version,
		"id": p.id, "answers": p.answers, "keep": p.keepDoing, "next": p.nextTime, "month": p.month,
		"counts": countsOf(p.values).pgArray(),
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
// the counter and then writing it safe. The tallies are JSON arrays there.
func (d *DB) submitSQLite(ctx context.Context, p submitParams) (bool, error) {
	stored := false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var claimed []struct {
			ID         int64
			ResidentID int64
			ProgramID  int64
			CreatedAt  time.Time
		}
		err := d.db(ctx).Raw(`UPDATE invitations SET status = 'completed', completed_week = ?
			WHERE token_hash = ? AND status = 'pending' AND expires_at > ?
			  AND instrument_key = ? AND instrument_version = ?
			RETURNING id, resident_id, program_id, created_at`,
			p.week, p.hash, p.now, p.key, p.version).Scan(&claimed).Error
		if err != nil || len(claimed) != 1 {
			return err
		}
		cl := claimed[0]
		// meetings (issue 5): erase the mentee's contact details with the
		// claim. The link id goes no further than this step.
		if err := d.closeMeeting(ctx, cl.ID, DeliveryCompleted); err != nil {
			return err
		}
		if err := d.countLink(ctx, cl.ResidentID, cl.ProgramID, surveys.MonthOf(cl.CreatedAt), 0, 1, 0); err != nil {
			return err
		}
		batch, err := d.advanceCounter(ctx, cl.ResidentID, cl.ProgramID, p.month, countsOf(p.values))
		if err != nil {
			return err
		}
		err = d.db(ctx).Exec(`INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time, batch)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.id, cl.ResidentID, cl.ProgramID, p.key, p.version, p.week, p.answers, p.keepDoing, p.nextTime, batch).Error
		stored = err == nil
		return err
	})
	return stored, err
}

// advanceCounter applies surveys.ReleaseState.Add to a resident's counter,
// adds the response's tallies to the open batch and, when the response
// releases it, moves the batch into the released aggregates of month.
func (d *DB) advanceCounter(ctx context.Context, residentID, programID int64, month string, counts itemCounts) (int, error) {
	var min int
	if err := d.db(ctx).Raw(`SELECT min_responses FROM programs WHERE id = ?`, programID).Scan(&min).Error; err != nil {
		return 0, fmt.Errorf("read threshold: %w", err)
	}
	var rows []struct {
		Batch, Pending, Released int
		OpenCounts               string
	}
	if err := d.db(ctx).Raw(`SELECT batch, pending, released, open_counts FROM report_counters WHERE resident_id = ?`, residentID).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("read counter: %w", err)
	}
	var st surveys.ReleaseState
	open := itemCounts{}
	if len(rows) == 1 {
		st = surveys.ReleaseState{Batch: rows[0].Batch, Pending: rows[0].Pending, Released: rows[0].Released}
		if err := json.Unmarshal([]byte(rows[0].OpenCounts), &open); err != nil {
			return 0, fmt.Errorf("read open batch: %w", err)
		}
	}
	batch, releasedSize := st.Add(min)
	open = open.plus(counts)
	released := itemCounts{}
	if releasedSize > 0 {
		open, released = itemCounts{}, open
	}
	openJSON, _ := json.Marshal(open)
	releasedJSON, _ := json.Marshal(released)
	err := d.db(ctx).Exec(`INSERT INTO report_counters (resident_id, program_id, min_responses, batch, pending, released, last_size, open_counts, released_counts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (resident_id) DO UPDATE SET program_id = excluded.program_id, min_responses = excluded.min_responses,
			batch = excluded.batch, pending = excluded.pending, released = excluded.released, open_counts = excluded.open_counts,
			last_size = CASE WHEN excluded.last_size > 0 THEN excluded.last_size ELSE report_counters.last_size END,
			released_counts = CASE WHEN excluded.last_size > 0 THEN excluded.released_counts ELSE report_counters.released_counts END`,
		residentID, programID, min, st.Batch, st.Pending, st.Released, releasedSize, string(openJSON), string(releasedJSON)).Error
	if err != nil {
		return 0, fmt.Errorf("write counter: %w", err)
	}
	if releasedSize > 0 {
		if err := d.release(ctx, residentID, programID, batch, releasedSize, month, released.rows()); err != nil {
			return 0, err
		}
	}
	return batch, nil
}

// release records a released batch: its tallies, its month and its size.
func (d *DB) release(ctx context.Context, residentID, programID int64, batch, size int, month string, rows []tallyRow) error {
	if err := d.addReleased(ctx, residentID, programID, month, rows); err != nil {
		return err
	}
	if err := d.db(ctx).Exec(`INSERT INTO report_batches (resident_id, batch, program_id, month, responses) VALUES (?, ?, ?, ?, ?)`,
		residentID, batch, programID, month, size).Error; err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return d.addReleasedMonth(ctx, residentID, programID, month, size, 1)
}

// tallyRow is one row of report_released, or a sum of them.
type tallyRow struct {
	ResidentID             int64
	Month                  string
	Item, Attribute        string
	N1, N2, N3, N4, N5, NA int64
}

func (r tallyRow) counts() surveys.Counts {
	return surveys.Counts{Ratings: [5]int64{r.N1, r.N2, r.N3, r.N4, r.N5}, NotApplicable: r.NA}
}

// addReleased adds tallies to a resident's released month.
func (d *DB) addReleased(ctx context.Context, residentID, programID int64, month string, rows []tallyRow) error {
	if len(rows) == 0 {
		return nil
	}
	var vals []string
	var args []any
	for _, r := range rows {
		vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, residentID, month, r.Item, programID, r.Attribute, r.N1, r.N2, r.N3, r.N4, r.N5, r.NA)
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

// PostgresSubmitSQL returns the single statement a submission runs on
// PostgreSQL, with named parameters (@week, @hash, …). The load generator
// turns it into the pgbench script that measures the database alone.
func PostgresSubmitSQL() string { return pgSubmitSQL }

// PostgresSubmitCounts returns the @counts argument of PostgresSubmitSQL for
// an answer set, as a PostgreSQL array literal.
func PostgresSubmitCounts(answers map[string]*int) string { return countsOf(answers).pgArray() }
