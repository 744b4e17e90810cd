package web

import "github.com/mentorpulse/mentorpulse/models"

// signInMethod is one way the user can sign in, as the account page lists
// it.
type signInMethod struct {
	Label  string
	Detail string
}

// signInMethods lists how u can sign in: a password (with the day it was
// set, when known), and single sign-on when a provider is configured
// (oidc.go).
func (s *Server) signInMethods(u *models.User) []signInMethod {
	pw := signInMethod{Label: "Password", Detail: "Not set: use the set-password link you were sent, or “Forgot your password?” on the sign-in page."}
	if u.PasswordHash != "" {
		pw.Detail = "Set"
		if u.PasswordSetAt != nil {
			pw.Detail = "Set on " + u.PasswordSetAt.UTC().Format("2 January 2006")
		}
	}
	return s.withSingleSignOn(u, []signInMethod{pw})
}
