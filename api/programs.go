package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// maxAccountBody bounds the JSON body of the account routes.
const maxAccountBody = 4 << 10

// bindInput strictly decodes the JSON body into a use case's input, which
// the use case validates itself. A body that cannot be read or decoded is
// answered only after access (when access is not nil), as the use case
// would answer a valid one: a role that may not act gets 403 or 404
// whatever it sends.
func bindInput(c echo.Context, in any, access func() error) error {
	return bindLimited(c, maxAccountBody, in, access)
}

// bindLimited is bindInput with a body limit of its own.
func bindLimited(c echo.Context, limit int64, in any, access func() error) error {
	body, err := httpkit.ReadJSONBody(c, limit)
	if err == nil {
		err = surveys.DecodeJSON(body, in)
	}
	if err != nil && access != nil {
		if aerr := access(); aerr != nil {
			return aerr
		}
	}
	return err
}

func (s *Server) createProgram(c echo.Context) error {
	var in accounts.NewProgram
	if err := bindInput(c, &in, nil); err != nil {
		return err
	}
	prog, err := s.Accounts.CreateProgram(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusCreated, newProgramView(prog))
}

// listPrograms shows an admin every program, anyone else their own.
func (s *Server) listPrograms(c echo.Context) error {
	a := httpkit.ActorOf(c)
	all, err := s.DB.Programs(c.Request().Context())
	if err != nil {
		return err
	}
	out := []programView{}
	for i := range all {
		if a.Member(all[i].ID) {
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
	prog, err := s.ProgramAccess(c, id, accounts.View)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newProgramView(prog))
}

// updateProgram is for admins (see accounts.Service.ProgramSettings).
func (s *Server) updateProgram(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	var in accounts.ProgramChanges
	if err := bindInput(c, &in, func() error { _, err := s.ProgramSettingsAccess(c, id); return err }); err != nil {
		return err
	}
	in.ID = id
	prog, err := s.Accounts.UpdateProgram(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
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
	var in accounts.NewMember
	if err := bindInput(c, &in, func() error { _, err := s.ProgramAccess(c, id, accounts.Manage); return err }); err != nil {
		return err
	}
	in.ProgramID = id
	added, err := s.Accounts.AddMember(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	v := newMemberView(added.User)
	v.SetupURL, v.SetupEmail = added.SetPasswordURL, added.SetupEmail
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) listMembers(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramAccess(c, id, accounts.Manage); err != nil {
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
	return s.importCSV(c, func(ctx context.Context, a accounts.Actor, id int64, csv io.Reader) (*models.ImportResult, error) {
		return s.Accounts.ImportMembers(ctx, a, accounts.MemberImport{ProgramID: id, CSV: csv})
	})
}

// importCSV is the HTTP side of every roster import (members, mentees):
// access to the program before the body, then the body's type and size,
// then the use case, answered as {created, updated, errors}.
func (s *Server) importCSV(c echo.Context, run func(ctx context.Context, a accounts.Actor, programID int64, csv io.Reader) (*models.ImportResult, error)) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	// Access before the body, whose type and size are checked here.
	if _, err := s.ProgramAccess(c, id, accounts.Manage); err != nil {
		return err
	}
	ct := strings.ToLower(c.Request().Header.Get(echo.HeaderContentType))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the CSV as the body with Content-Type: text/csv")
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, csvimport.MaxBytes)
	res, err := run(c.Request().Context(), httpkit.ActorOf(c), id, body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the CSV is larger than %d MiB; split it", csvimport.MaxBytes>>20))
	}
	if err != nil {
		return httpkit.AccountsError(c, err)
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
	var in accounts.UserChanges
	if err := bindInput(c, &in, func() error { _, err := s.UserAccess(c, id, accounts.Manage); return err }); err != nil {
		return err
	}
	in.ID = id
	u, err := s.Accounts.UpdateUser(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
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
	link, err := s.Accounts.IssuePasswordLink(c.Request().Context(), httpkit.ActorOf(c), accounts.PasswordLinkRequest{UserID: id})
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, passwordLinkView{URL: link.URL, Purpose: link.Purpose, ExpiresAt: httpkit.APITime(link.ExpiresAt)})
}
