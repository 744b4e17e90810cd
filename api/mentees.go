package api

import (
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
)

// registerMenteeRoutes registers the mentee roster: a program's directors
// and admins keep it, an admin approves what a director added outside the
// program's mentee domains (see accounts/mentees.go).
func (s *Server) registerMenteeRoutes(v1 *echo.Group) {
	auth := s.APIAuth()
	v1.POST("/programs/:id/mentees", s.createMentee, auth...)
	v1.GET("/programs/:id/mentees", s.listMentees, auth...)
	v1.POST("/programs/:id/mentees/import", s.importMentees, auth...)
	v1.PATCH("/mentees/:id", s.updateMentee, auth...)
	v1.POST("/mentees/:id/approve", s.approveMentee, auth...)
}

// menteeView is a mentee on the roster. active is status == "active": the
// only status links may go to.
type menteeView struct {
	ID     int64   `json:"id"`
	Email  string  `json:"email"`
	Name   *string `json:"name"`
	Active bool    `json:"active"`
	Status string  `json:"status"`
}

func newMenteeView(m *models.Mentee) menteeView {
	return menteeView{ID: m.ID, Email: m.Email, Name: m.Name, Active: m.Active(), Status: m.Status}
}

func (s *Server) createMentee(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	var in accounts.NewMentee
	if err := bindInput(c, &in, func() error { _, err := s.ProgramAccess(c, id, accounts.Manage); return err }); err != nil {
		return err
	}
	in.ProgramID = id
	m, err := s.Accounts.AddMentee(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusCreated, newMenteeView(m))
}

func (s *Server) listMentees(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	ms, err := s.Accounts.ListMentees(c.Request().Context(), httpkit.ActorOf(c), id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	out := make([]menteeView, 0, len(ms))
	for i := range ms {
		out = append(out, newMenteeView(&ms[i]))
	}
	return c.JSON(http.StatusOK, map[string]any{"mentees": out})
}

func (s *Server) importMentees(c echo.Context) error {
	return s.importCSV(c, func(ctx context.Context, a accounts.Actor, id int64, csv io.Reader) (*models.ImportResult, error) {
		return s.Accounts.ImportMentees(ctx, a, accounts.MenteeImport{ProgramID: id, CSV: csv})
	})
}

func (s *Server) updateMentee(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "mentee")
	if err != nil {
		return err
	}
	a := httpkit.ActorOf(c)
	var in accounts.MenteeChanges
	if err := bindInput(c, &in, func() error { _, _, err := s.Accounts.Mentee(c.Request().Context(), a, id); return err }); err != nil {
		return err
	}
	in.ID = id
	m, err := s.Accounts.UpdateMentee(c.Request().Context(), a, in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusOK, newMenteeView(m))
}

func (s *Server) approveMentee(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "mentee")
	if err != nil {
		return err
	}
	m, err := s.Accounts.ApproveMentee(c.Request().Context(), httpkit.ActorOf(c), id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusOK, newMenteeView(m))
}
