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
// manage, the actor must be an admin or a director of one of the user's
// programs (forbidden otherwise).
func (s *Service) User(ctx context.Context, a Actor, userID int64, manage bool) (*models.User, error) {
	u, managed, err := s.userRelation(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	if manage && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this account")
	}
	return u, nil
}

// Resident loads the account whose links and reports the actor asks for:
// allowed to that user, their program's directors and admins. Other members
// of the program are forbidden; anyone outside it gets not_found. It does
// not check that the account is a resident's: the caller says what a
// non-resident means for it.
func (s *Service) Resident(ctx context.Context, a Actor, residentID int64) (*models.User, error) {
	u, managed, err := s.userRelation(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if !a.is(u.ID) && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident and their program's directors may see or make their links")
	}
	return u, nil
}

// userRelation loads a user the actor may see (not_found otherwise, exactly
// like an unknown id) and tells whether the actor may manage them.
func (s *Service) userRelation(ctx context.Context, a Actor, userID int64) (u *models.User, managed bool, err error) {
	if !a.known() {
		return nil, false, errSignIn()
	}
	notFound := surveys.Errorf(surveys.ENOTFOUND, "user %d does not exist", userID)
	u, err = s.db.UserByID(ctx, userID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, false, notFound
	}
	if err != nil {
		return nil, false, err
	}
	if a.Admin() {
		return u, true, nil
	}
	programs, err := s.db.UserPrograms(ctx, u)
	if err != nil {
		return nil, false, err
	}
	shared := false
	for _, id := range programs {
		if a.Member(id) {
			shared = true
			managed = managed || a.Manages(id)
		}
	}
	if !shared && !a.is(u.ID) {
		return nil, false, notFound
	}
	return u, managed, nil
}
