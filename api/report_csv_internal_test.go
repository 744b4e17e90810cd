package api

import (
	"strings"
	"testing"
)

func TestSafeCell(t *testing.T) {
	tests := map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Dr. Ana": "Dr. Ana", "": "", "a=b": "a=b",
	}
	for in, want := range tests {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every separator a spreadsheet locale splits on, and what encoding/csv
// quotes, makes a quoted cell; quotes inside are doubled.
func TestCSVWriterQuotesLocaleSeparators(t *testing.T) {
	var b strings.Builder
	w := newCSVWriter(&b)
	w.Write([]string{"a,b", "a;b", "a\tb", `say "hi"`, "two\nlines", " lead", "plain", ""})
	w.Flush()
	want := `"a,b","a;b","a` + "\t" + `b","say ""hi""","two` + "\n" + `lines"," lead",plain,` + "\n"
	if err := w.Error(); err != nil || b.String() != want {
		t.Errorf("row = %q (err %v), want %q", b.String(), err, want)
	}
}
