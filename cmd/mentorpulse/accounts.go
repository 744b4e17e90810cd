package main

import (
	"context"
	"errors"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// apiConfig is the HTTP layer's configuration.
func apiConfig(e *env) api.Config {
	return api.Config{
		BaseURL:            e.cfg.BaseURL,
		Logger:             e.log,
		SessionIdleTimeout: e.cfg.SessionIdleTimeout,
		SessionMaxAge:      e.cfg.SessionMaxAge,
		LoginIPLimit:       e.cfg.LoginIPLimit,
		LoginAccountLimit:  e.cfg.LoginAccountLimit,
		SurveyIPLimit:      e.cfg.SurveyIPLimit,
		TrustProxy:         e.cfg.TrustProxy,
		SecretKeySet:       e.cfg.SecretKey != "",
		OIDC:               e.cfg.oidcConfig(),
	}
}

// bootstrapAdmin makes sure someone can administer a new installation. With
// MENTORPULSE_ADMIN_EMAIL and MENTORPULSE_ADMIN_PASSWORD it creates that
// admin; without a password it logs a one-time set-password link, the one
// secret this service ever writes to its log, because on first start there
// is no one else to give it to. The password itself is never logged.
func bootstrapAdmin(ctx context.Context, e *env, db *models.DB) error {
	b, err := db.EnsureAdmin(ctx, e.cfg.AdminEmail, e.cfg.AdminPassword)
	if err != nil {
		return err
	}
	switch {
	case b.Email == "":
	case b.SetupToken == "":
		e.log.Info("created the first administrator account", "email", b.Email)
	default:
		e.log.Warn("no administrator can sign in yet: open this one-time link within 7 days to set the admin password",
			"email", b.Email, "url", surveys.SetPasswordURL(e.cfg.BaseURL, b.SetupToken))
	}
	return nil
}

// sweepSessions deletes expired sessions and pending sign-ins hourly.
// Both are refused anyway; this only keeps the tables small.
func sweepSessions(ctx context.Context, e *env, db *models.DB) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	lim := models.SessionLimits{Idle: e.cfg.SessionIdleTimeout, MaxAge: e.cfg.SessionMaxAge}
	for {
		if n, err := db.DeleteExpiredSessions(ctx, lim); err != nil && !errors.Is(err, context.Canceled) {
			e.log.Warn("delete expired sessions", "err", err)
		} else if n > 0 {
			e.log.Debug("deleted expired sessions", "count", n)
		}
		if n, err := db.DeleteExpiredPendingSignIns(ctx); err != nil && !errors.Is(err, context.Canceled) {
			e.log.Warn("delete expired pending sign-ins", "err", err)
		} else if n > 0 {
			e.log.Debug("deleted expired pending sign-ins", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
