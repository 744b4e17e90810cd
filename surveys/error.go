// Package surveys holds the survey domain: the instrument, answer validation,
// scoring, link tokens and the application error codes shared by every layer.
// It imports neither Echo nor net/http.
package surveys

import (
	"errors"
	"fmt"
)

// Application error codes. api maps each one to an HTTP status exactly once.
const (
	EINVALID = "invalid"
	// EMALFORMED is a request that cannot be read at all (an empty body, or
	// one that is not a JSON object); unlike EINVALID it names no field.
	EMALFORMED    = "malformed"
	ENOTFOUND     = "not_found"
	EGONE         = "gone"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ERATELIMITED  = "rate_limited"
	ETOOLARGE     = "too_large"   // an input over a size limit
	EUNAVAILABLE  = "unavailable" // the database is out of reach; try again
	EINTERNAL     = "internal"
)

// FieldError is one problem with one input field, named as the client sent it
// (JSON names, e.g. "answers.A1").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an application error: a code, a message a person can act on, and
// for validation failures the fields that were wrong.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an application error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error listing the bad fields.
func Invalid(message string, fields []FieldError) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of an application error anywhere in err's chain,
// EINTERNAL for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the human message of an application error, or
// "internal error" for anything else, so internals never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
