package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
)

var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openAPI()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

func init() {
	// The PDFs are files; the validator needs to know how to read one.
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
}

// serveChecked serves r through h into w and, for an /api/v1 path, checks
// the exchange against the OpenAPI document: the response must be one the
// document describes for the route (status, content type, body), and a
// request the document refuses must have been refused (4xx), so the
// document never asks less than the server accepts. Tests that send bad
// requests on purpose stay valid; a server that answers something the
// document does not say fails them.
func serveChecked(t testing.TB, h http.Handler, w *httptest.ResponseRecorder, r *http.Request) {
	t.Helper()
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			t.Fatalf("read request body: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	// The clone is taken before serving: handlers may change the request.
	check := r.Clone(context.Background())
	h.ServeHTTP(w, r)
	if !strings.HasPrefix(check.URL.Path, "/api/v1/") {
		return
	}
	if err := checkExchange(check, body, w); err != nil {
		t.Errorf("%s %s → %d does not match the OpenAPI document (api/openapi/openapi.json): %v", check.Method, check.URL.RequestURI(), w.Code, err)
	}
}

// checkExchange validates one request and its recorded response.
func checkExchange(r *http.Request, body []byte, w *httptest.ResponseRecorder) error {
	router, err := openAPIRouter()
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if r.Host == "" || r.Host == "example.com" {
		r.Host = "feedback.test"
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		if w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
			return nil // not a route: the router's refusal, which the route walk covers
		}
		return fmt.Errorf("no documented route: %w", err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: credentialPresent, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr != nil && (w.Code < 400 || w.Code >= 500) {
		return fmt.Errorf("the document refuses a request the server answered %d: %w", w.Code, reqErr)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.Code,
		Header:                 w.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(w.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("response: %w (body %.300s)", err, w.Body.String())
	}
	return nil
}

// credentialPresent satisfies a security scheme when the request carries
// its credential; whether the credential is good is the server's to say,
// and the response is checked either way.
func credentialPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "sessionCookie":
		if _, err := r.Cookie(httpkit.SessionCookie); err != nil {
			return fmt.Errorf("no %s cookie", httpkit.SessionCookie)
		}
	case "csrfHeader":
		if r.Header.Get(httpkit.CSRFHeader) == "" {
			return fmt.Errorf("no %s header", httpkit.CSRFHeader)
		}
	case "bearerToken":
		scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return errors.New("no bearer token")
		}
	default:
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	return nil
}
