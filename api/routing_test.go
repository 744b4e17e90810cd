package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// A browser that asks for a path no route knows gets the pages' "page not
// found"; an API client gets a problem document; a known path with the
// wrong method is 405 either way.
func TestRoutingErrorsByClient(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, method, path, accept string
		wantStatus                 int
		wantType                   string
	}{
		{"unknown-page-browser-404-html", "GET", "/no/such/page", "text/html,application/xhtml+xml", 404, "text/html"},
		{"unknown-page-client-404-problem", "GET", "/no/such/page", "", 404, "application/problem+json"},
		{"unknown-api-404-problem", "GET", "/api/v1/no-such-route", "application/json", 404, "application/problem+json"},
		{"page-wrong-method-browser-405-html", "PUT", "/login", "text/html", 405, "text/html"},
		{"api-wrong-method-405-problem", "PUT", "/api/v1/session", "", 405, "application/problem+json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			rec := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tc.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.wantType) {
				t.Errorf("Content-Type %q, want %s", ct, tc.wantType)
			}
		})
	}
}
