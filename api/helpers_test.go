package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// testNow is the fixed clock every fixture starts with.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// fixture is a server on a fresh database with one program and one resident.
type fixture struct {
	t        testing.TB
	db       *models.DB
	srv      *api.Server
	logs     *syncBuffer
	program  *models.Program
	resident *models.User
}

// newFixture builds the real Echo instance on a fresh database (SQLite, or
// PostgreSQL when MENTORPULSE_TEST_DATABASE_URL is set), logging to a buffer.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOn(t, dbtest.New(t))
}

// newFixtureOn is newFixture on a database the test opened itself.
func newFixtureOn(t testing.TB, db *models.DB) *fixture {
	t.Helper()
	db.Now = func() time.Time { return testNow }
	logs := &syncBuffer{}
	srv, err := api.New(db, api.Config{
		BaseURL: "http://feedback.test",
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	ctx := context.Background()
	p := &models.Program{Name: "Internal Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatalf("create program: %v", err)
	}
	r := &models.User{Email: "ada@example.org", Name: "Dr. Ada Lovelace", Role: models.RoleResident, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, r); err != nil {
		t.Fatalf("create resident: %v", err)
	}
	return &fixture{t: t, db: db, srv: srv, logs: logs, program: p, resident: r}
}

// sub returns the fixture for a subtest: the same server and database,
// failures reported on t, the clock back at testNow. Table cases share one
// database this way; each works on links of its own.
func (f *fixture) sub(t testing.TB) *fixture {
	g := *f
	g.t = t
	g.setNow(testNow)
	return &g
}

// Link states newLink can produce.
const (
	linkPending   = "pending"
	linkAnswered  = "answered"
	linkExpired   = "expired"
	linkDeclined  = "declined"
	linkUnknown   = "unknown"   // well formed, never issued
	linkMalformed = "malformed" // cannot be a token at all
)

// newLink returns a token for a link in the given state.
func (f *fixture) newLink(state string) string {
	f.t.Helper()
	ctx := context.Background()
	switch state {
	case linkUnknown:
		tok, _ := surveys.NewToken()
		return tok
	case linkMalformed:
		return "not-a-token"
	}
	lifetime := models.DefaultLinkLifetime
	if state == linkExpired {
		lifetime = time.Hour
	}
	date := "2026-11-20"
	inv, err := f.db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.resident.ID, MeetingDate: &date, Lifetime: lifetime})
	if err != nil {
		f.t.Fatalf("create link: %v", err)
	}
	switch state {
	case linkAnswered:
		if rec := f.postJSON("/api/v1/surveys/"+inv.Token, validBody); rec.Code != http.StatusCreated {
			f.t.Fatalf("answer link: %d %s", rec.Code, rec.Body)
		}
	case linkDeclined:
		if err := f.db.DeclineLink(ctx, inv.Token); err != nil {
			f.t.Fatalf("decline link: %v", err)
		}
	case linkExpired:
		// Expired by the clock alone: the sweeper has not marked it.
		f.setNow(testNow.Add(2 * time.Hour))
	}
	return inv.Token
}

// setNow moves the database clock for the rest of the test.
func (f *fixture) setNow(t time.Time) { f.db.Now = func() time.Time { return t } }

// validBody is a complete, valid JSON submission.
const validBody = `{"answers":{"A1":5,"A2":4,"C1":4,"C2":3,"C3":5,"S1":5,"S2":null,"S3":4,"G":5},` +
	`"comments":{"keep_doing":"Made time.","next_time":""}}`

// do sends a request through the real Echo instance.
func (f *fixture) do(method, path, contentType, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	serveChecked(f.t, f.srv.Handler(), rec, req)
	return rec
}

func (f *fixture) get(path string) *httptest.ResponseRecorder {
	return f.do(http.MethodGet, path, "", "")
}

func (f *fixture) postJSON(path, body string) *httptest.ResponseRecorder {
	return f.do(http.MethodPost, path, "application/json", body)
}

func (f *fixture) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	return f.do(http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode())
}

// storedResponses counts every stored answer, held or mixed.
func (f *fixture) storedResponses() int64 {
	f.t.Helper()
	n, err := f.db.CountAnswers(context.Background(), 0)
	if err != nil {
		f.t.Fatalf("count responses: %v", err)
	}
	return n
}

// problem is the RFC 9457 body as a client reads it.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// readProblem checks that rec is a well-formed problem+json response and
// returns it.
func readProblem(t testing.TB, rec *httptest.ResponseRecorder) problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want application/problem+json (body %s)", ct, rec.Body)
	}
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("decode problem %s: %v", rec.Body, err)
	}
	if p.Status != rec.Code || p.Type == "" || p.Title != http.StatusText(rec.Code) || p.Detail == "" {
		t.Fatalf("problem %+v does not match status %d or lacks type, title or detail", p, rec.Code)
	}
	for _, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("problem field %s has no message", e.Field)
		}
	}
	return p
}

func (p problem) fields() []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// syncBuffer is a log sink that concurrent requests may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// answersBody builds a JSON submission with every item set to v and one
// item overridden.
func answersBody(v, key string, kv string) string {
	var parts []string
	for _, k := range []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"} {
		val := v
		if k == key {
			val = kv
		}
		if val != "" {
			parts = append(parts, fmt.Sprintf("%q:%s", k, val))
		}
	}
	return `{"answers":{` + strings.Join(parts, ",") + `}}`
}

// sqlFor rewrites ? placeholders to $1, $2, … on PostgreSQL.
func (f *fixture) sqlFor(query string) string {
	if f.db.Dialect != models.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// storedLink is a link's row as the database holds it.
type storedLink struct {
	Status    string
	MenteeKey *string
}

// storedLinkFor reads a link's stored status and mentee key.
func (f *fixture) storedLinkFor(token string) storedLink {
	f.t.Helper()
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	var l storedLink
	err = sqlDB.QueryRow(f.sqlFor(`SELECT status, mentee_key FROM invitations WHERE token_hash = ?`),
		surveys.HashToken(token)).Scan(&l.Status, &l.MenteeKey)
	if err != nil {
		f.t.Fatalf("read link: %v", err)
	}
	return l
}

// dataURI matches an inline image (a QR code's PNG), whose base64 can hold
// "/s/" by chance. In an attribute html/template writes "+" as "&#43;" (and
// may write "=" as "&#61;"), so those entities are part of the match.
var dataURI = regexp.MustCompile(`data:[a-z]+/[a-z+.-]+;base64,(?:[A-Za-z0-9+/=]|&#43;|&#61;)*`)

// holdsSurveyURL reports whether an answer carries a survey link's path,
// outside inline images.
func holdsSurveyURL(body string) bool {
	return strings.Contains(dataURI.ReplaceAllString(body, ""), "/s/")
}
