package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// releaseFieldNames are the release form's inputs, in page order.
var releaseFieldNames = []string{"release_window", "academic_year_start_month", "min_mentees", "retention_years", "mentee_email_domains", "survey_languages", "require_second_factor_for"}

// releaseFields names the release inputs of one program's row.
func releaseFields(id int64) []formField {
	n := strconv.FormatInt(id, 10)
	return []formField{
		{Name: "release_window", ID: "window-" + n, Label: "Release window"},
		{Name: "academic_year_start_month", ID: "yearstart-" + n, Label: "Academic year starts in"},
		{Name: "min_mentees", ID: "mentees-" + n, Label: "Minimum mentees"},
		{Name: "retention_years", ID: "retention-" + n, Label: "Keep data (years)"},
		{Name: "mentee_email_domains", ID: "domains-" + n, Label: "Mentee email domains"},
		{Name: "survey_languages", ID: "languages-" + n, Label: "Survey languages"},
		{Name: "require_second_factor_for", ID: "second-factor-" + n, Label: "Second factor required for"},
	}
}

// monthOptions are the twelve months, January first.
func monthOptions() []monthOption {
	out := make([]monthOption, 12)
	for i := range out {
		out[i] = monthOption{N: i + 1, Name: time.Month(i + 1).String()}
	}
	return out
}

// updateReleaseForm changes a program's release rule and mentee domains
// through the same patch, checks and audit entry as
// PATCH /api/v1/programs/{id}.
func (s *Server) updateReleaseForm(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if _, err := s.ProgramSettingsAccess(c, id); err != nil {
		return err
	}
	d := adminProgramsData{ReleaseID: id, Release: formState{Values: formValues(c, releaseFieldNames...)}}
	fields := releaseFields(id)
	in := accounts.ProgramChanges{ID: id}
	window := c.FormValue("release_window")
	in.ReleaseWindow = &window
	for _, f := range []struct {
		name   string
		target **int
	}{{"academic_year_start_month", &in.AcademicYearStartMonth}, {"min_mentees", &in.MinMentees}} {
		n, set, msg := formInt(c, f.name)
		switch {
		case msg != "":
			d.Release.add(fields, f.name, msg)
		case !set:
			d.Release.add(fields, f.name, "is required")
		default:
			*f.target = &n
		}
	}
	// Like the languages, a form without the field leaves retention alone.
	if _, ok := c.Request().PostForm["retention_years"]; ok {
		n, set, msg := formInt(c, "retention_years")
		switch {
		case msg != "":
			d.Release.add(fields, "retention_years", msg)
		case !set:
			d.Release.add(fields, "retention_years", "is required")
		default:
			in.RetentionYears = &n
		}
	}
	domains := splitDomains(c.FormValue("mentee_email_domains"))
	in.MenteeEmailDomains = &domains
	// A form without the field (an older page) leaves the languages alone;
	// an empty one is refused by the use case.
	if _, ok := c.Request().PostForm["survey_languages"]; ok {
		langs := splitDomains(c.FormValue("survey_languages"))
		in.SurveyLanguages = &langs
	}
	// Like the languages, a form without the field leaves it alone.
	if _, ok := c.Request().PostForm["require_second_factor_for"]; ok {
		v := c.FormValue("require_second_factor_for")
		in.RequireSecondFactorFor = &v
	}
	if window == "" {
		d.Release.add(fields, "release_window", "is required")
	}
	err = s.Accounts.Check(in)
	if err == nil && !d.Release.HasErrors() {
		if _, err = s.Accounts.UpdateProgram(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			q := url.Values{"saved": {strconv.FormatInt(id, 10)}, "what": {"release"}}
			return c.Redirect(http.StatusSeeOther, "/admin/programs?"+q.Encode()+"#program-"+strconv.FormatInt(id, 10))
		}
	}
	if err != nil && !failForm(&d.Release, listFieldErrors(err, "survey_languages"), fields, "") {
		return err
	}
	return s.renderPrograms(c, http.StatusUnprocessableEntity, d)
}

// splitDomains reads a comma-separated list of domains; an empty field
// clears them.
func splitDomains(s string) []string {
	out := []string{}
	for _, d := range strings.Split(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// releaseSummary says in words what a program's release rule does.
func releaseSummary(p *models.Program) string {
	out := "results are released per " + p.ReleaseWindow + " (the academic year starts in " +
		time.Month(p.AcademicYearStartMonth).String() + "), from at least " + strconv.Itoa(p.MinMentees) + " different mentees"
	if ds := p.MenteeDomains(); len(ds) > 0 {
		out += "; addresses in " + strings.Join(ds, ", ") + " are accepted as mentees."
	} else {
		out += "; no mentee domains: every mentee must be on the roster."
	}
	return out + " " + languagesSummary(p.Languages()) + " " + retentionSummary(p.RetentionYears) + " " + secondFactorSummary(p.RequireSecondFactorFor)
}

// secondFactorSummary says whose sign-in needs a second factor.
func secondFactorSummary(policy string) string {
	switch policy {
	case models.SecondFactorDirectors:
		return "A second factor is required for its directors (and admins)."
	case models.SecondFactorStaff:
		return "A second factor is required for its directors, residents (and admins)."
	}
	return "Second factor not required: a password alone signs its staff in."
}

// retentionSummary says how long a program's data is kept.
func retentionSummary(years int) string {
	if years == 1 {
		return "Data is kept 1 year after its window closes."
	}
	return "Data is kept " + strconv.Itoa(years) + " years after its window closes."
}

// languageChoices lists the survey languages a program may offer, as
// "en (English), es (Spanish)".
func languageChoices() string {
	var out []string
	for _, l := range accounts.SurveyLanguageChoices() {
		out = append(out, l+" ("+surveys.LanguageName(l)+")")
	}
	return strings.Join(out, ", ")
}

// languagesSummary names a program's survey languages for staff.
func languagesSummary(langs []string) string {
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = surveys.LanguageName(l)
	}
	if len(names) == 1 {
		return "Survey pages, emails and reminders are in " + names[0] + "."
	}
	return "Survey pages offer " + strings.Join(names, ", ") + "; emails and reminders are in " + names[0] + "."
}

// listFieldErrors files the errors of a list's entries
// ("survey_languages[1]") under the list's one form field.
func listFieldErrors(err error, list string) error {
	var ae *surveys.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		return err
	}
	out := *ae
	out.Fields = make([]surveys.FieldError, len(ae.Fields))
	for i, fe := range ae.Fields {
		if strings.HasPrefix(fe.Field, list+"[") {
			fe.Field = list
		}
		out.Fields[i] = fe
	}
	return &out
}
