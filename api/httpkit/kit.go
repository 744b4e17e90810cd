// Package httpkit is what the JSON API (api) and the pages (api/web) share:
// the authenticated principal and CSRF, access checks, rate limits, the
// error handler that maps application errors to problems or pages, request
// decoding and validation, the request log and security headers. It imports
// neither api nor api/web.
package httpkit

import (
	"log/slog"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/metrics"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
)

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public origin survey links are built on, without a
	// trailing slash, e.g. https://feedback.example.org.
	BaseURL string
	// Logger receives one line per request and every internal error.
	Logger *slog.Logger

	// SessionIdleTimeout and SessionMaxAge end a session after this long
	// without a request, or this long after sign-in. Zero means 8 h and 7 days.
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	// LoginIPLimit and LoginAccountLimit bound sign-in attempts per client IP
	// and per account; SurveyIPLimit bounds requests per client IP to the
	// public survey endpoints (/s/… and /api/v1/surveys/…). The zero value
	// is no limit; cmd/mentorpulse sets the documented defaults.
	LoginIPLimit      RateLimit
	LoginAccountLimit RateLimit
	SurveyIPLimit     RateLimit
	// TrustProxy takes the client IP from X-Forwarded-For. Set it only behind
	// a reverse proxy that sets that header, or clients could pick their IP.
	TrustProxy bool
	// Delivery records meetings and emails their links. The meeting routes
	// are registered only when it is set.
	Delivery *delivery.Service
	// SecretKeySet says whether MENTORPULSE_SECRET_KEY is set, for the
	// System status page (the key itself never reaches the HTTP layer).
	SecretKeySet bool
	// Metrics receives the request counts and latencies; nil builds a
	// registry of the server's own (cmd/mentorpulse shares one with
	// delivery and serves it on MENTORPULSE_METRICS_ADDR).
	Metrics *metrics.Metrics
	// OIDC is the identity provider staff sign in through; nil is none
	// (passwords only). The /auth/oidc routes exist only when it is set.
	OIDC *OIDCConfig
}

// Kit is what the JSON API and the pages share: the database, the
// configuration, the logger, the account use cases and the rate limiters, with the middleware,
// access checks and request helpers built on them. api.Server and
// web.Server embed it.
type Kit struct {
	DB  *models.DB
	Cfg Config
	Log *slog.Logger
	// Accounts runs the account use cases and decides access, for the JSON
	// handlers and the pages alike.
	Accounts *accounts.Service
	// Growth runs the growth loop's use cases (goals, self-assessments).
	Growth *growth.Service
	// Metrics counts requests and submissions (Cfg.Metrics, or the
	// server's own registry).
	Metrics *metrics.Metrics
	// SSO runs single sign-on; nil when Cfg.OIDC is.
	SSO    *SSO
	limits *rateLimits
	after  *afterResponse
	// routingPage shows a browser's 404 or 405 for a path no route group
	// claims; nil until the pages are registered.
	routingPage PageRenderer
}

// ShowRoutingErrorsWith makes r the page a browser (Accept: text/html) sees
// for a path that matches no route, or a method the path does not take.
func (s *Kit) ShowRoutingErrorsWith(r PageRenderer) { s.routingPage = r }

// NewKit fills in the configuration's defaults and builds the limiters.
func NewKit(db *models.DB, cfg Config) *Kit {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New(db)
	}
	acfg := AccountsConfig(cfg.BaseURL, cfg.Delivery)
	acfg.SessionLimits = models.SessionLimits{Idle: cfg.SessionIdleTimeout, MaxAge: cfg.SessionMaxAge}
	acc := accounts.New(db, acfg)
	k := &Kit{DB: db, Cfg: cfg, Log: cfg.Logger, limits: newRateLimits(db, cfg), after: newAfterResponse(),
		Accounts: acc, Growth: growth.New(db, acc), Metrics: cfg.Metrics}
	if cfg.OIDC != nil {
		o := *cfg.OIDC
		if o.Name == "" {
			o.Name = DefaultOIDCName
		}
		if o.Only == "" {
			o.Only = OIDCOnlyNone
		}
		k.Cfg.OIDC = &o
		k.SSO = newSSO(&o, cfg.BaseURL, cfg.Logger)
	}
	return k
}

// DefaultOIDCName is the provider's name on the sign-in button when the
// operator gives none.
const DefaultOIDCName = "your organisation"

// AccountsConfig is the account use cases' configuration: new members'
// set-password links go by email when delivery sends to a mail server,
// and are shown once to whoever added them otherwise (no delivery, or
// emails written to the log).
func AccountsConfig(baseURL string, d *delivery.Service) accounts.Config {
	cfg := accounts.Config{BaseURL: baseURL}
	if d != nil {
		cfg.SecondFactorNotices = d
	}
	if d != nil && d.SendsMail() {
		cfg.SetupEmails = d
	}
	return cfg
}
