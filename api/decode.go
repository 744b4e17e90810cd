package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// decodeStrict decodes one JSON object into v, rejecting unknown fields and
// reporting type mismatches against the field, by its JSON name.
func decodeStrict(body []byte, v any) error {
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
