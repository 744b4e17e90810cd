package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// usedKey finds message keys written out in templates ({{.P.T "key"}},
// {{t "key"}}) and Go code (p.T("key"), T("key", …)); keys built at run
// time ("month." + n) are checked by the tests of their callers.
var usedKey = regexp.MustCompile(`\b[Tt][ (]"([a-z_]+\.[a-z0-9_.]+)"[ ,)}]`)

// Every key the pages and emails name exists in the catalogue, so no
// mentee ever reads a bare key.
func TestEveryKeyTheCodeNamesIsInTheCatalogue(t *testing.T) {
	var files []string
	for _, glob := range []string{"../frontend/templates/*.html", "../api/web/*.go", "../delivery/*.go", "../frontend/*.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	found := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usedKey.FindAllStringSubmatch(string(b), -1) {
			found++
			if _, ok := messages[Reference][m[1]]; !ok {
				t.Errorf("%s names %q, which the catalogue lacks", filepath.Base(f), m[1])
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d message keys in the code: is the pattern still right?", found)
	}
}
