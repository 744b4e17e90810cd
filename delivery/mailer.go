// Package delivery sends survey links by email after a meeting: it records
// meetings, makes their links, and queues the first email, the reminders and
// the expiry sweep as River jobs in the same transaction. It imports models
// and surveys, never Echo.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"strings"
)

// Message is one email: a plain-text part and an HTML alternative.
type Message struct {
	From    string
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
	// ID is the Message-ID, stable per meeting and email, so that a message
	// sent again after a crash can be recognised as the same one.
	ID string
}

// Mailer sends one message. An error wrapping ErrPermanent will not succeed
// on retry (the server refused the recipient); any other error is retried.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a delivery failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent delivery failure")

// LogMailer writes each message, link included, to the server log instead of
// sending it, so the service works with no mail server. The log is then the
// delivery channel: it is the one place a survey link is ever logged.
type LogMailer struct {
	Log *slog.Logger
}

// Send implements Mailer.
func (l LogMailer) Send(ctx context.Context, m Message) error {
	l.Log.LogAttrs(ctx, slog.LevelInfo, "email not sent: MENTORPULSE_SMTP_URL is unset, so here it is",
		slog.String("message_id", m.ID),
		slog.String("to", m.To),
		slog.String("subject", m.Subject),
		slog.String("text", m.Text))
	return nil
}

// scrub removes the mentee's address from an error before it is stored or
// handed to the job queue: SMTP errors often quote the recipient.
func scrub(err error, email string) string {
	msg := err.Error()
	if email == "" {
		return msg
	}
	lower := strings.ToLower(msg)
	target := strings.ToLower(email)
	var b strings.Builder
	for {
		i := strings.Index(lower, target)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i])
		b.WriteString("<mentee address>")
		msg, lower = msg[i+len(target):], lower[i+len(target):]
	}
}
