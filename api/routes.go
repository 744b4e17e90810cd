package api

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/frontend"
)

// routes registers every route, one area per function.
func (s *Server) routes() {
	s.e.GET("/healthz", s.healthz)
	s.e.GET("/readyz", s.readyz)
	static, _ := fs.Sub(frontend.Static, "static")
	s.e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static)))))

	v1 := s.e.Group("/api/v1")
	s.registerSurveyRoutes(v1)
	s.registerAccountRoutes(v1)
	if s.cfg.Delivery != nil {
		s.registerMeetingRoutes(v1)
	}
	s.registerReportRoutes(v1)
	s.registerSurveyPages(s.e)
	s.registerAccountPages(s.e)
	s.registerReportPages(s.e)
	s.registerPages(s.e)
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		s.log.Warn("database not ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
