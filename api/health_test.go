package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if rec := f.get(path); rec.Code != http.StatusOK {
			t.Errorf("%s with the database up: status %d, want 200", path, rec.Code)
		}
	}
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	if rec := f.get("/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: status %d, want 503", rec.Code)
	}
	if rec := f.get("/healthz"); rec.Code != http.StatusOK {
		t.Errorf("/healthz with the database closed: status %d, want 200 (the process still runs)", rec.Code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	unknown := f.newLink(linkUnknown)
	tests := []struct {
		name, method, path, ct, body string
		wantStatus                   int
	}{
		{"headers-survey-page-200", "GET", "/s/" + token, "", "", 200},
		{"headers-form-422", "POST", "/s/" + token, "application/x-www-form-urlencoded", "A1=9", 422},
		{"headers-unknown-page-404", "GET", "/s/" + unknown, "", "", 404},
		{"headers-api-200", "GET", "/api/v1/surveys/" + token, "", "", 200},
		{"headers-api-415", "POST", "/api/v1/surveys/" + token, "text/plain", "x", 415},
		{"headers-no-route-404", "GET", "/nowhere", "", "", 404},
		{"headers-static-200", "GET", "/static/app.css", "", "", 200},
		{"headers-healthz-200", "GET", "/healthz", "", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.do(tt.method, tt.path, tt.ct, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
				t.Errorf("CSP %q allows inline script or any origin", csp)
			}
			if got := h.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy = %q, want no-referrer", got)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if h.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

func TestClientRequestIDNotTrusted(t *testing.T) {
	f := newFixture(t)
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("X-Request-Id", "forged-id-from-client")
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); got == "" || got == "forged-id-from-client" {
		t.Errorf("X-Request-Id = %q, want a fresh server id", got)
	}
	if strings.Contains(f.logs.String(), "forged-id-from-client") {
		t.Errorf("a client's request id reached the log:\n%s", f.logs)
	}
}
