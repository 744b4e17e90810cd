package surveys

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// DecodeDocument decodes a document strictly, at every depth: DecodeJSON
// checks the top level, and a member of an item, a comment or the scale
// that the format does not know is reported against its path
// ("items[2].allow_not_aplicable: is not a known field"), so a misspelt
// setting in a shared file is never silently dropped.
func DecodeDocument(body []byte) (Document, error) {
	var d Document
	if err := DecodeJSON(body, &d); err != nil {
		return Document{}, err
	}
	var raw struct {
		Scale    json.RawMessage   `json:"scale"`
		Items    []json.RawMessage `json:"items"`
		Comments []json.RawMessage `json:"comments"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Document{}, malformed(err)
	}
	var bad []FieldError
	bad = append(bad, unknownMembers(raw.Scale, "scale", "labels", "not_applicable")...)
	for i, it := range raw.Items {
		bad = append(bad, unknownMembers(it, fmt.Sprintf("items[%d]", i), "key", "attribute", "text", "self_text", "allow_not_applicable")...)
	}
	for i, c := range raw.Comments {
		bad = append(bad, unknownMembers(c, fmt.Sprintf("comments[%d]", i), "key", "prompt", "max_length")...)
	}
	if len(bad) > 0 {
		return Document{}, Invalid("the instrument has fields the format does not know", bad)
	}
	return d, nil
}

// unknownMembers lists the members of a JSON object not named in known.
func unknownMembers(raw json.RawMessage, path string, known ...string) []FieldError {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(raw, jsonNull) {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil // a wrong type was reported by DecodeJSON
	}
	var out []FieldError
	for _, k := range sortedKeys(m) {
		if !contains(known, k) {
			out = append(out, FieldError{Field: path + "." + k, Message: "is not a known field"})
		}
	}
	return out
}
