package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// fixture is a program with residents, on a test database. Unless a test
// says otherwise, every submission comes from a mentee of its own.
type fixture struct {
	db         *models.DB
	program    *models.Program
	residents  []*models.User
	nextMentee int64
}

func newFixture(t testing.TB, db *models.DB, min, residents int) *fixture {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: fmt.Sprintf("Program %d", min), MinResponses: min}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, program: p, nextMentee: 1}
	for i := range residents {
		pgy := i%3 + 1
		u := &models.User{Email: fmt.Sprintf("r%d@example.org", i), Name: fmt.Sprintf("Resident %d", i),
			Role: models.RoleResident, ProgramID: &p.ID, PGYYear: &pgy}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.residents = append(f.residents, u)
	}
	return f
}

// submitAt creates a link at time at for a new mentee and answers it then.
func (f *fixture) submitAt(t testing.TB, at time.Time, residentID int64, sub surveys.Submission) {
	t.Helper()
	f.nextMentee++
	f.submitAs(t, at, residentID, &f.nextMentee, sub)
}

// submitAs is submitAt for a given mentee (nil: a link made without one).
func (f *fixture) submitAs(t testing.TB, at time.Time, residentID int64, mentee *int64, sub surveys.Submission) {
	t.Helper()
	ctx := context.Background()
	f.db.Now = func() time.Time { return at }
	inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID, MenteeID: mentee})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
		t.Fatal(err)
	}
}

// releaseAt runs the release job (mixer first) as of time at.
func (f *fixture) releaseAt(t testing.TB, at time.Time) models.ReleaseSummary {
	t.Helper()
	f.db.Now = func() time.Time { return at }
	sum, err := f.db.ReleaseClosedWindows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// randomSubmission answers every item, some "not applicable", and sometimes
// leaves comments that say which response they came from.
func randomSubmission(rng *rand.Rand, tag string) surveys.Submission {
	sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
	for _, it := range surveys.Default().Items {
		if rng.IntN(8) == 0 {
			sub.Answers[it.Key] = nil
			continue
		}
		v := 1 + rng.IntN(5)
		sub.Answers[it.Key] = &v
	}
	if rng.IntN(2) == 0 {
		sub.Comments[surveys.CommentKeepDoing] = "keep " + tag
	}
	if rng.IntN(3) == 0 {
		sub.Comments[surveys.CommentNextTime] = "next " + tag
	}
	return sub
}

// answers is a submission where every item gets v.
func answers(v int) surveys.Submission {
	sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
	for _, it := range surveys.Default().Items {
		x := v
		sub.Answers[it.Key] = &x
	}
	return sub
}

type tallyKey struct {
	resident int64
	window   string
	item     string
}

// releaseKey is one released group: resident and release window.
type releaseKey struct {
	resident int64
	window   string
}

// releaseFacts is what a release records.
type releaseFacts struct {
	First, Last        string
	Responses, Mentees int64
}

// released is the outcome of the release rule: tallies, groups, and the
// responses still unreleased per resident.
type released struct {
	tallies    map[tallyKey]surveys.Counts
	releases   map[releaseKey]releaseFacts
	unreleased map[int64]int64
}

// simSubmission is one submission as the simulation knows it.
type simSubmission struct {
	resident int64
	window   surveys.Window
	mentee   *int64
	answers  map[string]*int
}

// simulate applies the release rule from the known truth: at the close of
// every window up to now, in order, each resident's unreleased submissions
// of closed windows are released when they come from at least minMentees
// distinct mentees and number at least minResponses.
func simulate(subs []simSubmission, p *models.Program, now time.Time) released {
	out, _ := simulateGroups(subs, p, now)
	return out
}

// simulateGroups is simulate, also saying which release each submission
// went into.
func simulateGroups(subs []simSubmission, p *models.Program, now time.Time) (released, map[int]releaseKey) {
	out := released{tallies: map[tallyKey]surveys.Counts{}, releases: map[releaseKey]releaseFacts{}, unreleased: map[int64]int64{}}
	groupOf := map[int]releaseKey{}
	if len(subs) == 0 {
		return out, groupOf
	}
	oldest := subs[0].window
	for _, s := range subs {
		if s.window.ID < oldest.ID {
			oldest = s.window
		}
	}
	done := make([]bool, len(subs))
	for w := oldest; !w.End().After(now); w = w.Next(p.ReleaseWindow, p.AcademicYearStartMonth) {
		next := w.Next(p.ReleaseWindow, p.AcademicYearStartMonth)
		groups := map[int64][]int{}
		for i, s := range subs {
			if !done[i] && s.window.ID < next.ID {
				groups[s.resident] = append(groups[s.resident], i)
			}
		}
		for res, idx := range groups {
			mentees := map[int64]bool{}
			first, last := subs[idx[0]].window.ID, subs[idx[0]].window.ID
			for _, i := range idx {
				if subs[i].mentee != nil {
					mentees[*subs[i].mentee] = true
				}
				first, last = min(first, subs[i].window.ID), max(last, subs[i].window.ID)
			}
			if len(idx) < p.MinResponses || len(mentees) < p.MinMentees {
				continue
			}
			out.releases[releaseKey{res, w.ID}] = releaseFacts{first, last, int64(len(idx)), int64(len(mentees))}
			for _, i := range idx {
				done[i] = true
				groupOf[i] = releaseKey{res, w.ID}
				for item, v := range subs[i].answers {
					k := tallyKey{res, w.ID, item}
					c := out.tallies[k]
					c.Add(v)
					out.tallies[k] = c
				}
			}
		}
	}
	for i, s := range subs {
		if !done[i] {
			out.unreleased[s.resident]++
		}
	}
	return out, groupOf
}

// stored reads the release tables as they are.
func stored(t testing.TB, db *models.DB) released {
	t.Helper()
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	got := released{tallies: map[tallyKey]surveys.Counts{}, releases: map[releaseKey]releaseFacts{}, unreleased: map[int64]int64{}}
	rows, err := sqlDB.Query(`SELECT resident_id, window_id, item, n1, n2, n3, n4, n5, na FROM report_released`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k tallyKey
		var c surveys.Counts
		if err := rows.Scan(&k.resident, &k.window, &k.item, &c.Ratings[0], &c.Ratings[1], &c.Ratings[2], &c.Ratings[3], &c.Ratings[4], &c.NotApplicable); err != nil {
			t.Fatal(err)
		}
		got.tallies[k] = c
	}
	rows.Close()
	rows, err = sqlDB.Query(`SELECT resident_id, window_id, first_window, last_window, responses, mentees FROM report_releases`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k releaseKey
		var f releaseFacts
		if err := rows.Scan(&k.resident, &k.window, &f.First, &f.Last, &f.Responses, &f.Mentees); err != nil {
			t.Fatal(err)
		}
		got.releases[k] = f
	}
	rows.Close()
	for _, q := range []string{
		`SELECT resident_id, count(*) FROM responses WHERE release_id IS NULL GROUP BY resident_id`,
		`SELECT resident_id, count(*) FROM held_responses GROUP BY resident_id`,
	} {
		rows, err = sqlDB.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				t.Fatal(err)
			}
			got.unreleased[id] += n
		}
		rows.Close()
	}
	return got
}

// count runs a count query.
func count(t testing.TB, db *models.DB, query string, args ...any) int64 {
	t.Helper()
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := sqlDB.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// columns lists a table's columns on either engine, sorted.
func columns(t testing.TB, db *models.DB, table string) []string {
	t.Helper()
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	q := `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`
	if db.Dialect == models.SQLite {
		q = `SELECT name FROM pragma_table_info(?)`
	}
	rows, err := sqlDB.Query(q, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
