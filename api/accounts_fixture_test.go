package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"golang.org/x/crypto/bcrypt"
)

func init() {
	// Hashing at the production cost would make these tests slow, not better.
	models.PasswordCost = bcrypt.MinCost
}

// acctPassword is every fixture user's password.
const acctPassword = "violet kettle marathon"

const acctBaseURL = "http://mentorpulse.test"

// acctClock is a settable time source for db.Now.
type acctClock struct{ t time.Time }

func (c *acctClock) now() time.Time          { return c.t }
func (c *acctClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// acctFixture is two programs and one person in every role the
// authorization matrix asks about.
type acctFixture struct {
	t            *testing.T
	db           *models.DB
	srv          *api.Server
	clock        *acctClock
	progA, progB *models.Program
	admin        *models.User
	dirA, dirB   *models.User
	resA1, resA2 *models.User
	gone         *models.User // deactivated after signing in and making a token
	newbie       *models.User // has not set a password yet
	goneCookie   string
	goneCSRF     string
	goneToken    string
	revokedToken string // dirA's, revoked
	tokens       map[*models.User]string
	delivery     *delivery.Service // registered, never started: jobs stay queued
}

func newAcctFixture(t *testing.T, cfg api.Config) *acctFixture {
	t.Helper()
	ctx := context.Background()
	db := dbtest.New(t)
	clk := &acctClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = clk.now
	if cfg.BaseURL == "" {
		cfg.BaseURL = acctBaseURL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Delivery == nil {
		// Registered but not started: meetings are recorded and their emails
		// queued, which is all the access checks need.
		keys, err := delivery.NewKeyring("accounts fixture secret, thirty-two characters or more")
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Delivery, err = delivery.New(db, delivery.Config{BaseURL: cfg.BaseURL, Keyring: keys, Logger: cfg.Logger}); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := api.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &acctFixture{t: t, db: db, srv: srv, clock: clk, tokens: map[*models.User]string{}, delivery: cfg.Delivery}
	// Work left after a response (a reset request) ends before the
	// database closes.
	t.Cleanup(func() { f.srv.WaitAfterResponse(context.Background()) })
	f.progA = &models.Program{Name: "Program A"}
	f.progB = &models.Program{Name: "Program B"}
	for _, p := range []*models.Program{f.progA, f.progB} {
		if err := db.CreateProgram(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Program A's mentees study at student.example: their addresses join
	// its roster on first use. Program B keeps its roster by hand.
	if err := db.SetMenteeDomains(ctx, f.progA.ID, []string{"student.example"}); err != nil {
		t.Fatal(err)
	}
	f.progA.MenteeEmailDomains = "student.example"
	hash, err := models.HashPassword(acctPassword)
	if err != nil {
		t.Fatal(err)
	}
	user := func(email, role string, prog *models.Program, pgy int) *models.User {
		u := &models.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, PasswordHash: hash}
		if prog != nil {
			u.ProgramID = &prog.ID
		}
		if pgy > 0 {
			u.PGYYear = &pgy
		}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = user("admin@example.org", models.RoleAdmin, nil, 0)
	f.dirA = user("dir.a@example.org", models.RoleDirector, f.progA, 0)
	f.dirB = user("dir.b@example.org", models.RoleDirector, f.progB, 0)
	f.resA1 = user("res.a1@example.org", models.RoleResident, f.progA, 1)
	f.resA2 = user("res.a2@example.org", models.RoleResident, f.progA, 2)
	f.gone = user("gone@example.org", models.RoleResident, f.progA, 3)
	f.newbie = &models.User{Email: "newbie@example.org", Name: "Newbie", Role: models.RoleResident, ProgramID: &f.progA.ID, PGYYear: new(1)}
	if err := db.CreateUser(ctx, f.newbie); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{f.admin, f.dirA, f.dirB, f.resA1, f.resA2} {
		_, secret, err := db.CreateAPIToken(ctx, u.ID, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[u] = secret
	}
	var sess *models.Session
	if f.goneCookie, sess, err = db.CreateSession(ctx, f.gone.ID, models.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	f.goneCSRF = sess.CSRFToken
	if _, f.goneToken, err = db.CreateAPIToken(ctx, f.gone.ID, "script"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateUser(ctx, f.gone.ID, models.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	tok, secret, err := db.CreateAPIToken(ctx, f.dirA.ID, "old script")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RevokeAPIToken(ctx, f.dirA.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	f.revokedToken = secret
	return f
}

// session signs u in directly in the database and returns the cookie value
// and CSRF token.
func (f *acctFixture) session(u *models.User) (cookie, csrf string) {
	f.t.Helper()
	v, s, err := f.db.CreateSession(context.Background(), u.ID, models.SessionLimits{})
	if err != nil {
		f.t.Fatal(err)
	}
	return v, s.CSRFToken
}

// withSession authenticates a request by cookie, with the CSRF header.
func withSession(cookie, csrf string) func(*http.Request) {
	return func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: cookie})
		if csrf != "" {
			r.Header.Set(api.CSRFHeader, csrf)
		}
	}
}

// withBearer authenticates a request by API token.
func withBearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// do sends one request through the real Echo instance.
func (f *acctFixture) do(method, path, contentType, body string, opts ...func(*http.Request)) *httptest.ResponseRecorder {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for _, o := range opts {
		o(r)
	}
	w := httptest.NewRecorder()
	serveChecked(f.t, f.srv.Handler(), w, r)
	return w
}

// newLink makes a fresh survey link for resA1 and returns its token.
func (f *acctFixture) newLink() string {
	f.t.Helper()
	inv, err := f.db.CreateInvitation(context.Background(), models.NewInvitation{ResidentID: f.resA1.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	return inv.Token
}

// responseCookie returns the named cookie a response sets, or nil.
func responseCookie(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// pendingMentee is an address director A put on program A's roster outside
// its mentee domains: it waits for an admin's approval.
func (f *acctFixture) pendingMentee(email string) *models.Mentee {
	f.t.Helper()
	m := &models.Mentee{ProgramID: f.progA.ID, Email: email, Status: models.MenteePending, AddedBy: &f.dirA.ID}
	if err := f.db.CreateMentee(context.Background(), m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

// requestCode makes res.a2 a new QR request code and returns it.
func (f *acctFixture) requestCode() string {
	f.t.Helper()
	code, _, err := f.db.NewResidentCode(context.Background(), f.resA2.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return code
}
