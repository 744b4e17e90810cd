package api

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/frontend"
	"github.com/mentorpulse/mentorpulse/models"
)

// routes registers the JSON API, one area per function, and the health
// and static routes. The pages are registered by web.Register.
func (s *Server) routes() {
	s.e.GET("/healthz", s.healthz)
	s.e.GET("/readyz", s.readyz)
	static, _ := fs.Sub(frontend.Static, "static")
	s.e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static)))))

	v1 := s.e.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	s.registerSurveyRoutes(httpkit.NewRoutes(s.e, "/api/v1/surveys", s.LimitSurveys))
	s.registerAccountRoutes(v1)
	s.registerMenteeRoutes(v1)
	if s.Cfg.Delivery != nil {
		s.registerMeetingRoutes(v1)
	}
	s.registerReportRoutes(v1)
	s.registerInstrumentRoutes(v1)
	s.registerGrowthRoutes(v1)
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
	if err := s.DB.Ping(c.Request().Context()); err != nil {
		s.Log.Warn("database not ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// registerAccountRoutes registers sign-in, tokens, programs, members and
// the audit log. No route makes or lists survey links: a link is made only
// for a recorded meeting and travels only to its mentee's inbox. Every route but POST /session needs a
// session or a bearer token; tenancy is checked in each handler, because it
// depends on the resource (another program's resource is 404, an action the
// role may not take in its own program is 403).
func (s *Server) registerAccountRoutes(v1 *echo.Group) {
	auth := s.APIAuth()
	v1.POST("/session", s.signIn)
	v1.POST("/session/second-factor", s.submitSecondFactor)
	v1.GET("/session", s.getSession, auth...)
	v1.DELETE("/session", s.signOut, auth...)

	v1.POST("/tokens", s.createToken, auth...)
	v1.GET("/tokens", s.listTokens, auth...)
	v1.DELETE("/tokens/:id", s.revokeToken, auth...)
	// The signed-in user's own sessions (session_list.go), as on the
	// account page.
	v1.GET("/sessions", s.listSessions, auth...)
	v1.DELETE("/sessions/:id", s.endSession, auth...)

	v1.POST("/programs", s.createProgram, append(auth, httpkit.RequireRole(models.RoleAdmin))...)
	v1.GET("/programs", s.listPrograms, auth...)
	v1.GET("/programs/:id", s.getProgram, auth...)
	v1.PATCH("/programs/:id", s.updateProgram, auth...)
	v1.POST("/programs/:id/members", s.createMember, auth...)
	v1.GET("/programs/:id/members", s.listMembers, auth...)
	v1.POST("/programs/:id/members/import", s.importMembers, auth...)
	v1.PATCH("/users/:id", s.updateUser, auth...)
	v1.POST("/users/:id/password-link", s.createPasswordLink, auth...)
	v1.POST("/users/:id/second-factor/reset", s.resetSecondFactor, auth...)

	v1.GET("/audit", s.listAudit, auth...)
}
