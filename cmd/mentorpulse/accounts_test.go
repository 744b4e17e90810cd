package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"golang.org/x/crypto/bcrypt"
)

func envFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestAccountSettingsFromEnvironment(t *testing.T) {
	c, err := loadConfig(envFrom(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SessionIdleTimeout != 8*time.Hour || c.SessionMaxAge != 7*24*time.Hour {
		t.Errorf("session defaults %s / %s, want 8h / 168h", c.SessionIdleTimeout, c.SessionMaxAge)
	}
	if c.SurveyIPLimit != (api.RateLimit{Events: 120, Per: time.Minute}) || c.LoginAccountLimit != (api.RateLimit{Events: 5, Per: 15 * time.Minute}) {
		t.Errorf("rate limit defaults: survey %s, account %s", c.SurveyIPLimit, c.LoginAccountLimit)
	}
	c, err = loadConfig(envFrom(map[string]string{"MENTORPULSE_SURVEY_RATE_LIMIT": "off", "MENTORPULSE_LOGIN_RATE_LIMIT": "1000/1s"}))
	if err != nil || c.SurveyIPLimit.Enabled() || c.LoginIPLimit != (api.RateLimit{Events: 1000, Per: time.Second}) {
		t.Errorf("off / 1000/1s: %+v, %v", c, err)
	}
	for name, vars := range map[string]map[string]string{
		"bad-rate":          {"MENTORPULSE_SURVEY_RATE_LIMIT": "fast"},
		"bad-idle":          {"MENTORPULSE_SESSION_IDLE_TIMEOUT": "soon"},
		"idle-over-max":     {"MENTORPULSE_SESSION_IDLE_TIMEOUT": "200h"},
		"password-no-email": {"MENTORPULSE_ADMIN_PASSWORD": "violet kettle marathon"},
		"bad-admin-email":   {"MENTORPULSE_ADMIN_EMAIL": "root"},
		"bad-trust-proxy":   {"MENTORPULSE_TRUST_PROXY": "maybe"},
	} {
		if _, err := loadConfig(envFrom(vars)); err == nil {
			t.Errorf("%s: accepted %v", name, vars)
		} else if strings.Contains(err.Error(), "violet kettle") {
			t.Errorf("%s: the error repeats the password: %v", name, err)
		}
	}
}

func bootstrapEnv(t *testing.T, vars map[string]string) (*env, *bytes.Buffer) {
	t.Helper()
	cfg, err := loadConfig(envFrom(vars))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	return &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, log: slog.New(slog.NewTextHandler(&logs, nil))}, &logs
}

func TestFirstStartCreatesTheAdminFromEnvironment(t *testing.T) {
	models.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	db := dbtest.New(t)
	e, logs := bootstrapEnv(t, map[string]string{"MENTORPULSE_ADMIN_EMAIL": "Root@Example.org", "MENTORPULSE_ADMIN_PASSWORD": "violet kettle marathon"})
	if err := bootstrapAdmin(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "root@example.org", "violet kettle marathon"); err != nil {
		t.Fatalf("the admin from the environment cannot sign in: %v", err)
	}
	if strings.Contains(logs.String(), "violet") || strings.Contains(logs.String(), "set-password") {
		t.Errorf("log shows the password or a link:\n%s", logs)
	}
	logs.Reset()
	if err := bootstrapAdmin(ctx, e, db); err != nil || logs.Len() != 0 {
		t.Errorf("second start with an admin: %v, logged %q", err, logs)
	}
}

func TestFirstStartWithoutPasswordLogsASetPasswordLink(t *testing.T) {
	models.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	db := dbtest.New(t)
	e, logs := bootstrapEnv(t, map[string]string{"MENTORPULSE_BASE_URL": "https://feedback.example.org"})
	if err := bootstrapAdmin(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https://feedback\.example\.org/set-password/([A-Za-z0-9_-]+)`).FindStringSubmatch(logs.String())
	if m == nil || !strings.Contains(logs.String(), models.DefaultAdminEmail) {
		t.Fatalf("no set-password link for %s in the log:\n%s", models.DefaultAdminEmail, logs)
	}
	if _, err := db.UsePasswordLink(ctx, m[1], "violet kettle marathon"); err != nil {
		t.Fatalf("the logged link does not work: %v", err)
	}
	if _, err := db.Authenticate(ctx, models.DefaultAdminEmail, "violet kettle marathon"); err != nil {
		t.Fatalf("the admin cannot sign in after setting a password: %v", err)
	}
}
