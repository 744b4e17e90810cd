package deliverytest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Clock is a time that moves only when told, shared by the database layer
// and the job queue.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at a fixed instant.
func NewClock(start time.Time) *Clock { return &Clock{now: start.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// RunDue makes every scheduled or retryable job whose time has come by the
// clock available now, as River's scheduler does every five seconds of real
// time, so tests need not wait for it. It returns how many it released.
func RunDue(t testing.TB, s *delivery.Service, now time.Time) int {
	t.Helper()
	ctx := context.Background()
	res, err := s.River().JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateScheduled, rivertype.JobStateRetryable).First(1000))
	if err != nil {
		t.Fatalf("list scheduled jobs: %v", err)
	}
	n := 0
	for _, j := range res.Jobs {
		if j.ScheduledAt.After(now) {
			continue
		}
		if _, err := s.River().JobRetry(ctx, j.ID); err != nil {
			t.Fatalf("release job %d: %v", j.ID, err)
		}
		n++
	}
	return n
}

// WaitForJob waits until a job is finished (completed, cancelled or
// discarded) or waiting to be retried, and returns its state.
func WaitForJob(t testing.TB, s *delivery.Service, id int64, states ...rivertype.JobState) rivertype.JobState {
	t.Helper()
	if len(states) == 0 {
		states = []rivertype.JobState{rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded}
	}
	var got rivertype.JobState
	WaitFor(t, "job to finish", func() bool {
		j, err := s.River().JobGet(context.Background(), id)
		if err != nil {
			t.Fatalf("get job %d: %v", id, err)
		}
		got = j.State
		for _, s := range states {
			if j.State == s {
				return true
			}
		}
		return false
	})
	return got
}

// WaitForFailedAttempts waits until a job has failed n attempts and is
// waiting for its next one (River makes a short retry available at once,
// a longer one retryable for the scheduler).
func WaitForFailedAttempts(t testing.TB, s *delivery.Service, id int64, n int) {
	t.Helper()
	WaitFor(t, "a failed attempt", func() bool {
		j, err := s.River().JobGet(context.Background(), id)
		if err != nil {
			t.Fatalf("get job %d: %v", id, err)
		}
		return len(j.Errors) >= n && (j.State == rivertype.JobStateAvailable || j.State == rivertype.JobStateRetryable)
	})
}

// WaitForKindIdle waits until no job of a kind is running. A test that
// inserts a periodic job (the release) and waits for it waits for a
// periodic run of it too: one running may have claimed work the test's own
// job then skipped, and holds it until its transaction commits. A job of
// the kind still waiting is not waited for: it finds nothing left to claim,
// and one scheduled by a test clock moved ahead may never be fetched.
func WaitForKindIdle(t testing.TB, s *delivery.Service, kind string) {
	t.Helper()
	params := river.NewJobListParams().Kinds(kind).First(100).States(rivertype.JobStateRunning)
	WaitFor(t, kind+" jobs running to finish", func() bool {
		jobs, err := s.River().JobList(context.Background(), params)
		if err != nil {
			t.Fatal(err)
		}
		return len(jobs.Jobs) == 0
	})
}
