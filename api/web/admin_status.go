package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
)

// adminStatusData is the System status page: what an operator checks first
// when something seems wrong. It shows no secret, only whether one is set.
type adminStatusData struct {
	Nav              *navView
	Engine           string
	MigrationVersion int
	// Backlog counts jobs waiting for a worker or a retry; Scheduled those
	// due later (reminders).
	Backlog, Scheduled int64
	// OldestKind and OldestWait describe the job that has waited longest
	// since it fell due; empty when none waits.
	OldestKind, OldestWait string
	// Delivery is false when the service runs without its job queue.
	Delivery bool
	Mail     delivery.MailStatus
	// SecretKeySet says whether MENTORPULSE_SECRET_KEY is set.
	SecretKeySet bool
	BaseURL      string
	// Test is the test email form; TestResult its outcome once sent.
	Test       formState
	TestResult *delivery.TestEmailResult
}

var testEmailFields = []formField{{Name: "to", ID: "test-to", Label: "Address"}}

func (s *Server) adminStatusPage(c echo.Context) error {
	return s.renderStatus(c, http.StatusOK, adminStatusData{})
}

func (s *Server) renderStatus(c echo.Context, status int, d adminStatusData) error {
	ctx := c.Request().Context()
	var err error
	if d.MigrationVersion, err = s.DB.MigrationVersion(ctx); err != nil {
		return err
	}
	counts, err := s.DB.JobCounts(ctx)
	if err != nil {
		return err
	}
	for _, jc := range counts {
		switch jc.State {
		case "available", "running", "retryable":
			d.Backlog += jc.Count
		case "scheduled":
			d.Scheduled += jc.Count
		}
	}
	at, kind, ok, err := s.DB.OldestDueJob(ctx)
	if err != nil {
		return err
	}
	if ok {
		d.OldestKind, d.OldestWait = kind, waited(s.DB.Now().Sub(at))
	}
	d.Nav, d.Engine, d.BaseURL, d.SecretKeySet = s.nav(c), engineName(s.DB.Dialect), s.Cfg.BaseURL, s.Cfg.SecretKeySet
	if s.Cfg.Delivery != nil {
		d.Delivery = true
		d.Mail = s.Cfg.Delivery.MailStatus(context.WithoutCancel(ctx))
	}
	return s.renderPage(c, status, "admin_status", d)
}

// testEmailForm sends a test email to the address the admin typed and
// shows the outcome on the page. The address is not kept: not in the
// audit entry, not in a redirect.
func (s *Server) testEmailForm(c echo.Context) error {
	d := adminStatusData{Test: formState{Values: formValues(c, "to")}}
	res, err := s.Cfg.Delivery.SendTestEmail(c.Request().Context(), delivery.TestEmail{
		By: httpkit.ActorOf(c).AuditBy(), To: c.FormValue("to"),
	})
	if err != nil {
		if !failForm(&d.Test, err, testEmailFields, "") {
			return err
		}
		return s.renderStatus(c, http.StatusUnprocessableEntity, d)
	}
	d.TestResult = &res
	return s.renderStatus(c, http.StatusOK, d)
}

// engineName is the database engine as people call it.
func engineName(dialect string) string {
	if dialect == models.Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// waited says a duration roughly, in the largest unit that fits.
func waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
