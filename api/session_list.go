package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
)

// sessionItemView is one of the user's sessions in GET /api/v1/sessions.
// Device is a coarse summary ("Firefox on Windows"), or null when the
// session did not say; no address or user agent is ever kept.
type sessionItemView struct {
	ID         string    `json:"id"`
	Device     *string   `json:"device"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current"`
}

// currentSessionHash is the stored id of the request's session, or "" for
// a bearer token.
func currentSessionHash(c echo.Context) string {
	if p := httpkit.CurrentPrincipal(c); p != nil && p.Session != nil {
		return p.Session.IDHash
	}
	return ""
}

func (s *Server) listSessions(c echo.Context) error {
	ss, err := s.Accounts.MySessions(c.Request().Context(), httpkit.ActorOf(c), currentSessionHash(c))
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	out := make([]sessionItemView, 0, len(ss))
	for _, x := range ss {
		v := sessionItemView{ID: x.PublicID(), CreatedAt: httpkit.APITime(x.CreatedAt),
			LastSeenAt: httpkit.APITime(x.LastSeenAt), ExpiresAt: httpkit.APITime(x.ExpiresAt), Current: x.Current}
		if x.Device != "" {
			v.Device = &x.Device
		}
		out = append(out, v)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, map[string]any{"sessions": out})
}

// endSession ends one of the user's sessions. Ending the current one is a
// sign-out: its cookie is cleared too.
func (s *Server) endSession(c echo.Context) error {
	ended, err := s.Accounts.EndMySession(c.Request().Context(), httpkit.ActorOf(c), accounts.EndSessionInput{ID: c.Param("id")})
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	if ended.IDHash == currentSessionHash(c) {
		s.ClearSessionCookie(c)
	}
	return c.NoContent(http.StatusNoContent)
}
