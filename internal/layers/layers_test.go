package layers

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/mentorpulse/mentorpulse/"

// allowed lists, per package directory, the packages of this module its
// non-test files may import (docs/architecture.md, "Packages and what each
// may import"). A directory not listed here fails the test, so a new
// package must be placed in the layers on purpose.
var allowed = map[string][]string{
	"surveys":               {},
	"frontend":              {"i18n"},
	"i18n":                  {},
	"csvimport":             {"surveys"},
	"models":                {"surveys", "csvimport"},
	"models/dbtest":         {"models"},
	"accounts":              {"models", "surveys", "i18n"},
	"delivery":              {"models", "surveys", "csvimport", "i18n"},
	"delivery/deliverytest": {"delivery"},
	"growth":                {"models", "surveys", "accounts"},
	"api/metrics":           {"delivery", "models"},
	"api/httpkit":           {"api/metrics", "accounts", "delivery", "growth", "models", "surveys", "csvimport"},
	"api/web":               {"api/httpkit", "accounts", "delivery", "growth", "models", "surveys", "csvimport", "frontend", "i18n"},
	"api":                   {"api/httpkit", "api/web", "accounts", "delivery", "growth", "models", "surveys", "csvimport", "frontend", "i18n"},
	"cmd/mentorpulse":       {"api", "api/metrics", "accounts", "delivery", "growth", "models", "surveys", "csvimport"},
	"cmd/loadgen":           {"models", "surveys"},
	"internal/layers":       {},
}

// Only the HTTP adapter speaks Echo.
var echoAllowed = []string{"api", "api/httpkit", "api/web"}

func TestPackagesImportOnlyTheirLayers(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		ok, listed := allowed[rel]
		if !listed {
			t.Errorf("%s: package directory %q is in no layer; add it to allowed and to docs/architecture.md", path, rel)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(p, "github.com/labstack/echo") && !slices.Contains(echoAllowed, rel) {
				t.Errorf("%s imports Echo; only %v may", filepath.Base(path), echoAllowed)
			}
			if dep, ours := strings.CutPrefix(p, module); ours && !slices.Contains(ok, dep) {
				t.Errorf("%s/%s imports %s, which its layer may not (allowed: %v)", rel, filepath.Base(path), dep, ok)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range allowed {
		if !seen[dir] {
			t.Errorf("allowed lists %q, which has no Go files: remove it", dir)
		}
	}
}
