package api

import "github.com/labstack/echo/v4"

// Access decisions for the meeting routes, one per route, kept apart so that
// accounts and sessions (issue 3) can fill them in without touching the
// handlers.

// currentUserID returns the signed-in user's id, or 0 when nobody is signed
// in. TODO(issue 3): read it from the session.
func currentUserID(c echo.Context) int64 { return 0 }

// authorizeMeeting decides whether the caller may record a meeting for
// residentID. TODO(issue 3): a resident for themselves, a director for the
// residents of their program, an admin for anyone; otherwise forbidden
// (unauthorized when nobody is signed in).
func (s *Server) authorizeMeeting(c echo.Context, residentID int64) error { return nil }

// authorizeImport decides whether the caller may import meetings into a
// program. TODO(issue 3): that program's director or an admin.
func (s *Server) authorizeImport(c echo.Context, programID int64) error { return nil }

// authorizeDeliveryView decides whether the caller may see a program's
// delivery statuses and failure reasons. TODO(issue 3): that program's
// director or an admin.
func (s *Server) authorizeDeliveryView(c echo.Context, programID int64) error { return nil }
