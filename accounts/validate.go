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
)

// msgInvalid is the message of every failed input check.
const msgInvalid = "the request has invalid fields"

type inputValidator struct{ v *validator.Validate }

func newValidator() inputValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		return name
	})
	v.RegisterAlias("pgy_year", fmt.Sprintf("min=%d,max=%d", models.MinPGYYear, models.MaxPGYYear))
	v.RegisterAlias("min_responses", fmt.Sprintf("min=%d", models.MinMinResponses))
	v.RegisterAlias("reminder_after_days", fmt.Sprintf("min=%d,max=%d", MinReminderAfterDays, MaxReminderAfterDays))
	v.RegisterAlias("max_reminders", fmt.Sprintf("min=0,max=%d", MaxMaxReminders))
	v.RegisterAlias("link_lifetime_days", fmt.Sprintf("min=%d,max=%d", MinLinkLifetimeDays, MaxLinkLifetimeDays))
	return inputValidator{v: v}
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
		fields = append(fields, surveys.FieldError{Field: field, Message: fieldMessage(fe)})
	}
	return surveys.Invalid(msgInvalid, fields)
}

// fieldMessage words a failed check; an alias is worded as the check it
// stands for ("must be at most 7").
func fieldMessage(fe validator.FieldError) string {
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
	}
	return fmt.Sprintf("failed the %q check", fe.Tag())
}
