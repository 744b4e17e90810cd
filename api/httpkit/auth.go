package httpkit

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
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
type Principal struct {
	User *models.User
	// Programs are a resident's one program or a director's programs; empty
	// for an admin, who may act in every program.
	Programs []int64
	Session  *models.Session  // nil with a bearer token
	Token    *models.APIToken // nil with a session
}

// Actor is the principal as the account use cases and access decisions see
// it.
func (p *Principal) Actor() accounts.Actor { return accounts.UserActor(p.User, p.Programs) }

// ActorOf is the signed-in principal as an accounts.Actor, or the zero
// Actor (nobody) for an anonymous request.
func ActorOf(c echo.Context) accounts.Actor {
	if p := CurrentPrincipal(c); p != nil {
		return p.Actor()
	}
	return accounts.Actor{}
}

// currentPrincipal returns who is signed in, or nil.
func CurrentPrincipal(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}

// currentUser returns the signed-in user, or nil for an anonymous request.
// Pages use it to greet the user and choose what to show.
func CurrentUser(c echo.Context) *models.User {
	if p := CurrentPrincipal(c); p != nil {
		return p.User
	}
	return nil
}

// csrfToken returns the session's CSRF token, for the hidden csrf_token
// field of every form a signed-in page shows; "" without a session.
func CSRFToken(c echo.Context) string {
	if p := CurrentPrincipal(c); p != nil && p.Session != nil {
		return p.Session.CSRFToken
	}
	return ""
}

func (s *Kit) SessionLimits() models.SessionLimits {
	return models.SessionLimits{Idle: s.Cfg.SessionIdleTimeout, MaxAge: s.Cfg.SessionMaxAge}
}

// authenticate finds who is asking, from "Authorization: Bearer" or the
// session cookie, and lets anonymous requests through for the next
// middleware to judge. A wrong bearer token is refused outright; a stale
// cookie is cleared and the request goes on as anonymous. A request that
// changes state with a session cookie must carry the session's CSRF token.
func (s *Kit) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var p *Principal
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return Unauthorized(c, "send the API token as Authorization: Bearer <token>")
			}
			t, u, err := s.DB.APITokenUser(ctx, strings.TrimSpace(secret))
			if err != nil {
				if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
					return Unauthorized(c, surveys.ErrorMessage(err))
				}
				return err
			}
			p = &Principal{User: u, Token: t}
		} else if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
			sess, u, err := s.DB.SessionByToken(ctx, ck.Value, s.SessionLimits())
			switch {
			case surveys.ErrorCode(err) == surveys.EUNAUTHORIZED:
				s.ClearSessionCookie(c)
			case err != nil:
				return err
			default:
				if !safeMethod(c.Request().Method) && !csrfMatches(c, sess.CSRFToken) {
					if rendersPages(c) {
						return surveys.Errorf(surveys.EFORBIDDEN, "This form has expired or came from another site, so it was not sent. Go back, reload the page and try again.")
					}
					return surveys.Errorf(surveys.EFORBIDDEN, "this request needs the session's CSRF token in the %s header or the %s form field; reload the page and try again", CSRFHeader, CSRFField)
				}
				p = &Principal{User: u, Session: sess}
			}
		}
		if p != nil {
			programs, err := s.DB.UserPrograms(ctx, p.User)
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

// Unauthorized is a 401 with the WWW-Authenticate header the API sends on
// every refusal of missing or bad credentials.
func Unauthorized(c echo.Context, msg string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="mentorpulse"`)
	return surveys.Errorf(surveys.EUNAUTHORIZED, "%s", msg)
}

// AccountsError passes on an error of an account use case or access
// decision; the accounts package knows no HTTP, so an unauthorized one gets
// its WWW-Authenticate header here.
func AccountsError(c echo.Context, err error) error {
	if err != nil && surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		return Unauthorized(c, surveys.ErrorMessage(err))
	}
	return err
}

// requireAPIUser answers 401 to an anonymous API request.
func (s *Kit) RequireAPIUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if CurrentPrincipal(c) == nil {
			return Unauthorized(c, "sign in (POST /api/v1/session) or send Authorization: Bearer <token>")
		}
		return next(c)
	}
}

// apiAuth is the middleware every signed-in API route takes.
func (s *Kit) APIAuth() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{s.Authenticate, s.RequireAPIUser}
}

// requirePageUser sends an anonymous browser to the sign-in page, and back
// here afterwards; a browser between the password and the second factor
// goes to the code step or the enrolment instead, so no page is reached
// before them.
func (s *Kit) RequirePageUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if CurrentPrincipal(c) == nil {
			next := "/"
			if c.Request().Method == http.MethodGet {
				next = c.Request().URL.RequestURI()
			}
			if p, _, err := s.PendingSignIn(c); err == nil {
				return c.Redirect(http.StatusSeeOther, PendingPath(p)+"?next="+url.QueryEscape(next))
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		}
		return next(c)
	}
}

// PendingPath is the page a sign-in waiting for its second factor goes
// on to: the code step, or the enrolment.
func PendingPath(p *models.PendingSignIn) string {
	if p.Stage == models.StageEnrol {
		return EnrolPath
	}
	return CodePath
}

// pageAuth is the middleware every signed-in page takes.
func (s *Kit) PageAuth() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{s.Authenticate, s.RequirePageUser}
}

// RequireRole answers 403 unless the principal has one of the roles. It
// follows requireAPIUser or requirePageUser.
func RequireRole(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := CurrentPrincipal(c)
			for _, r := range roles {
				if p != nil && p.User.Role == r {
					return next(c)
				}
			}
			return surveys.Errorf(surveys.EFORBIDDEN, "your role may not do this")
		}
	}
}

func (s *Kit) SecureCookies() bool { return strings.HasPrefix(s.Cfg.BaseURL, "https://") }

func (s *Kit) SetSessionCookie(c echo.Context, value string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Kit) ClearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}
