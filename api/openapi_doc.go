package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDocument is the OpenAPI 3.1 description of every /api/v1 route,
// written by hand and kept true by the tests: openapi_routes_test.go walks
// the routes and the document both ways, and the API tests' helpers check
// each request and response against it.
//
//go:embed openapi/openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI document served at
// GET /api/v1/openapi.json.
func OpenAPIDocument() []byte { return openAPIDocument }

// openAPI serves the document. It is public and the same for everyone, so
// caches may keep it; an instance of a new version serves its own.
func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}
