package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// demoGrowth gives a few demo residents what residents do with their
// feedback: Ben Hartley set a goal on availability before his ratings rose
// (demoLiftFrom), Dev Raman rated his support far above his mentees (a
// blind spot, shared with the director), Grace Liu rated her availability
// below theirs (a hidden strength), and Amara Okafor keeps a private goal
// and a self-assessment of the open window. Everything goes through the
// growth use cases, as the resident's own actions at the time.
func demoGrowth(ctx context.Context, db *models.DB, ids []int64, start, end time.Time) error {
	svc := growth.New(db, accounts.New(db, accounts.Config{}))
	at := func(frac float64) func() time.Time {
		t := start.Add(time.Duration(frac * float64(end.Sub(start))))
		return func() time.Time { return t }
	}
	actor := func(i int) (accounts.Actor, error) {
		u, err := db.UserByID(ctx, ids[i])
		if err != nil {
			return accounts.Actor{}, err
		}
		return accounts.UserActor(u, []int64{*u.ProgramID}), nil
	}
	yes, no := true, false
	goal := func(i int, frac float64, in growth.GoalInput) error {
		if i >= len(ids) {
			return nil
		}
		a, err := actor(i)
		if err != nil {
			return err
		}
		db.Now = at(frac)
		if _, err := svc.CreateGoal(ctx, a, in); err != nil {
			return fmt.Errorf("demo goal: %w", err)
		}
		return nil
	}
	// rate saves a self-assessment in the window holding frac: each item
	// of the default instrument rated by its attribute.
	rate := func(i int, frac float64, by map[surveys.Attribute]int, shared bool) error {
		if i >= len(ids) {
			return nil
		}
		a, err := actor(i)
		if err != nil {
			return err
		}
		db.Now = at(frac)
		w, err := svc.CurrentWindow(ctx, ids[i])
		if err != nil {
			return err
		}
		in := growth.SelfAssessmentInput{Ratings: map[string]*int{}, Shared: &shared}
		for _, it := range surveys.Default().Items {
			v := by[it.Attribute]
			if v == 0 {
				v = 4
			}
			in.Ratings[it.Key] = &v
		}
		if _, err := svc.SaveSelfAssessment(ctx, a, ids[i], w.ID, in); err != nil {
			return fmt.Errorf("demo self-assessment: %w", err)
		}
		return nil
	}
	steps := []func() error{
		func() error {
			return goal(1, demoGoalAt, growth.GoalInput{Target: surveys.GoalTarget{Kind: surveys.TargetAttribute, Key: string(surveys.Availability)},
				Text: "My mentees know when and how to reach me, and we never skip a planned meeting.",
				Actions: []string{"Agree on the date of the next meeting before we part.",
					"Tell each mentee which message channel I answer within a day."}, Shared: &yes})
		},
		func() error {
			return goal(0, 0.8, growth.GoalInput{Target: surveys.GoalTarget{Kind: surveys.TargetItem, Key: "C2"},
				Text:    "End every meeting with one or two concrete next steps my mentee has chosen.",
				Actions: []string{"Write the next steps down together in the last five minutes."}, Shared: &no})
		},
		func() error {
			return rate(3, 0.8, map[surveys.Attribute]int{surveys.AltruisticSupport: 5, surveys.Overall: 5}, true)
		},
		func() error { return rate(6, 0.8, map[surveys.Attribute]int{surveys.Availability: 3}, false) },
		func() error {
			return rate(0, 0.99, map[surveys.Attribute]int{surveys.Availability: 4, surveys.Competence: 4, surveys.AltruisticSupport: 5}, false)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
