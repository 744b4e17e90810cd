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

// adminProgramsData is the administrator's list of programs, with the forms
// to create one and to change a program's min_responses.
type adminProgramsData struct {
	Nav             *navView
	Programs        []models.Program
	MinMinResponses int
	Notice          string
	Create          formState
	// EditID is the program whose row form failed, with its messages in Edit.
	EditID int64
	Edit   formState
	// DeliveryID is the program whose delivery form failed, with its
	// messages in Delivery.
	DeliveryID int64
	Delivery   formState
	Bounds     deliveryBounds
	// ReleaseID is the program whose release form failed, with its
	// messages in Release; Kinds and Months are the form's choices.
	ReleaseID     int64
	Release       formState
	Kinds         []string
	Months        []monthOption
	MinMinMentees int
	// LanguageChoices names the survey languages a program may offer.
	LanguageChoices string
}

// monthOption is one month of the academic-year select.
type monthOption struct {
	N    int
	Name string
}

// deliveryBounds are the ranges of the delivery settings, for the inputs'
// min and max and the hint under the table.
type deliveryBounds struct {
	MinRemind, MaxRemind, MaxReminders, MinLife, MaxLife int
}

var createProgramFields = []formField{
	{Name: "name", ID: "new-name", Label: "Name"},
	{Name: "min_responses", ID: "new-min", Label: "Minimum responses"},
}

func (s *Server) adminProgramsPage(c echo.Context) error {
	d := adminProgramsData{}
	if id, err := strconv.ParseInt(c.QueryParam("saved"), 10, 64); err == nil {
		if p, err := s.DB.ProgramByID(c.Request().Context(), id); err == nil {
			d.Notice = "Saved " + p.Name + ": reports show results from " + strconv.Itoa(p.MinResponses) + " responses on."
			switch c.QueryParam("what") {
			case "delivery":
				d.Notice = "Saved " + p.Name + ": " + deliverySummary(p.DeliverySettings)
			case "release":
				d.Notice = "Saved " + p.Name + ": " + releaseSummary(p)
			}
		}
	}
	return s.renderPrograms(c, http.StatusOK, d)
}

func (s *Server) renderPrograms(c echo.Context, status int, d adminProgramsData) error {
	ps, err := s.DB.Programs(c.Request().Context())
	if err != nil {
		return err
	}
	d.Nav, d.Programs, d.MinMinResponses = s.nav(c), ps, models.MinMinResponses
	d.Kinds, d.Months, d.MinMinMentees = surveys.WindowKinds(), monthOptions(), surveys.MinMinMentees
	d.LanguageChoices = languageChoices()
	d.Bounds = deliveryBounds{accounts.MinReminderAfterDays, accounts.MaxReminderAfterDays, accounts.MaxMaxReminders, accounts.MinLinkLifetimeDays, accounts.MaxLinkLifetimeDays}
	if d.Create.Values == nil {
		d.Create.Values = map[string]string{"min_responses": strconv.Itoa(models.DefaultMinResponses)}
	}
	return s.renderPage(c, status, "admin_programs", d)
}

// savedPrograms returns to the list after a change, naming the program.
func savedPrograms(c echo.Context, id int64) error {
	q := url.Values{"saved": {strconv.FormatInt(id, 10)}}
	return c.Redirect(http.StatusSeeOther, "/admin/programs?"+q.Encode()+"#program-"+strconv.FormatInt(id, 10))
}

// minResponses reads the min_responses field: nil when it is empty (the
// default), else the number, which the use case checks like the API's.
func minResponses(c echo.Context, f *formState, fields []formField) *int {
	n, set, msg := formInt(c, "min_responses")
	if msg != "" {
		f.add(fields, "min_responses", msg)
		return nil
	}
	if !set {
		return nil
	}
	return &n
}

func (s *Server) createProgramForm(c echo.Context) error {
	d := adminProgramsData{Create: formState{Values: formValues(c, "name", "min_responses")}}
	in := accounts.NewProgram{Name: strings.TrimSpace(c.FormValue("name"))}
	in.MinResponses = minResponses(c, &d.Create, createProgramFields)
	err := s.Accounts.Check(in)
	if err == nil && !d.Create.HasErrors() {
		var prog *models.Program
		if prog, err = s.Accounts.CreateProgram(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			return savedPrograms(c, prog.ID)
		}
	}
	if err != nil && !failForm(&d.Create, err, createProgramFields, "name") {
		return err
	}
	return s.renderPrograms(c, http.StatusUnprocessableEntity, d)
}

func (s *Server) updateProgramForm(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramSettingsAccess(c, id); err != nil {
		return err
	}
	d := adminProgramsData{EditID: id, Edit: formState{Values: formValues(c, "min_responses")}}
	fields := []formField{{Name: "min_responses", ID: "min-" + strconv.FormatInt(id, 10), Label: "Minimum responses"}}
	in := accounts.ProgramChanges{ID: id, MinResponses: minResponses(c, &d.Edit, fields)}
	if in.MinResponses == nil && !d.Edit.HasErrors() {
		d.Edit.add(fields, "min_responses", "is required")
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.Edit.HasErrors() {
		if _, err = s.Accounts.UpdateProgram(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			return savedPrograms(c, id)
		}
	}
	if err != nil && !failForm(&d.Edit, err, fields, "") {
		return err
	}
	return s.renderPrograms(c, http.StatusUnprocessableEntity, d)
}

// deliveryFieldNames are the delivery form's inputs, in page order.
var deliveryFieldNames = []string{"reminder_after_days", "max_reminders", "link_lifetime_days"}

// deliveryFields names the delivery inputs of one program's row.
func deliveryFields(id int64) []formField {
	n := strconv.FormatInt(id, 10)
	return []formField{
		{Name: "reminder_after_days", ID: "remind-" + n, Label: "Days before a reminder"},
		{Name: "max_reminders", ID: "reminders-" + n, Label: "Reminders"},
		{Name: "link_lifetime_days", ID: "lifetime-" + n, Label: "Days a link stays open"},
	}
}

// updateDeliveryForm changes a program's rules for emailed links through
// the same patch, checks and audit entry as PATCH /api/v1/programs/{id}.
func (s *Server) updateDeliveryForm(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramSettingsAccess(c, id); err != nil {
		return err
	}
	d := adminProgramsData{DeliveryID: id, Delivery: formState{Values: formValues(c, deliveryFieldNames...)}}
	fields := deliveryFields(id)
	in := accounts.ProgramChanges{ID: id}
	targets := []**int{&in.ReminderAfterDays, &in.MaxReminders, &in.LinkLifetimeDays}
	for i, name := range deliveryFieldNames {
		n, set, msg := formInt(c, name)
		switch {
		case msg != "":
			d.Delivery.add(fields, name, msg)
		case !set:
			d.Delivery.add(fields, name, "is required")
		default:
			*targets[i] = &n
		}
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.Delivery.HasErrors() {
		if _, err = s.Accounts.UpdateProgram(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			q := url.Values{"saved": {strconv.FormatInt(id, 10)}, "what": {"delivery"}}
			return c.Redirect(http.StatusSeeOther, "/admin/programs?"+q.Encode()+"#program-"+strconv.FormatInt(id, 10))
		}
	}
	if err != nil && !failForm(&d.Delivery, err, fields, "") {
		return err
	}
	return s.renderPrograms(c, http.StatusUnprocessableEntity, d)
}

// deliverySummary says in words what a program's delivery settings do.
func deliverySummary(ds models.DeliverySettings) string {
	var remind string
	switch ds.MaxReminders {
	case 0:
		remind = "no reminder is sent"
	case 1:
		remind = "one reminder " + days(ds.ReminderAfterDays) + " after the email if the mentee has not answered"
	default:
		remind = "up to " + strconv.Itoa(ds.MaxReminders) + " reminders, " + days(ds.ReminderAfterDays) + " apart, while the mentee has not answered"
	}
	return "links of recorded meetings stay open " + days(ds.LinkLifetimeDays) + "; " + remind + "."
}

// days is "1 day" or "n days".
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
