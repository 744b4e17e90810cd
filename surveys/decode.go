package surveys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// DecodeJSON strictly decodes a body holding exactly one JSON object into v,
// which must point to a struct of top-level fields (our request shapes are
// flat). A body that is empty, not JSON, or not one object is EMALFORMED,
// without fields. Every other problem is an EINVALID error naming its field
// by its JSON name, all of them at once: a key that names no field; a value
// of the wrong type; a null, which would otherwise leave the field as if it
// were absent (absent, null and zero are three different requests, and only
// absence means "the default"); and a key that appears twice in one object,
// at any depth (answers and comments included), where json.Unmarshal would
// silently keep the last.
//
// It walks the object's members itself instead of relying on
// Decoder.DisallowUnknownFields, whose error can only be recognised by its
// text. Names match as encoding/json matches them: the field's JSON name
// exactly, or failing that ignoring case, so "name" and "NAME" are the same
// field twice.
func DecodeJSON(body []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("decode JSON: want a pointer to a struct, got %T", v)
	}
	target := rv.Elem()
	fields := jsonFields(target.Type())
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return Errorf(EMALFORMED, "the body is empty; send a JSON object")
	case err != nil:
		return malformed(err)
	case tok != json.Delim('{'):
		return Errorf(EMALFORMED, "the body must be a JSON object")
	}
	var bad []FieldError
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed(err)
		}
		name, _ := tok.(string) // the decoder only yields strings as keys
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return malformed(err)
		}
		f, ok := fields.lookup(name)
		if ok {
			name = f.name
		}
		if seen[name] {
			bad = append(bad, FieldError{Field: name, Message: msgRepeated})
			continue
		}
		seen[name] = true
		switch {
		case !ok:
			bad = append(bad, FieldError{Field: name, Message: "is not a known field"})
			continue
		case bytes.Equal(raw, jsonNull):
			bad = append(bad, FieldError{Field: f.name, Message: "must be " + jsonKind(f.typ) + ", not null"})
			continue
		}
		if path := repeatedKey(raw, f.name); path != "" {
			bad = append(bad, FieldError{Field: path, Message: msgRepeated})
			continue
		}
		dst := target.FieldByIndex(f.index).Addr().Interface()
		if err := json.Unmarshal(raw, dst); err != nil {
			// A wrong type, or a number too large for the field.
			bad = append(bad, FieldError{Field: f.name, Message: "must be " + jsonKind(f.typ)})
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return malformed(err)
	}
	// More() misses a stray '}' or ']'; only the end of input may follow.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(EMALFORMED, "the body must hold exactly one JSON object")
	}
	if len(bad) > 0 {
		return Invalid("the request has invalid fields", bad)
	}
	return nil
}

// msgRepeated is the message of a key sent twice in one object.
const msgRepeated = "appears more than once; send each field once"

var jsonNull = []byte("null")

// malformed describes a body that is not JSON.
func malformed(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return Errorf(EMALFORMED, "the body is not valid JSON (at byte %d)", syn.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EMALFORMED, "the body is not valid JSON: it ends too early")
	}
	return Errorf(EMALFORMED, "the body is not valid JSON")
}

// repeatedKey returns the path ("answers.A1") of the first key that appears
// twice in one object anywhere inside raw, a well-formed JSON value found
// at path, or "" when every object's keys are distinct. Nested keys are
// compared exactly: they are map keys, not field names.
func repeatedKey(raw json.RawMessage, path string) string {
	if !bytes.ContainsAny(raw, "{") {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	found, _ := walkKeys(dec, path)
	return found
}

// walkKeys reads one value from dec, looking for repeated keys.
func walkKeys(dec *json.Decoder, path string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return "", err
			}
			key, _ := tok.(string)
			at := path + "." + key
			if seen[key] {
				return at, nil
			}
			seen[key] = true
			if found, err := walkKeys(dec, at); found != "" || err != nil {
				return found, err
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if found, err := walkKeys(dec, fmt.Sprintf("%s[%d]", path, i)); found != "" || err != nil {
				return found, err
			}
		}
	default:
		return "", nil
	}
	_, err = dec.Token() // the closing delimiter
	return "", err
}

// jsonField is one decodable field of a request struct.
type jsonField struct {
	name  string
	index []int
	typ   reflect.Type
}

type jsonFieldSet []jsonField

// jsonFields lists the exported fields of t under their JSON names.
func jsonFields(t reflect.Type) jsonFieldSet {
	var out jsonFieldSet
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, jsonField{name: name, index: sf.Index, typ: sf.Type})
	}
	return out
}

// lookup finds the field a key names: exactly, or else ignoring case, as
// encoding/json does.
func (fs jsonFieldSet) lookup(key string) (jsonField, bool) {
	for _, f := range fs {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fs {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonField{}, false
}

// jsonKind names the JSON type a Go type decodes from, for messages.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a JSON object"
	}
	return "a number"
}
