package models

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// bulkChunk is how many rows one multi-row INSERT carries on PostgreSQL:
// 10 columns a row stays well under its limit on bound parameters. The
// SQLite driver binds parameters in time quadratic in their number, so there
// a statement carries sqliteChunk rows.
const (
	bulkChunk   = 1000
	sqliteChunk = 20
)

// BulkResponse is one answered survey link for a BulkLoader.
type BulkResponse struct {
	ResidentID int64
	// At is when the link was created and answered.
	At          time.Time
	MeetingDate *string
	Instrument  *surveys.Instrument
	Submission  surveys.Submission
}

// BulkLoader stores many answered links quickly, for demo and benchmark data:
// links and responses go in multi-row INSERTs, and the report aggregates are
// computed in Go with the same release rule as a live submission
// (surveys.ReleaseState) and written once at Close. Responses about a
// resident must come in time order, and the resident must have no links yet.
// Use it inside one WithTx so a failure leaves nothing behind.
type BulkLoader struct {
	d         *DB
	residents map[int64]*bulkResident
	minOf     map[int64]int
	links     map[residentMonth]*surveys.LinkCounts
	released  map[tallyKey]*tallyRow
	months    map[residentMonth]*releasedMonth
	batches   []any // flat rows of report_batches
	invs      []any // flat rows of invitations
	resps     []any // flat rows of responses
	count     int
}

type bulkResident struct {
	programID int64
	state     surveys.ReleaseState
	open      itemCounts
	lastAt    time.Time
}

type tallyKey struct {
	resident int64
	month    string
	item     string
}

type residentMonth struct {
	resident int64
	month    string
}

type releasedMonth struct {
	responses, batches int
}

// NewBulkLoader starts a bulk load.
func (d *DB) NewBulkLoader() *BulkLoader {
	return &BulkLoader{
		d: d, residents: map[int64]*bulkResident{}, minOf: map[int64]int{},
		links: map[residentMonth]*surveys.LinkCounts{}, released: map[tallyKey]*tallyRow{}, months: map[residentMonth]*releasedMonth{},
	}
}

// Count is how many responses were added so far.
func (l *BulkLoader) Count() int { return l.count }

// Add queues one answered link, writing a chunk when one is full.
func (l *BulkLoader) Add(ctx context.Context, r BulkResponse) error {
	res, err := l.resident(ctx, r.ResidentID)
	if err != nil {
		return err
	}
	if r.At.Before(res.lastAt) {
		return fmt.Errorf("bulk load: responses about resident %d must come in time order", r.ResidentID)
	}
	res.lastAt = r.At
	at := r.At.UTC()
	week := surveys.Week(at)
	month, err := surveys.WeekMonth(week)
	if err != nil {
		return err
	}
	answers, err := json.Marshal(r.Submission.Answers)
	if err != nil {
		return fmt.Errorf("encode answers: %w", err)
	}
	_, hash := surveys.NewToken()
	l.invs = append(l.invs, hash, r.ResidentID, res.programID, r.MeetingDate, r.Instrument.Key, r.Instrument.Version,
		StatusCompleted, at.Add(DefaultLinkLifetime), at, week)
	lk := residentMonth{r.ResidentID, surveys.MonthOf(at)}
	lc := l.links[lk]
	if lc == nil {
		lc = &surveys.LinkCounts{}
		l.links[lk] = lc
	}
	lc.Created++
	lc.Completed++

	batch, size := res.state.Add(l.minOf[res.programID])
	l.resps = append(l.resps, newResponseID(), r.ResidentID, res.programID, r.Instrument.Key, r.Instrument.Version, week,
		string(answers), optional(r.Submission.Comments[surveys.CommentKeepDoing]), optional(r.Submission.Comments[surveys.CommentNextTime]), batch)
	res.open = res.open.plus(countsOf(r.Submission.Answers))
	if size > 0 {
		for _, t := range res.open.rows() {
			k := tallyKey{r.ResidentID, month, t.Item}
			rt := l.released[k]
			if rt == nil {
				rt = &tallyRow{Item: t.Item, Attribute: t.Attribute}
				l.released[k] = rt
			}
			rt.N1, rt.N2, rt.N3, rt.N4, rt.N5, rt.NA = rt.N1+t.N1, rt.N2+t.N2, rt.N3+t.N3, rt.N4+t.N4, rt.N5+t.N5, rt.NA+t.NA
		}
		res.open = itemCounts{}
		l.batches = append(l.batches, r.ResidentID, batch, res.programID, month, size)
		mk := residentMonth{r.ResidentID, month}
		m := l.months[mk]
		if m == nil {
			m = &releasedMonth{}
			l.months[mk] = m
		}
		m.responses += size
		m.batches++
	}
	l.count++
	if len(l.resps) >= bulkChunk*10 {
		return l.flush(ctx)
	}
	return nil
}

func (l *BulkLoader) resident(ctx context.Context, id int64) (*bulkResident, error) {
	if res, ok := l.residents[id]; ok {
		return res, nil
	}
	u, err := l.d.ReportResident(ctx, id)
	if err != nil {
		return nil, err
	}
	var links int64
	if err := l.d.db(ctx).Raw(`SELECT count(*) FROM invitations WHERE resident_id = ?`, id).Scan(&links).Error; err != nil {
		return nil, fmt.Errorf("bulk load: count links: %w", err)
	}
	if links > 0 {
		return nil, surveys.Errorf(surveys.ECONFLICT, "bulk load: resident %d already has survey links", id)
	}
	if _, ok := l.minOf[*u.ProgramID]; !ok {
		p, err := l.d.ProgramByID(ctx, *u.ProgramID)
		if err != nil {
			return nil, err
		}
		l.minOf[p.ID] = p.MinResponses
	}
	res := &bulkResident{programID: *u.ProgramID, open: itemCounts{}}
	l.residents[id] = res
	return res, nil
}

// flush writes the queued links, responses and batch rows.
func (l *BulkLoader) flush(ctx context.Context) error {
	if err := insertRows(ctx, l.d, `INSERT INTO invitations (token_hash, resident_id, program_id, meeting_date, instrument_key, instrument_version, status, expires_at, created_at, completed_week) VALUES `, "", 10, l.invs); err != nil {
		return fmt.Errorf("bulk load links: %w", err)
	}
	if err := insertRows(ctx, l.d, `INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, week, answers, keep_doing, next_time, batch) VALUES `, "", 10, l.resps); err != nil {
		return fmt.Errorf("bulk load responses: %w", err)
	}
	if err := insertRows(ctx, l.d, `INSERT INTO report_batches (resident_id, batch, program_id, month, responses) VALUES `, "", 5, l.batches); err != nil {
		return fmt.Errorf("bulk load batches: %w", err)
	}
	l.invs, l.resps, l.batches = l.invs[:0], l.resps[:0], l.batches[:0]
	return nil
}

// insertRows runs prefix with as many "(?, …)" groups as flat holds rows of
// width columns, then suffix; bulkChunk rows a statement.
func insertRows(ctx context.Context, d *DB, prefix, suffix string, width int, flat []any) error {
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	chunk := bulkChunk
	if d.Dialect == SQLite {
		chunk = sqliteChunk
	}
	for len(flat) > 0 {
		n := min(len(flat)/width, chunk)
		groups := make([]string, n)
		for i := range groups {
			groups[i] = group
		}
		if err := d.db(ctx).Exec(prefix+strings.Join(groups, ", ")+suffix, flat[:n*width]...).Error; err != nil {
			return err
		}
		flat = flat[n*width:]
	}
	return nil
}

// Close writes what is queued and then every aggregate.
func (l *BulkLoader) Close(ctx context.Context) error {
	if err := l.flush(ctx); err != nil {
		return err
	}
	var counters, released, months, links []any
	ids := make([]int64, 0, len(l.residents))
	for id := range l.residents {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		res := l.residents[id]
		open := res.open.pgArray()
		if l.d.Dialect == SQLite {
			b, _ := json.Marshal(res.open)
			open = string(b)
		}
		counters = append(counters, id, res.programID, l.minOf[res.programID], res.state.Batch, res.state.Pending, res.state.Released, 0, open)
	}
	for k, t := range l.released {
		released = append(released, k.resident, k.month, k.item, l.residents[k.resident].programID, t.Attribute, t.N1, t.N2, t.N3, t.N4, t.N5, t.NA)
	}
	for k, m := range l.months {
		months = append(months, k.resident, k.month, l.residents[k.resident].programID, m.responses, m.batches)
	}
	for k, c := range l.links {
		links = append(links, k.resident, k.month, l.residents[k.resident].programID, c.Created, c.Completed, c.Declined)
	}
	steps := []struct {
		name, prefix, suffix string
		width                int
		rows                 []any
	}{
		{"counters", `INSERT INTO report_counters (resident_id, program_id, min_responses, batch, pending, released, last_size, open_counts) VALUES `, "", 8, counters},
		{"released tallies", `INSERT INTO report_released (resident_id, month, item, program_id, attribute, n1, n2, n3, n4, n5, na) VALUES `, "", 11, released},
		{"released months", `INSERT INTO report_months (resident_id, month, program_id, responses, batches) VALUES `, "", 5, months},
		{"link counts", `INSERT INTO link_stats (resident_id, month, program_id, created, completed, declined) VALUES `,
			` ON CONFLICT (resident_id, month) DO UPDATE SET created = link_stats.created + excluded.created,
			completed = link_stats.completed + excluded.completed, declined = link_stats.declined + excluded.declined`, 6, links},
	}
	for _, s := range steps {
		if err := insertRows(ctx, l.d, s.prefix, s.suffix, s.width, s.rows); err != nil {
			return fmt.Errorf("bulk load %s: %w", s.name, err)
		}
	}
	// Fresh statistics, or the planner takes a million rows for one until
	// autovacuum comes by.
	if err := l.d.db(ctx).Exec(`ANALYZE`).Error; err != nil {
		return fmt.Errorf("bulk load: analyze: %w", err)
	}
	return nil
}
