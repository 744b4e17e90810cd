package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
)

// programRequest is the body of POST /api/v1/programs.
type programRequest struct {
	Name         string `json:"name" validate:"required,max=200"`
	MinResponses int    `json:"min_responses" validate:"omitempty,min=3"`
}

func (s *Server) createProgram(c echo.Context) error {
	var req programRequest
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	prog, err := s.saveNewProgram(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newProgramView(prog))
}

// listPrograms shows an admin every program, anyone else their own.
func (s *Server) listPrograms(c echo.Context) error {
	p := currentPrincipal(c)
	all, err := s.db.Programs(c.Request().Context())
	if err != nil {
		return err
	}
	out := []programView{}
	for i := range all {
		if p.member(all[i].ID) {
			out = append(out, newProgramView(&all[i]))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"programs": out})
}

func (s *Server) getProgram(c echo.Context) error {
	id, err := pathID(c, "id", "program")
	if err != nil {
		return err
	}
	prog, err := s.programAccess(c, id, accessView)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newProgramView(prog))
}

// programPatch is the body of PATCH /api/v1/programs/{id}. The delivery
// settings are narrower than the database allows: a reminder a month late
// or a fourth reminder helps nobody and starts to feel like spam.
type programPatch struct {
	Name              *string `json:"name" validate:"omitempty,max=200"`
	MinResponses      *int    `json:"min_responses" validate:"omitempty,min=3"`
	ReminderAfterDays *int    `json:"reminder_after_days" validate:"omitempty,min=1,max=30"`
	MaxReminders      *int    `json:"max_reminders" validate:"omitempty,min=0,max=3"`
	LinkLifetimeDays  *int    `json:"link_lifetime_days" validate:"omitempty,min=1,max=60"`
}

// Bounds of the delivery settings, as programPatch validates them; the
// admin page shows them.
const (
	minReminderAfterDays, maxReminderAfterDays = 1, 30
	maxMaxReminders                            = 3
	minLinkLifetimeDays, maxLinkLifetimeDays   = 1, 60
)

// changesDelivery reports whether the patch touches the delivery settings.
func (p programPatch) changesDelivery() bool {
	return p.ReminderAfterDays != nil || p.MaxReminders != nil || p.LinkLifetimeDays != nil
}

// updateProgram is for admins (see requireAdminForProgram).
func (s *Server) updateProgram(c echo.Context) error {
	id, err := pathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.programAccess(c, id, accessView); err != nil {
		return err
	}
	if err := requireAdminForProgram(c); err != nil {
		return err
	}
	var req programPatch
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	prog, err := s.saveProgramPatch(c, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newProgramView(prog))
}

// memberRequest is the body of POST /api/v1/programs/{id}/members.
type memberRequest struct {
	Email   string `json:"email" validate:"required,max=254"`
	Name    string `json:"name" validate:"required,max=200"`
	Role    string `json:"role" validate:"required,oneof=resident director"`
	PGYYear *int   `json:"pgy_year" validate:"omitempty,min=1,max=7"`
}

// createMember adds a resident or director and returns a single-use
// set-password link, shown only here.
func (s *Server) createMember(c echo.Context) error {
	id, err := pathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.programAccess(c, id, accessManage); err != nil {
		return err
	}
	var req memberRequest
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, setupURL, err := s.saveNewMember(c, id, req)
	if err != nil {
		return err
	}
	v := newMemberView(u)
	v.SetupURL = setupURL
	noStore(c)
	return c.JSON(http.StatusCreated, v)
}

func memberDetail(u *models.User) string {
	d := fmt.Sprintf("%s %s %q", u.Role, u.Email, u.Name)
	if u.PGYYear != nil {
		d += fmt.Sprintf(" PGY-%d", *u.PGYYear)
	}
	return d
}

func (s *Server) listMembers(c echo.Context) error {
	id, err := pathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.programAccess(c, id, accessManage); err != nil {
		return err
	}
	us, err := s.db.Members(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]memberView, 0, len(us))
	for i := range us {
		out = append(out, newMemberView(&us[i]))
	}
	return c.JSON(http.StatusOK, map[string]any{"members": out})
}

// maxImportBytes bounds a CSV import body; MaxImportRows bounds its rows.
const maxImportBytes = 1 << 20

func (s *Server) importMembers(c echo.Context) error {
	id, err := pathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.programAccess(c, id, accessManage); err != nil {
		return err
	}
	ct := strings.ToLower(c.Request().Header.Get(echo.HeaderContentType))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the CSV as the body with Content-Type: text/csv")
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, maxImportBytes)
	res, err := s.runImport(c, id, body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the CSV is larger than 1 MiB; split it")
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

// userPatch is the body of PATCH /api/v1/users/{id}.
type userPatch struct {
	Name    *string `json:"name" validate:"omitempty,max=200"`
	PGYYear *int    `json:"pgy_year" validate:"omitempty,min=1,max=7"`
	Active  *bool   `json:"active"`
}

// updateUser changes a member's name, PGY year or active flag. Deactivating
// ends their sessions and tokens at once.
func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.userAccess(ctx, c, id, accessManage); err != nil {
		return err
	}
	var req userPatch
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, err := s.saveUserPatch(c, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newMemberView(u))
}

// createPasswordLink issues a new single-use set-password link for a member
// (setup if they never set one, reset otherwise); older links stop working.
func (s *Server) createPasswordLink(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.userAccess(ctx, c, id, accessManage)
	if err != nil {
		return err
	}
	v, err := s.saveNewPasswordLink(c, u)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, v)
}
