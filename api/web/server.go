// Package web is the server-rendered side of Mentorpulse: the mentee's
// survey pages, sign-in, the resident's home and dashboard, the director's
// roster and reports, the admin's programs, and the PDF report. It shares
// authentication, access checks, rate limits and the error mapping with the
// JSON API through api/httpkit; it never imports the api package.
package web

import (
	"bytes"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/frontend"
)

// Server holds the pages' dependencies: the shared kit and the templates.
type Server struct {
	*httpkit.Kit
	pages *frontend.Pages
}

// Register adds every page route to e in one route group whose errors are
// shown as pages (the JSON API's errors are problem documents). A browser
// asking for a path no route knows also gets a page.
func Register(e *echo.Echo, kit *httpkit.Kit) error {
	pages, err := frontend.Load()
	if err != nil {
		return err
	}
	s := &Server{Kit: kit, pages: pages}
	kit.ShowRoutingErrorsWith(s.renderError)
	g := httpkit.NewRoutes(e, "", httpkit.RenderErrorsWith(s.renderError))
	s.registerSurveyPages(g)
	s.registerAccountPages(g)
	s.registerReportPages(g)
	s.registerPages(g)
	return nil
}

// render writes a page as HTML.
func (s *Server) render(c echo.Context, status int, page string, data any) error {
	var buf bytes.Buffer
	if err := s.pages.Render(&buf, page, data); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}
