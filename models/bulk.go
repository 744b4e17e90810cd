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
	// MenteeID is who answered (a roster id); nil counts as no mentee, as a
	// link made before the roster does.
	MenteeID *int64
	// At is when the link was created and answered.
	At          time.Time
	MeetingDate *string
	Instrument  *surveys.Instrument
	Submission  surveys.Submission
}

// BulkLoader stores many answered links quickly, for demo and benchmark
// data: links, mixed responses, distinct-mentee markers and the mentees'
// sealed sums go in multi-row INSERTs (responses shuffled per chunk), and
// Close then applies the release rule at the close of every window from the
// oldest response to now, as the release job would have, window by window.
// Responses about a resident must
// come in time order, and the resident must have no links yet. Use it inside
// one WithTx so a failure leaves nothing behind.
type BulkLoader struct {
	d         *DB
	residents map[int64]*bulkResident
	programs  map[int64]*Program
	links     map[residentWindow]*surveys.LinkCounts
	menteeKey map[int64]string
	invs      []any // flat rows of invitations
	resps     [][]any
	markers   map[[3]string]bool // resident, window, hash
	moments   map[momentsKey]menteeSums
	oldest    time.Time
	count     int
}

type bulkResident struct {
	programID int64
	lastAt    time.Time
}

type residentWindow struct {
	resident int64
	window   string
}

// NewBulkLoader starts a bulk load.
func (d *DB) NewBulkLoader() *BulkLoader {
	return &BulkLoader{
		d: d, residents: map[int64]*bulkResident{}, programs: map[int64]*Program{},
		links: map[residentWindow]*surveys.LinkCounts{}, menteeKey: map[int64]string{}, markers: map[[3]string]bool{},
		moments: map[momentsKey]menteeSums{},
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
	if l.oldest.IsZero() || at.Before(l.oldest) {
		l.oldest = at
	}
	window := l.programs[res.programID].WindowOf(at).ID
	answers, err := json.Marshal(r.Submission.Answers)
	if err != nil {
		return fmt.Errorf("encode answers: %w", err)
	}
	_, hash := surveys.NewToken()
	l.invs = append(l.invs, hash, r.ResidentID, res.programID, r.MeetingDate, r.Instrument.Key, r.Instrument.Version,
		StatusCompleted, at.Add(DefaultLinkLifetime), at)
	lk := residentWindow{r.ResidentID, window}
	lc := l.links[lk]
	if lc == nil {
		lc = &surveys.LinkCounts{}
		l.links[lk] = lc
	}
	lc.Created++
	lc.Completed++
	if r.MenteeID != nil {
		key, ok := l.menteeKey[*r.MenteeID]
		if !ok {
			if key, err = l.d.MenteeKey(ctx, *r.MenteeID); err != nil {
				return err
			}
			l.menteeKey[*r.MenteeID] = key
		}
		hash := menteeHash(key, r.ResidentID)
		l.markers[[3]string{fmt.Sprint(r.ResidentID), window, hash}] = true
		// The mentee's sums, as the mixer would have added them.
		mk := momentsKey{r.ResidentID, window, hash}
		m := l.moments[mk]
		m.add(sumsOf(r.Instrument.Scores(r.Submission.Answers)))
		l.moments[mk] = m
	}
	l.resps = append(l.resps, []any{newResponseID(), r.ResidentID, res.programID, r.Instrument.Key, r.Instrument.Version, window,
		string(answers), optional(r.Submission.Comments[surveys.CommentKeepDoing]), optional(r.Submission.Comments[surveys.CommentNextTime]), optional(r.Submission.Comments[surveys.CommentOther])})
	l.count++
	if len(l.resps) >= bulkChunk {
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
	if _, ok := l.programs[*u.ProgramID]; !ok {
		p, err := l.d.ProgramByID(ctx, *u.ProgramID)
		if err != nil {
			return nil, err
		}
		l.programs[p.ID] = p
	}
	res := &bulkResident{programID: *u.ProgramID}
	l.residents[id] = res
	return res, nil
}

// flush writes the queued links and responses, the responses shuffled.
func (l *BulkLoader) flush(ctx context.Context) error {
	if err := insertRows(ctx, l.d, `INSERT INTO invitations (token_hash, resident_id, program_id, meeting_date, instrument_key, instrument_version, status, expires_at, created_at) VALUES `, "", 9, l.invs); err != nil {
		return fmt.Errorf("bulk load links: %w", err)
	}
	shuffle(l.resps)
	var flat []any
	for _, r := range l.resps {
		flat = append(flat, r...)
	}
	if err := insertRows(ctx, l.d, `INSERT INTO responses (id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time, other_comment) VALUES `, "", 10, flat); err != nil {
		return fmt.Errorf("bulk load responses: %w", err)
	}
	l.invs, l.resps = l.invs[:0], l.resps[:0]
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

// Close writes what is queued, the mentee markers, sums and link counts, then
// judges every loaded resident at the close of each window since the
// oldest response, in order, as the release job would have.
func (l *BulkLoader) Close(ctx context.Context) error {
	if err := l.flush(ctx); err != nil {
		return err
	}
	var markers, links []any
	for k := range l.markers {
		var id int64
		fmt.Sscan(k[0], &id)
		markers = append(markers, id, k[1], k[2], l.residents[id].programID)
	}
	for k, c := range l.links {
		links = append(links, k.resident, k.window, l.residents[k.resident].programID, c.Created, c.Completed, c.Declined)
	}
	ring, err := l.d.sumsRing(ctx)
	if err != nil {
		return err
	}
	var sums []any
	for k, m := range l.moments {
		sums = append(sums, k.resident, k.window, k.hash, l.residents[k.resident].programID, ring.seal(m, k))
	}
	steps := []struct {
		name, prefix, suffix string
		width                int
		rows                 []any
	}{
		{"mentee markers", `INSERT INTO window_mentees (resident_id, window_id, mentee_hash, program_id) VALUES `, ` ON CONFLICT DO NOTHING`, 4, markers},
		{"mentee sums", `INSERT INTO window_moments (resident_id, window_id, mentee_hash, program_id, sums) VALUES `, "", 5, sums},
		{"link counts", `INSERT INTO window_links (resident_id, window_id, program_id, created, completed, declined) VALUES `,
			` ON CONFLICT (resident_id, window_id) DO UPDATE SET created = window_links.created + excluded.created,
			completed = window_links.completed + excluded.completed, declined = window_links.declined + excluded.declined`, 6, links},
	}
	for _, s := range steps {
		if err := insertRows(ctx, l.d, s.prefix, s.suffix, s.width, s.rows); err != nil {
			return fmt.Errorf("bulk load %s: %w", s.name, err)
		}
	}
	ids := make([]int64, 0, len(l.residents))
	for id := range l.residents {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	now := l.d.now()
	for _, id := range ids {
		p := l.programs[l.residents[id].programID]
		for w := p.WindowOf(l.oldest); w.End().Before(now) || w.End().Equal(now); w = w.Next(p.ReleaseWindow, p.AcademicYearStartMonth) {
			if _, _, _, err := l.d.judge(ctx, p, id, w.Next(p.ReleaseWindow, p.AcademicYearStartMonth), w, nil); err != nil {
				return fmt.Errorf("bulk load: release: %w", err)
			}
		}
	}
	// Fresh statistics, or the planner takes a million rows for one until
	// autovacuum comes by.
	if err := l.d.db(ctx).Exec(`ANALYZE`).Error; err != nil {
		return fmt.Errorf("bulk load: analyze: %w", err)
	}
	return nil
}
