package api

import (
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

// userView is the signed-in user, in the session body.
type userView struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	ProgramID *int64 `json:"program_id"`
	PGYYear   *int   `json:"pgy_year"`
}

func newUserView(u *models.User) userView {
	return userView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, ProgramID: u.ProgramID, PGYYear: u.PGYYear}
}

// sessionView is the body of POST and GET /api/v1/session. csrf_token is ""
// for a bearer token, which needs none.
type sessionView struct {
	User      userView `json:"user"`
	CSRFToken string   `json:"csrf_token"`
}

// memberView is a program member; setup_url only when just created, and
// setup_email ("queued") when that link was also emailed to them.
type memberView struct {
	ID         int64  `json:"id"`
	Email      string `json:"email"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	PGYYear    *int   `json:"pgy_year"`
	Active     bool   `json:"active"`
	SetupURL   string `json:"setup_url,omitempty"`
	SetupEmail string `json:"setup_email,omitempty"`
}

func newMemberView(u *models.User) memberView {
	return memberView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, PGYYear: u.PGYYear, Active: u.Active}
}

// programView is a program with its report threshold and its rules for
// emailed links.
type programView struct {
	ID                int64  `json:"id"`
	Name              string `json:"name"`
	MinResponses      int    `json:"min_responses"`
	ReminderAfterDays int    `json:"reminder_after_days"`
	MaxReminders      int    `json:"max_reminders"`
	LinkLifetimeDays  int    `json:"link_lifetime_days"`
	// The release rule: see docs/reports.md.
	ReleaseWindow          string `json:"release_window"`
	AcademicYearStartMonth int    `json:"academic_year_start_month"`
	MinMentees             int    `json:"min_mentees"`
	// MenteeEmailDomains are the domains whose addresses are accepted as
	// mentees on first use; [] when none.
	MenteeEmailDomains []string `json:"mentee_email_domains"`
	// SurveyLanguages are the languages the program's links offer; the
	// first is the language of its emails and reminders.
	SurveyLanguages []string `json:"survey_languages"`
	// RetentionYears is how long released data is kept (docs/privacy.md).
	RetentionYears int `json:"retention_years"`
	// RequireSecondFactorFor is none, directors or staff
	// (docs/accounts.md, "Second factor").
	RequireSecondFactorFor string `json:"require_second_factor_for"`
}

func newProgramView(p *models.Program) programView {
	return programView{ID: p.ID, Name: p.Name, MinResponses: p.MinResponses,
		ReminderAfterDays: p.ReminderAfterDays, MaxReminders: p.MaxReminders, LinkLifetimeDays: p.LinkLifetimeDays,
		ReleaseWindow: p.ReleaseWindow, AcademicYearStartMonth: p.AcademicYearStartMonth, MinMentees: p.MinMentees,
		MenteeEmailDomains: p.MenteeDomains(), SurveyLanguages: p.Languages(), RetentionYears: p.RetentionYears,
		RequireSecondFactorFor: p.RequireSecondFactorFor}
}

// passwordLinkView is a set-password link, shown once to whoever made it.
type passwordLinkView struct {
	URL       string    `json:"url"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
}

// createdTokenView is the one time a token's secret is shown.
type createdTokenView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

type tokenView struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// auditView is an audit entry. Actor is models.ActorOperator for the
// command line and empty otherwise, where actor_id tells a user from nobody.
type auditView struct {
	ID         int64     `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	ActorID    *int64    `json:"actor_id"`
	ActorEmail *string   `json:"actor_email"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Target     string    `json:"target"`
	ProgramID  *int64    `json:"program_id"`
	Detail     string    `json:"detail"`
}

type importErrorView struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type importView struct {
	Created int               `json:"created"`
	Updated int               `json:"updated"`
	Errors  []importErrorView `json:"errors"`
}
