package api

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// SessionCookie holds a signed-in browser's session id.
const SessionCookie = "mentorpulse_session"

// CSRFHeader carries the session's CSRF token on JSON requests; forms send
// the hidden field CSRFField instead.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf_token"
)

const principalKey = "mentorpulse.principal"

// principal is who is asking: the user, the programs they belong to, and how
// they proved it (a session cookie or a bearer token).
type principal struct {
	User *models.User
	// Programs are a resident's one program or a director's programs; empty
	// for an admin, who may act in every program.
	Programs []int64
	Session  *models.Session  // nil with a bearer token
	Token    *models.APIToken // nil with a session
}

func (p *principal) isAdmin() bool { return p.User.Role == models.RoleAdmin }

// member reports whether the principal belongs to a program (admins belong
// to all).
func (p *principal) member(programID int64) bool {
	if p.isAdmin() {
		return true
	}
	for _, id := range p.Programs {
		if id == programID {
			return true
		}
	}
	return false
}

// manages reports whether the principal may manage a program: an admin, or
// one of its directors.
func (p *principal) manages(programID int64) bool {
	return p.isAdmin() || p.User.Role == models.RoleDirector && p.member(programID)
}

// currentPrincipal returns who is signed in, or nil.
func currentPrincipal(c echo.Context) *principal {
	p, _ := c.Get(principalKey).(*principal)
	return p
}

// currentUser returns the signed-in user, or nil for an anonymous request.
// Pages use it to greet the user and choose what to show.
func currentUser(c echo.Context) *models.User {
	if p := currentPrincipal(c); p != nil {
		return p.User
	}
	return nil
}

// csrfToken returns the session's CSRF token, for the hidden csrf_token
// field of every form a signed-in page shows; "" without a session.
func csrfToken(c echo.Context) string {
	if p := currentPrincipal(c); p != nil && p.Session != nil {
		return p.Session.CSRFToken
	}
	return ""
}

func (s *Server) sessionLimits() models.SessionLimits {
	return models.SessionLimits{Idle: s.cfg.SessionIdleTimeout, MaxAge: s.cfg.SessionMaxAge}
}

// authenticate finds who is asking, from "Authorization: Bearer" or the
// session cookie, and lets anonymous requests through for the next
// middleware to judge. A wrong bearer token is refused outright; a stale
// cookie is cleared and the request goes on as anonymous. A request that
// changes state with a session cookie must carry the session's CSRF token.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var p *principal
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return unauthorized(c, "send the API token as Authorization: Bearer <token>")
			}
			t, u, err := s.db.APITokenUser(ctx, strings.TrimSpace(secret))
			if err != nil {
				if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
					return unauthorized(c, surveys.ErrorMessage(err))
				}
				return err
			}
			p = &principal{User: u, Token: t}
		} else if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
			sess, u, err := s.db.SessionByToken(ctx, ck.Value, s.sessionLimits())
			switch {
			case surveys.ErrorCode(err) == surveys.EUNAUTHORIZED:
				s.clearSessionCookie(c)
			case err != nil:
				return err
			default:
				if !safeMethod(c.Request().Method) && !csrfMatches(c, sess.CSRFToken) {
					if wantsHTML(c) {
						return surveys.Errorf(surveys.EFORBIDDEN, "This form has expired or came from another site, so it was not sent. Go back, reload the page and try again.")
					}
					return surveys.Errorf(surveys.EFORBIDDEN, "this request needs the session's CSRF token in the %s header or the %s form field; reload the page and try again", CSRFHeader, CSRFField)
				}
				p = &principal{User: u, Session: sess}
			}
		}
		if p != nil {
			programs, err := s.db.UserPrograms(ctx, p.User)
			if err != nil {
				return err
			}
			p.Programs = programs
			c.Set(principalKey, p)
		}
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfMatches compares the header, or else the form field, with the
// session's token in constant time.
func csrfMatches(c echo.Context, want string) bool {
	got := c.Request().Header.Get(CSRFHeader)
	if got == "" {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		if strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm) {
			got = c.FormValue(CSRFField)
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func unauthorized(c echo.Context, msg string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="mentorpulse"`)
	return surveys.Errorf(surveys.EUNAUTHORIZED, "%s", msg)
}

// requireAPIUser answers 401 to an anonymous API request.
func (s *Server) requireAPIUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentPrincipal(c) == nil {
			return unauthorized(c, "sign in (POST /api/v1/session) or send Authorization: Bearer <token>")
		}
		return next(c)
	}
}

// apiAuth is the middleware every signed-in API route takes.
func (s *Server) apiAuth() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{s.authenticate, s.requireAPIUser}
}

// requirePageUser sends an anonymous browser to the sign-in page, and back
// here afterwards.
func (s *Server) requirePageUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentPrincipal(c) == nil {
			next := "/"
			if c.Request().Method == http.MethodGet {
				next = c.Request().URL.RequestURI()
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		}
		return next(c)
	}
}

// pageAuth is the middleware every signed-in page takes.
func (s *Server) pageAuth() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{s.authenticate, s.requirePageUser}
}

// requireRole answers 403 unless the principal has one of the roles. It
// follows requireAPIUser or requirePageUser.
func requireRole(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := currentPrincipal(c)
			for _, r := range roles {
				if p != nil && p.User.Role == r {
					return next(c)
				}
			}
			return surveys.Errorf(surveys.EFORBIDDEN, "your role may not do this")
		}
	}
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

func (s *Server) setSessionCookie(c echo.Context, value string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}
