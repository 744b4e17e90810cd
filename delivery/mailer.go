// Package delivery sends survey links by email after a meeting: it records
// meetings, makes their links, and queues the first email, the reminders and
// the expiry sweep as River jobs in the same transaction. It imports models
// and surveys, never Echo.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Message is one email: a plain-text part and an HTML alternative.
type Message struct {
	From    string
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
	// ID is the Message-ID without its angle brackets (left@right), stable
	// per meeting and email, so that a message sent again after a crash can
	// be recognised as the same one.
	ID string
}

// Mailer sends one message. An error wrapping ErrPermanent will not succeed
// on retry (the server refused the recipient); ErrNotSent means the message
// was not sent and never will be by this mailer; any other error is retried.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a delivery failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent delivery failure")

// ErrNotSent is what the LogMailer answers: the message went to the server
// log, not to its recipient. Its text is the reason directors see.
var ErrNotSent = errors.New("not sent: no mail server configured")

// LogMailer writes each message, link included, to the server log instead of
// sending it, so the service works with no mail server. The log is then the
// delivery channel: it is the one place a survey link is ever logged. Send
// answers ErrNotSent, so that nothing shows the message as sent.
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
	return ErrNotSent
}

// failureReason is the one place a failed send becomes the words that are
// stored, handed to the job queue and logged. Whatever the error quotes of
// the recipient is replaced: the address, its local part, the name and each
// word of it. SMTP servers quote the recipient; parsers quote what they
// could not read.
func failureReason(err error, email, name string) string {
	msg := strings.ToValidUTF8(err.Error(), "?")
	secrets := map[string]string{}
	if email != "" {
		secrets[email] = "<recipient address>"
		if local, _, ok := strings.Cut(email, "@"); ok && len([]rune(local)) >= 3 {
			secrets[local] = "<recipient address>"
		}
	}
	if name = strings.TrimSpace(name); name != "" {
		secrets[name] = "<recipient name>"
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(w)) >= 3 {
				secrets[w] = "<recipient name>"
			}
		}
	}
	// Longest first, so that the whole address goes before its local part.
	keys := make([]string, 0, len(secrets))
	for k := range secrets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		msg = regexp.MustCompile("(?i)"+regexp.QuoteMeta(k)).ReplaceAllLiteralString(msg, secrets[k])
	}
	return msg
}
