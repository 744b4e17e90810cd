package main

import (
	"context"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// newDelivery builds the email delivery service from the configuration: SMTP
// when MENTORPULSE_SMTP_URL is set, otherwise the log.
func newDelivery(ctx context.Context, e *env, db *models.DB) (*delivery.Service, error) {
	keys, err := delivery.LoadKeyring(ctx, db, e.cfg.SecretKey, e.log)
	if err != nil {
		return nil, err
	}
	cfg := delivery.Config{BaseURL: e.cfg.BaseURL, From: e.cfg.MailFrom, Keyring: keys, Logger: e.log}
	if e.cfg.ClockOffset != 0 {
		// Jobs fall due by the shifted clock too.
		cfg.Clock = func() time.Time { return db.Now() }
	}
	if e.cfg.SMTPURL != "" {
		m, err := delivery.NewSMTPMailer(e.cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		cfg.Mailer = m
		e.log.Debug("survey emails go through SMTP", "server", m.Addr())
	}
	return delivery.New(db, cfg)
}
