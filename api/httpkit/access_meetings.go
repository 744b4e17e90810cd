package httpkit

import (
	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
)

// Access decisions for the meeting routes, one per route, on the same rules
// as links (a meeting is a link with delivery).

// authorizeMeeting allows recording a meeting for residentID to the resident,
// their program's directors and admins; other members of the program get
// 403, anyone outside it 404.
func (s *Kit) AuthorizeMeeting(c echo.Context, residentID int64) error {
	_, err := s.ResidentAccess(c, residentID)
	return err
}

// authorizeImport allows importing meetings into a program to its directors
// and admins.
func (s *Kit) AuthorizeImport(c echo.Context, programID int64) error {
	_, err := s.ProgramAccess(c, programID, accounts.Manage)
	return err
}

// authorizeDeliveryView allows a program's delivery statuses and failure
// reasons to its directors and admins.
func (s *Kit) AuthorizeDeliveryView(c echo.Context, programID int64) error {
	_, err := s.ProgramAccess(c, programID, accounts.Manage)
	return err
}
