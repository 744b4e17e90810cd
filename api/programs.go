package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/csvimport"
)

func (s *Server) createProgram(c echo.Context) error {
	var req httpkit.ProgramRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	prog, err := s.SaveNewProgram(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newProgramView(prog))
}

// listPrograms shows an admin every program, anyone else their own.
func (s *Server) listPrograms(c echo.Context) error {
	p := httpkit.CurrentPrincipal(c)
	all, err := s.DB.Programs(c.Request().Context())
	if err != nil {
		return err
	}
	out := []programView{}
	for i := range all {
		if p.Member(all[i].ID) {
			out = append(out, newProgramView(&all[i]))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"programs": out})
}

func (s *Server) getProgram(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	prog, err := s.ProgramAccess(c, id, httpkit.AccessView)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newProgramView(prog))
}

// updateProgram is for admins (see requireAdminForProgram).
func (s *Server) updateProgram(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramAccess(c, id, httpkit.AccessView); err != nil {
		return err
	}
	if err := httpkit.RequireAdminForProgram(c); err != nil {
		return err
	}
	var req httpkit.ProgramPatch
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	prog, err := s.SaveProgramPatch(c, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newProgramView(prog))
}

// createMember adds a resident or director and returns a single-use
// set-password link, shown only here.
func (s *Server) createMember(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramAccess(c, id, httpkit.AccessManage); err != nil {
		return err
	}
	var req httpkit.MemberRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, setupURL, err := s.SaveNewMember(c, id, req)
	if err != nil {
		return err
	}
	v := newMemberView(u)
	v.SetupURL = setupURL
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) listMembers(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramAccess(c, id, httpkit.AccessManage); err != nil {
		return err
	}
	us, err := s.DB.Members(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]memberView, 0, len(us))
	for i := range us {
		out = append(out, newMemberView(&us[i]))
	}
	return c.JSON(http.StatusOK, map[string]any{"members": out})
}

func (s *Server) importMembers(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramAccess(c, id, httpkit.AccessManage); err != nil {
		return err
	}
	ct := strings.ToLower(c.Request().Header.Get(echo.HeaderContentType))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the CSV as the body with Content-Type: text/csv")
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, csvimport.MaxBytes)
	res, err := s.RunImport(c, id, body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the CSV is larger than %d MiB; split it", csvimport.MaxBytes>>20))
	}
	if err != nil {
		return err
	}
	out := importView{Created: res.Created, Updated: res.Updated, Errors: []importErrorView{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorView{Line: e.Line, Message: e.Message})
	}
	return c.JSON(http.StatusOK, out)
}

// updateUser changes a member's name, PGY year or active flag. Deactivating
// ends their sessions and tokens at once.
func (s *Server) updateUser(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.UserAccess(ctx, c, id, httpkit.AccessManage); err != nil {
		return err
	}
	var req httpkit.UserPatch
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, err := s.SaveUserPatch(c, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newMemberView(u))
}

// createPasswordLink issues a new single-use set-password link for a member
// (setup if they never set one, reset otherwise); older links stop working.
func (s *Server) createPasswordLink(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.UserAccess(ctx, c, id, httpkit.AccessManage)
	if err != nil {
		return err
	}
	v, err := s.SaveNewPasswordLink(c, u)
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, v)
}
