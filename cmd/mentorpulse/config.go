package main

import (
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// Config is read from MENTORPULSE_* environment variables.
type Config struct {
	DatabaseURL     string
	Addr            string
	BaseURL         string
	LogLevel        slog.Level
	LogFormat       string
	ShutdownTimeout time.Duration
	SMTPURL         string
	MailFrom        string
	SecretKey       string
}

// configVars documents every variable: name, default, meaning. The README
// table is written from the same facts.
var configVars = [][3]string{
	{"MENTORPULSE_DATABASE_URL", models.DefaultURL, "postgres://… or postgresql://… for PostgreSQL; sqlite:PATH (or sqlite::memory:) for the embedded SQLite"},
	{"MENTORPULSE_ADDR", ":8080", "address serve listens on"},
	{"MENTORPULSE_BASE_URL", "http://localhost:8080", "public origin that survey links are built on"},
	{"MENTORPULSE_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"MENTORPULSE_LOG_FORMAT", "text", "text or json"},
	{"MENTORPULSE_SHUTDOWN_TIMEOUT", "15s", "how long requests in flight may finish after SIGINT/SIGTERM"},
	{"MENTORPULSE_SMTP_URL", "", "smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (implicit TLS); unset: emails are written to the log"},
	{"MENTORPULSE_MAIL_FROM", delivery.DefaultFrom, "sender of survey emails"},
	{"MENTORPULSE_SECRET_KEY", "", "at least 32 characters; seals links waiting for email (unset: a key generated into the database)"},
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
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("MENTORPULSE_LOG_FORMAT: use text or json")
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("MENTORPULSE_SHUTDOWN_TIMEOUT must be positive")
	}
	if c.SMTPURL != "" {
		if _, err := delivery.NewSMTPMailer(c.SMTPURL); err != nil {
			return err
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("MENTORPULSE_MAIL_FROM: %q is not an address like \"Mentorpulse <feedback@example.org>\"", c.MailFrom)
	}
	if c.SecretKey != "" && len(c.SecretKey) < delivery.MinSecretLength {
		return fmt.Errorf("MENTORPULSE_SECRET_KEY must have at least %d characters (e.g. openssl rand -base64 32)", delivery.MinSecretLength)
	}
	return nil
}
