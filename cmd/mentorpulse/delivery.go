package main

import (
	"context"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// newDelivery builds the email delivery service from the configuration: SMTP
// when MENTORPULSE_SMTP_URL is set (the mailer is returned too), otherwise
// the log. obs, when not nil, counts its emails and releases.
func newDelivery(ctx context.Context, e *env, db *models.DB, obs delivery.Observer) (*delivery.Service, *delivery.SMTPMailer, error) {
	keys, err := delivery.LoadKeyring(ctx, db, e.cfg.SecretKey, e.log)
	if err != nil {
		return nil, nil, err
	}
	cfg := delivery.Config{BaseURL: e.cfg.BaseURL, From: e.cfg.MailFrom, Keyring: keys, Logger: e.log,
		AuditRetentionYears: e.cfg.AuditRetentionYears, Observer: obs}
	if e.cfg.ClockOffset != 0 {
		// Jobs fall due by the shifted clock too.
		cfg.Clock = func() time.Time { return db.Now() }
	}
	var smtp *delivery.SMTPMailer
	if e.cfg.SMTPURL != "" {
		if smtp, err = delivery.NewSMTPMailer(e.cfg.SMTPURL); err != nil {
			return nil, nil, err
		}
		cfg.Mailer = smtp
	}
	svc, err := delivery.New(db, cfg)
	return svc, smtp, err
}

// mailCheckTimeout bounds the check of the mail server at start.
const mailCheckTimeout = 30 * time.Second

// checkMail tries the mail server once at start (connect, EHLO, STARTTLS,
// AUTH) and says in one line what it found: a WARN when it fails, so that a
// wrong MENTORPULSE_SMTP_URL shows at once rather than after hours of
// retries. It never stops the service: surveys need no mail.
func checkMail(ctx context.Context, e *env, m *delivery.SMTPMailer) {
	if m == nil {
		e.log.Info("no mail server configured: survey and password emails are written to this log, not sent (set MENTORPULSE_SMTP_URL)")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, mailCheckTimeout)
	defer cancel()
	if err := m.Check(ctx); err != nil {
		e.log.Warn("mail server check failed: emails will not go out until MENTORPULSE_SMTP_URL or the server is fixed",
			"server", m.Addr(), "err", err)
		return
	}
	e.log.Info("mail server ready", "server", m.Addr())
}
