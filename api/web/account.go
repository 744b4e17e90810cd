package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
)

// accountPageData is GET /account: who the user is, how they sign in,
// their second factor (its own partial), where they are signed in and
// their API tokens.
type accountPageData struct {
	Nav       *navView
	CSRFToken string
	Name      string
	Email     string
	Role      string
	// Programs names the programs the user belongs to; an admin's is
	// "every program".
	Programs []string
	Methods  []signInMethod
	// SecondFactor is the data of the account-second-factor partial.
	SecondFactor any
	Sessions     []accountSession
	// OtherSessions counts the sessions "End all other sessions" ends.
	OtherSessions int
	Tokens        []models.APIToken
	// NewToken is a token just created, shown this once.
	NewToken  *accounts.CreatedToken
	TokenForm formState
	// Notice says what the last action did (after its redirect).
	Notice string
}

// accountSession is one row of the sessions table.
type accountSession struct {
	ID         string
	Device     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool
}

// accountNotices are what /account?done=… says; anything else says nothing.
var accountNotices = map[string]string{
	"session-ended": "The session has ended: that device must sign in again.",
	"others-ended":  "Every other session has ended: only this browser is still signed in.",
	"none-ended":    "There was no other session to end.",
	"token-revoked": "The token is revoked: scripts using it are refused from now on.",
}

var tokenFields = []formField{{Name: "name", ID: "token-name", Label: "Name"}}

// accountPage shows the signed-in user's account.
func (s *Server) accountPage(c echo.Context) error {
	d, err := s.accountData(c)
	if err != nil {
		return err
	}
	d.Notice = accountNotices[c.QueryParam("done")]
	return s.renderPage(c, http.StatusOK, "account", d)
}

func (s *Server) accountData(c echo.Context) (*accountPageData, error) {
	ctx := c.Request().Context()
	p := httpkit.CurrentPrincipal(c)
	u := p.User
	d := &accountPageData{Nav: s.nav(c), CSRFToken: httpkit.CSRFToken(c), Name: u.Name, Email: u.Email,
		Role: roleLabel(u), Methods: s.signInMethods(u)}
	if p.Actor().Admin() {
		d.Programs = []string{"Every program (administrator)"}
	}
	for _, id := range p.Programs {
		prog, err := s.DB.ProgramByID(ctx, id)
		if err != nil {
			return nil, err
		}
		d.Programs = append(d.Programs, prog.Name)
	}
	var err error
	if d.SecondFactor, err = s.secondFactorSection(c); err != nil {
		return nil, err
	}
	ss, err := s.Accounts.MySessions(ctx, p.Actor(), currentSession(c))
	if err != nil {
		return nil, err
	}
	for _, x := range ss {
		d.Sessions = append(d.Sessions, accountSession{ID: x.PublicID(), Device: deviceText(x.Device),
			CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, Current: x.Current})
		if !x.Current {
			d.OtherSessions++
		}
	}
	if d.Tokens, err = s.Accounts.MyTokens(ctx, p.Actor()); err != nil {
		return nil, err
	}
	return d, nil
}

// currentSession is the stored id of the request's session ("" with a
// bearer token).
func currentSession(c echo.Context) string {
	if p := httpkit.CurrentPrincipal(c); p != nil && p.Session != nil {
		return p.Session.IDHash
	}
	return ""
}

func deviceText(device string) string {
	if device == "" {
		return "Unknown device"
	}
	return device
}

// endSessionForm ends one of the user's sessions. Ending the current one
// signs this browser out.
func (s *Server) endSessionForm(c echo.Context) error {
	ended, err := s.Accounts.EndMySession(c.Request().Context(), httpkit.ActorOf(c), accounts.EndSessionInput{ID: c.Param("id")})
	if err != nil {
		return err
	}
	if ended.IDHash == currentSession(c) {
		s.ClearSessionCookie(c)
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Redirect(http.StatusSeeOther, "/account?done=session-ended#sessions")
}

// endOtherSessionsForm ends every session of the user but this one.
func (s *Server) endOtherSessionsForm(c echo.Context) error {
	n, err := s.Accounts.EndMyOtherSessions(c.Request().Context(), httpkit.ActorOf(c), currentSession(c))
	if err != nil {
		return err
	}
	done := "others-ended"
	if n == 0 {
		done = "none-ended"
	}
	return c.Redirect(http.StatusSeeOther, "/account?done="+done+"#sessions")
}

// createTokenForm creates an API token and shows its secret on this one
// page; a reload does not show it again.
func (s *Server) createTokenForm(c echo.Context) error {
	in := accounts.NewToken{Name: strings.TrimSpace(c.FormValue("name"))}
	t, err := s.Accounts.CreateMyToken(c.Request().Context(), httpkit.ActorOf(c), in)
	var form formState
	if err != nil && !failForm(&form, err, tokenFields, "name") {
		return err
	}
	d, derr := s.accountData(c)
	if derr != nil {
		return derr
	}
	if err != nil {
		form.Values = map[string]string{"name": in.Name}
		d.TokenForm = form
		return s.renderPage(c, http.StatusUnprocessableEntity, "account", d)
	}
	d.NewToken = t
	return s.renderPage(c, http.StatusOK, "account", d)
}

// revokeTokenForm revokes one of the user's API tokens.
func (s *Server) revokeTokenForm(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "API token")
	if err != nil {
		return err
	}
	if _, err := s.Accounts.RevokeMyToken(c.Request().Context(), httpkit.ActorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account?done=token-revoked#tokens")
}
