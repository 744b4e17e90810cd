package web

import (
	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/growth"
)

// goalRow is a goal with its progress in words.
type goalRow struct {
	growth.Goal
	View *progressView
}

func goalRows(goals []growth.Goal) []goalRow {
	out := make([]goalRow, len(goals))
	for i, g := range goals {
		out[i] = goalRow{Goal: g, View: newProgressView(g.Progress)}
	}
	return out
}

// growthView is a report page's self-comparison and goals: all the
// resident's own, or what they shared for a director.
type growthView struct {
	Own        bool
	Name       string
	Comparison *comparisonView
	Goals      []goalRow
}

// growthFor loads the report page's growth sections. A director's read is
// audited by the use cases; what was not shared is not there to show.
func (s *Server) growthFor(c echo.Context, residentID int64, own bool, name string) (*growthView, error) {
	ctx, a := c.Request().Context(), httpkit.ActorOf(c)
	v := &growthView{Own: own, Name: name}
	latest, err := s.Growth.LatestComparison(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if latest != nil {
		v.Comparison = newComparisonView(*latest, own, name)
	}
	goals, err := s.Growth.Goals(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	v.Goals = goalRows(goals)
	return v, nil
}

// homeGrowth is the home's self-assessment and goals cards.
type homeGrowth struct {
	Months string
	Self   *growth.SelfAssessment
	// Released is the newest comparison with released feedback, in words.
	Released *comparisonView
	Open     []goalRow
	Closed   int
	CanAdd   bool
}

// homeGrowthFor loads the home's growth cards for the signed-in resident.
func (s *Server) homeGrowthFor(c echo.Context, residentID int64) (*homeGrowth, error) {
	ctx, a := c.Request().Context(), httpkit.ActorOf(c)
	w, err := s.Growth.CurrentWindow(ctx, residentID)
	if err != nil {
		return nil, err
	}
	h := &homeGrowth{Months: w.Months()}
	if h.Self, err = s.Growth.SelfAssessment(ctx, a, residentID, w.ID); err != nil {
		return nil, err
	}
	latest, err := s.Growth.LatestComparison(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if latest != nil {
		h.Released = newComparisonView(*latest, true, "")
	}
	open, closed, err := s.Growth.OpenGoals(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	h.Open, h.Closed = goalRows(open), closed
	h.CanAdd = len(h.Open) < growth.MaxOpenGoals // hide "Set a goal" when it would be refused
	return h, nil
}
