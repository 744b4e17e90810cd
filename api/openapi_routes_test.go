package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
)

// openAPI is the served document, loaded and validated once for every test.
var openAPI = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIDocument())
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	return doc, nil
})

// echoParam is a path parameter as Echo writes it (:id); OpenAPI writes {id}.
var echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// TestOpenAPIDocumentsEveryRoute walks the Echo routes and the document
// both ways: every /api/v1 route is documented with its method and path,
// and every documented operation is a route.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	doc, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, r := range f.srv.Echo().Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == echoAny {
			continue
		}
		routed[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if len(routed) < 40 {
		t.Fatalf("found only %d /api/v1 routes: the fixture registers the meeting routes, so some are missing", len(routed))
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for _, k := range sortedKeys(routed) {
		if !documented[k] {
			t.Errorf("route %s is not in api/openapi/openapi.json: document it", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !routed[k] {
			t.Errorf("api/openapi/openapi.json documents %s, which is not a route", k)
		}
	}
}

// echoAny is the method Echo lists for a route of every method.
const echoAny = "echo_route_any"

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIServed checks that the document is public, cacheable, the
// embedded file, OpenAPI 3.1, and that its security schemes name the cookie
// and headers the server reads.
func TestOpenAPIServed(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	w := f.do(http.MethodGet, "/api/v1/openapi.json", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q: the document is the same for everyone and may be cached", cc)
	}
	doc, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if !bytes.Contains(w.Body.Bytes(), []byte(`"openapi": "`+doc.OpenAPI+`"`)) {
		t.Errorf("served document is not the embedded one")
	}
	schemes := doc.Components.SecuritySchemes
	for name, want := range map[string][2]string{
		"sessionCookie": {"cookie", httpkit.SessionCookie},
		"csrfHeader":    {"header", httpkit.CSRFHeader},
	} {
		s := schemes[name]
		if s == nil || s.Value.Type != "apiKey" || s.Value.In != want[0] || s.Value.Name != want[1] {
			t.Errorf("security scheme %s is %+v, want an apiKey in %s named %s", name, s, want[0], want[1])
		}
	}
	if s := schemes["bearerToken"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("security scheme bearerToken is %+v, want http bearer", s)
	}
	p := doc.Components.Schemas["Problem"]
	if p == nil || p.Value.Properties["errors"] == nil {
		t.Errorf("the Problem schema lacks errors[]")
	}
}
