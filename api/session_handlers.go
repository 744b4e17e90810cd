package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// signInRequest is the body of POST /api/v1/session.
type signInRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

func (s *Server) signIn(c echo.Context) error {
	var req signInRequest
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, value, sess, err := s.startSession(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, value, sess.ExpiresAt)
	noStore(c)
	return c.JSON(http.StatusOK, sessionView{User: newUserView(u), CSRFToken: sess.CSRFToken})
}

// startSession checks the rate limits and the credentials, ends any session
// the browser already had, and starts a new one (a new id at every sign-in).
// Both outcomes are audited.
func (s *Server) startSession(c echo.Context, email, password string) (*models.User, string, *models.Session, error) {
	if err := s.allowSignIn(c, email); err != nil {
		return nil, "", nil, err
	}
	ctx := c.Request().Context()
	u, err := s.db.Authenticate(ctx, email, password)
	if err != nil {
		if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
			s.auditFailedSignIn(ctx, u, email)
		}
		return nil, "", nil, err
	}
	if old, err := c.Cookie(SessionCookie); err == nil {
		if err := s.db.DeleteSession(ctx, old.Value); err != nil {
			return nil, "", nil, err
		}
	}
	var value string
	var sess *models.Session
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if value, sess, err = s.db.CreateSession(ctx, u.ID, s.sessionLimits()); err != nil {
			return err
		}
		return s.db.Audit(ctx, models.AuditEntry{ActorID: &u.ID, Action: models.ActionSignIn, Target: userTarget(u.ID), ProgramID: u.ProgramID})
	})
	if err != nil {
		return nil, "", nil, err
	}
	return u, value, sess, nil
}

// auditFailedSignIn records a failed attempt. The typed email is kept only
// when it names no account, so a password typed into the email field of a
// known account is never stored.
func (s *Server) auditFailedSignIn(ctx context.Context, u *models.User, email string) {
	e := models.AuditEntry{Action: models.ActionSignInFailed}
	if u != nil {
		e.Target, e.ProgramID = userTarget(u.ID), u.ProgramID
		if !u.Active {
			e.Detail = "account deactivated"
		}
	} else {
		if len(email) > 254 {
			email = email[:254]
		}
		e.Detail = "unknown email " + email
	}
	if err := s.db.Audit(ctx, e); err != nil {
		s.log.Warn("audit failed sign-in", "err", err)
	}
}

func (s *Server) getSession(c echo.Context) error {
	noStore(c)
	return c.JSON(http.StatusOK, sessionView{User: newUserView(currentUser(c)), CSRFToken: csrfToken(c)})
}

func (s *Server) signOut(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// endSession deletes the request's session, if it has one, and clears the
// cookie. With a bearer token there is nothing to end.
func (s *Server) endSession(c echo.Context) error {
	p := currentPrincipal(c)
	if p == nil || p.Session == nil {
		return nil
	}
	ctx := c.Request().Context()
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.DeleteSessionByHash(ctx, p.Session.IDHash); err != nil {
			return err
		}
		return s.audit(ctx, c, models.AuditEntry{Action: models.ActionSignOut, Target: userTarget(p.User.ID), ProgramID: p.User.ProgramID})
	})
	if err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return nil
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	Name string `json:"name" validate:"required,max=100"`
}

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u := currentUser(c)
	var t *models.APIToken
	var secret string
	err := s.db.WithTx(c.Request().Context(), func(ctx context.Context) error {
		var err error
		if t, secret, err = s.db.CreateAPIToken(ctx, u.ID, req.Name); err != nil {
			return err
		}
		return s.audit(ctx, c, models.AuditEntry{Action: models.ActionTokenCreate, Target: tokenTarget(t.ID), ProgramID: u.ProgramID, Detail: t.Name})
	})
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, createdTokenView{ID: t.ID, Name: t.Name, Token: secret})
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.db.APITokens(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]tokenView, 0, len(ts))
	for _, t := range ts {
		out = append(out, tokenView{ID: t.ID, Name: t.Name, CreatedAt: apiTime(t.CreatedAt),
			LastUsedAt: apiTimePtr(t.LastUsedAt), RevokedAt: apiTimePtr(t.RevokedAt)})
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": out})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := pathID(c, "id", "API token")
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = s.db.WithTx(c.Request().Context(), func(ctx context.Context) error {
		t, err := s.db.RevokeAPIToken(ctx, u.ID, id)
		if err != nil {
			return err
		}
		return s.audit(ctx, c, models.AuditEntry{Action: models.ActionTokenRevoke, Target: tokenTarget(t.ID), ProgramID: u.ProgramID, Detail: t.Name})
	})
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
