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
		wantFields []string // nil: accepted; []string{}: rejected without fields
	}{
		{name: "accept-all-fields", body: `{"reason":"r","days":3,"date":"2026-01-02","tags":{"a":true}}`, want: decodeTarget{Reason: "r", Days: 3, Date: strp("2026-01-02"), Tags: map[string]bool{"a": true}}},
		{name: "accept-null-leaves-zero", body: `{"reason":null,"date":null}`},
		{name: "accept-name-in-other-case", body: `{"REASON":"r"}`, want: decodeTarget{Reason: "r"}},
		{name: "accept-repeated-key-last-wins", body: `{"reason":"a","reason":"b"}`, want: decodeTarget{Reason: "b"}},
		{name: "accept-surrounding-space", body: " \n{\"days\":1}\n ", want: decodeTarget{Days: 1}},
		{name: "reject-unknown-field", body: `{"reason":"r","note":"x"}`, wantFields: []string{"note"}},
		{name: "reject-ignored-field-by-name", body: `{"-":"x"}`, wantFields: []string{"-"}},
		{name: "reject-wrong-type", body: `{"days":"3"}`, wantFields: []string{"days"}},
		{name: "reject-every-field-at-once", body: `{"x":1,"days":true,"tags":[1],"reason":"ok","y":2}`, wantFields: []string{"x", "days", "tags", "y"}},
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
			if diff := cmp.Diff(tt.wantFields, invalidFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONWantsAStruct(t *testing.T) {
	var m map[string]any
	err := surveys.DecodeJSON([]byte(`{}`), &m)
	if code := surveys.ErrorCode(err); code != surveys.EINTERNAL {
		t.Errorf("decoding into a map: code %q (%v), want %q: it is a programming error, not the client's", code, err, surveys.EINTERNAL)
	}
}

func strp(s string) *string { return &s }
