package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// signedInGet signs in to the service on db and fetches path with the
// session, returning the sign-in status and the page's body.
func signedInGet(t *testing.T, db *models.DB, email, path string) (int, string) {
	t.Helper()
	srv, err := api.New(db, api.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"email": email, "password": demoPassword})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/session", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return rec.Code, rec.Body.String()
	}
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c
		}
	}
	req = httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return http.StatusOK, rec.Body.String()
}

func TestMoveDemoToPostgresKeepsReportsAndPasswords(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("moving needs PostgreSQL: set " + dbtest.EnvURL)
	}
	c := &cli{t: t, dbURL: "sqlite:" + filepath.Join(t.TempDir(), "demo.db")}
	c.env = map[string]string{"MENTORPULSE_DATABASE_URL": c.dbURL, "MENTORPULSE_LOG_LEVEL": "error"}
	c.mustRun("demo")
	// A meeting queues its email as a job, so the job queue has rows to move.
	meetings := filepath.Join(t.TempDir(), "meetings.csv")
	today := time.Now().UTC().Format(time.DateOnly)
	os.WriteFile(meetings, []byte("resident_email,mentee_email,meeting_date\nresident1@demo.mentorpulse.test,sam@student.example,"+today+"\n"), 0o600)
	c.mustRun("meetings", "import", meetings)

	target := dbtest.URL(t)
	out := c.mustRun("move", "--to", target)
	if !strings.Contains(out, "Every report is the same on both databases (programs: 1, residents: 8).") {
		t.Errorf("move output lacks the report check:\n%s", out)
	}
	src, dst := c.openDB(), openURLForTest(t, target)
	for _, table := range []string{"users", "responses", "held_responses", "report_release_moments", "audit_log", "river_job", "goals"} {
		if n, m := countRows(t, src, table), countRows(t, dst, table); n != m || n == 0 {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", table, n, m)
		}
	}

	// The director sees the same program report on both, signing in with
	// the same password; a resident signs in on the copy too.
	ps, err := src.Programs(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("programs: %v %v", ps, err)
	}
	// The demo spans the last twelve months.
	path := fmt.Sprintf("/api/v1/programs/%d/report?from=%s", ps[0].ID, time.Now().UTC().AddDate(-1, -1, 0).Format("2006-01"))
	_, before := signedInGet(t, src, "director@demo.mentorpulse.test", path)
	code, after := signedInGet(t, dst, "director@demo.mentorpulse.test", path)
	if code != http.StatusOK || after != before || !strings.Contains(after, "Dr. Amara Okafor") {
		t.Errorf("program report on the copy (sign-in %d):\n%s\nwant as on SQLite:\n%s", code, after, before)
	}
	if code, body := signedInGet(t, dst, "resident1@demo.mentorpulse.test", "/api/v1/session"); code != http.StatusOK {
		t.Errorf("resident sign-in on the copy: %d %s", code, body)
	}

	// The copy keeps no trace of the order in which responses were
	// written (docs/privacy.md): SQLite keeps them by their random ids
	// (WITHOUT ROWID), and the copy writes them in that order. PostgreSQL
	// places rows in pages as it sees fit, so the test asks that the
	// physical order follow the ids closely rather than exactly.
	order := func(db *models.DB, q string) map[string]int {
		sqlDB, _ := db.SQL()
		rows, err := sqlDB.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		rank := map[string]int{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			rank[id] = len(rank)
		}
		return rank
	}
	byID, physical := order(src, `SELECT id FROM responses ORDER BY id`), order(dst, `SELECT id FROM responses ORDER BY ctid`)
	if rho := spearman(byID, physical); len(byID) < 50 || rho < 0.9 {
		t.Errorf("the copy's physical order of %d responses does not follow their random ids: Spearman %.2f", len(byID), rho)
	}
	// The service carries on from the copy: the held answers mix there.
	held := countRows(t, dst, "held_responses")
	if mixed, err := dst.MixHeld(t.Context()); err != nil || int64(mixed) != held || held == 0 {
		t.Errorf("mixing %d held answers on the copy: %d mixed, %v", held, mixed, err)
	}

	// A second move into the same database is refused.
	_, _, err = c.run("move", "--to", target)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second move: %v, want a refusal of the non-empty target", err)
	}
}

func TestMoveRefusesWhatIsNotSQLiteToPostgres(t *testing.T) {
	c := &cli{t: t, dbURL: "sqlite:" + filepath.Join(t.TempDir(), "src.db")}
	c.env = map[string]string{"MENTORPULSE_DATABASE_URL": c.dbURL}
	for _, args := range [][]string{
		{"move"},
		{"move", "--to", "sqlite:" + filepath.Join(t.TempDir(), "other.db")},
	} {
		_, _, err := c.run(args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("mentorpulse %s: %v, want a usage error", strings.Join(args, " "), err)
		}
	}
	c.env["MENTORPULSE_DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
	_, _, err := c.run("move", "--to", "postgres://nobody@127.0.0.1:1/other")
	if err == nil || !strings.Contains(err.Error(), "must name the SQLite database") {
		t.Errorf("move from PostgreSQL: %v, want a refusal", err)
	}
}

func countRows(t *testing.T, db *models.DB, table string) int64 {
	t.Helper()
	sqlDB, _ := db.SQL()
	var n int64
	if err := sqlDB.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func openURLForTest(t *testing.T, u string) *models.DB {
	t.Helper()
	db, err := models.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// spearman is the rank correlation of the ids two orders share.
func spearman(a, b map[string]int) float64 {
	n := float64(len(a))
	var d2 float64
	for id, ra := range a {
		d := float64(ra - b[id])
		d2 += d * d
	}
	return 1 - 6*d2/(n*(n*n-1))
}
