package api

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerAccountRoutes registers sign-in, tokens, programs, members,
// invitations and the audit log. Every route but POST /session needs a
// session or a bearer token; tenancy is checked in each handler, because it
// depends on the resource (another program's resource is 404, an action the
// role may not take in its own program is 403).
func (s *Server) registerAccountRoutes(v1 *echo.Group) {
	auth := s.apiAuth()
	v1.POST("/session", s.signIn)
	v1.GET("/session", s.getSession, auth...)
	v1.DELETE("/session", s.signOut, auth...)

	v1.POST("/tokens", s.createToken, auth...)
	v1.GET("/tokens", s.listTokens, auth...)
	v1.DELETE("/tokens/:id", s.revokeToken, auth...)

	v1.POST("/programs", s.createProgram, append(auth, requireRole(models.RoleAdmin))...)
	v1.GET("/programs", s.listPrograms, auth...)
	v1.GET("/programs/:id", s.getProgram, auth...)
	v1.PATCH("/programs/:id", s.updateProgram, auth...)
	v1.POST("/programs/:id/members", s.createMember, auth...)
	v1.GET("/programs/:id/members", s.listMembers, auth...)
	v1.POST("/programs/:id/members/import", s.importMembers, auth...)
	v1.PATCH("/users/:id", s.updateUser, auth...)
	v1.POST("/users/:id/password-link", s.createPasswordLink, auth...)

	v1.POST("/invitations", s.createInvitation, auth...)
	v1.GET("/invitations", s.listInvitations, auth...)

	v1.GET("/audit", s.listAudit, auth...)
}

// registerAccountPages registers the server-rendered sign-in, sign-out,
// forgotten-password and set-password pages.
func (s *Server) registerAccountPages(e *echo.Echo) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginForm)
	e.POST("/logout", s.logoutForm, s.authenticate)
	e.GET("/forgot-password", s.forgotPasswordPage)
	e.POST("/forgot-password", s.forgotPasswordForm)
	e.GET("/set-password/:token", s.setPasswordPage)
	e.POST("/set-password/:token", s.setPasswordForm)
}

// audit appends an entry in ctx's transaction, with the signed-in user as
// the actor unless the entry names one. Report views and exports call it
// the same way: s.audit(ctx, c, models.AuditEntry{Action: "report.view", …}).
func (s *Server) audit(ctx context.Context, c echo.Context, e models.AuditEntry) error {
	if e.ActorID == nil {
		if u := currentUser(c); u != nil {
			e.ActorID = &u.ID
		}
	}
	return s.db.Audit(ctx, e)
}

// pathID reads a numeric path parameter; anything else names nothing, so it
// is a 404 like any unknown id.
func pathID(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, surveys.Errorf(surveys.ENOTFOUND, "%s %s does not exist", what, c.Param(name))
	}
	return id, nil
}

func userTarget(id int64) string    { return "user:" + strconv.FormatInt(id, 10) }
func programTarget(id int64) string { return "program:" + strconv.FormatInt(id, 10) }
func tokenTarget(id int64) string   { return "token:" + strconv.FormatInt(id, 10) }
