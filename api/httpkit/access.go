package httpkit

import (
	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
)

// Access is decided by the accounts package (accounts.Service.Program, User,
// Resident), for the use cases and these routes alike; the functions below
// only ask it on behalf of the request's principal. Another program's
// resource is 404 like a missing one; an action the role may not take in its
// own program is 403.

// ProgramAccess loads a program the principal may see, or manage
// (accounts.Manage).
func (s *Kit) ProgramAccess(c echo.Context, programID int64, manage bool) (*models.Program, error) {
	prog, err := s.Accounts.Program(c.Request().Context(), ActorOf(c), programID, manage)
	return prog, AccountsError(c, err)
}

// ProgramSettingsAccess loads a program whose settings the principal may
// change: administrators only.
func (s *Kit) ProgramSettingsAccess(c echo.Context, programID int64) (*models.Program, error) {
	prog, err := s.Accounts.ProgramSettings(c.Request().Context(), ActorOf(c), programID)
	return prog, AccountsError(c, err)
}

// UserAccess loads a user the principal may see, or manage.
func (s *Kit) UserAccess(c echo.Context, userID int64, manage bool) (*models.User, error) {
	u, err := s.Accounts.User(c.Request().Context(), ActorOf(c), userID, manage)
	return u, AccountsError(c, err)
}

// ResidentAccess loads the account whose links and reports the principal
// asks for: the resident themselves, their program's directors, admins.
func (s *Kit) ResidentAccess(c echo.Context, residentID int64) (*models.User, error) {
	u, err := s.Accounts.Resident(c.Request().Context(), ActorOf(c), residentID)
	return u, AccountsError(c, err)
}
