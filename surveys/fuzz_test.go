package surveys_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// FuzzDecodeSubmission checks the invariants of answer validation on any
// body: it never panics; what it accepts is complete and clean; what it
// rejects is an invalid application error naming its fields, or a malformed
// one naming none. Seeds run in the normal suite;
// more live in testdata/fuzz/FuzzDecodeSubmission.
func FuzzDecodeSubmission(f *testing.F) {
	for _, seed := range []string{
		`{"answers":{"A1":5,"A2":4,"C1":3,"C2":2,"C3":1,"S1":5,"S2":null,"S3":4,"G":5}}`,
		`{"answers":{"A1":null,"A2":null,"C1":null,"C2":null,"C3":null,"S1":null,"S2":null,"S3":null,"G":1},"comments":{"keep_doing":"  listened  ","next_time":null}}`,
		`{"answers":{"A1":null,"A2":null,"C1":null,"C2":null,"C3":null,"S1":null,"S2":null,"S3":null,"G":null}}`,
		`{"answers":{"A1":6,"A2":0,"C1":-1,"C2":2.5,"C3":"3","S1":true,"S2":[],"S3":{},"G":1e9}}`,
		`{"answers":{"A1":5},"comments":{"keep_doing":"a\u0000b","next_time":"\u0085"}}`,
		`{"answers":{"A1":5,"A2":4,"C1":3,"C2":2,"C3":1,"S1":5,"S2":4,"S3":4,"G":5,"X":1},"comments":{"other":"x"}}`,
		`{"answers":{"A1":5,"A2":4,"C1":3,"C2":2,"C3":1,"S1":5,"S2":4,"S3":4,"G":5},"comments":{"keep_doing":"` + strings.Repeat("é", 1001) + `"}}`,
		`{"answers":{"A1":5,"A2":4,"C1":3,"C2":2,"C3":1,"S1":5,"S2":4,"S3":4,"G":5},"comments":{"next_time":"\ud800 lone surrogate"}}`,
		`{"answers":[],"comments":"x","extra":1}`,
		`{"answers":{"A1":5,"A2":4,"C1":3,"C2":2,"C3":1,"S1":5,"S2":4,"S3":4,"G":5}}}`,
		`{"ANSWERS":{"A1":5}}`,
		`null`, `[]`, `""`, ``, `{`, `{"answers":{"A1":5,"A1":"x"}}`,
	} {
		f.Add([]byte(seed))
	}
	in := surveys.Default()
	f.Fuzz(func(t *testing.T, body []byte) {
		sub, err := in.DecodeSubmission(body)
		if err != nil {
			var ae *surveys.Error
			switch {
			case !errors.As(err, &ae):
				t.Fatalf("rejection %v (%T) is not a *surveys.Error", err, err)
			case ae.Code == surveys.EINVALID && len(ae.Fields) == 0 && len(body) <= surveys.MaxBodyBytes:
				t.Fatalf("invalid without fields: %v", err)
			case ae.Code != surveys.EINVALID && ae.Code != surveys.EMALFORMED:
				t.Fatalf("rejection %v has code %q", err, ae.Code)
			}
			return
		}
		checkAccepted(t, in, sub)
	})
}

func checkAccepted(t *testing.T, in *surveys.Instrument, sub surveys.Submission) {
	t.Helper()
	if len(sub.Answers) != len(in.Items) {
		t.Fatalf("accepted %d answers, want one per item (%d)", len(sub.Answers), len(in.Items))
	}
	rated := 0
	for _, it := range in.Items {
		v, ok := sub.Answers[it.Key]
		if !ok {
			t.Fatalf("accepted submission lacks item %s", it.Key)
		}
		if v == nil {
			continue
		}
		if *v < in.Scale.Min || *v > in.Scale.Max {
			t.Fatalf("accepted %s = %d, outside %d..%d", it.Key, *v, in.Scale.Min, in.Scale.Max)
		}
		rated++
	}
	if rated == 0 {
		t.Fatal("accepted a submission with every item not applicable")
	}
	limits := map[string]int{}
	for _, c := range in.Comments {
		limits[c.Key] = c.MaxLength
	}
	for k, c := range sub.Comments {
		limit, ok := limits[k]
		if !ok {
			t.Fatalf("accepted unknown comment %q", k)
		}
		if c == "" || c != strings.TrimSpace(c) {
			t.Fatalf("comment %s = %q is empty or untrimmed", k, c)
		}
		if n := utf8.RuneCountInString(c); n > limit {
			t.Fatalf("comment %s has %d characters, limit %d", k, n, limit)
		}
		if !utf8.ValidString(c) {
			t.Fatalf("comment %s = %q is not valid UTF-8", k, c)
		}
		for _, r := range c {
			if r == 0 || unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("comment %s = %q holds control character %U", k, c, r)
			}
		}
	}
}
