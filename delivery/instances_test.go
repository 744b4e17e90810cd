package delivery_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// periodicKinds are the jobs of delivery's PeriodicJobs, all RunOnStart:
// each leader term starts with one run of each.
var periodicKinds = []string{delivery.ExpireLinksArgs{}.Kind(), delivery.MixArgs{}.Kind(), delivery.ReleaseArgs{}.Kind(), delivery.RetentionArgs{}.Kind()}

// Three instances on one PostgreSQL database run each periodic job once,
// on the leader River elects, not once per instance; when the leader stops,
// another takes over and starts its term with a run of each, and since the
// jobs are idempotent the second run changes nothing: the window's answers
// are mixed and released once, and its resident is emailed once.
func TestPeriodicJobsRunOnceAcrossInstances(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("needs PostgreSQL (%s): on SQLite one instance runs", dbtest.EnvURL)
	}
	h := newHarness(t)
	h.feedback(h.resident)
	window := h.program.WindowOf(h.clock.Now())
	h.clock.Advance(window.End().Sub(h.clock.Now()) + time.Hour)

	// Three instances, each with a pool of its own, started together.
	svcs := make([]*delivery.Service, 3)
	for i := range svcs {
		svcs[i] = h.newService(h.open())
	}
	stopped := make([]bool, len(svcs))
	stop := func(i int) {
		if stopped[i] {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := svcs[i].Stop(ctx); err != nil {
			t.Errorf("stop instance %d: %v", i, err)
		}
		stopped[i] = true
	}
	for i, s := range svcs {
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stop(i) })
	}
	sqlDB, err := h.db.SQL()
	if err != nil {
		t.Fatal(err)
	}

	// First term: one run of each periodic job, all finished.
	waitForRuns(t, sqlDB, 1)
	first := leaderIndex(t, sqlDB, svcs)
	h.smtp.WaitForMails(1)

	// The leader stops; one of the others is elected and runs each again.
	stop(first)
	deliverytest.WaitFor(t, "another leader", func() bool {
		i, ok := currentLeader(t, sqlDB, svcs)
		return ok && i != first
	})
	waitForRuns(t, sqlDB, 2)
	for i := range svcs {
		stop(i)
	}

	// Two terms, two runs of each: none by an instance that did not lead.
	for kind, n := range runCounts(t, sqlDB) {
		if n != 2 {
			t.Errorf("%s ran %d times over two leader terms, want 2 (once per term)", kind, n)
		}
	}
	// The second runs found nothing left to do.
	for q, want := range map[string]int{
		"SELECT count(*) FROM held_responses":  0,
		"SELECT count(*) FROM responses":       12,
		"SELECT count(*) FROM report_releases": 1,
	} {
		var n int
		if err := sqlDB.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}
	if mails := h.smtp.Mails(); len(mails) != 1 || mails[0].To != h.resident.Email {
		t.Errorf("%d emails after two release runs, want one to the resident", len(mails))
	}
}

// runCounts counts the runs of each periodic job, in any state.
func runCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, k := range periodicKinds {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM river_job WHERE kind = $1", k).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// waitForRuns waits until each periodic job has at least n runs, all
// completed.
func waitForRuns(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	deliverytest.WaitFor(t, "the periodic jobs' runs", func() bool {
		for _, k := range periodicKinds {
			var runs, done int
			err := db.QueryRow("SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = $1", k).Scan(&runs, &done)
			if err != nil {
				t.Fatal(err)
			}
			if runs < n || done != runs {
				return false
			}
		}
		return true
	})
}

// currentLeader is the index of the instance River's election chose, if any.
func currentLeader(t *testing.T, db *sql.DB, svcs []*delivery.Service) (int, bool) {
	t.Helper()
	var id string
	err := db.QueryRow("SELECT leader_id FROM river_leader").Scan(&id)
	if err == sql.ErrNoRows {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range svcs {
		if s.River().ID() == id {
			return i, true
		}
	}
	t.Fatalf("leader %q is none of the instances", id)
	return 0, false
}

func leaderIndex(t *testing.T, db *sql.DB, svcs []*delivery.Service) int {
	t.Helper()
	var i int
	deliverytest.WaitFor(t, "a leader", func() bool {
		var ok bool
		i, ok = currentLeader(t, db, svcs)
		return ok
	})
	return i
}
