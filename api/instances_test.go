package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// sameDatabase opens the fixture's PostgreSQL database again, with a pool of
// its own, and migrates it as an instance starting beside the first would.
func (f *acctFixture) sameDatabase() *models.DB {
	f.t.Helper()
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	var name string
	if err := sqlDB.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		f.t.Fatal(err)
	}
	u, err := url.Parse(os.Getenv(dbtest.EnvURL))
	if err != nil {
		f.t.Fatal(err)
	}
	u.Path = "/" + name
	db, err := models.Open(u.String())
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	db.Now = f.db.Now
	return db
}

// instances returns n servers on the fixture's database: its own, then
// n-1 more, each on a pool of its own, as behind a load balancer.
func (f *acctFixture) instances(n int, cfg api.Config) []*api.Server {
	f.t.Helper()
	srvs := []*api.Server{f.srv}
	for range n - 1 {
		cfg.BaseURL = acctBaseURL
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		srv, err := api.New(f.sameDatabase(), cfg)
		if err != nil {
			f.t.Fatal(err)
		}
		srvs = append(srvs, srv)
	}
	return srvs
}

// On PostgreSQL the rate limits live in the database: three instances
// behind a round-robin balancer refuse the per-account sign-in and the
// per-IP survey requests at the same count as one instance does, not at
// three times that count.
func TestSeveralInstancesEnforceOneRateLimit(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("needs PostgreSQL (%s): on SQLite one instance runs and its limits stay in process", dbtest.EnvURL)
	}
	cfg := api.Config{
		LoginAccountLimit: api.RateLimit{Events: 3, Per: time.Hour},
		SurveyIPLimit:     api.RateLimit{Events: 4, Per: time.Hour},
	}
	// trips counts the requests answered before the first 429, sending
	// each to the next instance in turn.
	trips := func(srvs []*api.Server, f *acctFixture, send func() int) int {
		t.Helper()
		own := f.srv
		defer func() { f.srv = own }()
		for i := range 20 {
			f.srv = srvs[i%len(srvs)]
			switch code := send(); code {
			case http.StatusTooManyRequests:
				return i
			case http.StatusUnauthorized, http.StatusOK:
			default:
				t.Fatalf("request %d: %d", i+1, code)
			}
		}
		return -1
	}
	type counts struct{ signIn, survey int }
	measure := func(n int) counts {
		f := newAcctFixture(t, cfg)
		srvs := f.instances(n, cfg)
		token := f.newLink()
		var c counts
		// Each failure from another address, so that only the account's
		// limit can trip.
		ip := 0
		c.signIn = trips(srvs, f, func() int {
			ip++
			code, _, _ := f.signIn("res.a1@example.org", "not the password", func(r *http.Request) {
				r.RemoteAddr = "198.51.100." + strconv.Itoa(ip) + ":4000"
			})
			return code
		})
		c.survey = trips(srvs, f, func() int {
			return f.do("GET", "/api/v1/surveys/"+token, "", "", func(r *http.Request) { r.RemoteAddr = "203.0.113.9:5555" }).Code
		})
		return c
	}
	one, three := measure(1), measure(3)
	if want := (counts{signIn: 3, survey: 4}); one != want {
		t.Fatalf("one instance: refused after %+v requests, want %+v", one, want)
	}
	if three != one {
		t.Errorf("three instances refused after %+v requests, one instance after %+v: the limit is not shared", three, one)
	}
}
