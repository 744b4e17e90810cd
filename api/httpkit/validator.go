package httpkit

import (
	"errors"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// requestValidator installs go-playground/validator as Echo's validator and
// reports failures with JSON field names.
type requestValidator struct{ v *validator.Validate }

// NewValidator is the validator of the HTTP layer's own request shapes
// (sign-in, tokens, meetings, queries), with the accounts rules: the same
// ranges, text checks and messages as the use cases' inputs.
func NewValidator() *requestValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	accounts.RegisterRules(v)
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
		fields = append(fields, surveys.FieldError{Field: field, Message: accounts.FieldMessage(fe)})
	}
	return surveys.Invalid("the request has invalid fields", fields)
}
