package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
)

// accountsService runs the account use cases for the operator's commands,
// so that what they change is checked and audited like a change made on
// the web.
func accountsService(e *env, db *models.DB) *accounts.Service {
	return accounts.New(db, accounts.Config{BaseURL: e.cfg.BaseURL})
}

func cmdProgram(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse program create --name NAME [--min-responses N]")
			return nil
		}
		return usageError{"program: use 'program create --name NAME'"}
	}
	fs := newFlags(e, "program create", "program create --name NAME [--min-responses N]")
	name := fs.String("name", "", "program name, e.g. \"Internal Medicine Residency\" (required)")
	minResp := fs.Int("min-responses", models.DefaultMinResponses, "responses needed before a resident-level figure is shown (at least 3)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "name"); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := accountsService(e, db).CreateProgram(ctx, accounts.Operator(), accounts.NewProgram{Name: *name, MinResponses: minResp})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created program %d %q\n", p.ID, p.Name)
	return nil
}

func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse user create --email E --name N --role admin|director|resident [--program NAME] [--pgy N] [--password P]")
			return nil
		}
		return usageError{"user: use 'user create --email E --name N --role admin|director|resident'"}
	}
	fs := newFlags(e, "user create", "user create --email E --name N --role admin|director|resident [--program NAME] [--pgy N] [--password P]")
	email := fs.String("email", "", "email address, used to sign in (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "", "admin, director or resident (required)")
	program := fs.String("program", "", "program name (required for residents and directors)")
	pgy := fs.Int("pgy", 0, "PGY year 1..7 (residents)")
	password := fs.String("password", "", "initial password, at least 12 characters (optional)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "email", "name", "role"); err != nil {
		return err
	}
	switch *role {
	case models.RoleAdmin, models.RoleDirector, models.RoleResident:
	default:
		return usageError{fmt.Sprintf("user create: --role must be admin, director or resident, not %q", *role)}
	}
	if *role != models.RoleAdmin && *program == "" {
		return usageError{fmt.Sprintf("user create: a %s needs --program NAME", *role)}
	}
	if *pgy != 0 && (*pgy < 1 || *pgy > 7) {
		return usageError{"user create: --pgy must be from 1 to 7"}
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	in := accounts.NewAccount{Email: *email, Name: *name, Role: *role, Password: *password}
	if *program != "" {
		p, err := db.ProgramByName(ctx, *program)
		if err != nil {
			return err
		}
		in.ProgramID = &p.ID
	}
	if *pgy != 0 {
		in.PGYYear = pgy
	}
	u, err := accountsService(e, db).CreateAccount(ctx, accounts.Operator(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s %d %s\n", u.Role, u.ID, u.Email)
	return nil
}

func cmdInvite(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "invite", "invite --resident EMAIL --mentee EMAIL [--count N] [--expires-in DURATION] [--meeting-date YYYY-MM-DD]\n\nPrints one survey URL per line and nothing else on stdout. The mentee must be an\nactive mentee of the resident's program (or an address in its mentee domains).")
	resident := fs.String("resident", "", "the resident's email (required)")
	mentee := fs.String("mentee", "", "the mentee's email, on the program's roster (required)")
	count := fs.Int("count", 1, "how many links to create (1..1000)")
	expires := fs.Duration("expires-in", models.DefaultLinkLifetime, "how long each link stays open, e.g. 72h")
	meeting := fs.String("meeting-date", "", "the meeting's date, YYYY-MM-DD (optional)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "resident", "mentee"); err != nil {
		return err
	}
	if *count < 1 || *count > 1000 {
		return usageError{"invite: --count must be from 1 to 1000"}
	}
	if *expires <= 0 || *expires > 60*24*time.Hour {
		return usageError{"invite: --expires-in must be positive and at most 1440h (60 days)"}
	}
	var date *string
	if *meeting != "" {
		if _, err := time.Parse(time.DateOnly, *meeting); err != nil {
			return usageError{fmt.Sprintf("invite: --meeting-date %q must be YYYY-MM-DD", *meeting)}
		}
		date = meeting
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, *resident)
	if err != nil {
		return err
	}
	svc := accountsService(e, db)
	var urls []string
	// One transaction for all of them: either every link works or none exists.
	err = db.WithTx(ctx, func(ctx context.Context) error {
		for range *count {
			inv, err := svc.CreateInvitation(ctx, accounts.Operator(), accounts.NewInvitation{ResidentID: &u.ID, MenteeEmail: *mentee, MeetingDate: date, Lifetime: *expires})
			if err != nil {
				return err
			}
			urls = append(urls, inv.SurveyURL)
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, strings.Join(urls, "\n"))
	return err
}
