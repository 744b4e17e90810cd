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
// flat). Every problem is an EINVALID error: a key that names no field, or a
// value of the wrong type, is reported against that field by its JSON name,
// all of them at once; an empty, malformed or non-object body is an error
// without fields.
//
// It walks the object's members itself instead of relying on
// Decoder.DisallowUnknownFields, whose error can only be recognised by its
// text. Names match as encoding/json matches them: the field's JSON name
// exactly, or failing that ignoring case. Members are applied in document
// order, so a repeated key behaves as it does with json.Unmarshal.
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
		return Errorf(EINVALID, "the body is empty; send a JSON object")
	case err != nil:
		return malformed(err)
	case tok != json.Delim('{'):
		return Errorf(EINVALID, "the body must be a JSON object")
	}
	var bad []FieldError
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
		if !ok {
			bad = append(bad, FieldError{Field: name, Message: "is not a known field"})
			continue
		}
		dst := target.FieldByIndex(f.index).Addr().Interface()
		var typ *json.UnmarshalTypeError
		if err := json.Unmarshal(raw, dst); errors.As(err, &typ) {
			bad = append(bad, FieldError{Field: f.name, Message: "must be " + jsonKind(f.typ)})
		} else if err != nil {
			return Errorf(EINVALID, "%q could not be read: %v", f.name, err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return malformed(err)
	}
	// More() misses a stray '}' or ']'; only the end of input may follow.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(EINVALID, "the body must hold exactly one JSON object")
	}
	if len(bad) > 0 {
		return Invalid("the request has invalid fields", bad)
	}
	return nil
}

// malformed describes a body that is not JSON.
func malformed(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return Errorf(EINVALID, "the body is not valid JSON (at byte %d)", syn.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "the body is not valid JSON: it ends too early")
	}
	return Errorf(EINVALID, "the body is not valid JSON")
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
