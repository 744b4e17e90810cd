package web

import (
	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/models"
)

// registerAccountPages registers the server-rendered sign-in, sign-out,
// forgotten-password and set-password pages.
func (s *Server) registerAccountPages(e *httpkit.Routes) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginForm)
	e.POST("/logout", s.logoutForm, s.Authenticate)
	e.GET("/forgot-password", s.forgotPasswordPage)
	e.POST("/forgot-password", s.forgotPasswordForm)
	e.GET("/set-password/:token", s.setPasswordPage)
	e.POST("/set-password/:token", s.setPasswordForm)
	s.registerOIDCPages(e)
	// The second step of a sign-in (login_second_factor.go), from the
	// pending sign-in's cookie.
	e.GET(httpkit.CodePath, s.codePage)
	e.POST(httpkit.CodePath, s.codeForm)
	e.GET(httpkit.EnrolPath, s.enrolPage)
	e.POST(httpkit.EnrolPath+"/confirm", s.enrolForm)
}

// registerPages registers the signed-in pages: the way in (/), the
// resident's home, the director's roster and the admin's programs. Every
// form POST parses its body (bounded) before authenticate, which reads the
// csrf_token field from it.
func (s *Server) registerPages(e *httpkit.Routes) {
	page := s.PageAuth()
	form := func(limit int64, roles ...string) []echo.MiddlewareFunc {
		return append(append([]echo.MiddlewareFunc{formBody(limit)}, page...), httpkit.RequireRole(roles...))
	}
	get := func(roles ...string) []echo.MiddlewareFunc {
		return append(append([]echo.MiddlewareFunc{}, page...), httpkit.RequireRole(roles...))
	}
	// A program's pages check no role: rosterProgram asks accounts, which
	// answers another program's roster 404 like a missing one and a
	// resident's own 403, for every role alike.
	programForm := func(limit int64) []echo.MiddlewareFunc {
		return append([]echo.MiddlewareFunc{formBody(limit)}, page...)
	}
	resident, director, admin := models.RoleResident, models.RoleDirector, models.RoleAdmin

	e.GET("/", s.rootPage, s.Authenticate)
	// Everyone's own account (account.go): any role.
	own := append([]echo.MiddlewareFunc{formBody(maxFormBytes)}, page...)
	e.GET("/account", s.accountPage, page...)
	e.POST("/account/sessions/end-others", s.endOtherSessionsForm, own...)
	e.POST("/account/sessions/:id/end", s.endSessionForm, own...)
	e.POST("/account/tokens", s.createTokenForm, own...)
	e.POST("/account/tokens/:id/revoke", s.revokeTokenForm, own...)
	e.GET("/programs", s.programsPage, get(director, admin)...)

	e.GET("/home", s.homePage, get(resident)...)
	// The growth loop (growth_self.go, growth_goals.go): the resident's
	// own self-assessments and goals.
	e.GET("/home/self-assessment/:window", s.selfAssessmentPage, get(resident)...)
	e.POST("/home/self-assessment/:window", s.selfAssessmentForm, form(maxFormBytes, resident)...)
	e.GET("/home/goals/new", s.newGoalPage, get(resident)...)
	e.POST("/home/goals", s.createGoalForm, form(maxFormBytes, resident)...)
	e.GET("/home/goals/:id", s.goalPage, get(resident)...)
	e.POST("/home/goals/:id", s.updateGoalForm, form(maxFormBytes, resident)...)
	e.POST("/home/goals/:id/review", s.reviewGoalForm, form(maxFormBytes, resident)...)
	if s.Cfg.Delivery != nil {
		e.POST("/home/meetings", s.recordMeetingForm, form(maxFormBytes, resident)...)
		e.POST("/home/code", s.newCodeForm, form(maxFormBytes, resident)...)
		e.POST("/programs/:id/roster/meetings/import", s.importMeetingsForm, programForm(csvimport.MaxBytes+64<<10)...)
	}

	// The account's second factor (account_second_factor.go); an admin
	// resets a member's from the roster.
	e.GET("/account/second-factor", s.secondFactorPage, page...)
	e.POST("/account/second-factor/start", s.startSecondFactorForm, programForm(maxFormBytes)...)
	e.POST("/account/second-factor/confirm", s.confirmSecondFactorForm, programForm(maxFormBytes)...)
	e.POST("/account/second-factor/recovery-codes", s.recoveryCodesForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/members/:uid/second-factor/reset", s.resetSecondFactorForm, form(maxFormBytes, admin)...)

	e.GET("/programs/:id/roster", s.rosterPage, page...)
	e.POST("/programs/:id/roster/members", s.addMemberForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/import", s.importMembersForm, programForm(csvimport.MaxBytes+64<<10)...)
	e.POST("/programs/:id/roster/members/:uid", s.updateMemberForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/members/:uid/password-link", s.passwordLinkForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/members/:uid/setup-email", s.resendSetupEmailForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/mentees", s.addMenteeForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/mentees/import", s.importMenteesForm, programForm(csvimport.MaxBytes+64<<10)...)
	e.POST("/programs/:id/roster/mentees/:mid", s.updateMenteeForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/roster/mentees/:mid/approve", s.approveMenteeForm, programForm(maxFormBytes)...)

	// A program's instruments (instruments.go): the same access as the
	// roster, decided by accounts for every role alike.
	e.GET("/programs/:id/instruments", s.instrumentsPage, page...)
	e.POST("/programs/:id/instruments", s.newDraftForm, programForm(maxFormBytes)...)
	e.POST("/programs/:id/instruments/import", s.importDraftForm, programForm(maxInstrumentForm+64<<10)...)
	e.GET("/programs/:id/instruments/:key/:version", s.editorPage, page...)
	e.POST("/programs/:id/instruments/:key/:version", s.editorForm, programForm(maxInstrumentForm)...)
	e.GET("/programs/:id/instruments/:key/:version/preview", s.previewPage, page...)
	e.POST("/programs/:id/instruments/:key/:version/preview", s.previewForm, programForm(maxFormBytes)...)
	e.GET("/programs/:id/instruments/:key/:version/publish", s.publishPage, page...)
	e.POST("/programs/:id/instruments/:key/:version/publish", s.publishForm, programForm(maxFormBytes)...)

	e.GET("/admin/programs", s.adminProgramsPage, get(admin)...)
	e.POST("/admin/programs", s.createProgramForm, form(maxFormBytes, admin)...)
	e.POST("/admin/programs/:id", s.updateProgramForm, form(maxFormBytes, admin)...)
	e.POST("/admin/programs/:id/delivery", s.updateDeliveryForm, form(maxFormBytes, admin)...)
	e.POST("/admin/programs/:id/release", s.updateReleaseForm, form(maxFormBytes, admin)...)
	e.GET("/admin/status", s.adminStatusPage, get(admin)...)
	if s.Cfg.Delivery != nil {
		e.POST("/admin/status/test-email", s.testEmailForm, form(maxFormBytes, admin)...)
	}
}

// registerReportPages registers the report pages. They read the same
// reports as the API, through the same access decisions.
func (s *Server) registerReportPages(e *httpkit.Routes) {
	auth := s.PageAuth()
	e.GET("/dashboard", s.dashboardPage, auth...)
	e.GET("/residents/:id/report", s.residentReportPage, auth...)
	e.GET("/programs/:id/report", s.programReportPage, auth...)
}

// registerSurveyPages registers the mentee's server-rendered pages.
func (s *Server) registerSurveyPages(g *httpkit.Routes) {
	sg := g.Group("/s", s.LimitSurveys)
	sg.GET("/:token", s.surveyPage)
	sg.POST("/:token", s.submitSurveyForm)
	sg.POST("/:token/decline", s.declineSurveyForm)
	if s.Cfg.Delivery != nil {
		// The QR request page: public, per-IP limited like the survey
		// pages, and per address on its form (see request.go).
		rg := g.Group("/r", s.LimitSurveys)
		rg.GET("/:code", s.requestPage)
		rg.POST("/:code", s.requestForm)
	}
}
