package models

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Retention bounds, in years: a program's data (Program.RetentionYears)
// and the audit log's entries (the operator's setting) are kept at least
// MinRetentionYears and by default DefaultRetentionYears.
const (
	DefaultRetentionYears = 7
	MinRetentionYears     = 1
	MaxRetentionYears     = 100
)

func validRetention(years int) error {
	if years < MinRetentionYears || years > MaxRetentionYears {
		return surveys.Invalid("the retention setting is not valid", []surveys.FieldError{{Field: "retention_years",
			Message: fmt.Sprintf("must be from %d to %d", MinRetentionYears, MaxRetentionYears)}})
	}
	return nil
}

// UpdateRetention changes how many years a program's data is kept; the
// next purge applies it.
func (d *DB) UpdateRetention(ctx context.Context, programID int64, years int) error {
	if err := validRetention(years); err != nil {
		return err
	}
	res := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Update("retention_years", years)
	if res.Error != nil {
		return fmt.Errorf("update retention: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	return nil
}

// ProgramPurge is what one purge removed from a program, in counts, and
// where it cut.
type ProgramPurge struct {
	// BeforeWindow is the first window kept: every window before it ended
	// more than the program's retention_years ago. Cutoff is that
	// window's start, the instant links and meetings are cut at.
	BeforeWindow string
	Cutoff       time.Time
	Releases     int64 // released groups, whole, with their tallies and moments
	Responses    int64 // their responses (and unreleased ones of those windows)
	Comments     int64 // responses among them that carried a comment
	Tallies      int64 // released per-item tally rows
	Moments      int64 // released moments rows
	LinkCounts   int64 // per-window link counts
	Links        int64 // closed links
	Meetings     int64 // their meetings
	Pending      int64 // held answers, mentee markers and sums of those windows never released
}

// Total is how many rows the purge removed.
func (p ProgramPurge) Total() int64 {
	return p.Releases + p.Responses + p.Tallies + p.Moments + p.LinkCounts + p.Links + p.Meetings + p.Pending
}

// detail is the purge's audit detail: counts per kind and the cutoff.
func (p ProgramPurge) detail(years int) string {
	return fmt.Sprintf("retention_years %d, windows before %s: releases %d, responses %d (with comments %d), tallies %d, moments %d, link counts %d, links %d, meetings %d, unreleased %d",
		years, p.BeforeWindow, p.Releases, p.Responses, p.Comments, p.Tallies, p.Moments, p.LinkCounts, p.Links, p.Meetings, p.Pending)
}

// PurgeProgram deletes what a program keeps past its retention_years, in
// one transaction with its audit entry: every release whose window (the
// window it was released at) ended more than retention_years ago, whole
// (its responses and their comments, its per-item tallies, its moments and
// report row, so a purged window disappears from trends and reports at
// once), answers of those windows that were never released, the windows'
// link counts, and closed links created before the first window kept with
// their meetings. Windows are the program's current kind. The program's
// variance components (program_components) stay: they are one sealed sum
// over every group ever released, which names no window and cannot be
// split by one (docs/reports.md). A purge that finds nothing writes nothing,
// so it may run as often as wanted.
func (d *DB) PurgeProgram(ctx context.Context, p *Program) (ProgramPurge, error) {
	years := p.RetentionYears
	if years < MinRetentionYears {
		years = DefaultRetentionYears
	}
	now := d.now()
	first := p.WindowOf(now.AddDate(-years, 0, 0))
	out := ProgramPurge{BeforeWindow: first.ID, Cutoff: first.Start()}
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if d.Dialect == Postgres {
			// No mixer or judgement between reading and deleting.
			if err := d.db(ctx).Exec(`SELECT pg_advisory_xact_lock(?)`, mixLock).Error; err != nil {
				return err
			}
		}
		out = ProgramPurge{BeforeWindow: first.ID, Cutoff: first.Start()}
		releases := `SELECT id FROM report_releases WHERE program_id = ? AND window_id < ?`
		err := d.db(ctx).Raw(`SELECT count(*) FROM responses WHERE program_id = ? AND window_id < ? AND release_id IS NULL
			AND (`+hasComment+`)`, p.ID, first.ID).Scan(&out.Comments).Error
		if err != nil {
			return fmt.Errorf("count comments: %w", err)
		}
		var released int64
		err = d.db(ctx).Raw(`SELECT count(*) FROM responses WHERE release_id IN (`+releases+`) AND (`+hasComment+`)`,
			p.ID, first.ID).Scan(&released).Error
		if err != nil {
			return fmt.Errorf("count comments: %w", err)
		}
		out.Comments += released
		steps := []struct {
			what  string
			into  *int64
			query string
			args  []any
		}{
			{"responses", &out.Responses, `DELETE FROM responses WHERE release_id IN (` + releases + `)`, []any{p.ID, first.ID}},
			{"unreleased responses", &out.Responses, `DELETE FROM responses WHERE program_id = ? AND window_id < ? AND release_id IS NULL`, []any{p.ID, first.ID}},
			{"moments", &out.Moments, `DELETE FROM report_release_moments WHERE release_id IN (` + releases + `)`, []any{p.ID, first.ID}},
			{"tallies", &out.Tallies, `DELETE FROM report_released WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"releases", &out.Releases, `DELETE FROM report_releases WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"held answers", &out.Pending, `DELETE FROM held_responses WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"mentee markers", &out.Pending, `DELETE FROM window_mentees WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"mentee sums", &out.Pending, `DELETE FROM window_moments WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"link counts", &out.LinkCounts, `DELETE FROM window_links WHERE program_id = ? AND window_id < ?`, []any{p.ID, first.ID}},
			{"meetings", &out.Meetings, `DELETE FROM meetings WHERE invitation_id IN (SELECT id FROM invitations WHERE ` + closedLinks + `)`, []any{p.ID, first.Start(), now}},
			{"links", &out.Links, `DELETE FROM invitations WHERE ` + closedLinks, []any{p.ID, first.Start(), now}},
		}
		for _, s := range steps {
			res := d.db(ctx).Exec(s.query, s.args...)
			if res.Error != nil {
				return fmt.Errorf("purge %s: %w", s.what, res.Error)
			}
			*s.into += res.RowsAffected
		}
		if out.Total() == 0 {
			return nil
		}
		return d.Audit(ctx, AuditEntry{Actor: ActorSystem, Action: ActionRetentionPurge, Target: fmt.Sprintf("program:%d", p.ID),
			ProgramID: &p.ID, Detail: out.detail(years)})
	})
	if err != nil {
		return ProgramPurge{}, err
	}
	return out, nil
}

// hasComment is true of a response row that carries a comment.
const hasComment = `coalesce(keep_doing, '') <> '' OR coalesce(next_time, '') <> '' OR coalesce(other_comment, '') <> ''`

// closedLinks selects a program's links no longer open (answered, declined,
// or expired, whether or not the sweep has marked it yet), made before a
// cutoff; its last argument is now.
const closedLinks = `program_id = ? AND created_at < ? AND (status <> 'pending' OR expires_at <= ?)`

// PurgeAuditLog deletes audit entries older than years and records the
// purge in an entry of its own, in one transaction. The log is append-only
// (a trigger refuses deletes); the purge opens it for rows older than the
// cutoff only, through a gate row no other transaction sees.
func (d *DB) PurgeAuditLog(ctx context.Context, years int) (deleted int64, cutoff time.Time, err error) {
	if years < MinRetentionYears {
		return 0, time.Time{}, surveys.Errorf(surveys.EINVALID, "the audit log is kept at least %d year", MinRetentionYears)
	}
	cutoff = d.now().AddDate(-years, 0, 0)
	err = d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Exec(`INSERT INTO audit_purge_gate (before) VALUES (?)`, cutoff).Error; err != nil {
			return fmt.Errorf("open audit purge: %w", err)
		}
		res := d.db(ctx).Exec(`DELETE FROM audit_log WHERE created_at < ?`, cutoff)
		if res.Error != nil {
			return fmt.Errorf("purge audit log: %w", res.Error)
		}
		deleted = res.RowsAffected
		if err := d.db(ctx).Exec(`DELETE FROM audit_purge_gate`).Error; err != nil {
			return fmt.Errorf("close audit purge: %w", err)
		}
		if deleted == 0 {
			return nil
		}
		return d.Audit(ctx, AuditEntry{Actor: ActorSystem, Action: ActionRetentionAuditPurge, Target: "audit_log",
			Detail: fmt.Sprintf("audit retention %d years: %d entries before %s", years, deleted, cutoff.Format(time.DateOnly))})
	})
	if err != nil {
		return 0, time.Time{}, err
	}
	return deleted, cutoff, nil
}

// RetentionSummary is what one Purge did.
type RetentionSummary struct {
	Programs     int   // programs that had something to purge
	Rows         int64 // rows purged from them
	AuditEntries int64 // audit entries purged
}

// Purge runs PurgeProgram for every program, then PurgeAuditLog with
// auditYears. Each program is a transaction of its own, so one that fails
// leaves the others purged; the first error is returned after all ran.
// When anything went, the old row versions are reclaimed as the mixer's
// are: VACUUM on PostgreSQL, a truncating checkpoint on SQLite (whose
// secure_delete has zeroed them).
func (d *DB) Purge(ctx context.Context, auditYears int) (RetentionSummary, error) {
	var sum RetentionSummary
	programs, err := d.Programs(ctx)
	if err != nil {
		return sum, err
	}
	var first error
	for i := range programs {
		got, err := d.PurgeProgram(ctx, &programs[i])
		if err != nil {
			first = cmpErr(first, fmt.Errorf("purge program %d: %w", programs[i].ID, err))
			continue
		}
		if n := got.Total(); n > 0 {
			sum.Programs++
			sum.Rows += n
		}
	}
	n, _, err := d.PurgeAuditLog(ctx, auditYears)
	sum.AuditEntries = n
	first = cmpErr(first, err)
	if sum.Rows > 0 || sum.AuditEntries > 0 {
		first = cmpErr(first, d.reclaimPurged(ctx))
	}
	return sum, first
}

// reclaimPurged is reclaim for the tables a purge deletes from.
func (d *DB) reclaimPurged(ctx context.Context) error {
	if _, inTx := d.SQLTx(ctx); inTx {
		return nil
	}
	pool, err := d.gorm.DB()
	if err != nil {
		return err
	}
	stmt := `PRAGMA wal_checkpoint(TRUNCATE)`
	if d.Dialect == Postgres {
		stmt = `VACUUM responses, report_releases, report_released, report_release_moments, held_responses, window_mentees,
			window_moments, window_links, meetings, invitations, audit_log`
	}
	if _, err := pool.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("reclaim purged rows: %w", err)
	}
	return nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
