package growth_test

import (
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
)

// BenchmarkHomeGrowth is the home's growth cards for a resident in the
// second year of using them: four released windows self-assessed and six
// goals closed, two open. "all" is what the home computed before (every
// window's comparison, every goal's progress), "shown" what it computes
// now (the newest comparison, the open goals' progress).
func BenchmarkHomeGrowth(b *testing.B) {
	w := newWorld(b)
	w.answer(w.resA1, 4, 4)
	for _, month := range []time.Month{1, 4, 7, 10} {
		year := 2026
		if month >= 7 {
			year = 2025
		}
		w.now = time.Date(year, month, 10, 9, 0, 0, 0, time.UTC)
		if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, w.now.Format("2006-01"), growth.SelfAssessmentInput{Ratings: ratings(3)}); err != nil {
			b.Fatal(err)
		}
		g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new(models.OutcomeAchieved)}); err != nil {
			b.Fatal(err)
		}
	}
	for _, key := range []string{"competence", "availability", "altruistic_support", "availability"} {
		g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput(key))
		if err != nil {
			b.Fatal(err)
		}
		if key == "competence" || key == "altruistic_support" {
			if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new(models.OutcomeDropped)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	w.now = time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC)
	w.release()
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.SelfAssessments(w.ctx, w.asResA1, w.resA1.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("shown", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.LatestComparison(w.ctx, w.asResA1, w.resA1.ID); err != nil {
				b.Fatal(err)
			}
			if _, _, err := w.svc.OpenGoals(w.ctx, w.asResA1, w.resA1.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
