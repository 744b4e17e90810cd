package accounts_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
)

const baseURL = "https://feedback.example.org/"

// world is two programs with an admin, a director of each, two residents of
// A and one of B, on a fresh database.
type world struct {
	t                       *testing.T
	ctx                     context.Context
	db                      *models.DB
	svc                     *accounts.Service
	progA, progB            *models.Program
	admin, dirA, dirB       *models.User
	resA1, resA2, resB1     *models.User
	asAdmin, asDirA, asDirB accounts.Actor
	asResA1, asResA2        accounts.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	models.PasswordCost = bcrypt.MinCost
	w := &world{t: t, ctx: context.Background(), db: dbtest.New(t)}
	w.svc = accounts.New(w.db, accounts.Config{BaseURL: baseURL})
	w.progA = w.program("Medicine")
	w.progB = w.program("Surgery")
	w.admin = w.user("admin@example.org", models.RoleAdmin, nil, nil)
	w.dirA = w.user("dir.a@example.org", models.RoleDirector, &w.progA.ID, nil)
	w.dirB = w.user("dir.b@example.org", models.RoleDirector, &w.progB.ID, nil)
	pgy := 2
	w.resA1 = w.user("res.a1@example.org", models.RoleResident, &w.progA.ID, &pgy)
	w.resA2 = w.user("res.a2@example.org", models.RoleResident, &w.progA.ID, &pgy)
	w.resB1 = w.user("res.b1@example.org", models.RoleResident, &w.progB.ID, &pgy)
	w.asAdmin, w.asDirA, w.asDirB = w.actor(w.admin), w.actor(w.dirA), w.actor(w.dirB)
	w.asResA1, w.asResA2 = w.actor(w.resA1), w.actor(w.resA2)
	return w
}

func (w *world) program(name string) *models.Program {
	w.t.Helper()
	p := &models.Program{Name: name}
	if err := w.db.CreateProgram(w.ctx, p); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *world) user(email, role string, programID *int64, pgy *int) *models.User {
	w.t.Helper()
	u := &models.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, ProgramID: programID, PGYYear: pgy}
	if err := w.db.CreateUser(w.ctx, u); err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *world) actor(u *models.User) accounts.Actor {
	w.t.Helper()
	a, err := w.svc.SignedIn(w.ctx, u)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// audit returns the audit entries with an action, oldest first.
func (w *world) audit(action string) []models.AuditRow {
	w.t.Helper()
	rows, err := w.db.AuditLog(w.ctx, models.AuditFilter{Limit: 1000})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []models.AuditRow
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Action == action {
			out = append(out, rows[i])
		}
	}
	return out
}

// auditCount is the number of entries in the whole log.
func (w *world) auditCount() int {
	w.t.Helper()
	rows, err := w.db.AuditLog(w.ctx, models.AuditFilter{Limit: 1000})
	if err != nil {
		w.t.Fatal(err)
	}
	return len(rows)
}

// wantActor checks who an entry names.
func wantActor(t *testing.T, e models.AuditRow, a accounts.Actor) {
	t.Helper()
	switch {
	case a.IsOperator():
		if e.Actor != models.ActorOperator || e.ActorID != nil {
			t.Errorf("entry %s: actor %q, actor_id %v; want the operator and no user", e.Action, e.Actor, e.ActorID)
		}
	case e.ActorID == nil || *e.ActorID != a.User().ID || e.Actor != "":
		t.Errorf("entry %s: actor %q, actor_id %v; want user %d", e.Action, e.Actor, e.ActorID, a.User().ID)
	}
}

// wantFields checks a 422 by its JSON field names and messages.
func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if surveys.ErrorCode(err) != surveys.EINVALID {
		t.Fatalf("err = %v (code %q), want invalid", err, surveys.ErrorCode(err))
	}
	var ae *surveys.Error
	if !errors.As(err, &ae) {
		t.Fatalf("err %v is not an application error", err)
	}
	got := map[string]string{}
	for _, f := range ae.Fields {
		got[f.Field] = f.Message
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := surveys.ErrorCode(err); got != code {
		t.Fatalf("err = %v (code %q), want %q", err, got, code)
	}
}

func ptr[T any](v T) *T { return &v }

// failAudits makes every later audit write fail, to show that a use case's
// change does not outlive a failed audit entry.
func (w *world) failAudits() {
	w.t.Helper()
	sqlDB, err := w.db.SQL()
	if err != nil {
		w.t.Fatal(err)
	}
	stmts := []string{`CREATE TRIGGER audit_log_refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`}
	if os.Getenv(dbtest.EnvURL) != "" {
		stmts = []string{
			`CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
			`CREATE TRIGGER audit_log_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()`,
		}
	}
	for _, s := range stmts {
		if _, err := sqlDB.Exec(s); err != nil {
			w.t.Fatal(err)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mentee puts an address on a program's roster directly, with no audit
// entry.
func (w *world) mentee(p *models.Program, email, status string) *models.Mentee {
	w.t.Helper()
	m := &models.Mentee{ProgramID: p.ID, Email: email, Status: status}
	if err := w.db.CreateMentee(w.ctx, m); err != nil {
		w.t.Fatal(err)
	}
	return m
}

// wantNoAddress checks that an audit entry does not hold a mentee's address.
func wantNoAddress(t *testing.T, e models.AuditRow, email string) {
	t.Helper()
	if strings.Contains(e.Detail+e.Target, email) || strings.Contains(e.Detail+e.Target, strings.Split(email, "@")[0]) {
		t.Errorf("entry %s holds the mentee's address: %q %q", e.Action, e.Target, e.Detail)
	}
}
