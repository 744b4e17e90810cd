package delivery_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// A process that enqueued an email and died before sending it loses
// nothing: the next process sends it, once, and sends nothing again after
// a further restart.
func TestEmailQueuedBeforeACrashGoesOutOnceAfterRestart(t *testing.T) {
	h := newHarness(t)
	first := h.open()
	rec := h.record(h.newService(first), mentee(1)) // enqueued, never worked
	first.Close()                                   // the process is gone

	second := h.start(h.newService(h.open()))
	h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, second, rec.SendJobID)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := second.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	third := h.start(h.newService(h.open()))
	later := h.record(third, mentee(2))
	mails := h.smtp.WaitForMails(2)
	deliverytest.WaitForJob(t, third, later.SendJobID)
	if got := len(h.smtp.Mails()); got != 2 {
		t.Fatalf("%d emails after two restarts, want 2", got)
	}
	if mails[0].To != mentee(1) || mails[1].To != mentee(2) {
		t.Errorf("emails went to %s then %s", mails[0].To, mails[1].To)
	}
}

// Jobs hold the meeting id and nothing else: no address, no token.
func TestJobsHoldNoAddressOrToken(t *testing.T) {
	h := newHarness(t)
	h.smtp.Refuse(mentee(1))
	s := h.newService(h.db)
	rec := h.record(s, mentee(1))
	token := h.tokenOf(rec)
	h.start(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	res, err := s.River().JobList(context.Background(), river.NewJobListParams().
		States(rivertype.JobStateCancelled, rivertype.JobStateScheduled).First(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 2 {
		t.Fatalf("%d jobs, want the send and the reminder", len(res.Jobs))
	}
	for _, j := range res.Jobs {
		var args map[string]any
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if args["meeting_id"] != float64(rec.Meeting.ID) {
			t.Errorf("%s args %s", j.Kind, j.EncodedArgs)
		}
		row, _ := json.Marshal(j)
		for _, secret := range []string{mentee(1), token} {
			if strings.Contains(strings.ToLower(string(row)), strings.ToLower(secret)) {
				t.Errorf("%s job row holds %q: %s", j.Kind, secret, row)
			}
		}
	}
}

// Three instances working one PostgreSQL queue send each email once.
func TestThreeInstancesSendEachEmailOnce(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("PostgreSQL only: set " + dbtest.EnvURL + "; an embedded SQLite database serves one instance")
	}
	h := newHarness(t)
	instances := make([]*models.DB, 3)
	for i := range instances {
		instances[i] = h.open()
	}
	const meetings = 30
	// Enqueue everything first, then let three instances race for it.
	var jobs []int64
	enqueuer := h.newService(h.db)
	for i := range meetings {
		jobs = append(jobs, h.record(enqueuer, mentee(i)).SendJobID)
	}
	var wg sync.WaitGroup
	services := make([]*delivery.Service, len(instances))
	for i, db := range instances {
		services[i] = h.newService(db)
	}
	for _, s := range services {
		wg.Add(1)
		go func() { defer wg.Done(); s.Start(context.Background()) }()
	}
	wg.Wait()
	for _, s := range services {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s.Stop(ctx)
		})
	}
	h.smtp.WaitForMails(meetings)
	workedBy := map[string]int{}
	for _, id := range jobs {
		deliverytest.WaitForJob(t, services[0], id)
		j, _ := services[0].River().JobGet(context.Background(), id)
		if len(j.AttemptedBy) > 0 {
			workedBy[j.AttemptedBy[len(j.AttemptedBy)-1]]++
		}
	}
	mails := h.smtp.Mails()
	if len(mails) != meetings {
		t.Fatalf("%d emails for %d meetings", len(mails), meetings)
	}
	seen := map[string]bool{}
	for _, m := range mails {
		if seen[m.To] {
			t.Errorf("%s got two emails", m.To)
		}
		seen[m.To] = true
	}
	t.Logf("jobs worked per instance: %v", workedBy)
}
