package surveys_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestDecodeSubmissionAccepts(t *testing.T) {
	rated := answersAll(4)
	tests := []struct {
		name string
		body []byte
		want surveys.Submission
	}{
		{
			name: "accept-all-rated",
			body: submissionJSON(t, rated, nil),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{}},
		},
		{
			name: "accept-one-rated-rest-not-applicable",
			body: submissionJSON(t, with(answersAll(nil), "G", 5), nil),
			want: surveys.Submission{Answers: with2(nilAll(), "G", intp(5)), Comments: map[string]string{}},
		},
		{
			name: "accept-scale-ends",
			body: submissionJSON(t, with(with(rated, "A1", 1), "A2", 5), nil),
			want: surveys.Submission{Answers: with2(with2(ptrAll(4), "A1", intp(1)), "A2", intp(5)), Comments: map[string]string{}},
		},
		{
			name: "accept-comments-trimmed-and-crlf-normalised",
			body: submissionJSON(t, rated, map[string]any{"keep_doing": "  listened\r\nwell \t\n", "next_time": "\u00a0more time\u3000"}),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{"keep_doing": "listened\nwell", "next_time": "more time"}},
		},
		{
			name: "accept-blank-and-null-comments-left-out",
			body: submissionJSON(t, rated, map[string]any{"keep_doing": " \n ", "next_time": nil}),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{}},
		},
		{
			name: "accept-1000-multibyte-runes",
			body: submissionJSON(t, rated, map[string]any{"keep_doing": strings.Repeat("é", 1000)}),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{"keep_doing": strings.Repeat("é", 1000)}},
		},
		{
			name: "accept-1000-runes-counted-after-trimming",
			body: submissionJSON(t, rated, map[string]any{"next_time": "   " + strings.Repeat("a", 500) + "\r\n" + strings.Repeat("b", 499) + "  "}),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{"next_time": strings.Repeat("a", 500) + "\n" + strings.Repeat("b", 499)}},
		},
		{
			name: "accept-markup-kept-as-text",
			body: submissionJSON(t, rated, map[string]any{"keep_doing": "<script>alert(1)</script>"}),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{"keep_doing": "<script>alert(1)</script>"}},
		},
		{
			name: "accept-whitespace-around-body",
			body: []byte("\n  " + string(submissionJSON(t, rated, nil)) + "\n\n"),
			want: surveys.Submission{Answers: ptrAll(4), Comments: map[string]string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := surveys.Default().DecodeSubmission(tt.body)
			if err != nil {
				t.Fatalf("DecodeSubmission: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("submission (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeSubmissionRejects(t *testing.T) {
	rated := answersAll(3)
	tests := []struct {
		name       string
		body       string
		wantFields []string // nil: a body-level error without fields
	}{
		{"reject-item-missing", string(submissionJSON(t, with(rated, "A2", deleteKey{}), nil)), []string{"answers.A2"}},
		{"reject-every-item-missing", `{"answers":{}}`, itemFields()},
		{"reject-all-not-applicable", string(submissionJSON(t, answersAll(nil), nil)), []string{"answers"}},
		{"reject-answers-absent", `{}`, []string{"answers"}},
		{"reject-answers-null", `{"answers":null}`, []string{"answers"}},
		{"reject-answers-not-object", `{"answers":[1,2,3]}`, []string{"answers"}},
		{"reject-comments-not-object", string(submissionJSON(t, rated, nil)[:len(submissionJSON(t, rated, nil))-1]) + `,"comments":"hi"}`, []string{"comments"}},
		{"reject-rating-zero", string(submissionJSON(t, with(rated, "A1", 0), nil)), []string{"answers.A1"}},
		{"reject-rating-six", string(submissionJSON(t, with(rated, "C3", 6), nil)), []string{"answers.C3"}},
		{"reject-rating-negative", string(submissionJSON(t, with(rated, "G", -1), nil)), []string{"answers.G"}},
		{"reject-rating-huge", strings.Replace(string(submissionJSON(t, rated, nil)), `"G":3`, `"G":1e400`, 1), []string{"answers.G"}},
		{"reject-rating-fraction", string(submissionJSON(t, with(rated, "S1", 4.5), nil)), []string{"answers.S1"}},
		{"reject-rating-float-form", strings.Replace(string(submissionJSON(t, rated, nil)), `"S1":3`, `"S1":3.0`, 1), []string{"answers.S1"}},
		{"reject-rating-string", string(submissionJSON(t, with(rated, "A1", "5"), nil)), []string{"answers.A1"}},
		{"reject-rating-bool", string(submissionJSON(t, with(rated, "A1", true), nil)), []string{"answers.A1"}},
		{"reject-rating-object", string(submissionJSON(t, with(rated, "A1", map[string]int{"v": 5}), nil)), []string{"answers.A1"}},
		{"reject-rating-list", string(submissionJSON(t, with(rated, "A1", []int{5}), nil)), []string{"answers.A1"}},
		{"reject-unknown-item", string(submissionJSON(t, with(rated, "X9", 3), nil)), []string{"answers.X9"}},
		{"reject-item-key-wrong-case", string(submissionJSON(t, with(with(rated, "a1", 3), "A1", deleteKey{}), nil)), []string{"answers.A1", "answers.a1"}},
		{"reject-unknown-comment", string(submissionJSON(t, rated, map[string]any{"other": "x"})), []string{"comments.other"}},
		{"reject-comment-number", string(submissionJSON(t, rated, map[string]any{"keep_doing": 5})), []string{"comments.keep_doing"}},
		{"reject-comment-1001-runes", string(submissionJSON(t, rated, map[string]any{"next_time": strings.Repeat("é", 1001)})), []string{"comments.next_time"}},
		{"reject-comment-nul", string(submissionJSON(t, rated, map[string]any{"keep_doing": "a\x00b"})), []string{"comments.keep_doing"}},
		{"reject-comment-bell", string(submissionJSON(t, rated, map[string]any{"keep_doing": "a\ab"})), []string{"comments.keep_doing"}},
		{"reject-comment-escape", string(submissionJSON(t, rated, map[string]any{"keep_doing": "a\x1b[31mb"})), []string{"comments.keep_doing"}},
		{"reject-comment-delete", string(submissionJSON(t, rated, map[string]any{"keep_doing": "a\x7fb"})), []string{"comments.keep_doing"}},
		{"reject-comment-c1-control", string(submissionJSON(t, rated, map[string]any{"keep_doing": "a\u0085b\u009bc"})), []string{"comments.keep_doing"}},
		{"reject-unknown-top-level-field", strings.TrimSuffix(string(submissionJSON(t, rated, nil)), "}") + `,"mentor":"x"}`, []string{"mentor"}},
		{
			name:       "reject-every-problem-at-once",
			body:       string(submissionJSON(t, with(with(with(rated, "A1", deleteKey{}), "C1", 9), "Z", 1), map[string]any{"keep_doing": strings.Repeat("x", 1001), "next_time": 7})),
			wantFields: []string{"answers.A1", "answers.C1", "answers.Z", "comments.keep_doing", "comments.next_time"},
		},
		{"reject-repeated-answer", strings.Replace(string(submissionJSON(t, rated, nil)), `"G":3`, `"G":3,"G":1`, 1), []string{"answers.G"}},
		{"reject-repeated-comment", string(submissionJSON(t, rated, nil)[:len(submissionJSON(t, rated, nil))-1]) + `,"comments":{"keep_doing":"a","keep_doing":"b"}}`, []string{"comments.keep_doing"}},
		{"reject-repeated-answers-object", string(submissionJSON(t, rated, nil)[:len(submissionJSON(t, rated, nil))-1]) + `,"answers":{}}`, []string{"answers"}},
		{"reject-comment-bidi-override", string(submissionJSON(t, rated, map[string]any{"keep_doing": "fine \u202egnikoms"})), []string{"comments.keep_doing"}},
		{"reject-over-16-kib", strings.TrimSuffix(string(submissionJSON(t, rated, nil)), "}") + `,"comments":{"keep_doing":"` + strings.Repeat(" ", surveys.MaxBodyBytes) + `"}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := surveys.Default().DecodeSubmission([]byte(tt.body))
			if err == nil {
				t.Fatalf("DecodeSubmission accepted it: %+v", got)
			}
			fields := invalidFields(t, err)
			want := tt.wantFields
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCleanComment(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "clean-trims-spaces", in: "  ok  ", want: "ok"},
		{name: "clean-keeps-inner-newlines-and-tabs", in: "a\n\tb", want: "a\n\tb"},
		{name: "clean-normalises-crlf", in: "a\r\nb", want: "a\nb"},
		{name: "clean-normalises-lone-cr", in: "a\rb", want: "a\nb"},
		{name: "clean-counts-runes-not-bytes", in: strings.Repeat("日", 10), want: strings.Repeat("日", 10)},
		{name: "clean-rejects-over-limit", in: strings.Repeat("a", 11), wantErr: true},
		{name: "clean-rejects-invalid-utf8", in: "a\xffb", wantErr: true},
		{name: "clean-rejects-nul", in: "a\x00", wantErr: true},
		{name: "clean-rejects-c1-control", in: "a\u0090b", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := surveys.CleanComment(tt.in, 10)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CleanComment(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CleanComment(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestDecodeSubmissionRejectsUnreadableBodiesAsMalformed: a body that is
// not one JSON object is malformed (a 400), never an invalid submission
// without fields to show.
func TestDecodeSubmissionRejectsUnreadableBodiesAsMalformed(t *testing.T) {
	valid := string(submissionJSON(t, answersAll(3), nil))
	for name, body := range map[string]string{
		"malformed-json":   `{"answers":{"A1":5,}`,
		"empty-body":       ``,
		"not-an-object":    `[1,2]`,
		"two-objects":      valid + `{}`,
		"trailing-brace":   valid + `}`,
		"trailing-garbage": valid + `x`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := surveys.Default().DecodeSubmission([]byte(body))
			var ae *surveys.Error
			if !errors.As(err, &ae) || ae.Code != surveys.EMALFORMED || len(ae.Fields) != 0 {
				t.Fatalf("DecodeSubmission(%q) = %v, want a malformed error without fields", body, err)
			}
		})
	}
}

func itemFields() []string {
	out := make([]string, len(itemKeys))
	for i, k := range itemKeys {
		out[i] = "answers." + k
	}
	return out
}

func ptrAll(v int) map[string]*int {
	m := map[string]*int{}
	for _, k := range itemKeys {
		m[k] = intp(v)
	}
	return m
}

func nilAll() map[string]*int {
	m := map[string]*int{}
	for _, k := range itemKeys {
		m[k] = nil
	}
	return m
}

func with2(m map[string]*int, key string, v *int) map[string]*int {
	out := map[string]*int{}
	for k, x := range m {
		out[k] = x
	}
	out[key] = v
	return out
}
