package accounts

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Bounds of the inputs. Struct tags cannot name constants, so the tags use
// aliases (pgy_year, min_responses, …) that newValidator defines from these.
// The PGY range is the models' (models.MinPGYYear, models.MaxPGYYear),
// which the users table's CHECK also holds.
const (
	// The delivery settings are narrower than the database allows: a
	// reminder a month late or a fourth reminder helps nobody and starts to
	// feel like spam.
	MinReminderAfterDays, MaxReminderAfterDays = 1, 30
	MaxMaxReminders                            = 3
	MinLinkLifetimeDays, MaxLinkLifetimeDays   = 1, 60
	// MaxMinResponses bounds min_responses: a threshold no program can
	// reach only hides its reports, and the column is a 32-bit integer.
	MaxMinResponses = 1000
	// MaxID bounds every id a client sends: the largest integer a
	// JavaScript client can hold exactly.
	MaxID = 1<<53 - 1
)

// msgInvalid is the message of every failed input check.
const msgInvalid = "the request has invalid fields"

type inputValidator struct{ v *validator.Validate }

func newValidator() inputValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	RegisterRules(v)
	return inputValidator{v: v}
}

// RegisterRules gives v the input rules every request shape shares: JSON
// field names in errors, the numeric ranges as aliases (pgy_year,
// min_responses, id, …), and the text checks "text" (one line) and
// "multiline", both surveys.CheckText. The HTTP layer's validator installs
// them too, so a field means the same thing on every path.
func RegisterRules(v *validator.Validate) {
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("query"), ",")
		}
		return name
	})
	v.RegisterAlias("pgy_year", fmt.Sprintf("min=%d,max=%d", models.MinPGYYear, models.MaxPGYYear))
	v.RegisterAlias("min_responses", fmt.Sprintf("min=%d,max=%d", models.MinMinResponses, MaxMinResponses))
	v.RegisterAlias("reminder_after_days", fmt.Sprintf("min=%d,max=%d", MinReminderAfterDays, MaxReminderAfterDays))
	v.RegisterAlias("max_reminders", fmt.Sprintf("min=0,max=%d", MaxMaxReminders))
	v.RegisterAlias("link_lifetime_days", fmt.Sprintf("min=%d,max=%d", MinLinkLifetimeDays, MaxLinkLifetimeDays))
	v.RegisterAlias("id", fmt.Sprintf("min=1,max=%d", MaxID))
	must(v.RegisterValidation("text", func(fl validator.FieldLevel) bool { return checkText(fl, false) == nil }))
	must(v.RegisterValidation("multiline", func(fl validator.FieldLevel) bool { return checkText(fl, true) == nil }))
}

// checkText applies surveys.CheckText to a string field.
func checkText(fl validator.FieldLevel, multiline bool) error {
	if fl.Field().Kind() != reflect.String {
		return fmt.Errorf("the text check applies to strings, not %s", fl.Field().Kind())
	}
	return surveys.CheckText(fl.Field().String(), multiline)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// PGYYears are the PGY years a resident may have, in order, for the pages'
// choices: the models' range, the one the validator accepts.
func PGYYears() []int { return models.PGYYears() }

// Check validates a use case's input without acting on it, as the use case
// would: a form can then show every problem at once, its own (a number that
// is not one) beside the use case's. The use cases check again themselves.
func (s *Service) Check(in any) error { return s.v.check(in) }

// check validates an input struct and reports failures against its JSON
// field names, as surveys.Invalid with msgInvalid.
func (iv inputValidator) check(in any) error {
	err := iv.v.Struct(in)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]surveys.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		// Namespace is "Struct.field.sub"; drop the struct name.
		_, field, _ := strings.Cut(fe.Namespace(), ".")
		fields = append(fields, surveys.FieldError{Field: field, Message: FieldMessage(fe)})
	}
	return surveys.Invalid(msgInvalid, fields)
}

// FieldMessage words a failed check; an alias is worded as the check it
// stands for ("must be at most 7"), a text check by what was wrong.
func FieldMessage(fe validator.FieldError) string {
	switch fe.ActualTag() {
	case "required":
		return "is required"
	case "email":
		return "must be an email address"
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must have at least %s characters", fe.Param())
		}
		return fmt.Sprintf("must be at least %s", fe.Param())
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must have at most %s characters", fe.Param())
		}
		return fmt.Sprintf("must be at most %s", fe.Param())
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "datetime":
		return "must be a date like 2026-11-25"
	case "text", "multiline":
		if s, ok := fe.Value().(string); ok {
			if err := surveys.CheckText(s, fe.ActualTag() == "multiline"); err != nil {
				return err.Error()
			}
		}
		return "must be plain text"
	}
	return fmt.Sprintf("failed the %q check", fe.Tag())
}
