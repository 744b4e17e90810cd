package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// rosterPageData is a program's roster: its members, each resident's link
// counts per closed window, and the forms to add, import and change members. After a POST
// it also carries that form's outcome.
type rosterPageData struct {
	Nav     *navView
	Program *models.Program
	Members []rosterRow
	// Windows counts each resident's links per closed window.
	Windows  windowCounts
	PGYYears []int
	// Notice confirms a change made by the previous request; noticeKey
	// (a key of rosterNotices) and noticeFor (a member id) say which.
	Notice    string
	noticeKey string
	noticeFor int64
	// Shown is a set-password link shown once, after adding a member or
	// issuing a new link.
	Shown *shownPasswordLink
	// EmailsSetupLinks: new members get their set-password link by email
	// (else it is shown here, once, to pass on).
	EmailsSetupLinks bool

	Add formState
	// Import keeps the pasted CSV; Imported is the import's outcome.
	Import   formState
	Imported *models.ImportResult
	// EditID is the member whose row form failed, with its messages in Edit.
	EditID int64
	Edit   formState
	// Delivery is the program's emailed links (nil without delivery).
	Delivery *rosterDelivery
	// MeetImport keeps the pasted meetings CSV; MeetImported is that
	// import's outcome.
	MeetImport   formState
	MeetImported *delivery.ImportReport
	// The mentee roster (roster_mentees.go): its rows, whether the viewer
	// is an admin (who approves), the program's mentee domains, and the
	// add and import forms' outcomes.
	Mentees        []menteeRow
	IsAdmin        bool
	Domains        []string
	MenteeAdd      formState
	MenteeAdded    string // the status of a mentee just added
	MenteeImport   formState
	MenteeImported *models.ImportResult
}

// rosterRow is one member.
type rosterRow struct {
	ID          int64
	Name, Email string
	Role        string
	PGYYear     int // 0: none (directors)
	Active      bool
	Self        bool // the signed-in director: no deactivate button
	// Manageable: the signed-in user may deactivate the member and issue
	// them a password link (a co-director's account is the admins').
	Manageable  bool
	HasPassword bool
	// SecondFactor: the member has an authenticator app set up, which an
	// admin may reset.
	SecondFactor bool
	// SetupEmail is the newest set-password email's status
	// (models.LinkEmail…, or "password-set"), SetupEmailText it in words
	// (delivery.SetupEmailText); both empty when none was emailed.
	SetupEmail, SetupEmailText string
}

// shownPasswordLink is a set-password link for the director to pass on.
type shownPasswordLink struct {
	Name, Email, URL, Purpose string
	Added                     bool
}

var addMemberFields = []formField{
	{Name: "email", ID: "add-email", Label: "Email"},
	{Name: "name", ID: "add-name", Label: "Name"},
	{Name: "role", ID: "add-role", Label: "Role"},
	{Name: "pgy_year", ID: "add-pgy", Label: "PGY year"},
}

var importFields = []formField{{Name: "csv", ID: "import-csv", Label: "CSV"}}

// rosterNotices confirm the row actions, which redirect back to the roster.
var rosterNotices = map[string]string{
	"deactivated":         "%s is deactivated: their sessions and API tokens have ended, and their feedback is kept.",
	"reactivated":         "%s is active again. They sign in with their old password, or ask for a new set-password link.",
	"pgy":                 "%s's PGY year is saved.",
	"resent":              "A new set-password email to %s is queued; their older set-password links no longer work.",
	"second-factor-reset": "%s's second factor is removed and their sessions have ended; they are told by email. They sign in with their password and, if the program requires it, set up a new one.",
}

// rosterProgram reads the program id and checks that the principal manages
// it: another program is 404, a resident's own program 403.
func (s *Server) rosterProgram(c echo.Context) (*models.Program, error) {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return nil, err
	}
	return s.ProgramAccess(c, id, accounts.Manage)
}

// rosterMember reads the member id and checks that the principal may
// manage them and that they belong to this program (else 404).
func (s *Server) rosterMember(c echo.Context, prog *models.Program) (*models.User, error) {
	id, err := httpkit.PathID(c, "uid", "user")
	if err != nil {
		return nil, err
	}
	u, err := s.UserAccess(c, id, accounts.Manage)
	if err != nil {
		return nil, err
	}
	programs, err := s.DB.UserPrograms(c.Request().Context(), u)
	if err != nil {
		return nil, err
	}
	for _, pid := range programs {
		if pid == prog.ID {
			return u, nil
		}
	}
	return nil, surveys.Errorf(surveys.ENOTFOUND, "user %d does not exist", id)
}

func (s *Server) rosterPage(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := rosterPageData{noticeKey: c.QueryParam("done")}
	d.noticeFor, _ = strconv.ParseInt(c.QueryParam("member"), 10, 64)
	return s.renderRoster(c, http.StatusOK, prog, d)
}

func (s *Server) renderRoster(c echo.Context, status int, prog *models.Program, d rosterPageData) error {
	ctx := c.Request().Context()
	members, err := s.DB.Members(ctx, prog.ID)
	if err != nil {
		return err
	}
	me, actor := httpkit.CurrentUser(c), httpkit.ActorOf(c)
	d.Nav, d.Program, d.PGYYears = s.nav(c), prog, accounts.PGYYears()
	d.EmailsSetupLinks = s.Accounts.EmailsSetupLinks()
	ids := make([]int64, len(members))
	for i, u := range members {
		ids[i] = u.ID
	}
	setup, err := s.DB.LatestSetupLinks(ctx, ids)
	if err != nil {
		return err
	}
	factors, err := s.DB.SecondFactorUsers(ctx, ids)
	if err != nil {
		return err
	}
	for _, u := range members {
		row := rosterRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role,
			Active: u.Active, Self: u.ID == me.ID, HasPassword: u.PasswordHash != "", SecondFactor: factors[u.ID],
			// A resident listed here belongs to this program only; for
			// anyone else the programs do not change the answer.
			Manageable: actor.ManagesAccount(&u, []int64{prog.ID})}
		if u.PGYYear != nil {
			row.PGYYear = *u.PGYYear
		}
		var link *models.PasswordLink
		if l, ok := setup[u.ID]; ok {
			link = &l
		}
		if row.SetupEmailText = delivery.SetupEmailText(link, row.HasPassword); row.SetupEmailText != "" {
			row.SetupEmail = "password-set"
			if !row.HasPassword {
				row.SetupEmail = *link.EmailStatus
			}
		}
		d.Members = append(d.Members, row)
		if tmpl, ok := rosterNotices[d.noticeKey]; ok && u.ID == d.noticeFor {
			d.Notice = fmt.Sprintf(tmpl, u.Name)
		}
	}
	names := make(map[int64]string, len(members))
	for _, u := range members {
		names[u.ID] = u.Name
	}
	if d.Windows, err = s.closedWindowCounts(ctx, prog, 0, names); err != nil {
		return err
	}
	if d.Add.Values == nil {
		d.Add.Values = map[string]string{"role": models.RoleResident}
	}
	if d.Delivery, err = s.loadRosterDelivery(c, prog.ID); err != nil {
		return err
	}
	if err := s.loadMentees(c, prog, &d); err != nil {
		return err
	}
	return s.renderPage(c, status, "roster", d)
}

// addMemberForm adds a member and, when their set-password link went by
// email, says so; otherwise it shows the link once, in the POST's own
// response (the link is a secret: no redirect carries it).
func (s *Server) addMemberForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := rosterPageData{Add: formState{Values: formValues(c, "email", "name", "role", "pgy_year")}}
	in := accounts.NewMember{ProgramID: prog.ID, Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role")}
	year, set, msg := formInt(c, "pgy_year")
	if msg != "" {
		d.Add.add(addMemberFields, "pgy_year", msg)
	} else if set {
		in.PGYYear = &year
	}
	if in.Email != "" {
		// The validator only checks that there is an email; report a
		// malformed one now too, rather than after the other fields.
		if _, err := models.NormalizeEmail(in.Email); err != nil {
			d.Add.add(addMemberFields, "email", models.MsgBadEmail)
		}
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.Add.HasErrors() {
		var added *accounts.AddedMember
		if added, err = s.Accounts.AddMember(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			u := added.User
			d.Add = formState{}
			if added.SetupEmail != "" {
				d.Notice = fmt.Sprintf("%s is added. An email with their set-password link is on its way to %s; its status is in their row.", u.Name, u.Email)
			} else {
				d.Shown = &shownPasswordLink{Name: u.Name, Email: u.Email, URL: added.SetPasswordURL, Purpose: models.PurposeSetup, Added: true}
			}
			return s.renderRoster(c, http.StatusOK, prog, d)
		}
	}
	if err != nil && !failForm(&d.Add, err, addMemberFields, "email") {
		return err
	}
	return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
}

// importMembersForm applies a CSV, uploaded as a file or pasted, and shows
// what it created and updated and which lines it could not apply.
func (s *Server) importMembersForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := rosterPageData{Import: formState{Values: map[string]string{"csv": c.FormValue("csv")}}}
	csv, done, err := formCSV(c, "csv", "csv_file")
	if err != nil {
		return err
	}
	defer done()
	if csv == nil {
		d.Import.add(importFields, "csv", "choose a CSV file or paste its rows")
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	res, err := s.Accounts.ImportMembers(c.Request().Context(), httpkit.ActorOf(c), accounts.MemberImport{ProgramID: prog.ID, CSV: csv})
	if err != nil {
		if !failCSVForm(&d.Import, err, importFields, "csv", "import-csv") {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	d.Imported = res
	if len(res.Errors) == 0 {
		d.Import = formState{}
	}
	return s.renderRoster(c, http.StatusOK, prog, d)
}

// formCSV returns the CSV of an import form: the uploaded file when there is
// one, else the pasted text, or nil when both are empty. done closes the
// upload.
func formCSV(c echo.Context, pastedField, fileField string) (csv io.Reader, done func(), err error) {
	if fh, err := c.FormFile(fileField); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return nil, func() {}, err
		}
		return f, func() { f.Close() }, nil
	}
	pasted := c.FormValue(pastedField)
	if strings.TrimSpace(pasted) == "" {
		return nil, func() {}, nil
	}
	return strings.NewReader(pasted), func() {}, nil
}

// failCSVForm is failForm for an import form: a whole-file problem (not
// CSV, an unknown column, too many rows) is shown beside the CSV box.
func failCSVForm(st *formState, err error, fields []formField, field, anchor string) bool {
	if !failForm(st, err, fields, field) {
		return false
	}
	if st.Errors[field] == "" && len(st.Summary) > 0 {
		st.Errors = map[string]string{field: st.Summary[0].Text}
		st.Summary[0].Anchor = anchor
	}
	return true
}

var editMemberFields = []formField{
	{Name: "pgy_year", ID: "pgy-", Label: "PGY year"},
	{Name: "active", ID: "active-", Label: "Active"},
}

// updateMemberForm changes a member's PGY year or active flag, then returns
// to the roster (nothing secret here, so a redirect keeps reload harmless).
func (s *Server) updateMemberForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	u, err := s.rosterMember(c, prog)
	if err != nil {
		return err
	}
	d := rosterPageData{EditID: u.ID, Edit: formState{Values: formValues(c, "pgy_year")}}
	fields := make([]formField, len(editMemberFields))
	for i, f := range editMemberFields {
		f.ID += strconv.FormatInt(u.ID, 10)
		fields[i] = f
	}
	in := accounts.UserChanges{ID: u.ID}
	done := "pgy"
	year, set, msg := formInt(c, "pgy_year")
	if msg != "" {
		d.Edit.add(fields, "pgy_year", msg)
	} else if set {
		in.PGYYear = &year
	}
	switch c.FormValue("active") {
	case "":
	case "true":
		in.Active, done = new(true), "reactivated"
	case "false":
		in.Active, done = new(false), "deactivated"
	default:
		d.Edit.add(fields, "active", "must be true or false")
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.Edit.HasErrors() {
		if _, err = s.Accounts.UpdateUser(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			q := url.Values{"done": {done}, "member": {strconv.FormatInt(u.ID, 10)}}
			return c.Redirect(http.StatusSeeOther, rosterPath(prog.ID)+"?"+q.Encode()+"#member-"+strconv.FormatInt(u.ID, 10))
		}
	}
	if err != nil && !failForm(&d.Edit, err, fields, "") {
		return err
	}
	return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
}

// passwordLinkForm issues a member a new set-password link (imported
// members have none; a forgotten password needs one) and shows it once.
func (s *Server) passwordLinkForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	u, err := s.rosterMember(c, prog)
	if err != nil {
		return err
	}
	link, err := s.Accounts.IssuePasswordLink(c.Request().Context(), httpkit.ActorOf(c), accounts.PasswordLinkRequest{UserID: u.ID})
	if err != nil {
		if surveys.ErrorCode(err) != surveys.EINVALID {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, rosterPageData{EditID: u.ID,
			Edit: formState{Summary: []errorLink{{Text: sentence(surveys.ErrorMessage(err))}}}})
	}
	return s.renderRoster(c, http.StatusOK, prog, rosterPageData{Shown: &shownPasswordLink{
		Name: u.Name, Email: u.Email, URL: link.URL, Purpose: link.Purpose}})
}

// resendSetupEmailForm emails a member who has no password yet a new
// set-password link (their older links stop working), then returns to the
// roster: the link is in the email only, so a redirect carries no secret.
func (s *Server) resendSetupEmailForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	u, err := s.rosterMember(c, prog)
	if err != nil {
		return err
	}
	err = s.Accounts.ResendSetupEmail(c.Request().Context(), httpkit.ActorOf(c), accounts.PasswordLinkRequest{UserID: u.ID})
	if err != nil {
		if surveys.ErrorCode(err) != surveys.EINVALID {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, rosterPageData{EditID: u.ID,
			Edit: formState{Summary: []errorLink{{Text: sentence(surveys.ErrorMessage(err))}}}})
	}
	q := url.Values{"done": {"resent"}, "member": {strconv.FormatInt(u.ID, 10)}}
	return c.Redirect(http.StatusSeeOther, rosterPath(prog.ID)+"?"+q.Encode()+"#member-"+strconv.FormatInt(u.ID, 10))
}
