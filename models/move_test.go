package models_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// moveDBs returns a migrated SQLite source and an empty PostgreSQL target,
// or skips without PostgreSQL.
func moveDBs(t *testing.T) (src, dst *models.DB, dstURL string) {
	t.Helper()
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("moving needs PostgreSQL: set " + dbtest.EnvURL)
	}
	src, err := models.Open("sqlite:" + filepath.Join(t.TempDir(), "source.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	if _, err := src.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	dstURL = dbtest.URL(t)
	dst = openURL(t, dstURL)
	return src, dst, dstURL
}

func openURL(t *testing.T, u string) *models.DB {
	t.Helper()
	db, err := models.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seedMove fills the source with a program, a resident with links and a
// session, and a job whose array, JSON and bit columns need converting.
func seedMove(t *testing.T, db *models.DB, links int) (residentID int64) {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: "Surgery", MinResponses: models.DefaultMinResponses}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	pgy := 2
	u := &models.User{Email: "res@example.org", Name: "Dr. Res", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: &pgy, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for range links {
		if _, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.CreateSession(ctx, u.ID, models.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.SQL()
	_, err := sqlDB.Exec(`INSERT INTO river_job (args, attempt, attempted_at, attempted_by, errors, finalized_at, kind, max_attempts, metadata, state, tags, unique_key, unique_states)
		VALUES (jsonb('{"meeting_id": 7}'), 2, '2026-11-30 10:00:00.123', jsonb('["host-1","host \"2\""]'),
		jsonb('[{"at":"2026-11-30T10:00:00Z","attempt":1,"error":"smtp: 421 try later"}]'), '2026-11-30 10:05:00.000',
		'send_link', 25, jsonb('{}'), 'discarded', jsonb('["email"]'), x'0102ff', 5)`)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func countRows(t *testing.T, db *models.DB, table string) int64 {
	t.Helper()
	sqlDB, _ := db.SQL()
	var n int64
	if err := sqlDB.QueryRow(`SELECT count(*) FROM "` + table + `"`).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestMoveCopiesEveryTableOfTheSchemaOrSaysWhyNot(t *testing.T) {
	src, dst, _ := moveDBs(t)
	ctx := context.Background()
	residentID := seedMove(t, src, 3)
	var progressed int64
	moved, err := src.Move(ctx, dst, models.MoveOptions{Progress: func(total, copied int64) { progressed = copied }})
	if err != nil {
		t.Fatal(err)
	}
	// The tables as SQLite's own catalogue lists them, not as Move does.
	sqlDB, _ := src.SQL()
	rows, err := sqlDB.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	byName := map[string]models.MovedTable{}
	var total int64
	for _, m := range moved {
		byName[m.Name] = m
		total += m.Rows
	}
	for _, n := range names {
		m, ok := byName[n]
		switch {
		case !ok:
			t.Errorf("table %s of the source was neither copied nor skipped", n)
		case m.Skipped != "":
			if n != "sessions" && n != "river_migration" && n != "river_leader" {
				t.Errorf("table %s skipped (%s); only sessions and the job queue's bookkeeping may be", n, m.Skipped)
			}
		default:
			if got, want := countRows(t, dst, n), countRows(t, src, n); got != want {
				t.Errorf("%s: %d rows in the target, %d in the source", n, got, want)
			}
		}
	}
	if len(moved) != len(names) {
		t.Errorf("Move reports %d tables, the source has %d", len(moved), len(names))
	}
	if progressed != total || total == 0 {
		t.Errorf("progress ended at %d rows of %d", progressed, total)
	}
	if n := countRows(t, dst, "sessions"); n != 0 {
		t.Errorf("%d sessions copied without Sessions", n)
	}

	// The job's converted columns read back as they were written.
	pg, _ := dst.SQL()
	var by, errMsg, tags, states, key, args string
	err = pg.QueryRow(`SELECT array_to_string(attempted_by, '|'), errors[1]->>'error', array_to_string(tags, ','), unique_states::text,
		encode(unique_key, 'hex'), args->>'meeting_id' FROM river_job`).Scan(&by, &errMsg, &tags, &states, &key, &args)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(by, errMsg, tags, states, key, args); got != `host-1|host "2"smtp: 421 try lateremail000001010102ff7` {
		t.Errorf("job columns read back as %q", got)
	}
	// Ids are kept and sequences continue after them.
	var active bool
	if err := pg.QueryRow(`SELECT active FROM users WHERE id = $1`, residentID).Scan(&active); err != nil || !active {
		t.Errorf("resident %d in the target: active %v, %v", residentID, active, err)
	}
	if _, err := dst.CreateInvitation(ctx, models.NewInvitation{ResidentID: residentID}); err != nil {
		t.Errorf("a new link on the target: %v (sequence not reset?)", err)
	}
	if _, err := dst.Migrate(ctx); err != nil {
		t.Errorf("migrating the moved database: %v", err)
	}
}

func TestMoveCopiesSessionsWhenAsked(t *testing.T) {
	src, dst, _ := moveDBs(t)
	seedMove(t, src, 1)
	if _, err := src.Move(context.Background(), dst, models.MoveOptions{Sessions: true}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, dst, "sessions"); n != 1 {
		t.Errorf("%d sessions in the target, want 1", n)
	}
}

func TestMoveRefusesATargetWithDataAndLeavesItAlone(t *testing.T) {
	src, dst, _ := moveDBs(t)
	ctx := context.Background()
	seedMove(t, src, 1)
	if _, err := dst.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := dst.CreateProgram(ctx, &models.Program{Name: "Already here", MinResponses: models.DefaultMinResponses}); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, dst, "schema_migrations")
	_, err := src.Move(ctx, dst, models.MoveOptions{})
	if !errors.Is(err, models.ErrTargetNotEmpty) {
		t.Fatalf("move into a used database: %v, want ErrTargetNotEmpty", err)
	}
	if got := countRows(t, dst, "programs"); got != 1 {
		t.Errorf("target has %d programs after the refusal, want its 1", got)
	}
	if got := countRows(t, dst, "schema_migrations"); got != before {
		t.Errorf("target's migrations went from %d to %d", before, got)
	}
	if got := countRows(t, dst, "users"); got != 0 {
		t.Errorf("%d users copied into a refused target", got)
	}
}

func TestMoveRefusesAnEmptySchemaOfOurs(t *testing.T) {
	src, dst, _ := moveDBs(t)
	pg, _ := dst.SQL()
	if _, err := pg.Exec(`CREATE TABLE programs (id bigint)`); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Move(context.Background(), dst, models.MoveOptions{}); !errors.Is(err, models.ErrTargetNotEmpty) {
		t.Fatalf("move over an empty table of ours: %v, want ErrTargetNotEmpty", err)
	}
}

func TestInterruptedMoveLeavesTheTargetEmptyAndCanBeRun(t *testing.T) {
	src, dst, _ := moveDBs(t)
	seedMove(t, src, 1200) // several batches of invitations
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen int64
	_, err := src.Move(ctx, dst, models.MoveOptions{Progress: func(total, copied int64) {
		if copied > 0 && seen == 0 {
			seen = copied
			cancel() // as Ctrl-C would, mid-copy
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted move: %v, want context.Canceled", err)
	}
	if seen == 0 {
		t.Fatal("the move never reported a row copied")
	}
	pg, _ := dst.SQL()
	var ours int
	if err := pg.QueryRow(`SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'river\_%'`).Scan(&ours); err != nil {
		t.Fatal(err)
	}
	if ours != 0 {
		t.Errorf("%d tables of ours left in the target after the interruption", ours)
	}
	if n := countRows(t, dst, "river_job"); n != 0 {
		t.Errorf("%d jobs left in the target", n)
	}
	// Only the empty job queue schema remains, and a second run completes.
	if _, err := src.Move(context.Background(), dst, models.MoveOptions{}); err != nil {
		t.Fatalf("move after an interrupted one: %v", err)
	}
	if got, want := countRows(t, dst, "invitations"), countRows(t, src, "invitations"); got != want || got != 1200 {
		t.Errorf("invitations after the second move: %d, source %d", got, want)
	}
}
