package main

import (
	"context"
	"os"
	"path/filepath"
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
	c.mustRun("mentee", "add", "--program", "Surgery", "--email", "Sam@Student.example", "--name", "Sam Lee")
	csv := filepath.Join(t.TempDir(), "mentees.csv")
	if err := os.WriteFile(csv, []byte("email,name\nkim@student.example,Kim\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.mustRun("mentees", "import", "--program", "Surgery", csv)
	c.mustRun("invite", "--resident", "res@example.org", "--mentee", "sam@student.example", "--count", "2")

	got := c.auditLog()
	want := []struct{ action, target, detail string }{
		{models.ActionProgramCreate, "program:", `name "Surgery", min_responses 6`},
		{models.ActionMemberCreate, "user:", `resident res@example.org "Dr. Res" PGY-2`},
		{models.ActionMemberCreate, "user:", `admin root@example.org "Root", password set`},
		{models.ActionMenteeCreate, "mentee:", "status active"},
		{models.ActionMenteeCreate, "mentee:", "import: status active"},
		{models.ActionMenteeImport, "program:", "created 1, updated 0, rows not applied 0"},
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
		if strings.Contains(e.Detail, "violet") || strings.Contains(strings.ToLower(e.Detail), "sam") || strings.Contains(e.Detail, "kim") {
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
		{"invite", "--resident", "root@example.org", "--mentee", "sam@student.example"},
		{"invite", "--resident", "res@example.org", "--mentee", "stranger@student.example"},
		{"invite", "--resident", "res@example.org"},
		{"mentee", "add", "--program", "Surgery", "--email", "res@example.org"},
	} {
		if _, _, err := c.run(args...); err == nil {
			t.Errorf("mentorpulse %s succeeded", strings.Join(args, " "))
		}
	}
	if after := len(c.auditLog()); after != before {
		t.Errorf("rejected commands wrote %d audit entries", after-before)
	}
}
