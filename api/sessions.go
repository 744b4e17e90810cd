package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
)

// signInRequest is the body of POST /api/v1/session.
type signInRequest struct {
	Email    string `json:"email" validate:"required,max=254,text"`
	Password string `json:"password" validate:"required,max=1024"`
}

func (s *Server) signIn(c echo.Context) error {
	var req signInRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, err := s.CheckPassword(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	step, err := s.CompleteSignIn(c, u, "password", false)
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	if !step.Started() {
		return secondFactorProblem(c, step.Next)
	}
	return c.JSON(http.StatusOK, sessionView{User: newUserView(u), CSRFToken: step.Session.CSRFToken})
}

func (s *Server) getSession(c echo.Context) error {
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, sessionView{User: newUserView(httpkit.CurrentUser(c)), CSRFToken: httpkit.CSRFToken(c)})
}

func (s *Server) signOut(c echo.Context) error {
	if err := s.EndSession(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	Name string `json:"name" validate:"required,max=100,text"`
}

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u := httpkit.CurrentUser(c)
	var t *models.APIToken
	var secret string
	err := s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if t, secret, err = s.DB.CreateAPIToken(ctx, u.ID, req.Name); err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionTokenCreate, Target: httpkit.TokenTarget(t.ID), ProgramID: u.ProgramID, Detail: t.Name})
	})
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, createdTokenView{ID: t.ID, Name: t.Name, Token: secret})
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.DB.APITokens(c.Request().Context(), httpkit.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]tokenView, 0, len(ts))
	for _, t := range ts {
		out = append(out, tokenView{ID: t.ID, Name: t.Name, CreatedAt: httpkit.APITime(t.CreatedAt),
			LastUsedAt: httpkit.APITimePtr(t.LastUsedAt), RevokedAt: httpkit.APITimePtr(t.RevokedAt)})
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": out})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "API token")
	if err != nil {
		return err
	}
	u := httpkit.CurrentUser(c)
	err = s.DB.WithTx(c.Request().Context(), func(ctx context.Context) error {
		t, err := s.DB.RevokeAPIToken(ctx, u.ID, id)
		if err != nil {
			return err
		}
		return s.Audit(ctx, c, models.AuditEntry{Action: models.ActionTokenRevoke, Target: httpkit.TokenTarget(t.ID), ProgramID: u.ProgramID, Detail: t.Name})
	})
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
