package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// decodeStrict decodes one JSON object into v, rejecting unknown fields and
// reporting type mismatches against the field, by its JSON name.
func DecodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// More() misses a stray '}' or ']'; only the end of input may follow.
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("the body must hold exactly one JSON object")
		}
	}
	if err == nil {
		return nil
	}
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{
			Field: typ.Field, Message: fmt.Sprintf("must be a %s", jsonKind(typ.Type.Kind().String())),
		}})
	case errors.As(err, &syn):
		return surveys.Errorf(surveys.EINVALID, "the body is not valid JSON (at byte %d)", syn.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: field, Message: "is not a known field"}})
	case err.Error() == "EOF":
		return surveys.Errorf(surveys.EINVALID, "the body is empty; send a JSON object")
	}
	return surveys.Errorf(surveys.EINVALID, "the body is not a valid request: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "map", "struct", "ptr":
		return "object"
	}
	return "number"
}

// readJSONBody checks the content type and reads at most limit bytes.
func ReadJSONBody(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != echo.MIMEApplicationJSON {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as JSON with Content-Type: application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is too large")
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the request body could not be read")
	}
	return body, nil
}

// bindJSON strictly decodes a JSON body (unknown fields rejected) into v and
// validates it.
func BindJSON(c echo.Context, v any, limit int64) error {
	body, err := ReadJSONBody(c, limit)
	if err != nil {
		return err
	}
	if err := DecodeStrict(body, v); err != nil {
		return err
	}
	return c.Validate(v)
}

func NoStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}
