package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errorLine is how main shows an error: on one line, and an application
// error by its message and bad fields rather than its code ("not_found: …").
func errorLine(err error) string {
	msg := err.Error()
	var ae *surveys.Error
	if errors.As(err, &ae) {
		text := ae.Message
		for _, f := range ae.Fields {
			text += "; " + f.Field + ": " + f.Message
		}
		msg = strings.Replace(msg, ae.Error(), text, 1)
	}
	return strings.Join(strings.Fields(msg), " ")
}

// env is what every command gets: configuration and where to write.
type env struct {
	cfg    Config
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web service (the default)", cmdServe},
		{"migrate", "apply database migrations and exit", cmdMigrate},
		{"program", "manage programs: program create --name NAME", cmdProgram},
		{"user", "manage users: user create --email E --name N --role admin|director|resident", cmdUser},
		{"invite", "create survey links for a resident's rostered mentee and print their URLs", cmdInvite},
		{"mentee", "manage the mentee roster: mentee add --program NAME --email E [--name N]", cmdMentee},
		{"mentees", "import a mentee roster: mentees import --program NAME FILE.csv", cmdMentees},
		{"meetings", "record meetings in bulk: meetings import FILE.csv", cmdMeetings},
		{"mail", "check the mail server: mail test --to ADDRESS", cmdMail},
		{"demo", "fill an empty database with demo data", cmdDemo},
		{"backup", "copy the SQLite database while it runs: backup FILE (PostgreSQL: pg_dump)", cmdBackup},
		{"move", "copy this SQLite database into an empty PostgreSQL one: move --to postgres://…", cmdMove},
		{"healthcheck", "exit 0 when the local service is ready (for containers)", cmdHealthcheck},
	}
}

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	e := &env{cfg: cfg, stdout: stdout, stderr: stderr, log: newLogger(cfg, stderr)}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	return usageError{fmt.Sprintf("unknown command %q; run mentorpulse --help", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: mentorpulse [command] [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEach command takes --help. Configuration comes from the environment:")
	for _, v := range configVars {
		def := v[1]
		if def == "" {
			def = "(unset)"
		}
		fmt.Fprintf(w, "  %-30s default %s\n", v[0], def)
	}
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newFlags returns a flag set whose errors come back as usage errors and
// whose --help prints to stdout.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: mentorpulse %s\n\n", usage)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// errHelp means --help was printed; the command succeeds.
var errHelp = errors.New("help printed")

// parseFlags parses args and rejects stray positional arguments. On --help
// the flag package has already printed the usage once; errHelp only says so.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{fmt.Sprintf("%s: %v (see mentorpulse %s --help)", fs.Name(), err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q (see mentorpulse %s --help)", fs.Name(), fs.Arg(0), fs.Name())}
	}
	return nil
}

// openDB opens and migrates the configured database, with the operator's
// secret for mentee sums.
func openDB(ctx context.Context, e *env) (*models.DB, error) {
	db, err := models.Open(e.cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if off := e.cfg.ClockOffset; off != 0 {
		db.Now = func() time.Time { return time.Now().Add(off) }
	}
	// Every subcommand seals mentees' running sums with the same key as
	// serve: the mixer and the release may run in any of them.
	db.SetSumsSecret(e.cfg.SecretKey)
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		e.log.Info("migrated database", "versions", fmt.Sprint(applied))
	}
	return db, nil
}

func requireFlag(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			return usageError{fmt.Sprintf("%s: --%s is required (see mentorpulse %s --help)", fs.Name(), n, fs.Name())}
		}
	}
	return nil
}
