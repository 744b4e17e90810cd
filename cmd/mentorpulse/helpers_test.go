package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// cli runs commands against one fresh database, as a shell user would.
type cli struct {
	t     testing.TB
	env   map[string]string
	dbURL string
}

// newCLI points MENTORPULSE_DATABASE_URL at a fresh, empty database: a SQLite
// file in a temp dir, or PostgreSQL when MENTORPULSE_TEST_DATABASE_URL is set.
func newCLI(t testing.TB) *cli {
	u := dbtest.URL(t)
	return &cli{t: t, dbURL: u, env: map[string]string{"MENTORPULSE_DATABASE_URL": u}}
}

func (c *cli) getenv(k string) string { return c.env[k] }

// run runs one command line and returns what it printed.
func (c *cli) run(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, c.getenv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustRun runs a command that must succeed and returns its stdout.
func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("mentorpulse %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// openDB opens the CLI's database for checks.
func (c *cli) openDB() *models.DB {
	c.t.Helper()
	db, err := models.Open(c.dbURL)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

// get requests path from the service on the CLI's database.
func (c *cli) get(path string) *httptest.ResponseRecorder {
	c.t.Helper()
	srv, err := api.New(c.openDB(), api.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		c.t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// seedResident creates a program and a resident through the CLI.
func (c *cli) seedResident() {
	c.t.Helper()
	c.mustRun("program", "create", "--name", "Surgery")
	c.mustRun("user", "create", "--email", "res@example.org", "--name", "Dr. Res", "--role", "resident", "--program", "Surgery", "--pgy", "2")
	c.mustRun("mentee", "add", "--program", "Surgery", "--email", "sam@student.example")
}

// lineWriter collects output and signals each line that contains want.
type lineWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	hit  chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, line := range strings.Split(string(p), "\n") {
		if strings.Contains(line, w.want) {
			select {
			case w.hit <- line:
			default:
			}
		}
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

var _ io.Writer = (*lineWriter)(nil)
