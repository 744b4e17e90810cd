package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

const meetingsUsage = `meetings import [--program NAME] FILE.csv

Records one meeting per row of a CSV file with the columns
resident_email,mentee_email,meeting_date (a header line is optional) and
queues each survey email; the running service sends them. Each mentee must be
an active mentee of the resident's program, or an address in its mentee
domains (added to the roster on first use, audited as the operator). Rows already recorded (same resident, mentee email and date) are
skipped, so importing a file twice sends nothing twice. Invalid rows are
listed by line; the others are recorded.`

func cmdMeetings(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse "+meetingsUsage)
			return nil
		}
		return usageError{"meetings: use 'meetings import FILE.csv'"}
	}
	fs := newFlags(e, "meetings import", meetingsUsage)
	program := fs.String("program", "", "only accept residents of this program (by name)")
	// The file may come before or after the flags.
	var file string
	rest := args[1:]
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// Parse printed the usage already.
			return nil
		}
		return usageError{fmt.Sprintf("meetings import: %v (see mentorpulse meetings import --help)", err)}
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("meetings import: unexpected argument %q (see mentorpulse meetings import --help)", fs.Arg(0))}
	}
	if file == "" {
		return usageError{"meetings import: name the CSV file (see mentorpulse meetings import --help)"}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()

	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	var programID int64
	if *program != "" {
		p, err := db.ProgramByName(ctx, *program)
		if err != nil {
			return err
		}
		programID = p.ID
	}
	svc, _, err := newDelivery(ctx, e, db, nil) // enqueues only; serve sends
	if err != nil {
		return err
	}
	bar := progressFor(e.stderr)
	rep, err := svc.Import(ctx, programID, f, accounts.Operator().AuditBy(), bar)
	if err != nil {
		return err
	}
	for _, re := range rep.Errors {
		fmt.Fprintf(e.stdout, "line %d: %s\n", re.Line, re.Message)
	}
	fmt.Fprintf(e.stdout, "%d rows: %d meetings recorded and their emails queued, %d already recorded, %d rejected\n",
		rep.Rows, rep.Created, rep.Skipped, len(rep.Errors))
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d rows were rejected; fix them and import the file again (recorded rows are skipped)", len(rep.Errors))
	}
	return nil
}

// progressFor draws a progress bar on w when it is a terminal, and nothing
// otherwise (pipes and logs get only the summary).
func progressFor(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
		if done == total {
			bar.Finish()
		}
	}
}
