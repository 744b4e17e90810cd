package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
)

// TestRetentionJobRunsAtStart: a started service purges at once what is
// past retention (here an audit entry older than the default seven years)
// and records the purge; an entry within the bound stays.
func TestRetentionJobRunsAtStart(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := h.clock.Now()
	for _, at := range []time.Time{now.AddDate(-8, 0, 0), now.AddDate(-6, 0, 0)} {
		h.db.Now = func() time.Time { return at }
		if err := h.db.Audit(ctx, models.AuditEntry{Action: models.ActionSignIn, Target: "user:1"}); err != nil {
			t.Fatal(err)
		}
	}
	h.db.Now = h.clock.Now
	sqlDB, err := h.db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	count := func(where string) int {
		var n int
		if err := sqlDB.QueryRow("SELECT count(*) FROM audit_log WHERE " + where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	h.running()
	deliverytest.WaitFor(t, "the retention job's audit purge", func() bool {
		return count("action = '"+models.ActionRetentionAuditPurge+"'") == 1
	})
	if n := count("action = '" + models.ActionSignIn + "'"); n != 1 {
		t.Errorf("%d sign-in entries left, want the one within seven years", n)
	}
}
