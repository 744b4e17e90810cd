package growth_test

import (
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The loop end to end through the use cases: a resident rated about 2 by
// six mentees sets a goal on availability, is rated about 5 after it, and
// sees a clear improvement; their self-rating of 5 beside mentees' 2 is a
// blind spot, while a colleague who rates themselves as their mentees do
// sees a match.
func TestGoalShowsAClearImprovementAndSelfShowsABlindSpot(t *testing.T) {
	w := newWorld(t)
	w.now = time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	w.answer(w.resA1, 6, 2)
	w.answer(w.resA2, 6, 4)
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2025-10", growth.SelfAssessmentInput{Ratings: ratings(5)}); err != nil {
		t.Fatal(err)
	}
	// resA2 rates each item as their mentees do (world.answer: v, v−1, …).
	like := map[string]*int{}
	for k, it := range surveys.Default().Items {
		like[it.Key] = new(4 - k%2)
	}
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA2, w.resA2.ID, "2025-10", growth.SelfAssessmentInput{Ratings: like}); err != nil {
		t.Fatal(err)
	}
	w.now = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	w.release()

	sa, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2025-10")
	if err != nil {
		t.Fatal(err)
	}
	if sa.Comparison == nil {
		t.Fatal("no comparison once the window is released")
	}
	verdicts := map[string]string{}
	for _, g := range sa.Comparison.Attributes {
		verdicts[g.Key] = g.Verdict
	}
	if verdicts["availability"] != surveys.BlindSpot || verdicts["altruistic_support"] != surveys.BlindSpot {
		t.Errorf("self 5 beside mentees about 2: verdicts %v, want blind spots", verdicts)
	}
	sa2, err := w.svc.SelfAssessment(w.ctx, w.asResA2, w.resA2.ID, "2025-10")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sa2.Comparison.Attributes {
		if g.Verdict == surveys.BlindSpot || g.Verdict == surveys.HiddenStrength {
			t.Errorf("self as the mentees rate: %s named %s (self %v, mentees %v %v)", g.Key, g.Verdict, *g.Self, *g.Mentees, g.CI95)
		}
	}

	// The goal, set in January; after it, mentees rate about 5.
	g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("availability"))
	if err != nil {
		t.Fatal(err)
	}
	if g.Progress.Verdict != surveys.NotEnoughData {
		t.Errorf("before any answer after the goal: %q, want %q", g.Progress.Verdict, surveys.NotEnoughData)
	}
	w.now = time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	w.answer(w.resA1, 6, 5)
	w.answer(w.resA2, 6, 4)
	w.now = time.Date(2026, 7, 6, 9, 0, 0, 0, time.UTC)
	w.release()
	goals, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := goals[0].Progress
	if p.Verdict != surveys.Improved || p.Difference == nil || *p.Difference < 2 || p.DifferenceCI95 == nil || p.DifferenceCI95[0] <= 0 {
		t.Errorf("after a rise from about 2 to about 5: %+v", p)
	}
	if p.Before.Responses != 6 || p.After.Responses != 6 {
		t.Errorf("the figures rest on %d and %d responses, want 6 and 6", p.Before.Responses, p.After.Responses)
	}
}
