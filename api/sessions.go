package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
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

func (s *Server) createToken(c echo.Context) error {
	var req accounts.NewToken
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	t, err := s.Accounts.CreateMyToken(c.Request().Context(), httpkit.ActorOf(c), req)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, createdTokenView{ID: t.Token.ID, Name: t.Token.Name, Token: t.Secret})
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.Accounts.MyTokens(c.Request().Context(), httpkit.ActorOf(c))
	if err != nil {
		return httpkit.AccountsError(c, err)
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
	if _, err := s.Accounts.RevokeMyToken(c.Request().Context(), httpkit.ActorOf(c), id); err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
