package httpkit

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Access levels for programAccess and userAccess.
const (
	AccessView   = false // see the resource
	AccessManage = true  // change it: admins and the program's directors
)

// programAccess loads a program the principal may see. A program of which
// the principal is no member answers exactly like one that does not exist
// (404), so nobody can probe which programs exist; a member who may only
// look, asking to manage, gets 403.
func (s *Kit) ProgramAccess(c echo.Context, programID int64, manage bool) (*models.Program, error) {
	p := CurrentPrincipal(c)
	if p == nil {
		return nil, Unauthorized(c, "sign in first")
	}
	if !p.Member(programID) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	prog, err := s.DB.ProgramByID(c.Request().Context(), programID)
	if err != nil {
		return nil, err
	}
	if manage && !p.Manages(programID) {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this program")
	}
	return prog, nil
}

// userAccess loads a user the principal may see: themselves, anyone for an
// admin, or someone sharing one of their programs. Anyone else is 404. To
// manage, the principal must be an admin or a director of one of the
// target's programs (403 otherwise).
func (s *Kit) UserAccess(ctx context.Context, c echo.Context, userID int64, manage bool) (*models.User, error) {
	u, managed, err := s.UserRelation(ctx, c, userID)
	if err != nil {
		return nil, err
	}
	if manage && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not change this account")
	}
	return u, nil
}

// userRelation loads a user the principal may see (404 otherwise, exactly
// like an unknown id) and tells whether the principal may manage them: an
// admin, or a director of one of the user's programs.
func (s *Kit) UserRelation(ctx context.Context, c echo.Context, userID int64) (u *models.User, managed bool, err error) {
	p := CurrentPrincipal(c)
	if p == nil {
		return nil, false, Unauthorized(c, "sign in first")
	}
	notFound := surveys.Errorf(surveys.ENOTFOUND, "user %d does not exist", userID)
	u, err = s.DB.UserByID(ctx, userID)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, false, notFound
	}
	if err != nil {
		return nil, false, err
	}
	if p.IsAdmin() {
		return u, true, nil
	}
	programs, err := s.DB.UserPrograms(ctx, u)
	if err != nil {
		return nil, false, err
	}
	shared := false
	for _, id := range programs {
		if p.Member(id) {
			shared = true
			managed = managed || p.Manages(id)
		}
	}
	if !shared && u.ID != p.User.ID {
		return nil, false, notFound
	}
	return u, managed, nil
}

// residentAccess allows links and reports of a resident to: the resident,
// their program's directors, and admins. Other members of the program get
// 403; anyone outside it 404. It returns the resident's account.
func (s *Kit) ResidentAccess(ctx context.Context, c echo.Context, residentID int64) (*models.User, error) {
	u, managed, err := s.UserRelation(ctx, c, residentID)
	if err != nil {
		return nil, err
	}
	if CurrentPrincipal(c).User.ID != u.ID && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident and their program's directors may see or make their links")
	}
	return u, nil
}
