package surveys_test

import (
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestCheckTextRefusesWhatNoFieldShouldHold: bytes PostgreSQL cannot store,
// characters that act on terminals or reorder what a director reads, and
// names made of nothing visible are refused, while names in any script pass.
func TestCheckTextRefusesWhatNoFieldShouldHold(t *testing.T) {
	tests := []struct {
		name, in  string
		multiline bool
		ok        bool
	}{
		{name: "accept-empty", in: "", ok: true},
		{name: "accept-latin-accents", in: "Chloé Ærøskøbing", ok: true},
		{name: "accept-cjk", in: "山田 太郎", ok: true},
		{name: "accept-arabic-with-marks", in: "\u200fمحمد\u200e", ok: true},
		{name: "accept-joined-emoji", in: "Sam 👩\u200d⚕️", ok: true},
		{name: "accept-email", in: "chloe.o'neil+pgy2@example.org", ok: true},
		{name: "accept-newline-when-multiline", in: "one\n\ttwo", multiline: true, ok: true},
		{name: "reject-nul", in: "a\x00b"},
		{name: "reject-nul-multiline", in: "a\x00b", multiline: true},
		{name: "reject-invalid-utf8", in: "a\xffb"},
		{name: "reject-lone-surrogate-bytes", in: "a\xed\xa0\x80b"},
		{name: "reject-escape", in: "a\x1b[31mb", multiline: true},
		{name: "reject-delete", in: "a\x7f"},
		{name: "reject-c1", in: "a\u0085b"},
		{name: "reject-newline-single-line", in: "a\nb"},
		{name: "reject-tab-single-line", in: "a\tb"},
		{name: "reject-carriage-return-single-line", in: "a\rb"},
		{name: "reject-line-separator-single-line", in: "a\u2028b"},
		{name: "reject-right-to-left-override", in: "Ann\u202eeon"},
		{name: "reject-left-to-right-embedding", in: "\u202aAnn"},
		{name: "reject-first-strong-isolate", in: "Ann\u2068x\u2069", multiline: true},
		{name: "reject-zero-width-only", in: "\u200b\u200c\u200d"},
		{name: "reject-spaces-and-bom-only", in: " \ufeff "},
		{name: "reject-hangul-filler-only", in: "\u3164"},
		{name: "reject-blank-lines-only", in: "\n\n\t", multiline: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := surveys.CheckText(tt.in, tt.multiline)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckText(%q, %t) = %v, want ok %t", tt.in, tt.multiline, err, tt.ok)
			}
		})
	}
}
