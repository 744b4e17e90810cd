package models_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// The stored bucket behaves as the in-process one does: full at first,
// refused once empty with the time until the next token, refilled by time,
// and a returned token can be taken again.
func TestRateTokensRefillAndComeBack(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	b := models.RateBucket{Limiter: "login_account", Events: 3, Per: time.Hour}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	take := func(key string, now time.Time) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := db.TakeRateToken(ctx, b, key, now)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	for i := range 3 {
		if ok, _ := take("res.a1@example.org", at); !ok {
			t.Fatalf("take %d of 3 refused", i+1)
		}
	}
	ok, wait := take("res.a1@example.org", at)
	if ok || wait != 20*time.Minute {
		t.Fatalf("fourth take: ok %v, wait %s; want refused for 20m (one token per 20 minutes)", ok, wait)
	}
	if ok, _ := take("res.a2@example.org", at); !ok {
		t.Error("another key shares the first one's bucket")
	}
	if ok, _, err := db.TakeRateToken(ctx, models.RateBucket{Limiter: "reset_account", Events: 3, Per: time.Hour}, "res.a1@example.org", at); err != nil || !ok {
		t.Error("another limiter shares the bucket of the same key")
	}
	if ok, wait := take("res.a1@example.org", at.Add(15*time.Minute)); ok || wait != 5*time.Minute {
		t.Errorf("after 15 minutes: ok %v, wait %s; want refused for 5m", ok, wait)
	}
	if ok, _ := take("res.a1@example.org", at.Add(20*time.Minute)); !ok {
		t.Error("after 20 minutes a token should be back")
	}
	if err := db.ReturnRateToken(ctx, b, "res.a1@example.org", at.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := take("res.a1@example.org", at.Add(20*time.Minute)); !ok {
		t.Error("a returned token could not be taken")
	}
	if ok, _ := take("res.a1@example.org", at.Add(20*time.Minute)); ok {
		t.Error("more tokens than were returned")
	}
}

// Buckets are purged once full again, and hold no key in clear.
func TestRateLimitRowsAreHashedAndPurgedWhenFull(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	b := models.RateBucket{Limiter: "survey_ip", Events: 2, Per: time.Minute}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, key := range []string{"198.51.100.7", "amara@hospital.example"} {
		if _, _, err := db.TakeRateToken(ctx, b, key, at); err != nil {
			t.Fatal(err)
		}
	}
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sqlDB.Query("SELECT key_hash FROM rate_limits")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) != 2 {
		t.Fatalf("%d rows, want 2", len(keys))
	}
	for _, k := range keys {
		if strings.Contains(k, "198.51") || strings.Contains(k, "@") || len(k) != 64 {
			t.Errorf("row key %q is not an HMAC", k)
		}
	}
	if n, err := db.PurgeRateLimits(ctx, at.Add(time.Minute-time.Second)); err != nil || n != 0 {
		t.Errorf("purge before the buckets are full: %d rows, %v; want none", n, err)
	}
	if n, err := db.PurgeRateLimits(ctx, at.Add(time.Minute+time.Second)); err != nil || n != 2 {
		t.Errorf("purge once full: %d rows, %v; want 2", n, err)
	}
}

// Parallel takes on separate connection pools, as on separate instances,
// never take more tokens than the bucket holds.
func TestParallelRateTokenTakesNeverOverdraw(t *testing.T) {
	url := dbtest.URL(t)
	const pools, each = 3, 10
	dbs := make([]*models.DB, pools)
	for i := range dbs {
		db, err := models.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	b := models.RateBucket{Limiter: "login_ip", Events: 7, Per: 1000 * time.Hour}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var wg sync.WaitGroup
	granted := 0
	for _, db := range dbs {
		for range each {
			wg.Go(func() {
				ok, _, err := db.TakeRateToken(context.Background(), b, "203.0.113.7", at)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if granted != b.Events {
		t.Errorf("%d of %d parallel takes granted, want %d", granted, pools*each, b.Events)
	}
}
