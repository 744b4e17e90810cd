package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestInvitePrintsOnlyWorkingURLs(t *testing.T) {
	c := newCLI(t)
	if out := c.mustRun("program", "create", "--name", "Surgery"); !strings.Contains(out, `created program`) || !strings.Contains(out, `"Surgery"`) {
		t.Errorf("program create printed %q", out)
	}
	out := c.mustRun("user", "create", "--email", "Res@Example.org", "--name", "Dr. Res", "--role", "resident", "--program", "surgery", "--pgy", "2")
	if !strings.Contains(out, "created resident") || !strings.Contains(out, "res@example.org") {
		t.Errorf("user create printed %q", out)
	}

	c.mustRun("mentee", "add", "--program", "surgery", "--email", "sam@student.example")
	stdout, _, err := c.run("invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--count", "3", "--meeting-date", "2026-12-01")
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasSuffix(stdout, "\n") {
		t.Fatalf("invite --count 3 printed %q, want exactly three lines", stdout)
	}
	urlRE := regexp.MustCompile(`^http://localhost:8080/s/[A-Za-z0-9_-]{43}$`)
	seen := map[string]bool{}
	for _, line := range lines {
		if !urlRE.MatchString(line) {
			t.Fatalf("invite printed %q, want only survey URLs", line)
		}
		if seen[line] {
			t.Errorf("URL %s printed twice", line)
		}
		seen[line] = true
		u, _ := url.Parse(line)
		if rec := c.get(u.Path); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Dr. Res") {
			t.Errorf("GET %s: status %d, want 200 with the resident's name", u.Path, rec.Code)
		}
		rec := c.get("/api/v1/surveys/" + strings.TrimPrefix(u.Path, "/s/"))
		var view struct {
			MeetingDate string `json:"meeting_date"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &view); err != nil || view.MeetingDate != "2026-12-01" {
			t.Errorf("link meeting_date = %q (%v), want 2026-12-01", view.MeetingDate, err)
		}
	}
}

func TestInviteUsesBaseURL(t *testing.T) {
	c := newCLI(t)
	c.seedResident()
	c.env["MENTORPULSE_BASE_URL"] = "https://feedback.example.org/"
	out := c.mustRun("invite", "--resident", "res@example.org", "--mentee", "sam@student.example")
	if !regexp.MustCompile(`^https://feedback\.example\.org/s/[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Errorf("invite printed %q, want one URL on the configured origin", out)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"serve", "--help"}, {"migrate", "--help"}, {"demo", "--help"},
		{"program", "--help"}, {"program", "create", "--help"},
		{"user", "--help"}, {"user", "create", "-h"},
		{"invite", "--help"}, {"mail", "--help"}, {"mail", "test", "--help"},
	} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			out, _, err := c.run(args...)
			if err != nil {
				t.Fatalf("mentorpulse %s: %v", name, err)
			}
			if !strings.Contains(out, "Usage: mentorpulse") {
				t.Errorf("mentorpulse %s printed %q, want usage", name, out)
			}
		})
	}
	// Help touches no database: a SQLite file is not even created.
	if path, ok := strings.CutPrefix(c.dbURL, "sqlite:"); ok {
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("--help created the database file %s (stat: %v)", path, err)
		}
	}
}

func TestBadInputIsOneLineError(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantUsage bool   // a command-line mistake (exit status 2)
		wantText  string // the message names the problem
	}{
		{name: "bad-unknown-command", args: []string{"frobnicate"}, wantUsage: true, wantText: "frobnicate"},
		{name: "bad-program-without-subcommand", args: []string{"program"}, wantUsage: true, wantText: "program create"},
		{name: "bad-program-create-missing-name", args: []string{"program", "create"}, wantUsage: true, wantText: "--name"},
		{name: "bad-user-create-missing-email", args: []string{"user", "create", "--name", "X", "--role", "admin"}, wantUsage: true, wantText: "--email"},
		{name: "bad-user-create-role", args: []string{"user", "create", "--email", "x@example.org", "--name", "X", "--role", "mentor"}, wantUsage: true, wantText: "--role"},
		{name: "bad-user-create-pgy", args: []string{"user", "create", "--email", "x@example.org", "--name", "X", "--role", "resident", "--program", "Surgery", "--pgy", "9"}, wantUsage: true, wantText: "--pgy"},
		{name: "bad-user-create-email", args: []string{"user", "create", "--email", "not-an-email", "--name", "X", "--role", "admin"}, wantText: "email: must be an email address"},
		{name: "bad-user-create-unknown-program", args: []string{"user", "create", "--email", "x@example.org", "--name", "X", "--role", "resident", "--program", "Nowhere"}, wantText: "Nowhere"},
		{name: "bad-user-create-short-password", args: []string{"user", "create", "--email", "x@example.org", "--name", "X", "--role", "admin", "--password", "short"}, wantText: "12 characters"},
		{name: "bad-user-create-duplicate-email", args: []string{"user", "create", "--email", "RES@example.org", "--name", "X", "--role", "admin"}, wantText: "already exists"},
		{name: "bad-invite-missing-resident", args: []string{"invite"}, wantUsage: true, wantText: "--resident"},
		{name: "bad-invite-meeting-date", args: []string{"invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--meeting-date", "01/12/2026"}, wantUsage: true, wantText: "01/12/2026"},
		{name: "bad-invite-count-zero", args: []string{"invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--count", "0"}, wantUsage: true, wantText: "--count"},
		{name: "bad-invite-expires-in", args: []string{"invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--expires-in", "soon"}, wantUsage: true, wantText: "expires-in"},
		{name: "bad-invite-unknown-resident", args: []string{"invite", "--resident", "nobody@example.org", "--mentee", "sam@student.example"}, wantText: "nobody@example.org"},
		{name: "bad-invite-not-a-resident", args: []string{"invite", "--resident", "admin@example.org", "--mentee", "sam@student.example"}, wantText: "not a resident"},
		{name: "bad-stray-argument", args: []string{"migrate", "now"}, wantUsage: true, wantText: "now"},
		{name: "bad-unknown-flag", args: []string{"invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--colour", "red"}, wantUsage: true, wantText: "colour"},
		{name: "bad-database-url", env: map[string]string{"MENTORPULSE_DATABASE_URL": "mysql://root:hunter2@db/x"}, args: []string{"migrate"}, wantText: "MENTORPULSE_DATABASE_URL"},
		{name: "bad-base-url", env: map[string]string{"MENTORPULSE_BASE_URL": "feedback.example.org"}, args: []string{"invite", "--resident", "res@example.org", "--mentee", "sam@student.example"}, wantText: "MENTORPULSE_BASE_URL"},
		{name: "bad-log-format", env: map[string]string{"MENTORPULSE_LOG_FORMAT": "xml"}, args: []string{"migrate"}, wantText: "MENTORPULSE_LOG_FORMAT"},
		{name: "bad-shutdown-timeout", env: map[string]string{"MENTORPULSE_SHUTDOWN_TIMEOUT": "a while"}, args: []string{"serve"}, wantText: "MENTORPULSE_SHUTDOWN_TIMEOUT"},
		{name: "bad-metrics-addr-is-the-public-port", env: map[string]string{"MENTORPULSE_METRICS_ADDR": "0.0.0.0:8080"}, args: []string{"serve"}, wantText: "MENTORPULSE_METRICS_ADDR"},
		{name: "bad-metrics-addr-no-port", env: map[string]string{"MENTORPULSE_METRICS_ADDR": "localhost"}, args: []string{"serve"}, wantText: "MENTORPULSE_METRICS_ADDR"},
	}
	c := newCLI(t)
	c.seedResident()
	c.mustRun("user", "create", "--email", "admin@example.org", "--name", "Admin", "--role", "admin")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := c.env
			c.env = map[string]string{}
			for k, v := range saved {
				c.env[k] = v
			}
			for k, v := range tt.env {
				c.env[k] = v
			}
			defer func() { c.env = saved }()
			stdout, _, err := c.run(tt.args...)
			if err == nil {
				t.Fatalf("mentorpulse %s succeeded; stdout %q", strings.Join(tt.args, " "), stdout)
			}
			msg := errorLine(err)
			if msg == "" || strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine ") {
				t.Errorf("error is not one line: %q", msg)
			}
			if code, _, _ := strings.Cut(msg, ":"); slices.Contains([]string{"invalid", "not_found", "conflict", "internal"}, code) {
				t.Errorf("error %q starts with an application code", msg)
			}
			if !strings.Contains(msg, tt.wantText) {
				t.Errorf("error %q does not mention %q", msg, tt.wantText)
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q shows a password", msg)
			}
			var ue usageError
			if isUsage := errors.As(err, &ue); isUsage != tt.wantUsage {
				t.Errorf("usage error = %v, want %v (exit status 2 for command-line mistakes)", isUsage, tt.wantUsage)
			}
			if stdout != "" && !strings.HasPrefix(stdout, "Usage") {
				t.Errorf("a failed command printed to stdout: %q", stdout)
			}
		})
	}
	// None of the failures created a link.
	db := c.openDB()
	u, err := db.UserByEmail(context.Background(), "res@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if links, err := db.ListInvitations(context.Background(), models.InvitationFilter{ResidentID: u.ID}); err != nil || len(links) != 0 {
		t.Errorf("failed commands left %d links (%v), want 0", len(links), err)
	}
}

func TestErrorLine(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"line-app-error-by-message", surveys.Errorf(surveys.ENOTFOUND, "no user has email %s", "x@example.org"), "no user has email x@example.org"},
		{"line-wrapped-app-error-keeps-context", fmt.Errorf("demo response: %w", surveys.Errorf(surveys.EGONE, "closed")), "demo response: closed"},
		{"line-fields-listed", surveys.Invalid("the user is not valid", []surveys.FieldError{{Field: "name", Message: "a name is required"}}), "the user is not valid; name: a name is required"},
		{"line-multiline-joined", errors.New("migration 0002_x: boom\nin statement:\nCREATE TABLE x"), "migration 0002_x: boom in statement: CREATE TABLE x"},
		{"line-usage-error-as-is", usageError{"invite: --count must be from 1 to 1000"}, "invite: --count must be from 1 to 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorLine(tt.err); got != tt.want {
				t.Errorf("errorLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// Help is read once: a command that prints its usage twice buries the flags
// under a repeat, and scripts that capture it get doubled text.
func TestHelpPrintsUsageOnce(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"--help"},
		{"serve", "--help"}, {"migrate", "--help"}, {"demo", "--help"}, {"healthcheck", "--help"},
		{"program", "--help"}, {"program", "create", "--help"},
		{"user", "--help"}, {"user", "create", "-h"},
		{"invite", "--help"},
		{"meetings", "--help"}, {"meetings", "import", "--help"}, {"meetings", "import", "-h"},
	} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			out, _, err := c.run(args...)
			if err != nil {
				t.Fatalf("mentorpulse %s: %v", name, err)
			}
			if n := strings.Count(out, "Usage: mentorpulse"); n != 1 {
				t.Errorf("mentorpulse %s printed its usage %d times, want once:\n%s", name, n, out)
			}
		})
	}
}
