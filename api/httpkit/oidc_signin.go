package httpkit

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// OIDCFlowCookie carries a single sign-on's state, nonce and PKCE verifier,
// signed, from /auth/oidc/start to the callback.
const OIDCFlowCookie = "mentorpulse_oidc"

// MsgNotAMember is what someone the provider knows but we do not reads.
const MsgNotAMember = "There is no active Mentorpulse account for the address your organisation signed you in with. Ask your program director to add you."

// MsgNotOrgAccount is what someone signed in with an account outside the
// organisation's hosted domain reads.
const MsgNotOrgAccount = "The account you chose is not one of your organisation's. Sign in again and choose your work account."

// SetOIDCFlowCookie keeps a started sign-in's signed state until the
// provider sends the browser back. SameSite=Lax: the callback is a
// top-level navigation from the provider's site.
func (s *Kit) SetOIDCFlowCookie(c echo.Context, value string) {
	c.SetCookie(&http.Cookie{Name: OIDCFlowCookie, Value: value, Path: "/auth/oidc", MaxAge: int(oidcFlowLifetime.Seconds()),
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// ClearOIDCFlowCookie drops the flow cookie once the callback has read it.
func (s *Kit) ClearOIDCFlowCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: OIDCFlowCookie, Value: "", Path: "/auth/oidc", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// AllowSSOCallback applies the per-IP sign-in limit to callbacks: each
// costs a request to the provider and a signature check.
func (s *Kit) AllowSSOCallback(c echo.Context) error {
	return s.take(c, s.limits.loginIP, c.RealIP(), "sign-in attempts")
}

// SignInWithSSO finishes a callback: it verifies the provider's answer
// (SSO.Finish), matches the verified email, ignoring case, to an existing
// active account and starts its session. Single sign-on never creates an
// account nor changes a role. Every refusal is audited with its reason
// only, never what the token held; an unknown or deactivated address is
// forbidden with MsgNotAMember; a callback without a usable state is
// malformed, a token that fails verification unauthorized.
func (s *Kit) SignInWithSSO(c echo.Context, cookie, state, code string) (*models.User, SSOIdentity, SignInStep, error) {
	ctx := c.Request().Context()
	id, err := s.SSO.Finish(ctx, cookie, state, code)
	if err != nil {
		var se *SSOError
		if errors.As(err, &se) {
			s.Log.Warn("single sign-on refused", "reason", se.Reason, "err", se.err)
			s.auditSignInRefused(ctx, nil, s.SSO.Method()+": "+se.Reason)
			if se.Flow {
				return nil, id, SignInStep{}, surveys.Errorf(surveys.EMALFORMED, "%s", se.Reason)
			}
			if se.Foreign {
				return nil, id, SignInStep{}, surveys.Errorf(surveys.EFORBIDDEN, "%s", MsgNotOrgAccount)
			}
			return nil, id, SignInStep{}, surveys.Errorf(surveys.EUNAUTHORIZED, "%s", se.Reason)
		}
		return nil, id, SignInStep{}, err
	}
	var u *models.User
	if surveys.CheckText(id.Email, false) == nil {
		if u, err = s.DB.UserByEmail(ctx, id.Email); err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return nil, id, SignInStep{}, err
		}
	}
	if u == nil || !u.Active {
		detail := s.SSO.Method() + ": unknown email"
		if u != nil {
			detail = s.SSO.Method() + ": account deactivated"
		}
		s.auditSignInRefused(ctx, u, detail)
		return nil, id, SignInStep{}, surveys.Errorf(surveys.EFORBIDDEN, "%s", MsgNotAMember)
	}
	// The second factor follows unless the provider asserted one (id.MFA).
	step, err := s.CompleteSignIn(c, u, s.SSO.Method(), id.MFA)
	if err != nil {
		return nil, id, SignInStep{}, err
	}
	return u, id, step, nil
}

// passwordNotAccepted is the refusal of a password where single sign-on is
// the only way in.
func (s *Kit) passwordNotAccepted() error {
	return surveys.Errorf(surveys.EFORBIDDEN, "Sign in with %s: this account does not sign in with a password.", s.Cfg.OIDC.Name)
}
