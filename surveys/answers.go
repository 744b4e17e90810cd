package surveys

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes is the largest submission body accepted.
const MaxBodyBytes = 16 << 10

// Submission is a validated answer set: every item key is present, nil means
// "not applicable", and comments are trimmed with empty ones left out.
type Submission struct {
	Answers  map[string]*int
	Comments map[string]string
}

// RawSubmission is a submission as received, before validation. Values stay
// raw so that a wrong type is reported against its own field.
type RawSubmission struct {
	Answers  map[string]json.RawMessage `json:"answers"`
	Comments map[string]json.RawMessage `json:"comments"`
}

// DecodeSubmission parses a JSON submission body and validates it against the
// instrument. A top-level field that is unknown or of the wrong type is
// reported against that field (see DecodeJSON), like the problems Validate
// finds.
func (in *Instrument) DecodeSubmission(body []byte) (Submission, error) {
	if len(body) > MaxBodyBytes {
		return Submission{}, Errorf(EINVALID, "the request body is larger than %d bytes", MaxBodyBytes)
	}
	var raw RawSubmission
	if err := DecodeJSON(body, &raw); err != nil {
		return Submission{}, err
	}
	return in.Validate(raw)
}

// Validate checks a raw submission: every rated item present with a whole
// number in the scale or null, at least one rating, no unknown keys, comments
// as strings within their length. All problems are reported at once.
func (in *Instrument) Validate(raw RawSubmission) (Submission, error) {
	sub := Submission{Answers: make(map[string]*int, len(in.Items)), Comments: map[string]string{}}
	var fields []FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if raw.Answers == nil {
		bad("answers", "answers are required: rate each statement or choose %q", NotApplicableLabel)
	}
	rated := 0
	for _, it := range in.Items {
		field := "answers." + it.Key
		v, ok := raw.Answers[it.Key]
		if !ok {
			if raw.Answers != nil {
				bad(field, "choose a rating from %d to %d, or %q", in.Scale.Min, in.Scale.Max, NotApplicableLabel)
			}
			continue
		}
		n, err := in.parseRating(v, in.AllowsNotApplicable(it))
		if err != nil {
			bad(field, "%s", err.Error())
			continue
		}
		sub.Answers[it.Key] = n
		if n != nil {
			rated++
		}
	}
	for _, k := range sortedKeys(raw.Answers) {
		if _, ok := in.Item(k); !ok {
			bad("answers."+k, "unknown question %q", k)
		}
	}
	if raw.Answers != nil && len(fields) == 0 && rated == 0 {
		bad("answers", "rate at least one statement; all of them are marked not applicable")
	}
	prompts := map[string]CommentPrompt{}
	for _, c := range in.Comments {
		prompts[c.Key] = c
	}
	for _, k := range sortedKeys(raw.Comments) {
		field := "comments." + k
		p, ok := prompts[k]
		if !ok {
			bad(field, "unknown comment %q", k)
			continue
		}
		text, err := parseComment(raw.Comments[k], p.MaxLength)
		if err != nil {
			bad(field, "%s", err.Error())
			continue
		}
		if text != "" {
			sub.Comments[k] = text
		}
	}
	if len(fields) > 0 {
		return Submission{}, Invalid("some answers need another look", fields)
	}
	return sub, nil
}

func (in *Instrument) parseRating(v json.RawMessage, allowNA bool) (*int, error) {
	s := strings.TrimSpace(string(v))
	if s == "null" {
		if !allowNA {
			return nil, fmt.Errorf("a rating is required; this statement has no %q choice", in.NotApplicableText())
		}
		return nil, nil
	}
	var n int
	if err := json.Unmarshal(v, &n); err != nil {
		if !allowNA {
			return nil, fmt.Errorf("must be a whole number from %d to %d", in.Scale.Min, in.Scale.Max)
		}
		return nil, fmt.Errorf("must be a whole number from %d to %d, or null for %q", in.Scale.Min, in.Scale.Max, NotApplicableLabel)
	}
	if n < in.Scale.Min || n > in.Scale.Max {
		return nil, fmt.Errorf("must be from %d to %d, got %d", in.Scale.Min, in.Scale.Max, n)
	}
	return &n, nil
}

func parseComment(v json.RawMessage, max int) (string, error) {
	if strings.TrimSpace(string(v)) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("must be text")
	}
	return CleanComment(s, max)
}

// CleanComment trims a comment and checks it as multi-line text (CheckText:
// valid UTF-8, no control characters but line breaks and tabs, no
// text-direction overrides, something visible), at most max characters.
// Messages are sentences of their own, shown to the mentee beside the box.
func CleanComment(s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrCommentInvalidText
	}
	s = strings.TrimSpace(lineBreaks.Replace(s))
	switch err := CheckText(s, true); err {
	case nil:
	case errTextControl:
		return "", ErrCommentControl
	case errTextBidi:
		return "", ErrCommentBidi
	default:
		return "", ErrCommentInvisible
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", &CommentTooLongError{Length: n, Max: max}
	}
	return s, nil
}

// lineBreaks normalises Windows and old Mac line ends to "\n".
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
