package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerOIDCPages registers single sign-on's two routes, only when a
// provider is configured: the start, which sends the browser to the
// provider, and the callback the provider sends it back to.
func (s *Server) registerOIDCPages(e *httpkit.Routes) {
	if s.SSO == nil {
		return
	}
	e.GET("/auth/oidc/start", s.oidcStart)
	e.GET(httpkit.OIDCCallbackPath, s.oidcCallback)
}

// oidcStart leaves for the provider with a fresh state, nonce and PKCE
// verifier, kept in the signed flow cookie; next is where the sign-in leads.
func (s *Server) oidcStart(c echo.Context) error {
	authURL, cookie, err := s.SSO.Begin(c.Request().Context(), safeNext(c.QueryParam("next")))
	if err != nil {
		return err
	}
	s.SetOIDCFlowCookie(c, cookie)
	httpkit.NoStore(c)
	return c.Redirect(http.StatusFound, authURL)
}

// oidcCallback finishes the sign-in the provider sent back. The flow cookie
// is dropped whatever happens: a state serves once.
func (s *Server) oidcCallback(c echo.Context) error {
	if err := s.AllowSSOCallback(c); err != nil {
		return err
	}
	httpkit.NoStore(c)
	var flow string
	if ck, err := c.Cookie(httpkit.OIDCFlowCookie); err == nil {
		flow = ck.Value
	}
	s.ClearOIDCFlowCookie(c)
	if c.QueryParam("error") != "" {
		// Cancelled or refused at the provider: nothing came back to check.
		return s.ssoRefusedPage(c, http.StatusUnauthorized, "Sign-in was not completed",
			s.SSO.Name()+" did not sign you in. You can try again.")
	}
	_, id, step, err := s.SignInWithSSO(c, flow, c.QueryParam("state"), c.QueryParam("code"))
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EMALFORMED:
		return s.ssoRefusedPage(c, http.StatusBadRequest, "This sign-in has expired",
			"This sign-in link has expired or was already used, so you were not signed in. Please start again.")
	case surveys.EUNAUTHORIZED:
		return s.ssoRefusedPage(c, http.StatusUnauthorized, "Sign-in was not completed",
			"The answer from "+s.SSO.Name()+" could not be checked, so you were not signed in. Please start again.")
	case surveys.EFORBIDDEN:
		if surveys.ErrorMessage(err) == httpkit.MsgNotOrgAccount {
			return s.ssoRefusedPage(c, http.StatusForbidden, "Use your organisation's account", httpkit.MsgNotOrgAccount)
		}
		return s.ssoRefusedPage(c, http.StatusForbidden, "Ask your program director to add you", httpkit.MsgNotAMember)
	default:
		return err
	}
	return c.Redirect(http.StatusSeeOther, afterFirstStep(step, safeNext(id.Next)))
}

// ssoRefusedPage says why single sign-on did not sign someone in, and leads
// back to the sign-in page.
func (s *Server) ssoRefusedPage(c echo.Context, status int, title, detail string) error {
	return s.render(c, status, "error", messagePage{Title: title, Detail: detail, BackURL: "/login", BackLabel: "Back to sign-in"})
}

// withSingleSignOn adds single sign-on to the account page's list of ways
// in (account_methods.go) when a provider is configured, first, and says of
// the password when "SSO only" covers u's role that it is not accepted.
func (s *Server) withSingleSignOn(u *models.User, methods []signInMethod) []signInMethod {
	if s.SSO == nil {
		return methods
	}
	out := []signInMethod{{Label: "Single sign-on", Detail: "with " + s.SSO.Name()}}
	for _, m := range methods {
		if m.Label == "Password" && !s.Cfg.OIDC.PasswordAllowed(u.Role) {
			m.Detail = "Not accepted for your account: sign in with " + s.SSO.Name() + "."
		}
		out = append(out, m)
	}
	return out
}
