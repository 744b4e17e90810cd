package web

import (
	"slices"
	"testing"

	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The account page lists the ways in that really work for the account:
// single sign-on when configured, and a password unless "SSO only" covers
// the account's role.
func TestSignInMethodsFollowTheSSOOnlySetting(t *testing.T) {
	db := dbtest.New(t)
	director := &models.User{Role: models.RoleDirector}
	resident := &models.User{Role: models.RoleResident}
	for _, tc := range []struct {
		name               string
		oidc               *httpkit.OIDCConfig
		director, resident []string
	}{
		{"no-sso", nil, []string{"Password"}, []string{"Password"}},
		{"sso-beside-passwords", &httpkit.OIDCConfig{Issuer: "https://idp.example", Name: "Okta"},
			[]string{"Single sign-on with Okta", "Password"}, []string{"Single sign-on with Okta", "Password"}},
		{"sso-only-staff", &httpkit.OIDCConfig{Issuer: "https://idp.example", Only: httpkit.OIDCOnlyStaff},
			[]string{"Single sign-on with your organisation"}, []string{"Single sign-on with your organisation", "Password"}},
		{"sso-only-all", &httpkit.OIDCConfig{Issuer: "https://idp.example", Name: "Okta", Only: httpkit.OIDCOnlyAll},
			[]string{"Single sign-on with Okta"}, []string{"Single sign-on with Okta"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{Kit: httpkit.NewKit(db, httpkit.Config{BaseURL: "https://mentorpulse.example", OIDC: tc.oidc})}
			if got := s.signInMethods(director); !slices.Equal(got, tc.director) {
				t.Errorf("director: %q, want %q", got, tc.director)
			}
			if got := s.signInMethods(resident); !slices.Equal(got, tc.resident) {
				t.Errorf("resident: %q, want %q", got, tc.resident)
			}
		})
	}
}
