package accounts

import (
	"context"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Access levels for Program and User.
const (
	View   = false // see the resource
	Manage = true  // change it: admins and the program's directors
)

// Access is decided here and only here. A resource of a program the actor
// does not belong to answers exactly like one that does not exist
// (not_found), so nobody can probe which ids exist; a member who may only
// look, asking to manage, is forbidden.

func errSignIn() error { return surveys.Errorf(surveys.EUNAUTHORIZED, "sign in first") }

// Program loads a program the actor may see, or manage when manage is set.
func (s *Service) Program(ctx context.Context, a Actor, programID int64, manage bool) (*models.Program, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if !a.Member(programID) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	prog, err := s.db.ProgramByID(ctx, programID)
	if err != nil {
		return nil, err
	}
	if manage && !a.Manages(programID) {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this program")
	}
	return prog, nil
}

// User loads a user the actor may see: themselves, anyone for an admin, or
// someone sharing one of their programs; anyone else is not_found. To
// manage (change, deactivate, issue a password link), see
// Actor.ManagesAccount; a user the actor may see but not manage is
// forbidden.
func (s *Service) User(ctx context.Context, a Actor, userID int64, manage bool) (*models.User, error) {
	u, programs, _, err := s.userRelation(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	if manage && !a.ManagesAccount(u, programs) {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this account")
	}
	return u, nil
}

// ManagesAccount reports whether the actor may change an account that
// belongs to programs (models.DB.UserPrograms): an admin or the operator
// any account; a director their own, and a resident all of whose programs
// they lead; nobody else. Staff accounts (directors, admins) are the
// admins' alone: a director who could set a co-director's password could
// sign in as them and read the programs only the co-director leads.
func (a Actor) ManagesAccount(u *models.User, programs []int64) bool {
	switch {
	case a.Admin():
		return true
	case a.user == nil || a.user.Role != models.RoleDirector:
		return false
	case a.is(u.ID):
		return true // what they may change of it is the use case's call
	case u.Role != models.RoleResident || len(programs) == 0:
		return false
	}
	for _, id := range programs {
		if !a.Manages(id) {
			return false
		}
	}
	return true
}

// Resident loads the account whose links and reports the actor asks for:
// allowed to that user, their program's directors and admins. Other members
// of the program are forbidden; anyone outside it gets not_found. It does
// not check that the account is a resident's: the caller says what a
// non-resident means for it.
func (s *Service) Resident(ctx context.Context, a Actor, residentID int64) (*models.User, error) {
	u, _, managed, err := s.userRelation(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if !a.is(u.ID) && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident and their program's directors may see or make their links")
	}
	return u, nil
}

// userRelation loads a user the actor may see (not_found otherwise, exactly
// like an unknown id), the programs they belong to (not looked up for an
// admin, who needs none), and whether the actor directs one of them or is
// an admin.
func (s *Service) userRelation(ctx context.Context, a Actor, userID int64) (u *models.User, programs []int64, managed bool, err error) {
	if !a.known() {
		return nil, nil, false, errSignIn()
	}
	notFound := surveys.Errorf(surveys.ENOTFOUND, "user %d does not exist", userID)
	u, err = s.db.UserByID(ctx, userID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, nil, false, notFound
	}
	if err != nil {
		return nil, nil, false, err
	}
	if a.Admin() {
		return u, nil, true, nil // an admin acts in every program
	}
	if programs, err = s.db.UserPrograms(ctx, u); err != nil {
		return nil, nil, false, err
	}
	shared := false
	for _, id := range programs {
		if a.Member(id) {
			shared = true
			managed = managed || a.Manages(id)
		}
	}
	if !shared && !a.is(u.ID) {
		return nil, nil, false, notFound
	}
	return u, programs, managed, nil
}
