package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/growth"
)

// maxGrowthBody bounds a goal or a self-assessment: five actions of 300
// characters, or fifteen ratings, with room to spare.
const maxGrowthBody = 16 << 10

// registerGrowthRoutes registers a resident's goals and self-assessments
// (docs/growth.md). The /me routes are the signed-in resident's own; a
// program's directors read what a resident shares under /residents/{id}.
// Access is the growth use cases'.
func (s *Server) registerGrowthRoutes(v1 *echo.Group) {
	auth := s.APIAuth()
	v1.GET("/me/goals", s.myGoals, auth...)
	v1.POST("/me/goals", s.createGoal, auth...)
	v1.PATCH("/me/goals/:id", s.updateGoal, auth...)
	v1.GET("/me/self-assessments/:window", s.mySelfAssessment, auth...)
	v1.PUT("/me/self-assessments/:window", s.saveSelfAssessment, auth...)
	v1.GET("/residents/:id/goals", s.residentGoals, auth...)
}

// myID is the signed-in user's id; the use cases decide whether they are a
// resident.
func myID(c echo.Context) (int64, error) {
	u := httpkit.CurrentUser(c)
	if u == nil {
		return 0, httpkit.Unauthorized(c, "sign in first")
	}
	return u.ID, nil
}

// bindGrowth checks that the actor may keep goals, then reads the body into
// v: a director learns they may not before what is wrong with a body.
func (s *Server) bindGrowth(c echo.Context, v any) error {
	if err := s.Growth.CheckResident(c.Request().Context(), httpkit.ActorOf(c)); err != nil {
		return httpkit.AccountsError(c, err)
	}
	return httpkit.BindJSON(c, v, maxGrowthBody)
}

func (s *Server) myGoals(c echo.Context) error {
	id, err := myID(c)
	if err != nil {
		return err
	}
	goals, err := s.Growth.Goals(c.Request().Context(), httpkit.ActorOf(c), id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, map[string]any{"goals": goals})
}

func (s *Server) createGoal(c echo.Context) error {
	var in growth.GoalInput
	if err := s.bindGrowth(c, &in); err != nil {
		return err
	}
	g, err := s.Growth.CreateGoal(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, g)
}

func (s *Server) updateGoal(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "goal")
	if err != nil {
		return err
	}
	var in growth.GoalChanges
	if err := s.bindGrowth(c, &in); err != nil {
		return err
	}
	g, err := s.Growth.UpdateGoal(c.Request().Context(), httpkit.ActorOf(c), id, in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, g)
}

func (s *Server) mySelfAssessment(c echo.Context) error {
	id, err := myID(c)
	if err != nil {
		return err
	}
	sa, err := s.Growth.SelfAssessment(c.Request().Context(), httpkit.ActorOf(c), id, c.Param("window"))
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, sa)
}

func (s *Server) saveSelfAssessment(c echo.Context) error {
	id, err := myID(c)
	if err != nil {
		return err
	}
	var in growth.SelfAssessmentInput
	if err := s.bindGrowth(c, &in); err != nil {
		return err
	}
	sa, err := s.Growth.SaveSelfAssessment(c.Request().Context(), httpkit.ActorOf(c), id, c.Param("window"), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, sa)
}

// residentGoals answers a resident's goals and self-assessments: all of
// them to the resident, the shared ones to their program's directors and
// admins (audited as a view).
func (s *Server) residentGoals(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "resident")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), httpkit.ActorOf(c)
	goals, err := s.Growth.Goals(ctx, a, id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	self, err := s.Growth.SelfAssessments(ctx, a, id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, map[string]any{"goals": goals, "self_assessments": self})
}
