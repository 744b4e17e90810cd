package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// Config is read from MENTORPULSE_* environment variables.
type Config struct {
	DatabaseURL string
	Addr        string
	// MetricsAddr is the metrics listener's address; empty is none.
	MetricsAddr     string
	BaseURL         string
	LogLevel        slog.Level
	LogFormat       string
	ShutdownTimeout time.Duration

	AdminEmail         string
	AdminPassword      string // never logged
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	LoginIPLimit       api.RateLimit
	LoginAccountLimit  api.RateLimit
	SurveyIPLimit      api.RateLimit
	TrustProxy         bool
	SMTPURL            string
	MailFrom           string
	SecretKey          string
	// AuditRetentionYears is how long audit entries are kept.
	AuditRetentionYears int
	// ClockOffset shifts the service's clock (tests and demos only).
	ClockOffset time.Duration
	// OIDC is the one single sign-on provider; the zero Issuer is none.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string // never logged
	OIDCName         string
	OIDCOnly         string
	OIDCACR          string
	OIDCHostedDomain string
}

// configVars documents every variable: name, default, meaning. The README
// table is written from the same facts.
var configVars = [][3]string{
	{"MENTORPULSE_DATABASE_URL", models.DefaultURL, "postgres://… or postgresql://… for PostgreSQL; sqlite:PATH (or sqlite::memory:) for the embedded SQLite"},
	{"MENTORPULSE_ADDR", "127.0.0.1:8080", "address serve listens on (this machine only by default: the demo's passwords are published; the container sets :8080)"},
	{"MENTORPULSE_METRICS_ADDR", "", "address of a separate listener serving Prometheus metrics at /metrics (e.g. 127.0.0.1:9090); unset: none. Never the public address"},
	{"MENTORPULSE_BASE_URL", "http://localhost:8080", "public origin that survey links are built on"},
	{"MENTORPULSE_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"MENTORPULSE_LOG_FORMAT", "text", "text or json"},
	{"MENTORPULSE_SHUTDOWN_TIMEOUT", "15s", "how long requests in flight may finish after SIGINT/SIGTERM"},
	{"MENTORPULSE_ADMIN_EMAIL", "", "first start only: email of the admin account to create (admin@localhost when unset)"},
	{"MENTORPULSE_ADMIN_PASSWORD", "", "first start only: that admin's password; unset prints a one-time set-password link to the log instead"},
	{"MENTORPULSE_SESSION_IDLE_TIMEOUT", "8h", "a session ends after this long without a request"},
	{"MENTORPULSE_SESSION_MAX_AGE", "168h", "a session ends this long after sign-in, whatever its use"},
	{"MENTORPULSE_LOGIN_RATE_LIMIT", "30/1m", "sign-in attempts per client IP: bursts of N, refilled at N per duration; off disables"},
	{"MENTORPULSE_LOGIN_ACCOUNT_RATE_LIMIT", "5/15m", "failed sign-in attempts per account, same form"},
	{"MENTORPULSE_SURVEY_RATE_LIMIT", "120/1m", "requests per client IP to the public survey endpoints (/s/…, /api/v1/surveys/…); off disables (load tests)"},
	{"MENTORPULSE_TRUST_PROXY", "false", "true behind a reverse proxy: take the client IP from X-Forwarded-For for rate limits"},
	{"MENTORPULSE_SMTP_URL", "", "smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (implicit TLS); unset: emails are written to the log"},
	{"MENTORPULSE_MAIL_FROM", delivery.DefaultFrom, "sender of survey emails"},
	{"MENTORPULSE_SECRET_KEY", "", "at least 32 characters; seals links waiting for email and mentees' running sums of open groups (unset: keys generated into the database)"},
	{"MENTORPULSE_AUDIT_RETENTION_YEARS", "7", "years the audit log keeps an entry (at least 1); each program's data has its own retention_years"},
	{"MENTORPULSE_OIDC_ISSUER", "", "single sign-on: the OpenID Connect provider's issuer URL, your organisation's own (https://login.microsoftonline.com/TENANT/v2.0, https://ORG.okta.com; https://accounts.google.com with MENTORPULSE_OIDC_HOSTED_DOMAIN); register {BASE_URL}/auth/oidc/callback as its redirect URL. Unset: passwords only"},
	{"MENTORPULSE_OIDC_CLIENT_ID", "", "single sign-on: the client id the provider gave this service"},
	{"MENTORPULSE_OIDC_CLIENT_SECRET", "", "single sign-on: its client secret (never logged)"},
	{"MENTORPULSE_OIDC_NAME", "your organisation", "single sign-on: the provider's name on the sign-in button (\"Sign in with …\")"},
	{"MENTORPULSE_OIDC_ONLY", "none", "single sign-on: none (passwords accepted too), staff (directors and admins may not use passwords) or all (no one may)"},
	{"MENTORPULSE_OIDC_ACR", "", "single sign-on: an acr value that counts as a second factor (besides amr mfa or otp)"},
	{"MENTORPULSE_OIDC_HOSTED_DOMAIN", "", "single sign-on with Google: your Google Workspace domain; only accounts whose ID token has this hd claim sign in (required with https://accounts.google.com)"},
	{"MENTORPULSE_CLOCK_OFFSET", "", "testing only: a Go duration such as 2200h added to the clock of every time-based rule (release windows, link expiry, jobs); unset in production"},
}

func loadConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, cv := range configVars {
			if cv[0] == name {
				return cv[1]
			}
		}
		return ""
	}
	c := Config{
		DatabaseURL: get("MENTORPULSE_DATABASE_URL"),
		Addr:        get("MENTORPULSE_ADDR"),
		MetricsAddr: get("MENTORPULSE_METRICS_ADDR"),
		BaseURL:     strings.TrimRight(get("MENTORPULSE_BASE_URL"), "/"),
		LogFormat:   get("MENTORPULSE_LOG_FORMAT"),
		SMTPURL:     get("MENTORPULSE_SMTP_URL"),
		MailFrom:    get("MENTORPULSE_MAIL_FROM"),
		SecretKey:   get("MENTORPULSE_SECRET_KEY"),
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("MENTORPULSE_LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("MENTORPULSE_LOG_LEVEL: use debug, info, warn or error")
	}
	d, err := time.ParseDuration(get("MENTORPULSE_SHUTDOWN_TIMEOUT"))
	if err != nil {
		return c, fmt.Errorf("MENTORPULSE_SHUTDOWN_TIMEOUT: %q is not a duration like 15s", get("MENTORPULSE_SHUTDOWN_TIMEOUT"))
	}
	c.ShutdownTimeout = d
	c.AdminEmail = get("MENTORPULSE_ADMIN_EMAIL")
	c.AdminPassword = getenv("MENTORPULSE_ADMIN_PASSWORD") // not trimmed: spaces may be part of it
	for _, dv := range []struct {
		name string
		dst  *time.Duration
	}{{"MENTORPULSE_SESSION_IDLE_TIMEOUT", &c.SessionIdleTimeout}, {"MENTORPULSE_SESSION_MAX_AGE", &c.SessionMaxAge}} {
		if *dv.dst, err = time.ParseDuration(get(dv.name)); err != nil || *dv.dst <= 0 {
			return c, fmt.Errorf("%s: %q is not a positive duration like 8h", dv.name, get(dv.name))
		}
	}
	for _, rv := range []struct {
		name string
		dst  *api.RateLimit
	}{{"MENTORPULSE_LOGIN_RATE_LIMIT", &c.LoginIPLimit}, {"MENTORPULSE_LOGIN_ACCOUNT_RATE_LIMIT", &c.LoginAccountLimit}, {"MENTORPULSE_SURVEY_RATE_LIMIT", &c.SurveyIPLimit}} {
		if *rv.dst, err = api.ParseRateLimit(get(rv.name)); err != nil {
			return c, fmt.Errorf("%s: %w", rv.name, err)
		}
	}
	if c.TrustProxy, err = strconv.ParseBool(get("MENTORPULSE_TRUST_PROXY")); err != nil {
		return c, fmt.Errorf("MENTORPULSE_TRUST_PROXY: use true or false")
	}
	if c.AuditRetentionYears, err = strconv.Atoi(get("MENTORPULSE_AUDIT_RETENTION_YEARS")); err != nil {
		return c, fmt.Errorf("MENTORPULSE_AUDIT_RETENTION_YEARS: %q is not a whole number of years", get("MENTORPULSE_AUDIT_RETENTION_YEARS"))
	}
	c.OIDCIssuer, c.OIDCClientID, c.OIDCName = get("MENTORPULSE_OIDC_ISSUER"), get("MENTORPULSE_OIDC_CLIENT_ID"), get("MENTORPULSE_OIDC_NAME")
	c.OIDCClientSecret = getenv("MENTORPULSE_OIDC_CLIENT_SECRET") // not trimmed, like the admin password
	c.OIDCOnly, c.OIDCACR = get("MENTORPULSE_OIDC_ONLY"), get("MENTORPULSE_OIDC_ACR")
	c.OIDCHostedDomain = get("MENTORPULSE_OIDC_HOSTED_DOMAIN")
	if v := get("MENTORPULSE_CLOCK_OFFSET"); v != "" {
		if c.ClockOffset, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("MENTORPULSE_CLOCK_OFFSET: %q is not a duration like 2200h", v)
		}
	}
	return c, c.Validate()
}

// Validate checks combinations of settings.
func (c Config) Validate() error {
	if _, _, err := models.ParseURL(c.DatabaseURL); err != nil {
		return fmt.Errorf("MENTORPULSE_DATABASE_URL: %w", err)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("MENTORPULSE_BASE_URL: %q must be an origin like https://feedback.example.org", c.BaseURL)
	}
	if c.MetricsAddr != "" {
		if err := checkMetricsAddr(c.MetricsAddr, c.Addr); err != nil {
			return err
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("MENTORPULSE_LOG_FORMAT: use text or json")
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("MENTORPULSE_SHUTDOWN_TIMEOUT must be positive")
	}
	if c.AdminPassword != "" && c.AdminEmail == "" {
		return fmt.Errorf("MENTORPULSE_ADMIN_PASSWORD needs MENTORPULSE_ADMIN_EMAIL: say whose password it is")
	}
	if c.AdminEmail != "" {
		if _, err := models.NormalizeEmail(c.AdminEmail); err != nil {
			return fmt.Errorf("MENTORPULSE_ADMIN_EMAIL: %q is not an email address", c.AdminEmail)
		}
	}
	if c.SessionIdleTimeout > c.SessionMaxAge {
		return fmt.Errorf("MENTORPULSE_SESSION_IDLE_TIMEOUT (%s) must not exceed MENTORPULSE_SESSION_MAX_AGE (%s)", c.SessionIdleTimeout, c.SessionMaxAge)
	}
	if c.SMTPURL != "" {
		if _, err := delivery.NewSMTPMailer(c.SMTPURL); err != nil {
			return err
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("MENTORPULSE_MAIL_FROM: %q is not an address like \"Mentorpulse <feedback@example.org>\"", c.MailFrom)
	}
	if c.AuditRetentionYears < models.MinRetentionYears || c.AuditRetentionYears > models.MaxRetentionYears {
		return fmt.Errorf("MENTORPULSE_AUDIT_RETENTION_YEARS must be from %d to %d", models.MinRetentionYears, models.MaxRetentionYears)
	}
	if c.SecretKey != "" && len(c.SecretKey) < delivery.MinSecretLength {
		return fmt.Errorf("MENTORPULSE_SECRET_KEY must have at least %d characters (e.g. openssl rand -base64 32)", delivery.MinSecretLength)
	}
	return c.validateOIDC()
}

// validateOIDC checks the single sign-on settings: all or nothing of
// issuer, client id and secret, and an "only" mode that exists.
func (c Config) validateOIDC() error {
	switch c.OIDCOnly {
	case api.OIDCOnlyNone, api.OIDCOnlyStaff, api.OIDCOnlyAll:
	default:
		return fmt.Errorf("MENTORPULSE_OIDC_ONLY: use none, staff or all")
	}
	if c.OIDCIssuer == "" {
		if c.OIDCClientID != "" || c.OIDCClientSecret != "" || c.OIDCOnly != api.OIDCOnlyNone {
			return fmt.Errorf("MENTORPULSE_OIDC_CLIENT_ID, _CLIENT_SECRET and _ONLY need MENTORPULSE_OIDC_ISSUER")
		}
		return nil
	}
	u, err := url.Parse(c.OIDCIssuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
		return fmt.Errorf("MENTORPULSE_OIDC_ISSUER: %q must be an https:// URL (http:// only for a provider on this machine)", c.OIDCIssuer)
	}
	if c.OIDCClientID == "" || c.OIDCClientSecret == "" {
		return fmt.Errorf("MENTORPULSE_OIDC_ISSUER needs MENTORPULSE_OIDC_CLIENT_ID and MENTORPULSE_OIDC_CLIENT_SECRET")
	}
	// Accounts are matched by verified email alone, so an issuer that
	// signs in anyone's account would let a stranger who registered a
	// staff address there in as that member.
	tenant, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	switch {
	case strings.EqualFold(u.Hostname(), "accounts.google.com") && c.OIDCHostedDomain == "":
		return fmt.Errorf("MENTORPULSE_OIDC_ISSUER: Google's issuer signs in every Google account; set MENTORPULSE_OIDC_HOSTED_DOMAIN to your Google Workspace domain")
	case strings.EqualFold(u.Hostname(), "login.microsoftonline.com") && slices.Contains([]string{"common", "organizations", "consumers"}, strings.ToLower(tenant)):
		return fmt.Errorf("MENTORPULSE_OIDC_ISSUER: %q signs in accounts of every Microsoft tenant; use your tenant's issuer, https://login.microsoftonline.com/TENANT-ID/v2.0", c.OIDCIssuer)
	}
	return nil
}

// isLoopback says whether host is this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// oidcConfig is the HTTP layer's single sign-on configuration, nil when
// none is set. The key that signs the sign-in flow's cookie is derived from
// MENTORPULSE_SECRET_KEY, so every instance accepts the others' flows; the
// secret itself stays here.
func (c Config) oidcConfig() *api.OIDCConfig {
	if c.OIDCIssuer == "" {
		return nil
	}
	o := &api.OIDCConfig{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret,
		Name: c.OIDCName, Only: c.OIDCOnly, ACR: c.OIDCACR, HostedDomain: c.OIDCHostedDomain}
	if c.SecretKey != "" {
		m := hmac.New(sha256.New, []byte(c.SecretKey))
		m.Write([]byte("mentorpulse oidc flow key"))
		o.StateKey = m.Sum(nil)
	}
	return o
}

// checkMetricsAddr refuses a metrics address that is not host:port, or that
// could be the public listener's (the same port on the same or every
// interface): the metrics are for the operator, not for the internet.
func checkMetricsAddr(metricsAddr, addr string) error {
	mh, mp, err := net.SplitHostPort(metricsAddr)
	if err != nil || mp == "" {
		return fmt.Errorf("MENTORPULSE_METRICS_ADDR: %q is not an address like 127.0.0.1:9090", metricsAddr)
	}
	ah, ap, err := net.SplitHostPort(addr)
	if err != nil {
		return nil // MENTORPULSE_ADDR fails on its own when serve listens
	}
	every := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	if mp == ap && mp != "0" && (mh == ah || every(mh) || every(ah)) {
		return fmt.Errorf("MENTORPULSE_METRICS_ADDR (%s) must not be the public address MENTORPULSE_ADDR (%s): use another port", metricsAddr, addr)
	}
	return nil
}
