// Package growth holds the use cases of a resident's growth loop: a
// self-assessment once per release window and up to three open goals, each
// private unless the resident shares it with their program's directors.
// Like accounts, each use case checks who may act (through accounts'
// access rules), validates its input, and makes its change and its audit
// entry in one transaction. It knows no HTTP.
//
// Nothing here is ever joined to a response, a link or a meeting, and no
// self-rating enters a mentee figure: the figures shown beside them are
// read from released reports only.
package growth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Service runs the growth use cases over a database, with access decided
// by the account service.
type Service struct {
	db  *models.DB
	acc *accounts.Service
}

// New builds the service.
func New(db *models.DB, acc *accounts.Service) *Service {
	return &Service{db: db, acc: acc}
}

// msgResidentsOnly is the refusal of a growth use case to anyone but a
// resident acting for themselves.
const msgResidentsOnly = "only residents keep self-assessments and goals; a program's directors see the goals and self-assessments their residents share with them"

// subject is the resident a use case is about, with their program and
// whether the actor is that resident.
type subject struct {
	user *models.User
	prog *models.Program
	self bool
}

// resident loads the resident a use case is about, through accounts'
// access rules: the resident, their program's directors and admins. Another
// program's resident is not_found; an account that is not a resident's is
// forbidden to its owner (the /me routes) and not_found to anyone else.
func (s *Service) resident(ctx context.Context, a accounts.Actor, residentID int64) (*subject, error) {
	u, err := s.acc.Resident(ctx, a, residentID)
	if surveys.ErrorCode(err) == surveys.EFORBIDDEN {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident and their program's directors may see a resident's goals and self-assessments")
	}
	if err != nil {
		return nil, err
	}
	self := a.User() != nil && a.User().ID == u.ID
	if u.Role != models.RoleResident || u.ProgramID == nil {
		if self {
			return nil, surveys.Errorf(surveys.EFORBIDDEN, msgResidentsOnly)
		}
		return nil, surveys.Errorf(surveys.ENOTFOUND, "resident %d does not exist", residentID)
	}
	prog, err := s.db.ProgramByID(ctx, *u.ProgramID)
	if err != nil {
		return nil, err
	}
	return &subject{user: u, prog: prog, self: self}, nil
}

// me is the signed-in resident acting for themselves.
func (s *Service) me(ctx context.Context, a accounts.Actor) (*subject, error) {
	u := a.User()
	switch {
	case u == nil && a.IsOperator():
		return nil, surveys.Errorf(surveys.EFORBIDDEN, msgResidentsOnly)
	case u == nil:
		return nil, surveys.Errorf(surveys.EUNAUTHORIZED, "sign in first")
	}
	return s.resident(ctx, a, u.ID)
}

// audit appends an entry on behalf of the actor; call it inside the
// transaction that makes the change.
func (s *Service) audit(ctx context.Context, a accounts.Actor, e models.AuditEntry) error {
	switch {
	case a.IsOperator():
		e.Actor = models.ActorOperator
	case a.User() != nil:
		id := a.User().ID
		e.ActorID = &id
	}
	return s.db.Audit(ctx, e)
}

// now is the database's clock, in UTC.
func (s *Service) now() time.Time { return s.db.Now().UTC() }

// today is the date of now, as YYYY-MM-DD.
func (s *Service) today() string { return s.now().Format(time.DateOnly) }

func userTarget(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

func goalTarget(id int64) string { return "goal:" + strconv.FormatInt(id, 10) }

func selfTarget(id int64) string { return "self_assessment:" + strconv.FormatInt(id, 10) }

func shareAction(shared bool, share, unshare string) string {
	if shared {
		return share
	}
	return unshare
}

// CurrentWindow is the release window of the resident's program that holds
// now.
func (s *Service) CurrentWindow(ctx context.Context, residentID int64) (surveys.Window, error) {
	u, err := s.db.ReportResident(ctx, residentID)
	if err != nil {
		return surveys.Window{}, err
	}
	prog, err := s.db.ProgramByID(ctx, *u.ProgramID)
	if err != nil {
		return surveys.Window{}, err
	}
	return prog.WindowOf(s.now()), nil
}

// window reads a window id of the program: the first month (YYYY-MM) of one
// of its release windows, or not_found saying how they are aligned.
func (s *Service) window(prog *models.Program, id string) (surveys.Window, error) {
	w, err := surveys.WindowOfMonth(id, prog.ReleaseWindow, prog.AcademicYearStartMonth)
	if err != nil || w.ID != id {
		return surveys.Window{}, surveys.Errorf(surveys.ENOTFOUND,
			"window %q does not exist: a window is named by its first month (YYYY-MM), and this program's %s windows start in %s",
			id, prog.ReleaseWindow, windowStarts(prog))
	}
	return w, nil
}

// windowStarts names the months the program's windows start in, from its
// academic year's start: "July, October, January and April".
func windowStarts(prog *models.Program) string {
	n := surveys.WindowMonths(prog.ReleaseWindow)
	if n == 0 {
		n = surveys.WindowMonths(surveys.DefaultWindow)
	}
	first := prog.AcademicYearStartMonth
	if first < 1 || first > 12 {
		first = surveys.DefaultAcademicYearStartMonth
	}
	var names []string
	for m := 0; m < 12; m += n {
		names = append(names, time.Month((first-1+m)%12+1).String())
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	out := ""
	for i, n := range names[:len(names)-1] {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return fmt.Sprintf("%s and %s", out, names[len(names)-1])
}

// lastDay is the last date of a window, as YYYY-MM-DD.
func lastDay(w surveys.Window) string { return w.End().AddDate(0, 0, -1).Format(time.DateOnly) }

// CheckResident refuses, with the use cases' own error, an actor who may
// not keep goals and self-assessments: anyone but a signed-in resident. A
// handler calls it before reading a body, so a director learns that first.
func (s *Service) CheckResident(ctx context.Context, a accounts.Actor) error {
	_, err := s.me(ctx, a)
	return err
}
