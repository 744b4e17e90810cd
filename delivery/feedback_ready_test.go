package delivery_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river/rivertype"
)

// feedback submits twelve responses about a resident from four mentees,
// enough for the default release rule.
func (h *harness) feedback(resident *models.User) {
	h.t.Helper()
	ctx := context.Background()
	for i := range 12 {
		m := h.roster(mentee(i % 4))
		inv, err := h.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: resident.ID, MenteeID: &m.ID})
		if err != nil {
			h.t.Fatal(err)
		}
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for _, it := range surveys.Default().Items {
			v := 1 + i%5
			sub.Answers[it.Key] = &v
		}
		if err := h.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
			h.t.Fatal(err)
		}
	}
}

// release runs the release job once and waits for it to finish.
func (h *harness) release(s *delivery.Service) {
	h.t.Helper()
	res, err := s.River().Insert(context.Background(), delivery.ReleaseArgs{}, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if st := deliverytest.WaitForJob(h.t, s, res.Job.ID); st != rivertype.JobStateCompleted {
		h.t.Fatalf("release job %s", st)
	}
	// The periodic release may be judging at the same time; wait for it.
	deliverytest.WaitForKindIdle(h.t, s, delivery.ReleaseArgs{}.Kind())
}

func TestReleaseEmailsEachResidentWithNewFeedbackOnce(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ben := h.addResident("ben@hospital.example", "Dr. Ben Ito")
	cleo := h.addResident("cleo@hospital.example", "Dr. Cleo Park") // nothing to release
	dana := h.addResident("dana@hospital.example", "Dr. Dana Ruiz") // deactivated
	for _, r := range []*models.User{h.resident, ben, dana} {
		h.feedback(r)
	}
	if _, err := h.db.UpdateUser(ctx, dana.ID, models.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	window := h.program.WindowOf(h.clock.Now())
	h.clock.Advance(window.End().Sub(h.clock.Now()) + time.Hour)

	obs := &countingObserver{emails: map[[2]string]int{}}
	h.observer = obs
	s := h.running()
	h.release(s)
	mails := h.smtp.WaitForMails(2)
	jobs := pendingJobs(t, s, delivery.SendFeedbackReadyArgs{}.Kind())
	for _, j := range jobs {
		deliverytest.WaitForJob(t, s, j.ID)
	}
	if len(jobs) != 2 {
		t.Fatalf("%d feedback-ready jobs, want 2 (Amara and Ben)", len(jobs))
	}
	got := map[string]deliverytest.Mail{}
	for _, m := range h.smtp.Mails() {
		if _, dup := got[m.To]; dup {
			t.Errorf("%s got two emails", m.To)
		}
		got[m.To] = m
	}
	if len(got) != 2 || got["amara@hospital.example"].To == "" || got["ben@hospital.example"].To == "" {
		t.Fatalf("want one email each to Amara and Ben (none to Cleo, nothing released, or Dana, deactivated), got %d: %v", len(mails), keys(got))
	}
	if _, ok := got[cleo.Email]; ok {
		t.Error("a resident with nothing released was emailed")
	}
	months := window.Months()
	for to, m := range got {
		if want := "Your feedback for " + months + " is ready"; m.Subject != want {
			t.Errorf("%s: subject %q, want %q", to, m.Subject, want)
		}
		if !strings.Contains(m.Text, baseURL+"/dashboard") || !strings.Contains(m.HTML, `href="`+baseURL+`/dashboard"`) {
			t.Errorf("%s: no dashboard link:\n%s", to, m.Text)
		}
		// No figure, count or comment: once the window's name and the link
		// are taken out, not one digit is left.
		for part, body := range map[string]string{"text": m.Text, "html": regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m.HTML, " ")} {
			rest := strings.NewReplacer(months, "", baseURL+"/dashboard", "").Replace(body)
			if d := regexp.MustCompile(`[0-9]`).FindString(rest); d != "" {
				t.Errorf("%s: the %s part holds a digit beyond the window's name:\n%s", to, part, rest)
			}
		}
	}

	// The release runs every minute: again, nothing new is released or sent.
	h.release(s)
	if jobs := pendingJobs(t, s, delivery.SendFeedbackReadyArgs{}.Kind()); len(jobs) != 2 {
		t.Errorf("%d feedback-ready jobs after a second release, want still 2", len(jobs))
	}
	if n := len(h.smtp.Mails()); n != 2 {
		t.Errorf("%d emails after a second release, want still 2", n)
	}
	// The metrics saw the same: three groups released (Dana's too: she is
	// not emailed, but her feedback is released), two emails sent.
	obs.mu.Lock()
	released := obs.released
	obs.mu.Unlock()
	if released != 3 {
		t.Errorf("%d groups released counted, want 3", released)
	}
	if n := obs.counts()[[2]string{delivery.SendFeedbackReadyArgs{}.Kind(), delivery.OutcomeSent}]; n != 2 {
		t.Errorf("%d feedback-ready emails counted as sent, want 2", n)
	}
}

// A release retried after its hook ran (or the hook run twice) queues one
// email per resident and window.
func TestFeedbackReadyIsQueuedOncePerResidentAndWindow(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db)
	ctx := context.Background()
	for _, w := range []string{"2026-10", "2026-10", "2027-01"} {
		err := h.db.WithTx(ctx, func(ctx context.Context) error {
			return s.QueueFeedbackReady(ctx, models.Released{ResidentID: h.resident.ID, ProgramID: h.program.ID, WindowID: w})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if jobs := pendingJobs(t, s, delivery.SendFeedbackReadyArgs{}.Kind()); len(jobs) != 2 {
		t.Errorf("%d jobs, want one per window (2)", len(jobs))
	}
	for _, j := range pendingJobs(t, s, delivery.SendFeedbackReadyArgs{}.Kind()) {
		if strings.Contains(string(j.EncodedArgs), "@") || strings.Contains(string(j.EncodedArgs), "Amara") {
			t.Errorf("job args hold more than ids: %s", j.EncodedArgs)
		}
	}
}

func keys(m map[string]deliverytest.Mail) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
