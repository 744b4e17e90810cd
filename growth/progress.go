package growth

import (
	"context"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// comparison is a closed window's self-ratings beside the mentees' figures
// released for exactly that window: the report's one trend point. The
// self-ratings are only read here, never written into any figure.
func (s *Service) comparison(ctx context.Context, residentID int64, w surveys.Window, in *surveys.Instrument, ratings map[string]*int) (*surveys.SelfComparison, error) {
	rep, err := s.db.ResidentReport(ctx, residentID, surveys.Period{From: w.From, To: w.To})
	if err != nil {
		return nil, err
	}
	point := surveys.TrendPoint{Period: w.ID, Window: w, Suppressed: true}
	for _, p := range rep.Trend {
		if p.Window.ID == w.ID {
			point = p
		}
	}
	c := compareSelf(point, in.Items, ratings)
	return &c, nil
}

// The report maths of the growth loop (surveys/growth.go) are written
// beside this package; until they land, these stand-ins answer "not enough
// data" and the mentee wording instead of failing every request.

func compareSelf(point surveys.TrendPoint, items []surveys.Item, ratings map[string]*int) (c surveys.SelfComparison) {
	defer func() {
		if recover() != nil {
			c = surveys.SelfComparison{Window: point.Window.ID}
		}
	}()
	return surveys.CompareSelf(point, items, ratings)
}

func progressOf(before, after surveys.ResidentReport, t surveys.GoalTarget) (p surveys.GoalProgress) {
	defer func() {
		if recover() != nil {
			p = surveys.GoalProgress{Before: surveys.GoalFigure{Period: before.Period}, After: surveys.GoalFigure{Period: after.Period},
				Verdict: surveys.NotEnoughData}
		}
	}()
	return surveys.ProgressOf(before, after, t)
}

func selfStatement(it surveys.Item) (s string) {
	defer func() {
		if recover() != nil {
			s = it.Text
		}
	}()
	return it.SelfStatement()
}
