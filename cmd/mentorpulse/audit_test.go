package main

import (
	"context"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
)

// auditLog reads the CLI database's audit log, oldest first.
func (c *cli) auditLog() []models.AuditRow {
	c.t.Helper()
	rows, err := c.openDB().AuditLog(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		c.t.Fatal(err)
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

func TestOperatorCommandsAreAudited(t *testing.T) {
	c := newCLI(t)
	c.mustRun("program", "create", "--name", "Surgery", "--min-responses", "6")
	c.mustRun("user", "create", "--email", "res@example.org", "--name", "Dr. Res", "--role", "resident", "--program", "Surgery", "--pgy", "2")
	c.mustRun("user", "create", "--email", "root@example.org", "--name", "Root", "--role", "admin", "--password", "violet kettle marathon")
	c.mustRun("invite", "--resident", "res@example.org", "--count", "2")

	got := c.auditLog()
	want := []struct{ action, target, detail string }{
		{models.ActionProgramCreate, "program:", `name "Surgery", min_responses 6`},
		{models.ActionMemberCreate, "user:", `resident res@example.org "Dr. Res" PGY-2`},
		{models.ActionMemberCreate, "user:", `admin root@example.org "Root", password set`},
		{models.ActionInvitationCreate, "user:", "survey link"},
		{models.ActionInvitationCreate, "user:", "survey link"},
	}
	if len(got) != len(want) {
		t.Fatalf("audit log has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		if e.Action != w.action || !strings.HasPrefix(e.Target, w.target) || e.Detail != w.detail {
			t.Errorf("entry %d: %s %s %q, want %s %s… %q", i, e.Action, e.Target, e.Detail, w.action, w.target, w.detail)
		}
		if e.Actor != models.ActorOperator || e.ActorID != nil || e.ActorEmail != nil {
			t.Errorf("entry %d (%s): actor %q, actor_id %v; want the operator", i, e.Action, e.Actor, e.ActorID)
		}
		if strings.Contains(e.Detail, "violet") {
			t.Errorf("entry %d shows the password: %q", i, e.Detail)
		}
	}
}

func TestRejectedOperatorCommandsWriteNoAudit(t *testing.T) {
	c := newCLI(t)
	c.seedResident()
	before := len(c.auditLog())
	for _, args := range [][]string{
		{"program", "create", "--name", "Low", "--min-responses", "2"},
		{"program", "create", "--name", "surgery"},
		{"user", "create", "--email", "x@example.org", "--name", "X", "--role", "admin", "--password", "short"},
		{"user", "create", "--email", "RES@example.org", "--name", "X", "--role", "admin"},
		{"user", "create", "--email", "not-an-email", "--name", "X", "--role", "admin"},
		{"invite", "--resident", "root@example.org"},
	} {
		if _, _, err := c.run(args...); err == nil {
			t.Errorf("mentorpulse %s succeeded", strings.Join(args, " "))
		}
	}
	if after := len(c.auditLog()); after != before {
		t.Errorf("rejected commands wrote %d audit entries", after-before)
	}
}
