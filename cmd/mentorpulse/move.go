package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/schollz/progressbar/v3"
)

func cmdMove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "move", "move --to postgres://… [--sessions]\n\n"+
		"Copies the whole SQLite database of MENTORPULSE_DATABASE_URL into an empty\n"+
		"PostgreSQL database in one transaction: the schema, every table with its ids,\n"+
		"the job queue. It checks row counts, checksums and every report afterwards;\n"+
		"a failure or an interruption leaves the target empty. Stop the service first.")
	to := fs.String("to", "", "URL of the empty PostgreSQL database to copy into")
	sessions := fs.Bool("sessions", false, "copy signed-in sessions too (without it, everyone signs in again)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "to"); err != nil {
		return err
	}
	if d, _, err := models.ParseURL(*to); err != nil || d != models.Postgres {
		return usageError{"move: --to must be a PostgreSQL URL, postgres://… or postgresql://…"}
	}
	if d, _, err := models.ParseURL(e.cfg.DatabaseURL); err != nil || d != models.SQLite {
		return usageError{"move: MENTORPULSE_DATABASE_URL must name the SQLite database to move from (sqlite:PATH)"}
	}
	src, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := models.Open(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	dst.Now = src.Now
	dst.SetSumsSecret(e.cfg.SecretKey)

	started := time.Now()
	opts := models.MoveOptions{Sessions: *sessions, Progress: moveProgress(terminal(e.stderr))}
	tables, err := src.Move(ctx, dst, opts)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "Copied %d rows of %d tables in %s; every table's count and checksum match.\n",
		rows, len(tables), time.Since(started).Round(100*time.Millisecond))
	for _, t := range tables {
		if t.Skipped != "" {
			fmt.Fprintf(e.stdout, "  %-28s not copied: %s\n", t.Name, t.Skipped)
		}
	}
	programs, residents, err := compareReports(ctx, src, dst)
	if err != nil {
		return fmt.Errorf("move: the copy is committed but %w; do not switch over: drop the target database and report this", err)
	}
	fmt.Fprintf(e.stdout, "Every report is the same on both databases (programs: %d, residents: %d).\n", programs, residents)
	fmt.Fprintln(e.stdout, "Point MENTORPULSE_DATABASE_URL at the PostgreSQL database and start the service; keep the SQLite file until you are satisfied.")
	return nil
}

// moveProgress draws a bar of rows copied on w, or nothing when w is nil
// (not a terminal).
func moveProgress(w io.Writer) func(total, copied int64) {
	if w == nil {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(total, copied int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("Copying rows"),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionThrottle(200*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		}
		bar.Set64(copied)
	}
}

// reportPeriod covers every window a deployment can hold.
var reportPeriod = surveys.Period{From: "2000-01"}

// compareReports computes every program's and every resident's report from
// both databases and reports the first that differs.
func compareReports(ctx context.Context, src, dst *models.DB) (programs, residents int, err error) {
	period := reportPeriod
	period.To = surveys.MonthOf(src.Now())
	ps, err := src.Programs(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, p := range ps {
		f := models.ProgramReportFilter{Period: period}
		if err := sameJSON(fmt.Sprintf("the report of program %d", p.ID),
			func(db *models.DB) (any, error) { return db.ProgramReport(ctx, p.ID, f) }, src, dst); err != nil {
			return programs, residents, err
		}
		programs++
		rs, err := src.Residents(ctx, p.ID)
		if err != nil {
			return programs, residents, err
		}
		for _, r := range rs {
			if err := sameJSON(fmt.Sprintf("the report of resident %d", r.ID),
				func(db *models.DB) (any, error) { return db.ResidentReport(ctx, r.ID, period) }, src, dst); err != nil {
				return programs, residents, err
			}
			residents++
		}
	}
	return programs, residents, nil
}

// sameJSON computes one figure from both databases and compares its JSON.
func sameJSON(what string, compute func(*models.DB) (any, error), src, dst *models.DB) error {
	var out [2][]byte
	for i, db := range []*models.DB{src, dst} {
		v, err := compute(db)
		if err != nil {
			return fmt.Errorf("%s could not be computed: %w", what, err)
		}
		if out[i], err = json.Marshal(v); err != nil {
			return err
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		return fmt.Errorf("%s differs between the databases", what)
	}
	return nil
}
