package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// fixture is a program with residents, on a test database.
type fixture struct {
	db        *models.DB
	program   *models.Program
	residents []*models.User
}

func newFixture(t testing.TB, db *models.DB, min, residents int) *fixture {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: fmt.Sprintf("Program %d", min), MinResponses: min}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, program: p}
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

// submitAt creates a link at time at and answers it at the same time.
func (f *fixture) submitAt(t testing.TB, at time.Time, residentID int64, sub surveys.Submission) {
	t.Helper()
	ctx := context.Background()
	f.db.Now = func() time.Time { return at }
	inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
		t.Fatal(err)
	}
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
	month    string
	item     string
}

// bruteForce recomputes the released tallies and months from the raw
// responses: batches of a resident with min responses are released in the
// month of their latest week.
type bruteForce struct {
	tallies map[tallyKey]surveys.Counts
	months  map[[2]string]int64 // resident id, month -> responses
	pending map[int64]int64
}

func computeBruteForce(t testing.TB, db *models.DB, residents []*models.User, min int) bruteForce {
	t.Helper()
	bf := bruteForce{tallies: map[tallyKey]surveys.Counts{}, months: map[[2]string]int64{}, pending: map[int64]int64{}}
	for _, u := range residents {
		rs, err := db.ResponsesFor(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		byBatch := map[int][]models.Response{}
		maxBatch := 0
		for _, r := range rs {
			if r.Batch == nil {
				t.Fatalf("response %s has no batch", r.ID)
			}
			byBatch[*r.Batch] = append(byBatch[*r.Batch], r)
			maxBatch = max(maxBatch, *r.Batch)
		}
		for b := 1; b <= maxBatch; b++ {
			group := byBatch[b]
			if len(group) > min || len(group) < min && b != maxBatch {
				t.Fatalf("resident %d batch %d holds %d responses; batches hold exactly %d", u.ID, b, len(group), min)
			}
			if len(group) < min {
				bf.pending[u.ID] = int64(len(group))
				continue
			}
			latest := ""
			for _, r := range group {
				latest = max(latest, r.Week)
			}
			month, _ := surveys.WeekMonth(latest)
			bf.months[[2]string{fmt.Sprint(u.ID), month}] += int64(len(group))
			for _, r := range group {
				ans, err := r.DecodedAnswers()
				if err != nil {
					t.Fatal(err)
				}
				for item, v := range ans {
					k := tallyKey{u.ID, month, item}
					c := bf.tallies[k]
					c.Add(v)
					bf.tallies[k] = c
				}
			}
		}
	}
	return bf
}

// storedAggregates reads the aggregate tables as they are.
func storedAggregates(t testing.TB, db *models.DB) bruteForce {
	t.Helper()
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	got := bruteForce{tallies: map[tallyKey]surveys.Counts{}, months: map[[2]string]int64{}, pending: map[int64]int64{}}
	rows, err := sqlDB.Query(`SELECT resident_id, month, item, n1, n2, n3, n4, n5, na FROM report_released`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k tallyKey
		var c surveys.Counts
		if err := rows.Scan(&k.resident, &k.month, &k.item, &c.Ratings[0], &c.Ratings[1], &c.Ratings[2], &c.Ratings[3], &c.Ratings[4], &c.NotApplicable); err != nil {
			t.Fatal(err)
		}
		got.tallies[k] = c
	}
	rows.Close()
	rows, err = sqlDB.Query(`SELECT resident_id, month, responses FROM report_months`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var month string
		var n int64
		if err := rows.Scan(&id, &month, &n); err != nil {
			t.Fatal(err)
		}
		got.months[[2]string{fmt.Sprint(id), month}] = n
	}
	rows.Close()
	rows, err = sqlDB.Query(`SELECT resident_id, pending FROM report_counters WHERE pending > 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		got.pending[id] = n
	}
	rows.Close()
	return got
}
