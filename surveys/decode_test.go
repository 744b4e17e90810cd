package surveys_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// decodeTarget has the shapes our request structs use.
type decodeTarget struct {
	Reason string          `json:"reason"`
	Days   int             `json:"days,omitempty"`
	Date   *string         `json:"date"`
	Tags   map[string]bool `json:"tags"`
	Secret string          `json:"-"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		want       decodeTarget
		wantFields []string // nil: accepted; []string{}: malformed, without fields
	}{
		{name: "accept-all-fields", body: `{"reason":"r","days":3,"date":"2026-01-02","tags":{"a":true}}`, want: decodeTarget{Reason: "r", Days: 3, Date: strp("2026-01-02"), Tags: map[string]bool{"a": true}}},
		{name: "accept-name-in-other-case", body: `{"REASON":"r"}`, want: decodeTarget{Reason: "r"}},
		{name: "accept-surrounding-space", body: " \n{\"days\":1}\n ", want: decodeTarget{Days: 1}},
		{name: "reject-unknown-field", body: `{"reason":"r","note":"x"}`, wantFields: []string{"note"}},
		{name: "reject-ignored-field-by-name", body: `{"-":"x"}`, wantFields: []string{"-"}},
		{name: "reject-wrong-type", body: `{"days":"3"}`, wantFields: []string{"days"}},
		{name: "reject-every-field-at-once", body: `{"x":1,"days":true,"tags":[1],"reason":"ok","y":2}`, wantFields: []string{"x", "days", "tags", "y"}},
		{name: "reject-number-too-large", body: `{"days":1e30}`, wantFields: []string{"days"}},
		{name: "reject-empty-body", body: ``, wantFields: []string{}},
		{name: "reject-blank-body", body: "  \n", wantFields: []string{}},
		{name: "reject-malformed", body: `{"reason":`, wantFields: []string{}},
		{name: "reject-trailing-comma", body: `{"reason":"r",}`, wantFields: []string{}},
		{name: "reject-non-string-key", body: `{1:2}`, wantFields: []string{}},
		{name: "reject-list", body: `[1]`, wantFields: []string{}},
		{name: "reject-null", body: `null`, wantFields: []string{}},
		{name: "reject-two-objects", body: `{}{}`, wantFields: []string{}},
		{name: "reject-stray-brace", body: `{}}`, wantFields: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decodeTarget
			err := surveys.DecodeJSON([]byte(tt.body), &got)
			if tt.wantFields == nil {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("DecodeJSON accepted it: %+v", got)
			}
			if len(tt.wantFields) == 0 {
				// Nothing to name: a 400, not a 422 without errors[].
				if code := surveys.ErrorCode(err); code != surveys.EMALFORMED {
					t.Errorf("code %q (%v), want %q", code, err, surveys.EMALFORMED)
				}
				return
			}
			if diff := cmp.Diff(tt.wantFields, invalidFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeJSONRefusesNullForEveryField: a null is neither the default
// (absent) nor a value, so it never reaches a use case as one of them.
func TestDecodeJSONRefusesNullForEveryField(t *testing.T) {
	var got decodeTarget
	err := surveys.DecodeJSON([]byte(`{"reason":null,"days":null,"date":null,"tags":null}`), &got)
	if diff := cmp.Diff([]string{"reason", "days", "date", "tags"}, invalidFields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestDecodeJSONRefusesRepeatedKeys: a key sent twice is refused and named,
// at the top level (in any case, as names match) and inside nested objects
// and lists, instead of the last one silently winning.
func TestDecodeJSONRefusesRepeatedKeys(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{name: "top-level", body: `{"reason":"a","reason":"b"}`, want: []string{"reason"}},
		{name: "top-level-other-case", body: `{"reason":"a","REASON":"b"}`, want: []string{"reason"}},
		{name: "unknown-key-once", body: `{"x":1,"x":2}`, want: []string{"x", "x"}},
		{name: "nested-object", body: `{"tags":{"a":true,"b":false,"a":false}}`, want: []string{"tags.a"}},
		{name: "deeper", body: `{"tags":{"a":{"k":[{"z":1,"z":2}]}}}`, want: []string{"tags.a.k[0].z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decodeTarget
			err := surveys.DecodeJSON([]byte(tt.body), &got)
			if diff := cmp.Diff(tt.want, invalidFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("same-key-in-two-objects-is-fine", func(t *testing.T) {
		var got struct {
			A map[string]int `json:"a"`
			B map[string]int `json:"b"`
		}
		if err := surveys.DecodeJSON([]byte(`{"a":{"k":1},"b":{"k":2}}`), &got); err != nil {
			t.Fatalf("DecodeJSON: %v", err)
		}
	})
}

func TestDecodeJSONWantsAStruct(t *testing.T) {
	var m map[string]any
	err := surveys.DecodeJSON([]byte(`{}`), &m)
	if code := surveys.ErrorCode(err); code != surveys.EINTERNAL {
		t.Errorf("decoding into a map: code %q (%v), want %q: it is a programming error, not the client's", code, err, surveys.EINTERNAL)
	}
}

func strp(s string) *string { return &s }
