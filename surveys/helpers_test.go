package surveys_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// itemKeys are the rated items of the default instrument, in order.
var itemKeys = []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"}

// answersAll returns an answers object with every item set to v.
func answersAll(v any) map[string]any {
	m := make(map[string]any, len(itemKeys))
	for _, k := range itemKeys {
		m[k] = v
	}
	return m
}

// with returns a copy of m with key set to v; a nil v of type deleteKey
// removes the key instead.
func with(m map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	if _, del := v.(deleteKey); del {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

// deleteKey passed to with removes the key.
type deleteKey struct{}

// submissionJSON encodes a submission body. A nil comments map is left out.
func submissionJSON(t testing.TB, answers, comments map[string]any) []byte {
	t.Helper()
	body := map[string]any{"answers": answers}
	if comments != nil {
		body["comments"] = comments
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invalidFields returns the field names of a validation error, failing the
// test when err is not one.
func invalidFields(t testing.TB, err error) []string {
	t.Helper()
	var ae *surveys.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not a *surveys.Error", err, err)
	}
	if ae.Code != surveys.EINVALID {
		t.Fatalf("error code = %q, want %q (%v)", ae.Code, surveys.EINVALID, err)
	}
	fields := []string{}
	for _, f := range ae.Fields {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
		fields = append(fields, f.Field)
	}
	return fields
}

func intp(n int) *int { return &n }
