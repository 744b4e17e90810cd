package delivery_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
)

// countingObserver keeps what delivery tells it.
type countingObserver struct {
	mu       sync.Mutex
	emails   map[[2]string]int
	released int
}

func (o *countingObserver) EmailAttempted(kind, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emails[[2]string{kind, outcome}]++
}

func (o *countingObserver) GroupsReleased(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.released += n
}

func (o *countingObserver) counts() map[[2]string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := map[[2]string]int{}
	for k, v := range o.emails {
		out[k] = v
	}
	return out
}

// Each attempt is counted once by kind and outcome: a failed attempt that
// will be retried as retrying, the send after as sent, a refused
// recipient as failed.
func TestEmailAttemptsAreCountedByKindAndOutcome(t *testing.T) {
	h := newHarness(t)
	obs := &countingObserver{emails: map[[2]string]int{}}
	h.observer = obs
	h.smtp.SetDown(true)
	s := h.running()
	rec := h.record(s, mentee(1))
	deliverytest.WaitForFailedAttempts(t, s, rec.SendJobID, 1)
	h.smtp.SetDown(false)
	h.clock.Advance(time.Minute)
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	h.smtp.Refuse(mentee(2))
	refused := h.record(s, mentee(2))
	deliverytest.WaitForJob(t, s, refused.SendJobID)

	kind := delivery.SendLinkArgs{}.Kind()
	want := map[[2]string]int{
		{kind, delivery.OutcomeRetrying}: 1,
		{kind, delivery.OutcomeSent}:     1,
		{kind, delivery.OutcomeFailed}:   1,
	}
	if diff := cmp.Diff(want, obs.counts()); diff != "" {
		t.Errorf("email attempts counted (-want +got):\n%s", diff)
	}
}
