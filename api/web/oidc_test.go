package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The account page lists the ways in that really work for the account:
// single sign-on when configured, and a password that "SSO only" refuses
// said to be refused.
func TestSignInMethodsFollowTheSSOOnlySetting(t *testing.T) {
	db := dbtest.New(t)
	director := &models.User{Role: models.RoleDirector, PasswordHash: "x"}
	resident := &models.User{Role: models.RoleResident, PasswordHash: "x"}
	pw := signInMethod{Label: "Password", Detail: "Set"}
	refused := func(name string) signInMethod {
		return signInMethod{Label: "Password", Detail: "Not accepted for your account: sign in with " + name + "."}
	}
	sso := func(name string) signInMethod { return signInMethod{Label: "Single sign-on", Detail: "with " + name} }
	for _, tc := range []struct {
		name               string
		oidc               *httpkit.OIDCConfig
		director, resident []signInMethod
	}{
		{"no-sso", nil, []signInMethod{pw}, []signInMethod{pw}},
		{"sso-beside-passwords", &httpkit.OIDCConfig{Issuer: "https://idp.example", Name: "Okta"},
			[]signInMethod{sso("Okta"), pw}, []signInMethod{sso("Okta"), pw}},
		{"sso-only-staff", &httpkit.OIDCConfig{Issuer: "https://idp.example", Only: httpkit.OIDCOnlyStaff},
			[]signInMethod{sso("your organisation"), refused("your organisation")}, []signInMethod{sso("your organisation"), pw}},
		{"sso-only-all", &httpkit.OIDCConfig{Issuer: "https://idp.example", Name: "Okta", Only: httpkit.OIDCOnlyAll},
			[]signInMethod{sso("Okta"), refused("Okta")}, []signInMethod{sso("Okta"), refused("Okta")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{Kit: httpkit.NewKit(db, httpkit.Config{BaseURL: "https://mentorpulse.example", OIDC: tc.oidc})}
			if diff := cmp.Diff(tc.director, s.signInMethods(director)); diff != "" {
				t.Errorf("director (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.resident, s.signInMethods(resident)); diff != "" {
				t.Errorf("resident (-want +got):\n%s", diff)
			}
		})
	}
}
