// Package accounts holds the use cases of programs, members and links that
// the JSON API, the pages and the command line share: each checks who may
// act, validates its input, and makes its change and its audit entry in one
// transaction. It knows no HTTP.
package accounts

import (
	"context"
	"fmt"
	"strconv"

	"github.com/mentorpulse/mentorpulse/models"
)

// Config is what the use cases need from the deployment.
type Config struct {
	// BaseURL is the public origin links are built on, e.g.
	// https://feedback.example.org; empty gives paths like /s/TOKEN.
	BaseURL string
	// SetupEmails, when set, emails new members their set-password links
	// (delivery.Service, when a mail server is configured); nil shows each
	// link once to whoever added the member instead.
	SetupEmails SetupEmails
	// SessionLimits are the deployment's session timeouts; a session past
	// them is not listed on the account page. Zero values are the defaults.
	SessionLimits models.SessionLimits
	// SecondFactorNotices, when set, emails a user whose second factor an
	// admin reset (delivery.Service, whenever delivery runs).
	SecondFactorNotices SecondFactorNotices
}

// SetupEmails queues the email of a set-password link just made, in the
// transaction carried by ctx, so that the link, its sealed token and the
// job commit together. The token is the link's, in clear: the
// implementation seals it into the link's row and never logs it.
type SetupEmails interface {
	QueueSetupEmail(ctx context.Context, linkID int64, token string) error
}

// Service runs the account use cases over a database.
type Service struct {
	db  *models.DB
	cfg Config
	v   inputValidator
}

// New builds the service.
func New(db *models.DB, cfg Config) *Service {
	return &Service{db: db, cfg: cfg, v: newValidator()}
}

// audit appends an entry on behalf of the actor; call it inside the
// transaction that makes the change.
func (s *Service) audit(ctx context.Context, a Actor, e models.AuditEntry) error {
	switch {
	case a.operator:
		e.Actor = models.ActorOperator
	case a.user != nil:
		e.ActorID = &a.user.ID
	}
	return s.db.Audit(ctx, e)
}

// EmailsSetupLinks reports whether new members get their set-password link
// by email (else it is shown once to whoever added them).
func (s *Service) EmailsSetupLinks() bool { return s.cfg.SetupEmails != nil }

func userTarget(id int64) string    { return "user:" + strconv.FormatInt(id, 10) }
func programTarget(id int64) string { return "program:" + strconv.FormatInt(id, 10) }

// memberDetail describes an account for the audit log, without secrets.
func memberDetail(u *models.User) string {
	d := fmt.Sprintf("%s %s %q", u.Role, u.Email, u.Name)
	if u.PGYYear != nil {
		d += fmt.Sprintf(" PGY-%d", *u.PGYYear)
	}
	return d
}
