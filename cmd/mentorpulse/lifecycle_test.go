package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestMigrateIsIdempotent(t *testing.T) {
	c := newCLI(t)
	_, first, err := c.run("migrate")
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	if !strings.Contains(first, "migrated database") {
		t.Errorf("first migrate logged %q, want the versions it applied", first)
	}
	_, second, err := c.run("migrate")
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if strings.Contains(second, "migrated database") {
		t.Errorf("second migrate applied migrations again: %q", second)
	}
	migs, _ := models.Migrations(c.openDB().Dialect)
	applied, err := c.openDB().Migrate(context.Background())
	if err != nil || len(applied) != 0 || len(migs) == 0 {
		t.Errorf("after two migrate runs Migrate applied %v (%v), want nothing", applied, err)
	}
}

func TestDemoLoadsOnce(t *testing.T) {
	c := newCLI(t)
	out := c.mustRun("demo")
	if !strings.Contains(out, "Loaded a demo program with 8 residents and 240 responses in ") || !strings.Contains(out, "go run ./cmd/mentorpulse") {
		t.Errorf("demo printed %q", out)
	}
	db := c.openDB()
	ctx := context.Background()
	// Answers of the window still open wait in holding, as in a running
	// service; the rest were mixed into responses.
	stored := func() int64 {
		n, err := db.CountResponses(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		sqlDB, _ := db.SQL()
		var held int64
		if err := sqlDB.QueryRow(`SELECT count(*) FROM held_responses`).Scan(&held); err != nil {
			t.Fatal(err)
		}
		return n + held
	}
	if n := stored(); n != 240 {
		t.Errorf("responses and held answers after demo = %d, want 240", n)
	}
	p, err := db.ProgramByName(ctx, "Internal Medicine Residency (demo)")
	if err != nil {
		t.Fatal(err)
	}
	residents, err := db.Residents(ctx, p.ID)
	if err != nil || len(residents) != 8 {
		t.Errorf("demo residents = %d (%v), want 8", len(residents), err)
	}
	// Every resident has released feedback from at least three mentees,
	// and the responses spread over several windows.
	windows := map[string]bool{}
	for _, r := range residents {
		rs, err := db.ResponsesFor(ctx, r.ID)
		if err != nil || len(rs) == 0 {
			t.Errorf("resident %s has %d responses (%v)", r.Name, len(rs), err)
		}
		for _, resp := range rs {
			windows[resp.WindowID] = true
		}
		rep, err := db.ResidentReport(ctx, r.ID, surveys.Period{From: surveys.MonthOf(db.Now().AddDate(-1, 0, 0)), To: surveys.MonthOf(db.Now())})
		if err != nil || rep.Suppressed || rep.Mentees < 3 {
			t.Errorf("resident %s: released %d responses from %d mentees (%v), want a report", r.Name, rep.Responses, rep.Mentees, err)
		}
		seen := map[string]bool{}
		for _, c := range append(append([]string{}, rep.Comments.KeepDoing...), rep.Comments.NextTime...) {
			if seen[c] {
				t.Errorf("resident %s's report repeats the comment %q", r.Name, c)
			}
			seen[c] = true
		}
	}
	if len(windows) < 3 {
		t.Errorf("demo responses fall in %d windows, want a spread over months", len(windows))
	}

	// The growth loop reads like a real program's: one resident's shared
	// goal shows a clear improvement, another's shared self-assessment a
	// clear blind spot.
	svc := growth.New(db, accounts.New(db, accounts.Config{}))
	var improved, blindSpot bool
	for _, r := range residents {
		goals, err := svc.Goals(ctx, accounts.Operator(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range goals {
			improved = improved || g.Progress.Verdict == surveys.Improved
		}
		sas, err := svc.SelfAssessments(ctx, accounts.Operator(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sa := range sas {
			if sa.Comparison == nil {
				continue
			}
			for _, g := range sa.Comparison.Attributes {
				blindSpot = blindSpot || g.Verdict == surveys.BlindSpot
			}
		}
	}
	if !improved || !blindSpot {
		t.Errorf("demo: a goal with a clear improvement %v, a shared blind spot %v; want both", improved, blindSpot)
	}

	again := c.mustRun("demo")
	if !strings.Contains(again, "already loaded") {
		t.Errorf("second demo printed %q, want it to say the data is already loaded", again)
	}
	if n := stored(); n != 240 {
		t.Errorf("responses after a second demo = %d, want still 240", n)
	}
}

func TestDemoRefusesNonEmptyDatabase(t *testing.T) {
	c := newCLI(t)
	c.mustRun("program", "create", "--name", "Real Program")
	_, _, err := c.run("demo")
	if err == nil || !strings.Contains(errorLine(err), "empty database") {
		t.Errorf("demo on a database in use: %v, want a refusal", err)
	}
}

// TestServeCommand runs "mentorpulse" with no arguments: it migrates, serves
// on MENTORPULSE_ADDR and stops cleanly when its context ends.
func TestServeCommand(t *testing.T) {
	c := newCLI(t)
	c.env["MENTORPULSE_ADDR"] = "127.0.0.1:0"
	stderr := &lineWriter{want: "msg=serving", hit: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, c.getenv, io.Discard, stderr) }()

	var line string
	select {
	case line = <-stderr.hit:
	case err := <-done:
		t.Fatalf("serve stopped early: %v\n%s", err, stderr)
	}
	m := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("serving line %q has no address", line)
	}
	resp, err := http.Get("http://" + m[1] + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after cancel: %v, want nil", err)
	}
	if logs := stderr.String(); !strings.Contains(logs, "migrated database") || !strings.Contains(logs, "msg=stopped") {
		t.Errorf("serve logs lack the migration or the stop:\n%s", logs)
	}
}
