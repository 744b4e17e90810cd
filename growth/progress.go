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
	c := surveys.CompareSelf(point, in.Items, ratings)
	return &c, nil
}
