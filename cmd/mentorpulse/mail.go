package main

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/delivery"
)

const mailTestUsage = `mail test --to ADDRESS

Sends a test email to ADDRESS through MENTORPULSE_SMTP_URL, as the service
would, and says what went wrong in plain words when it fails (connection
refused, TLS failure, authentication failed, recipient refused, with the
server's reply). Exits 1 when the email was not sent. Audited as the
operator, without the address.`

func cmdMail(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "test" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: mentorpulse "+mailTestUsage)
			return nil
		}
		return usageError{"mail: use 'mail test --to ADDRESS'"}
	}
	fs := newFlags(e, "mail test", mailTestUsage)
	to := fs.String("to", "", "the address to send the test email to (required)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	if err := requireFlag(fs, "to"); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, smtp, err := newDelivery(ctx, e, db, nil)
	if err != nil {
		return err
	}
	res, err := svc.SendTestEmail(ctx, delivery.TestEmail{By: accounts.Operator().AuditBy(), To: *to})
	if err != nil {
		return err
	}
	if !res.Sent {
		return fmt.Errorf("test email not sent: %s", res.Problem)
	}
	fmt.Fprintf(e.stdout, "test email sent to %s through %s: the server accepted it\n", *to, smtp.Addr())
	return nil
}
