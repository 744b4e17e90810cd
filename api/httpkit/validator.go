package httpkit

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// requestValidator installs go-playground/validator as Echo's validator and
// reports failures with JSON field names.
type requestValidator struct{ v *validator.Validate }

func NewValidator() *requestValidator {
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
	// The same bound as the accounts inputs, for the report queries.
	v.RegisterAlias("pgy_year", fmt.Sprintf("min=%d,max=%d", models.MinPGYYear, models.MaxPGYYear))
	return &requestValidator{v: v}
}

// Validate implements echo.Validator.
func (rv *requestValidator) Validate(i any) error {
	err := rv.v.Struct(i)
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
	return surveys.Invalid("the request has invalid fields", fields)
}

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
