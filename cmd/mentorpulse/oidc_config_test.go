package main

import (
	"bytes"
	"strings"
	"testing"
)

// Single sign-on is all or nothing of issuer, client id and secret; its
// flow key comes from the secret key (so every instance accepts the
// others' sign-ins) without being it, and the client secret is never
// repeated in an error.
func TestSingleSignOnSettingsFromEnvironment(t *testing.T) {
	c, err := loadConfig(envFrom(nil))
	if err != nil || c.oidcConfig() != nil {
		t.Fatalf("no issuer: %+v, %v", c.oidcConfig(), err)
	}
	full := map[string]string{
		"MENTORPULSE_OIDC_ISSUER": "https://login.example.org/tenant/v2.0", "MENTORPULSE_OIDC_CLIENT_ID": "mentorpulse",
		"MENTORPULSE_OIDC_CLIENT_SECRET": "s3cret-of-the-client", "MENTORPULSE_OIDC_ONLY": "staff",
		"MENTORPULSE_SECRET_KEY": "a secret key of at least thirty-two characters",
	}
	c, err = loadConfig(envFrom(full))
	if err != nil {
		t.Fatal(err)
	}
	o := c.oidcConfig()
	if o == nil || o.Name != "your organisation" || o.Only != "staff" || o.ClientSecret != "s3cret-of-the-client" || len(o.StateKey) != 32 ||
		bytes.Contains(o.StateKey, []byte(c.SecretKey)) {
		t.Errorf("oidc config: %+v", o)
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for name, vars := range map[string]map[string]string{
		"no-secret":          with("MENTORPULSE_OIDC_CLIENT_SECRET", ""),
		"no-client-id":       with("MENTORPULSE_OIDC_CLIENT_ID", ""),
		"bad-only":           with("MENTORPULSE_OIDC_ONLY", "directors"),
		"plain-http-issuer":  with("MENTORPULSE_OIDC_ISSUER", "http://login.example.org"),
		"only-without-issue": {"MENTORPULSE_OIDC_ONLY": "all"},
		"id-without-issuer":  {"MENTORPULSE_OIDC_CLIENT_ID": "x", "MENTORPULSE_OIDC_CLIENT_SECRET": "s3cret-of-the-client"},
		// Issuers that sign in anyone's account.
		"google-without-hosted-domain": with("MENTORPULSE_OIDC_ISSUER", "https://accounts.google.com"),
		"entra-common":                 with("MENTORPULSE_OIDC_ISSUER", "https://login.microsoftonline.com/common/v2.0"),
		"entra-organizations":          with("MENTORPULSE_OIDC_ISSUER", "https://login.microsoftonline.com/Organizations/v2.0"),
		"entra-consumers":              with("MENTORPULSE_OIDC_ISSUER", "https://login.microsoftonline.com/consumers/v2.0"),
	} {
		if _, err := loadConfig(envFrom(vars)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the error repeats the client secret: %v", name, err)
		}
	}
	if _, err := loadConfig(envFrom(with("MENTORPULSE_OIDC_ISSUER", "http://127.0.0.1:5556/dex"))); err != nil {
		t.Errorf("a provider on this machine over http: %v", err)
	}
	if _, err := loadConfig(envFrom(with("MENTORPULSE_OIDC_ISSUER", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"))); err != nil {
		t.Errorf("a tenant's Entra ID issuer: %v", err)
	}
	google := with("MENTORPULSE_OIDC_ISSUER", "https://accounts.google.com")
	google["MENTORPULSE_OIDC_HOSTED_DOMAIN"] = "hospital.example"
	if c, err := loadConfig(envFrom(google)); err != nil || c.oidcConfig().HostedDomain != "hospital.example" {
		t.Errorf("Google with a hosted domain: %v", err)
	}
}
