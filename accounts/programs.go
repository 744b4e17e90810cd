package accounts

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// NewProgram is a program to create. MinResponses nil means
// models.DefaultMinResponses; it may never be below models.MinMinResponses.
type NewProgram struct {
	Name         string `json:"name" validate:"required,max=200,text"`
	MinResponses *int   `json:"min_responses" validate:"omitempty,min_responses"`
}

// CreateProgram stores a program; only an admin or the operator may.
func (s *Service) CreateProgram(ctx context.Context, a Actor, in NewProgram) (*models.Program, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "your role may not do this")
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	prog := &models.Program{Name: in.Name}
	if in.MinResponses != nil {
		prog.MinResponses = *in.MinResponses
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateProgram(ctx, prog); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionProgramCreate, Target: programTarget(prog.ID),
			ProgramID: &prog.ID, Detail: fmt.Sprintf("name %q, min_responses %d", prog.Name, prog.MinResponses)})
	})
	if err != nil {
		return nil, err
	}
	return prog, nil
}

// ProgramChanges changes a program; nil fields are left alone. ID is the
// program, taken from the path, never from the body.
type ProgramChanges struct {
	ID                int64   `json:"-"`
	Name              *string `json:"name" validate:"omitempty,min=1,max=200,text"`
	MinResponses      *int    `json:"min_responses" validate:"omitempty,min_responses"`
	ReminderAfterDays *int    `json:"reminder_after_days" validate:"omitempty,reminder_after_days"`
	MaxReminders      *int    `json:"max_reminders" validate:"omitempty,max_reminders"`
	LinkLifetimeDays  *int    `json:"link_lifetime_days" validate:"omitempty,link_lifetime_days"`
	// The release rule (issue 10): window kind, academic year start, and
	// the distinct mentees a released group needs (never below 3).
	ReleaseWindow          *string `json:"release_window" validate:"omitempty,oneof=month quarter half"`
	AcademicYearStartMonth *int    `json:"academic_year_start_month" validate:"omitempty,min=1,max=12"`
	MinMentees             *int    `json:"min_mentees" validate:"omitempty,min=3,max=100"`
	// MenteeEmailDomains replaces the program's mentee domains; [] clears
	// them. Each must be a domain name such as med.example.edu.
	MenteeEmailDomains *[]string `json:"mentee_email_domains" validate:"omitempty,max=50,dive,max=253,text"`
	// SurveyLanguages replaces the languages the program's links offer,
	// in order: the first is the language of emails and reminders and the
	// page's default (issue 12). Each must be in SurveyLanguageChoices.
	SurveyLanguages *[]string `json:"survey_languages" validate:"omitempty,max=10,dive,max=10,text"`
	// RetentionYears is how long released data, closed links and meetings
	// are kept after their window closes (docs/privacy.md, "Retention");
	// at least one year, so 0 is refused rather than read as the default.
	RetentionYears *int `json:"retention_years" validate:"omitempty,min=1,max=100"`
	// RequireSecondFactorFor says whose sign-in needs a second factor:
	// none, directors (and admins) or staff (directors, residents and
	// admins). Only an admin may change it: a director turning it off
	// would remove the guard on their own account.
	RequireSecondFactorFor *string `json:"require_second_factor_for" validate:"omitempty,oneof=none directors staff"`
}

// changesDelivery reports whether the changes touch the delivery settings.
func (in ProgramChanges) changesDelivery() bool {
	return in.ReminderAfterDays != nil || in.MaxReminders != nil || in.LinkLifetimeDays != nil
}

// changesWindows reports whether the changes touch the release rule.
func (in ProgramChanges) changesWindows() bool {
	return in.ReleaseWindow != nil || in.AcademicYearStartMonth != nil || in.MinMentees != nil
}

// ProgramSettings loads a program whose settings the actor may change. Only
// an admin or the operator may: min_responses protects mentees' anonymity,
// so a program's own directors may not lower it (forbidden); anyone outside
// the program gets not_found.
func (s *Service) ProgramSettings(ctx context.Context, a Actor, programID int64) (*models.Program, error) {
	prog, err := s.Program(ctx, a, programID, View)
	if err != nil {
		return nil, err
	}
	if !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only an administrator may change a program's settings")
	}
	return prog, nil
}

// UpdateProgram changes a program's name, min_responses, delivery settings
// or release rule; see ProgramSettings for who may.
func (s *Service) UpdateProgram(ctx context.Context, a Actor, in ProgramChanges) (*models.Program, error) {
	if _, err := s.ProgramSettings(ctx, a, in.ID); err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	if in.RequireSecondFactorFor != nil && !a.Admin() {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only an admin may change require_second_factor_for")
	}
	var domains []string
	if in.MenteeEmailDomains != nil {
		var err error
		if domains, err = checkDomains(*in.MenteeEmailDomains); err != nil {
			return nil, err
		}
	}
	var langs []string
	if in.SurveyLanguages != nil {
		var err error
		if langs, err = checkSurveyLanguages(*in.SurveyLanguages); err != nil {
			return nil, err
		}
	}
	var prog *models.Program
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if prog, err = s.db.UpdateProgram(ctx, in.ID, models.ProgramUpdate{Name: in.Name, MinResponses: in.MinResponses}); err != nil {
			return err
		}
		detail := fmt.Sprintf("name %q, min_responses %d", prog.Name, prog.MinResponses)
		if in.changesDelivery() {
			ds := prog.DeliverySettings
			setIf(&ds.ReminderAfterDays, in.ReminderAfterDays)
			setIf(&ds.MaxReminders, in.MaxReminders)
			setIf(&ds.LinkLifetimeDays, in.LinkLifetimeDays)
			if err := s.db.UpdateDeliverySettings(ctx, in.ID, ds); err != nil {
				return err
			}
			prog.DeliverySettings = ds
			detail += fmt.Sprintf(", reminder_after_days %d, max_reminders %d, link_lifetime_days %d",
				ds.ReminderAfterDays, ds.MaxReminders, ds.LinkLifetimeDays)
		}
		if in.changesWindows() {
			ws := prog.WindowSettings
			if in.ReleaseWindow != nil {
				ws.ReleaseWindow = *in.ReleaseWindow
			}
			setIf(&ws.AcademicYearStartMonth, in.AcademicYearStartMonth)
			setIf(&ws.MinMentees, in.MinMentees)
			if err := s.db.UpdateWindowSettings(ctx, in.ID, ws); err != nil {
				return err
			}
			prog.WindowSettings = ws
			detail += fmt.Sprintf(", release_window %s, academic_year_start_month %d, min_mentees %d",
				ws.ReleaseWindow, ws.AcademicYearStartMonth, ws.MinMentees)
		}
		if in.MenteeEmailDomains != nil {
			if err := s.db.SetMenteeDomains(ctx, in.ID, domains); err != nil {
				return err
			}
			prog.MenteeEmailDomains = strings.Join(domains, ",")
			detail += fmt.Sprintf(", mentee_email_domains %q", prog.MenteeDomains())
		}
		if in.SurveyLanguages != nil {
			if err := s.db.UpdateSurveyLanguages(ctx, in.ID, langs); err != nil {
				return err
			}
			prog.SurveyLanguages = strings.Join(langs, ",")
			detail += fmt.Sprintf(", survey_languages %s", prog.SurveyLanguages)
		}
		if in.RetentionYears != nil {
			if err := s.db.UpdateRetention(ctx, in.ID, *in.RetentionYears); err != nil {
				return err
			}
			prog.RetentionYears = *in.RetentionYears
			detail += fmt.Sprintf(", retention_years %d", prog.RetentionYears)
		}
		if in.RequireSecondFactorFor != nil {
			if err := s.db.UpdateSecondFactorPolicy(ctx, in.ID, *in.RequireSecondFactorFor); err != nil {
				return err
			}
			prog.RequireSecondFactorFor = *in.RequireSecondFactorFor
			detail += ", require_second_factor_for " + prog.RequireSecondFactorFor
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionProgramUpdate, Target: programTarget(in.ID),
			ProgramID: &in.ID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return prog, nil
}

// checkDomains lower-cases mentee domains, drops repeats, and refuses
// anything that is not a domain name of at least two labels, each of
// letters, digits and inner hyphens (an address's part after the "@").
func checkDomains(in []string) ([]string, error) {
	out := []string{}
	var fields []surveys.FieldError
	for i, d := range in {
		d = strings.ToLower(strings.TrimSpace(d))
		if !domainName.MatchString(d) || len(d) > 253 {
			fields = append(fields, surveys.FieldError{Field: fmt.Sprintf("mentee_email_domains[%d]", i), Message: "must be a domain name like med.example.edu"})
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(fields) > 0 {
		return nil, surveys.Invalid(msgInvalid, fields)
	}
	return out, nil
}

var domainName = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

func setIf(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}
