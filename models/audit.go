package models

import (
	"context"
	"fmt"
	"time"
)

// Audit actions. Later areas add their own (e.g. "report.view") in the same
// dotted form: area, then verb.
const (
	ActionSignIn       = "session.sign_in"
	ActionSignInFailed = "session.sign_in_failed"
	ActionSignOut      = "session.sign_out"
	// ActionSessionRevoke is a session ended from the account page or
	// DELETE /api/v1/sessions/{id}: one of the user's other devices, or
	// all of them at once (Detail says which and how many).
	ActionSessionRevoke  = "session.revoke"
	ActionTokenCreate    = "token.create"
	ActionTokenRevoke    = "token.revoke"
	ActionProgramCreate  = "program.create"
	ActionProgramUpdate  = "program.update"
	ActionMemberCreate   = "member.create"
	ActionMemberUpdate   = "member.update"
	ActionMemberImport   = "member.import"
	ActionPasswordLink   = "password.link_create"
	ActionPasswordSet    = "password.set"
	ActionAdminBootstrap = "admin.bootstrap"
	ActionReportView     = "report.view"
	ActionReportExport   = "report.export"
	ActionMeetingImport  = "meeting.import"
	// The mentee roster. Their entries name a mentee by id (Target
	// "mentee:ID"), never by address or name.
	ActionMenteeCreate  = "mentee.create"
	ActionMenteeUpdate  = "mentee.update"
	ActionMenteeImport  = "mentee.import"
	ActionMenteeApprove = "mentee.approve"
	// ActionMenteeAutoAdd is an address in a program's mentee domains added
	// to the roster when a meeting named it first.
	ActionMenteeAutoAdd = "mentee.auto_add"
	// ActionInvitationCreate is a survey link made by hand (API, page or
	// command line).
	ActionInvitationCreate = "invitation.create"
	// Instrument versions (issue 12): a draft copied, imported or
	// changed, and a version published for the program's new links.
	ActionInstrumentCreate  = "instrument.create"
	ActionInstrumentImport  = "instrument.import"
	ActionInstrumentUpdate  = "instrument.update"
	ActionInstrumentPublish = "instrument.publish"
	// The growth loop: a resident's goals and self-assessments. Their
	// entries name a goal by id ("goal:ID") or a self-assessment by
	// resident and window, with keys in Detail, never the resident's text.
	ActionGoalCreate            = "goal.create"
	ActionGoalUpdate            = "goal.update"
	ActionGoalShare             = "goal.share"
	ActionGoalUnshare           = "goal.unshare"
	ActionGoalReview            = "goal.review"
	ActionSelfAssessmentSave    = "self_assessment.save"
	ActionSelfAssessmentShare   = "self_assessment.share"
	ActionSelfAssessmentUnshare = "self_assessment.unshare"
	ActionGoalsView             = "goals.view"
	// ActionMailTest is a test email sent from the System status page or
	// the command line. Its detail says "test email" and the outcome,
	// never the address it went to.
	ActionMailTest = "mail.test"
	// Retention: a program's data past its retention_years purged, and
	// the audit log's own old entries. Detail holds counts per kind and
	// the cutoff, nothing about a person.
	ActionRetentionPurge      = "retention.purge"
	ActionRetentionAuditPurge = "retention.audit_purge"
)

// ActorOperator is AuditEntry.Actor for someone at the command line: they
// have no account (ActorID is nil) but are not anonymous either.
const ActorOperator = "operator"

// ActorSystem is AuditEntry.Actor for the service's own periodic jobs.
const ActorSystem = "system"

// AuditEntry is one line of the append-only audit log: who (ActorID, nil
// for someone not signed in; Actor is ActorOperator for the command line),
// did what (Action) to what (Target, e.g. "user:12"), in which program, with
// a short human Detail.
type AuditEntry struct {
	ID        int64 `gorm:"primaryKey"`
	CreatedAt time.Time
	ActorID   *int64
	Actor     string `gorm:"not null;default:''"`
	Action    string
	Target    string
	ProgramID *int64
	Detail    string
}

// TableName is the audit table.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit appends an entry; CreatedAt is set from the clock. Call it inside the
// transaction that makes the change, so the change and its record commit
// together.
func (d *DB) Audit(ctx context.Context, e AuditEntry) error {
	e.ID = 0
	e.CreatedAt = d.now()
	if err := d.db(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("write audit entry %s: %w", e.Action, err)
	}
	return nil
}

// AuditFilter narrows AuditLog. ProgramIDs empty means every entry (admins).
type AuditFilter struct {
	ProgramIDs []int64
	BeforeID   int64 // for paging: only entries older than this id
	Limit      int   // default 100, at most 1000
}

// AuditRow is an entry with the actor's email, for display.
type AuditRow struct {
	AuditEntry
	ActorEmail *string
}

// AuditLog lists entries newest first.
func (d *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditRow, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := d.db(ctx).Table("audit_log a").
		Select("a.*, u.email AS actor_email").
		Joins("LEFT JOIN users u ON u.id = a.actor_id")
	if len(f.ProgramIDs) > 0 {
		q = q.Where("a.program_id IN ?", f.ProgramIDs)
	}
	if f.BeforeID > 0 {
		q = q.Where("a.id < ?", f.BeforeID)
	}
	var out []AuditRow
	if err := q.Order("a.id DESC").Limit(f.Limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}
