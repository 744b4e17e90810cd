package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

// measureReports times report reads over HTTP against the largest program in
// the database (load one with `mentorpulse demo --residents 200 --responses
// 1000000`): resident reports for random residents, program reports, and CSV
// exports with the server's peak RSS before and after.
func measureReports(ctx context.Context, o options, out io.Writer) error {
	db, err := models.Open(o.databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	prog, residents, err := largestProgram(ctx, db)
	if err != nil {
		return err
	}
	token, err := adminToken(ctx, db)
	if err != nil {
		return err
	}
	n, err := db.CountResponses(ctx, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "program %q: %d residents, %d responses in the database\n", prog.Name, len(residents), n)
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency * 2}}
	base := strings.TrimRight(o.url, "/")
	get := func(path string) (time.Duration, int64, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		nb, err := io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return time.Since(t0), nb, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	residentPaths := make([]string, o.links)
	for i := range residentPaths {
		residentPaths[i] = fmt.Sprintf("/api/v1/residents/%d/report", residents[rng.IntN(len(residents))].ID)
	}
	programPaths := make([]string, max(1, o.links/5))
	for i := range programPaths {
		programPaths[i] = fmt.Sprintf("/api/v1/programs/%d/report", prog.ID)
	}
	for _, run := range []struct {
		name  string
		paths []string
		c     int
	}{
		{"resident report", residentPaths, o.concurrency},
		{"program report", programPaths, min(o.concurrency, 4)},
	} {
		lat, err := timeAll(run.paths, run.c, func(p string) (time.Duration, error) { d, _, err := get(p); return d, err })
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d requests, %d concurrent: p50 %s  p95 %s  p99 %s\n", run.name, len(lat), run.c,
			percentile(lat, .50).Round(10*time.Microsecond), percentile(lat, .95).Round(10*time.Microsecond), percentile(lat, .99).Round(10*time.Microsecond))
	}
	before := peakRSS(o.pid)
	var bytes int64
	var csvLat []time.Duration
	for range 20 {
		d, nb, err := get(fmt.Sprintf("/api/v1/programs/%d/report?format=csv", prog.ID))
		if err != nil {
			return err
		}
		bytes, csvLat = nb, append(csvLat, d)
	}
	slices.Sort(csvLat)
	fmt.Fprintf(out, "CSV export: %d bytes, p50 %s; server peak RSS before %s, after 20 exports %s\n",
		bytes, percentile(csvLat, .5).Round(10*time.Microsecond), before, peakRSS(o.pid))
	return nil
}

// timeAll runs f over paths from c workers and returns sorted latencies.
func timeAll(paths []string, c int, f func(string) (time.Duration, error)) ([]time.Duration, error) {
	next := make(chan string)
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for p := range next {
				d, err := f(p)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	slices.Sort(lat)
	return lat, firstErr
}

func largestProgram(ctx context.Context, db *models.DB) (*models.Program, []models.User, error) {
	ps, err := db.Programs(ctx)
	if err != nil {
		return nil, nil, err
	}
	var best *models.Program
	var bestRes []models.User
	for i := range ps {
		rs, err := db.Residents(ctx, ps[i].ID)
		if err != nil {
			return nil, nil, err
		}
		if len(rs) > len(bestRes) {
			best, bestRes = &ps[i], rs
		}
	}
	if best == nil {
		return nil, nil, errors.New("no program with residents: load one with mentorpulse demo --residents 200 --responses 1000000")
	}
	return best, bestRes, nil
}

// adminToken makes an API token for a load-test admin account.
func adminToken(ctx context.Context, db *models.DB) (string, error) {
	const email = "loadgen-admin@example.test"
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		u = &models.User{Email: email, Name: "Load Test Admin", Role: models.RoleAdmin}
		if err := db.CreateUser(ctx, u); err != nil {
			return "", err
		}
	}
	_, secret, err := db.CreateAPIToken(ctx, u.ID, "loadgen")
	return secret, err
}
