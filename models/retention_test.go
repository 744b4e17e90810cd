package models_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// retentionFixture is a program kept one year, whose resident had three
// quarters released: October 2026 (released 2027-01-01), January 2027 and
// April 2027, each from three mentees, each link made for a meeting; and a
// second resident whose one answer of October 2026 was never released.
type retentionFixture struct {
	*fixture
	r, lone *models.User
}

func newRetentionFixture(t *testing.T) *retentionFixture {
	t.Helper()
	db := dbtest.New(t)
	f := &retentionFixture{fixture: newFixture(t, db, 3, 2)}
	f.r, f.lone = f.residents[0], f.residents[1]
	if err := db.UpdateRetention(context.Background(), f.program.ID, 1); err != nil {
		t.Fatal(err)
	}
	f.program.RetentionYears = 1
	for q, start := range []time.Time{octQ, octQEnd.Add(10 * 24 * time.Hour), time.Date(2027, 4, 10, 9, 0, 0, 0, time.UTC)} {
		for i := range 3 {
			sub := answers(3 + i%3)
			sub.Comments[surveys.CommentKeepDoing] = "keep"
			f.meetingAt(t, start.Add(time.Duration(i)*24*time.Hour), f.r.ID, sub)
		}
		if q == 0 {
			f.submitAt(t, start, f.lone.ID, answers(2))
		}
		f.releaseAt(t, start.AddDate(0, 3, 0))
	}
	return f
}

// meetingAt records a meeting at time at with its link for a new mentee,
// and answers the link then.
func (f *retentionFixture) meetingAt(t *testing.T, at time.Time, residentID int64, sub surveys.Submission) {
	t.Helper()
	ctx := context.Background()
	f.db.Now = func() time.Time { return at }
	f.nextMentee++
	inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID, MenteeID: &f.nextMentee})
	if err != nil {
		t.Fatal(err)
	}
	m := &models.Meeting{ResidentID: residentID, ProgramID: f.program.ID, InvitationID: inv.ID, MeetingDate: at.Format(time.DateOnly)}
	if err := f.db.CreateMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
		t.Fatal(err)
	}
}

// purgeAt runs the retention purge as of time at.
func (f *retentionFixture) purgeAt(t *testing.T, at time.Time) models.ProgramPurge {
	t.Helper()
	f.db.Now = func() time.Time { return at }
	p, err := f.db.ProgramByID(context.Background(), f.program.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.db.PurgeProgram(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (f *retentionFixture) programReport(t *testing.T, period surveys.Period) *surveys.ProgramReport {
	t.Helper()
	rep, err := f.db.ProgramReport(context.Background(), f.program.ID, models.ProgramReportFilter{Period: period})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRetentionPurgesWindowsPastTheSetting: a year after the January 2027
// quarter began, the October 2026 quarter (released at its close) goes
// whole, with its links and meetings and the never-released answer of that
// quarter; the later quarters, their links and their reports stay exactly
// as they were.
func TestRetentionPurgesWindowsPastTheSetting(t *testing.T) {
	f := newRetentionFixture(t)
	db := f.db
	kept := surveys.Period{From: "2027-01", To: "2027-06"}
	now := time.Date(2028, 2, 15, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	beforeResident := asJSON(t, report(t, db, f.r.ID, kept))
	beforeProgram := asJSON(t, f.programReport(t, kept))
	if n := len(report(t, db, f.r.ID, fy2026).Releases); n != 3 {
		t.Fatalf("before the purge the academic year shows %d releases, want 3", n)
	}

	got := f.purgeAt(t, now)
	want := models.ProgramPurge{BeforeWindow: "2027-01", Cutoff: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Releases: 1, Responses: 4, Comments: 3, Links: 4, Meetings: 3}
	got.Tallies, got.Moments, got.LinkCounts, got.Pending = 0, 0, 0, 0 // counted below by what is left
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("purge (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		table string
		want  int64
	}{
		{"responses", 6}, {"report_releases", 2}, {"invitations", 6}, {"meetings", 6},
		{"window_mentees", 0}, {"window_moments", 0},
	} {
		if n := count(t, db, "SELECT count(*) FROM "+c.table); n != c.want {
			t.Errorf("%s: %d rows left, want %d", c.table, n, c.want)
		}
	}
	for _, table := range []string{"responses", "report_releases", "report_released", "report_release_moments", "window_links"} {
		if n := count(t, db, "SELECT count(*) FROM "+table+" WHERE window_id < '2027-01'"); n != 0 {
			t.Errorf("%s keeps %d rows of purged windows", table, n)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM report_released WHERE window_id >= '2027-01'"); n == 0 {
		t.Error("the kept windows' tallies went too")
	}

	if diff := cmp.Diff(beforeResident, asJSON(t, report(t, db, f.r.ID, kept))); diff != "" {
		t.Errorf("resident report of the kept windows changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(beforeProgram, asJSON(t, f.programReport(t, kept))); diff != "" {
		t.Errorf("program report of the kept windows changed (-before +after):\n%s", diff)
	}
	year := report(t, db, f.r.ID, fy2026)
	if len(year.Releases) != 2 || year.Releases[0].Window.ID != "2027-01" || year.Releases[1].Window.ID != "2027-04" {
		t.Errorf("after the purge the academic year shows releases %+v, want 2027-01 and 2027-04", year.Releases)
	}

	audit, err := db.AuditLog(context.Background(), models.AuditFilter{ProgramIDs: []int64{f.program.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var entries []models.AuditRow
	for _, e := range audit {
		if e.Action == models.ActionRetentionPurge {
			entries = append(entries, e)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("%d purge entries, want 1", len(entries))
	}
	e := entries[0]
	if e.Actor != models.ActorSystem || e.ActorID != nil || !strings.Contains(e.Detail, "windows before 2027-01") ||
		!strings.Contains(e.Detail, "releases 1, responses 4 (with comments 3)") {
		t.Errorf("purge entry %+v", e.AuditEntry)
	}
	if strings.Contains(e.Detail, "@") || strings.Contains(e.Detail, "Resident") {
		t.Errorf("purge entry names a person: %q", e.Detail)
	}

	// Idempotent: a second run, the next day, finds nothing and says nothing.
	if again := f.purgeAt(t, now.Add(24*time.Hour)); again.Total() != 0 {
		t.Errorf("second purge removed %+v", again)
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = '"+models.ActionRetentionPurge+"'"); n != 1 {
		t.Errorf("%d purge entries after a second run, want 1", n)
	}
}

// TestRetentionKeepsWhatIsWithinTheSetting: the day before the January
// 2027 quarter is a year past... nothing; and a longer setting keeps all.
func TestRetentionKeepsWhatIsWithinTheSetting(t *testing.T) {
	f := newRetentionFixture(t)
	// A year after 2026-12-31 the cutoff's window is still October 2026's.
	if got := f.purgeAt(t, time.Date(2027, 12, 31, 23, 0, 0, 0, time.UTC)); got.Total() != 0 || got.BeforeWindow != "2026-10" {
		t.Errorf("purged within the year: %+v", got)
	}
	if err := f.db.UpdateRetention(context.Background(), f.program.ID, 7); err != nil {
		t.Fatal(err)
	}
	if got := f.purgeAt(t, time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)); got.Total() != 0 {
		t.Errorf("purged within seven years: %+v", got)
	}
	if n := count(t, f.db, "SELECT count(*) FROM responses"); n != 10 {
		t.Errorf("%d responses left, want all 10", n)
	}
	if n := count(t, f.db, "SELECT count(*) FROM audit_log WHERE action = '"+models.ActionRetentionPurge+"'"); n != 0 {
		t.Errorf("a purge of nothing wrote %d audit entries", n)
	}
}

// TestRetentionSettingIsValidated: below one year or absurdly long is
// refused with the field named; the database refuses it too.
func TestRetentionSettingIsValidated(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := &models.Program{Name: "Surgery"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.RetentionYears != models.DefaultRetentionYears {
		t.Errorf("new program keeps data %d years, want %d", p.RetentionYears, models.DefaultRetentionYears)
	}
	for _, years := range []int{0, -1, 101} {
		err := db.UpdateRetention(ctx, p.ID, years)
		var ae *surveys.Error
		if !errors.As(err, &ae) || ae.Code != surveys.EINVALID || len(ae.Fields) != 1 || ae.Fields[0].Field != "retention_years" {
			t.Errorf("retention %d: %v", years, err)
		}
	}
	if _, err := sqlDB(t, db).Exec("UPDATE programs SET retention_years = 0"); err == nil {
		t.Error("the database took retention_years 0")
	}
}

// TestAuditLogPurgeKeepsItsOwnSetting: entries older than the audit
// setting go, with an entry that says so; younger ones stay; and outside a
// purge the log is as append-only as before.
func TestAuditLogPurgeKeepsItsOwnSetting(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	old := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{old, old.AddDate(0, 1, 0), old.AddDate(2, 0, 0)} {
		db.Now = func() time.Time { return at }
		if err := db.Audit(ctx, models.AuditEntry{Action: models.ActionSignIn, Target: "user:" + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	db.Now = func() time.Time { return old.AddDate(1, 6, 0) } // 2021-09-01
	n, cutoff, err := db.PurgeAuditLog(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || !cutoff.Equal(time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("purged %d before %s, want 2 before 2020-09-01", n, cutoff)
	}
	var actions []string
	rows, err := sqlDB(t, db).Query("SELECT action FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, a)
	}
	rows.Close()
	if diff := cmp.Diff([]string{models.ActionSignIn, models.ActionRetentionAuditPurge}, actions); diff != "" {
		t.Errorf("audit log after the purge (-want +got):\n%s", diff)
	}
	if again, _, err := db.PurgeAuditLog(ctx, 1); err != nil || again != 0 {
		t.Errorf("second audit purge: %d, %v", again, err)
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log"); n != 2 {
		t.Errorf("second purge left %d entries, want 2", n)
	}
	if _, err := sqlDB(t, db).Exec("DELETE FROM audit_log"); err == nil {
		t.Error("the audit log took a delete outside a purge")
	}
	if n := count(t, db, "SELECT count(*) FROM audit_purge_gate"); n != 0 {
		t.Errorf("the purge left %d gate rows open", n)
	}
}

func sqlDB(t *testing.T, db *models.DB) *sql.DB {
	t.Helper()
	s, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPurgeRunsEveryProgram: the job's entry point purges each program
// and the audit log, then reclaims the deleted rows' space without error
// (VACUUM on PostgreSQL, a checkpoint on SQLite).
func TestPurgeRunsEveryProgram(t *testing.T) {
	f := newRetentionFixture(t)
	f.db.Now = func() time.Time { return time.Date(2028, 2, 15, 12, 0, 0, 0, time.UTC) }
	sum, err := f.db.Purge(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Programs != 1 || sum.Rows == 0 || sum.AuditEntries != 0 {
		t.Errorf("purge summary %+v, want one program's rows and no audit entries", sum)
	}
	if again, err := f.db.Purge(context.Background(), 7); err != nil || again != (models.RetentionSummary{}) {
		t.Errorf("second purge: %+v, %v", again, err)
	}
}
