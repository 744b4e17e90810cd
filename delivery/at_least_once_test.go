package delivery_test

import (
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/riverqueue/river/rivertype"
)

// A server that accepts the message and then drops the connection (so the
// client's RSET and QUIT fail) has the email: the job records it as sent
// and does not send it again.
func TestAnEmailTheServerAcceptedIsNotSentAgainWhenTheConnectionDropsAfter(t *testing.T) {
	h := newHarness(t)
	h.smtp.SetHangUpAfterAccept(true)
	s := h.running()
	rec := h.record(s, mentee(1))
	h.smtp.WaitForMails(1)
	if st := deliverytest.WaitForJob(t, s, rec.SendJobID, rivertype.JobStateCompleted,
		rivertype.JobStateRetryable, rivertype.JobStateAvailable, rivertype.JobStateCancelled); st != rivertype.JobStateCompleted {
		t.Fatalf("send job is %s after the server accepted the email, want completed", st)
	}
	if m := h.meeting(rec.Meeting.ID); m.DeliveryStatus != models.DeliverySent || m.LastError != nil {
		t.Errorf("status %q error %v, want sent and no error", m.DeliveryStatus, m.LastError)
	}
	// Anything due by the clock runs again: a retry would send a second copy.
	h.runDue(s)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	if got, tries := len(h.smtp.Mails()), h.smtp.Attempts(); got != 1 || tries != 1 {
		t.Errorf("%d emails in %d attempts, want 1 in 1", got, tries)
	}
}
