package delivery_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// When the operator changes MENTORPULSE_SECRET_KEY mid-window, the release
// job still releases, and tells the operator in one WARN line how many
// mentees' sums it could not open, naming no one.
func TestReleaseJobWarnsOfSumsItCannotOpen(t *testing.T) {
	h := newHarness(t)
	var buf syncBuffer
	h.log = slog.New(slog.NewTextHandler(&buf, nil))
	ctx := context.Background()
	h.db.SetSumsSecret("the first operator secret, 32 characters")
	for i := range 12 {
		id := int64(1 + i%4)
		inv, err := h.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: h.resident.ID, MenteeID: &id})
		if err != nil {
			t.Fatal(err)
		}
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for _, it := range surveys.Default().Items {
			v := 1 + i%5
			sub.Answers[it.Key] = &v
		}
		if err := h.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := h.db.MixHeld(ctx); err != nil || n != 12 {
		t.Fatalf("mixed %d: %v", n, err)
	}
	h.db.SetSumsSecret("the second operator secret, 32 characters")
	end := h.program.WindowOf(h.clock.Now()).End()
	h.clock.Advance(end.Sub(h.clock.Now()) + time.Hour)

	s := h.running()
	if _, err := s.River().Insert(ctx, delivery.ReleaseArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	deliverytest.WaitFor(t, "the warning", func() bool { return strings.Contains(buf.String(), "no longer has") })
	var line string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, "no longer has") {
			line = l
		}
	}
	if !strings.Contains(line, "level=WARN") || !strings.Contains(line, "MENTORPULSE_SECRET_KEY") || !strings.Contains(line, "sums=4") {
		t.Errorf("want a WARN naming the secret and 4 sums rows, got: %s", line)
	}
	if regexp.MustCompile(`[0-9a-f]{16}`).MatchString(line) || strings.Contains(line, "resident") {
		t.Errorf("the warning names a mentee or a resident: %s", line)
	}
	// The warning comes before its transaction commits, and the periodic
	// release may be judging too: wait for both before reading.
	deliverytest.WaitForKindIdle(t, s, delivery.ReleaseArgs{}.Kind())
	if n, err := h.db.ResidentReport(ctx, h.resident.ID, surveys.Period{From: "2000-01", To: "2100-12"}); err != nil || n.Responses != 12 {
		t.Errorf("the group was not released despite the warning: %+v, %v", n, err)
	}
}
