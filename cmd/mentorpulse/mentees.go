package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/mentorpulse/mentorpulse/accounts"
)

const menteeAddUsage = "mentee add --program NAME --email E [--name N]\n\nAdds a mentee to a program's roster, active at once (the operator needs no\napproval). Audited as the operator."

func cmdMentee(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse "+menteeAddUsage)
			return nil
		}
		return usageError{"mentee: use 'mentee add --program NAME --email E [--name N]'"}
	}
	fs := newFlags(e, "mentee add", menteeAddUsage)
	program := fs.String("program", "", "the program's name (required)")
	email := fs.String("email", "", "the mentee's email (required)")
	name := fs.String("name", "", "the mentee's name, to greet them in emails (optional)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "program", "email"); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.ProgramByName(ctx, *program)
	if err != nil {
		return err
	}
	in := accounts.NewMentee{ProgramID: p.ID, Email: *email}
	if *name != "" {
		in.Name = name
	}
	m, err := accountsService(e, db).AddMentee(ctx, accounts.Operator(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added mentee %d %s to %q (%s)\n", m.ID, m.Email, p.Name, m.Status)
	return nil
}

const menteesImportUsage = `mentees import --program NAME FILE.csv

Applies a CSV of mentees (email,name; a header line is optional) to a
program's roster: new addresses are added, active; addresses already on the
roster get their name updated. Invalid rows, and addresses of staff accounts,
are listed by line; the others are applied. Audited as the operator.`

func cmdMentees(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse "+menteesImportUsage)
			return nil
		}
		return usageError{"mentees: use 'mentees import --program NAME FILE.csv'"}
	}
	fs := newFlags(e, "mentees import", menteesImportUsage)
	program := fs.String("program", "", "the program's name (required)")
	// The file may come before or after the flags.
	var file string
	rest := args[1:]
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil
		}
		return usageError{fmt.Sprintf("mentees import: %v (see mentorpulse mentees import --help)", err)}
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("mentees import: unexpected argument %q (see mentorpulse mentees import --help)", fs.Arg(0))}
	}
	if file == "" {
		return usageError{"mentees import: name the CSV file (see mentorpulse mentees import --help)"}
	}
	if err := requireFlag(fs, "program"); err != nil {
		return err
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
	p, err := db.ProgramByName(ctx, *program)
	if err != nil {
		return err
	}
	res, err := accountsService(e, db).ImportMentees(ctx, accounts.Operator(), accounts.MenteeImport{ProgramID: p.ID, CSV: f})
	if err != nil {
		return err
	}
	for _, re := range res.Errors {
		fmt.Fprintf(e.stdout, "line %d: %s\n", re.Line, re.Message)
	}
	fmt.Fprintf(e.stdout, "%d mentees added, %d updated, %d rows rejected\n", res.Created, res.Updated, len(res.Errors))
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d rows were rejected; fix them and import the file again", len(res.Errors))
	}
	return nil
}
