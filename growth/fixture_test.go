package growth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
)

// world is two programs (quarterly windows from July, the default) with an
// admin, a director of each, two residents of A and one of B, on a fresh
// database whose clock the test sets.
type world struct {
	t                       testing.TB
	ctx                     context.Context
	db                      *models.DB
	acc                     *accounts.Service
	svc                     *growth.Service
	now                     time.Time
	progA, progB            *models.Program
	admin, dirA, dirB       *models.User
	resA1, resA2, resB1     *models.User
	asAdmin, asDirA, asDirB accounts.Actor
	asResA1, asResA2        accounts.Actor
}

func newWorld(t testing.TB) *world {
	t.Helper()
	models.PasswordCost = bcrypt.MinCost
	w := &world{t: t, ctx: context.Background(), db: dbtest.New(t), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w.db.Now = func() time.Time { return w.now }
	w.acc = accounts.New(w.db, accounts.Config{BaseURL: "https://feedback.example.org"})
	w.svc = growth.New(w.db, w.acc)
	w.progA, w.progB = w.program("Medicine"), w.program("Surgery")
	w.admin = w.user("admin@example.org", models.RoleAdmin, nil)
	w.dirA = w.user("dir.a@example.org", models.RoleDirector, &w.progA.ID)
	w.dirB = w.user("dir.b@example.org", models.RoleDirector, &w.progB.ID)
	w.resA1 = w.user("res.a1@example.org", models.RoleResident, &w.progA.ID)
	w.resA2 = w.user("res.a2@example.org", models.RoleResident, &w.progA.ID)
	w.resB1 = w.user("res.b1@example.org", models.RoleResident, &w.progB.ID)
	w.asAdmin, w.asDirA, w.asDirB = w.actor(w.admin), w.actor(w.dirA), w.actor(w.dirB)
	w.asResA1, w.asResA2 = w.actor(w.resA1), w.actor(w.resA2)
	return w
}

func (w *world) program(name string) *models.Program {
	w.t.Helper()
	p := &models.Program{Name: name, MinResponses: 3}
	if err := w.db.CreateProgram(w.ctx, p); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *world) user(email, role string, programID *int64) *models.User {
	w.t.Helper()
	u := &models.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, ProgramID: programID}
	if role == models.RoleResident {
		u.PGYYear = new(2)
	}
	if err := w.db.CreateUser(w.ctx, u); err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *world) actor(u *models.User) accounts.Actor {
	w.t.Helper()
	a, err := w.acc.SignedIn(w.ctx, u)
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

// answer records n mentees' answers about a resident at the world's
// clock, every item rated v.
func (w *world) answer(res *models.User, n, v int) {
	w.t.Helper()
	for j := range n {
		mentee := res.ID*1000 + int64(j)
		inv, err := w.db.CreateInvitation(w.ctx, models.NewInvitation{ResidentID: res.ID, MenteeID: &mentee})
		if err != nil {
			w.t.Fatal(err)
		}
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for k, it := range surveys.Default().Items {
			x := v - k%2
			sub.Answers[it.Key] = &x
		}
		if err := w.db.SubmitResponse(w.ctx, inv.Token, surveys.Default(), sub); err != nil {
			w.t.Fatal(err)
		}
	}
}

// release runs the release job at the world's clock.
func (w *world) release() {
	w.t.Helper()
	if _, err := w.db.ReleaseClosedWindows(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// ratings rates every default item v.
func ratings(v int) map[string]*int {
	out := map[string]*int{}
	for _, it := range surveys.Default().Items {
		out[it.Key] = new(v)
	}
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if surveys.ErrorCode(err) != code {
		t.Fatalf("err = %v (code %q), want %s", err, surveys.ErrorCode(err), code)
	}
}

// fieldsOf maps a 422's fields to their messages.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	wantCode(t, err, surveys.EINVALID)
	var ae *surveys.Error
	if !errors.As(err, &ae) {
		t.Fatalf("err %v is not an application error", err)
	}
	got := map[string]string{}
	for _, f := range ae.Fields {
		got[f.Field] = f.Message
	}
	return got
}

func goalInput(key string) growth.GoalInput {
	return growth.GoalInput{Target: surveys.GoalTarget{Kind: surveys.TargetAttribute, Key: key},
		Text: "Make room for questions at the end of every meeting.", Actions: []string{"Ask what is left before we finish"}}
}

func fmtIDs(gs []growth.Goal) string {
	var ids []string
	for _, g := range gs {
		ids = append(ids, fmt.Sprint(g.ID))
	}
	return strings.Join(ids, ",")
}

func itoa(n int64) string { return fmt.Sprint(n) }
