package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// renderPage writes a signed-in page. These pages show names, emails and
// sometimes one-time links: keep them out of shared caches and history
// caches alike.
func (s *Server) renderPage(c echo.Context, status int, page string, data any) error {
	httpkit.NoStore(c)
	return s.render(c, status, page, data)
}

// formBody bounds a form's body and parses it (URL-encoded or multipart)
// before authentication reads its csrf_token; a body over the limit is 413.
func formBody(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			var err error
			if strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
				err = r.ParseMultipartForm(limit)
			} else {
				err = r.ParseForm()
			}
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The form is too large. A CSV import can be at most %d MiB; split the file.", csvimport.MaxBytes>>20))
			}
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read. Reload the page and try again.")
			}
			return next(c)
		}
	}
}

// formState is a form after a failed POST: what was typed, a message per
// field (by the field's name), and the summary that heads the form.
type formState struct {
	Values  map[string]string
	Errors  map[string]string
	Summary []errorLink
}

// Value is what the user typed into a field.
func (f formState) Value(name string) string { return f.Values[name] }

// Error is the message beside a field, or "".
func (f formState) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether the form failed.
func (f formState) HasErrors() bool { return len(f.Summary) > 0 }

// formField names an input for messages: its name in the request (the JSON
// name the validator reports), the id of the input on the page, and the
// label people see.
type formField struct{ Name, ID, Label string }

// failForm turns a validation or conflict error into messages beside the
// fields, and reports whether it did. conflictField takes a conflict (409)
// message, e.g. the email of a duplicate member. Messages naming no field of
// the form go to the summary alone. Any other error is the caller's to
// return.
func failForm(f *formState, err error, fields []formField, conflictField string) bool {
	var ae *surveys.Error
	if !errors.As(err, &ae) || (ae.Code != surveys.EINVALID && ae.Code != surveys.ECONFLICT) {
		return false
	}
	if ae.Code == surveys.ECONFLICT || len(ae.Fields) == 0 {
		field := ""
		if ae.Code == surveys.ECONFLICT {
			field = conflictField
		}
		f.add(fields, field, ae.Message)
		return true
	}
	for _, fe := range ae.Fields {
		f.add(fields, fe.Field, fe.Message)
	}
	return true
}

// add records one message. A validator message ("is required", "must be at
// most 200 characters", "cannot be in the future") follows the field's label; a model message is a
// sentence of its own.
func (f *formState) add(fields []formField, name, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for _, fd := range fields {
		if fd.Name != name {
			continue
		}
		if strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "must ") || strings.HasPrefix(msg, "cannot ") {
			msg = fd.Label + " " + msg
		}
		msg = sentence(msg)
		if _, dup := f.Errors[name]; !dup {
			f.Errors[name] = msg
			f.Summary = append(f.Summary, errorLink{Anchor: fd.ID, Text: msg})
		}
		return
	}
	f.Summary = append(f.Summary, errorLink{Text: sentence(msg)})
}

// sentence starts a message with a capital letter and ends it with a full
// stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// formInt reads a whole number from a form field. Empty is (0, false, "");
// anything else that is not a number returns a message for the field.
func formInt(c echo.Context, name string) (n int, set bool, msg string) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return 0, false, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, "must be a whole number"
	}
	return n, true, ""
}

// formValues keeps what was typed into the named fields, to show it again.
func formValues(c echo.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = c.FormValue(n)
	}
	return out
}
