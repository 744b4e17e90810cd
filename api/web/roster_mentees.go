package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The roster page's Mentees section: the program's mentee roster with add,
// import, deactivate and reactivate for its directors and admins, and
// approve for an admin. The forms call the accounts use cases the JSON API
// calls.

// menteeRow is one mentee on the roster page.
type menteeRow struct {
	ID          int64
	Email, Name string
	Status      string
	// CanApprove: the viewer is an admin who did not add this pending
	// mentee.
	CanApprove bool
}

// menteeStatusLabels name the statuses on the page.
var menteeStatusLabels = map[string]string{
	models.MenteeActive:   "active",
	models.MenteePending:  "waiting for an administrator's approval",
	models.MenteeInactive: "inactive",
}

// Label is the status as the page says it.
func (r menteeRow) Label() string { return menteeStatusLabels[r.Status] }

var addMenteeFields = []formField{
	{Name: "email", ID: "mentee-email", Label: "Email"},
	{Name: "name", ID: "mentee-name", Label: "Name"},
}

var menteeImportFields = []formField{{Name: "mentees_csv", ID: "mentees-csv", Label: "CSV"}}

// menteeNotices confirm the row actions, which redirect back to the roster.
var menteeNotices = map[string]string{
	"mentee-deactivated": "The mentee is deactivated: no new link can go to them.",
	"mentee-reactivated": "The mentee is on the roster again.",
	"mentee-pending":     "The mentee is on the roster again, waiting for an administrator's approval.",
	"mentee-approved":    "The mentee is approved: links can now go to them.",
}

// loadMentees fills the roster page's mentee rows.
func (s *Server) loadMentees(c echo.Context, prog *models.Program, d *rosterPageData) error {
	ms, err := s.Accounts.ListMentees(c.Request().Context(), httpkit.ActorOf(c), prog.ID)
	if err != nil {
		return err
	}
	me := httpkit.CurrentUser(c)
	d.IsAdmin = me.Role == models.RoleAdmin
	d.Domains = prog.MenteeDomains()
	for _, m := range ms {
		row := menteeRow{ID: m.ID, Email: m.Email, Status: m.Status,
			CanApprove: d.IsAdmin && m.Status == models.MenteePending && (m.AddedBy == nil || *m.AddedBy != me.ID)}
		if m.Name != nil {
			row.Name = *m.Name
		}
		d.Mentees = append(d.Mentees, row)
	}
	if msg, ok := menteeNotices[d.noticeKey]; ok {
		d.Notice = msg
	}
	return nil
}

// addMenteeForm adds a mentee and shows the roster with them.
func (s *Server) addMenteeForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := rosterPageData{MenteeAdd: formState{Values: formValues(c, "email", "name")}}
	in := accounts.NewMentee{ProgramID: prog.ID, Email: strings.TrimSpace(c.FormValue("email"))}
	if name := strings.TrimSpace(c.FormValue("name")); name != "" {
		in.Name = &name
	}
	if in.Email != "" {
		if _, err := models.NormalizeEmail(in.Email); err != nil {
			d.MenteeAdd.add(addMenteeFields, "email", models.MsgBadEmail)
		}
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.MenteeAdd.HasErrors() {
		var m *models.Mentee
		if m, err = s.Accounts.AddMentee(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			d.MenteeAdd = formState{}
			d.MenteeAdded = m.Status
			return s.renderRoster(c, http.StatusOK, prog, d)
		}
	}
	if err != nil && !failForm(&d.MenteeAdd, err, addMenteeFields, "email") {
		return err
	}
	status := http.StatusUnprocessableEntity
	if surveys.ErrorCode(err) == surveys.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderRoster(c, status, prog, d)
}

// importMenteesForm applies a CSV of mentees, uploaded or pasted.
func (s *Server) importMenteesForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := rosterPageData{MenteeImport: formState{Values: map[string]string{"mentees_csv": c.FormValue("mentees_csv")}}}
	csv, done, err := formCSV(c, "mentees_csv", "mentees_file")
	if err != nil {
		return err
	}
	defer done()
	if csv == nil {
		d.MenteeImport.add(menteeImportFields, "mentees_csv", "choose a CSV file or paste its rows")
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	res, err := s.Accounts.ImportMentees(c.Request().Context(), httpkit.ActorOf(c), accounts.MenteeImport{ProgramID: prog.ID, CSV: csv})
	if err != nil {
		if !failCSVForm(&d.MenteeImport, err, menteeImportFields, "mentees_csv", "mentees-csv") {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	d.MenteeImported = res
	if len(res.Errors) == 0 {
		d.MenteeImport = formState{}
	}
	return s.renderRoster(c, http.StatusOK, prog, d)
}

// rosterMentee reads the mentee id of the path: a mentee of another program
// is not_found, as is one the principal may not manage.
func (s *Server) rosterMentee(c echo.Context, prog *models.Program) (int64, error) {
	id, err := httpkit.PathID(c, "mid", "mentee")
	if err != nil {
		return 0, err
	}
	m, _, err := s.Accounts.Mentee(c.Request().Context(), httpkit.ActorOf(c), id)
	if err != nil {
		return 0, err
	}
	if m.ProgramID != prog.ID {
		return 0, surveys.Errorf(surveys.ENOTFOUND, "mentee %d does not exist", id)
	}
	return id, nil
}

// updateMenteeForm deactivates or reactivates a mentee, then returns to the
// roster.
func (s *Server) updateMenteeForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	id, err := s.rosterMentee(c, prog)
	if err != nil {
		return err
	}
	in := accounts.MenteeChanges{ID: id}
	switch c.FormValue("active") {
	case "true":
		in.Active = new(true)
	case "false":
		in.Active = new(false)
	default:
		return surveys.Errorf(surveys.EINVALID, "active must be true or false")
	}
	m, err := s.Accounts.UpdateMentee(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return err
	}
	done := map[string]string{models.MenteeActive: "mentee-reactivated", models.MenteePending: "mentee-pending", models.MenteeInactive: "mentee-deactivated"}[m.Status]
	return c.Redirect(http.StatusSeeOther, rosterPath(prog.ID)+"?"+url.Values{"done": {done}}.Encode()+"#mentee-"+strconv.FormatInt(id, 10))
}

// approveMenteeForm approves a pending mentee (admins who did not add it;
// anyone else is refused by the use case), then returns to the roster.
func (s *Server) approveMenteeForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	id, err := s.rosterMentee(c, prog)
	if err != nil {
		return err
	}
	if _, err := s.Accounts.ApproveMentee(c.Request().Context(), httpkit.ActorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, rosterPath(prog.ID)+"?done=mentee-approved#mentee-"+strconv.FormatInt(id, 10))
}
