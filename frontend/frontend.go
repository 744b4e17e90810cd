// Package frontend holds the server-rendered pages: HTML templates, CSS and a
// little progressive-enhancement JavaScript, embedded in the binary. Pages
// work with JavaScript off.
package frontend

import (
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/i18n"
)

//go:embed all:templates
var templateFiles embed.FS

// Static holds the files served under /static/.
//
//go:embed static
var Static embed.FS

// Pages is the parsed template set: one template per page, each combined
// with the shared layout.
type Pages struct {
	pages map[string]*template.Template
}

// staff is the catalogue's printer for the staff pages, English until
// they are translated (issue 12 keeps them English).
var staff = i18n.For(i18n.Reference)

var funcs = template.FuncMap{
	// t is a staff page's text from the catalogue.
	"t": staff.T,
	"date": func(s *string) string {
		if s == nil {
			return ""
		}
		t, err := time.Parse(time.DateOnly, *s)
		if err != nil {
			return *s
		}
		return t.Format("Monday 2 January 2006")
	},
	"datetime": func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
	"day":      func(t time.Time) string { return t.UTC().Format("2 January 2006") },
	"shortday": func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"lower":    strings.ToLower,
	"add":      func(a, b int) int { return a + b },
	"num":      groupThousands,
	"shortdate": func(s *string) string {
		if s == nil {
			return ""
		}
		t, err := time.Parse(time.DateOnly, *s)
		if err != nil {
			return *s
		}
		return t.Format("Mon 2 Jan 2006")
	},
	// linkBox is the data of the copy-link partial.
	"linkBox": func(id, url, label string) map[string]string {
		return map[string]string{"ID": id, "URL": url, "Label": label}
	},
	// pngDataURI embeds a PNG the server drew (a QR code) in the page; the
	// CSP allows img-src data:. Only server-made bytes may pass through it.
	"pngDataURI": func(png []byte) template.URL {
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	},
}

// groupThousands writes n with comma separators, as people read it: 1,000.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Load parses every page under templates/ with the layout and partials.
func Load() (*Pages, error) {
	shared, err := fs.Glob(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, append(append([]string{}, shared...), f)...)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// Render writes page name with data. Callers render into a buffer so that a
// template error never sends half a page.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("no page named %q", name)
	}
	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	return nil
}
