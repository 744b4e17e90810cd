package delivery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// What went wrong talking to the mail server, in the words ExplainSMTP
// starts with.
const (
	SMTPConnectionRefused = "connection refused"
	SMTPUnknownHost       = "unknown host"
	SMTPTimeout           = "no answer"
	SMTPTLSFailed         = "TLS failure"
	SMTPAuthFailed        = "authentication failed"
	SMTPSenderRefused     = "sender refused"
	SMTPRecipientRefused  = "recipient refused"
	SMTPMessageRefused    = "message refused"
	SMTPFailed            = "sending failed"
	SMTPNotConfigured     = "no mail server configured"
)

// SMTPProblem is a failed exchange with the mail server, told plainly:
// Kind is one of the SMTP… constants above; Reply is what the server
// answered, when it answered (e.g. "535 5.7.8 bad credentials"), else the
// error's own words.
type SMTPProblem struct {
	Kind  string
	Reply string
}

// String is the problem as one line for an operator.
func (p SMTPProblem) String() string {
	if p.Reply == "" {
		return p.Kind
	}
	return p.Kind + ": " + p.Reply
}

// ExplainSMTP sorts an error from Check or Send into what went wrong:
// nothing listening, a name that does not resolve, no answer, TLS, the
// credentials, the sender, the recipient or the message, with the server's
// reply. server is host:port, for the words.
func ExplainSMTP(err error, server string) SMTPProblem {
	reply := err.Error()
	var tp *textproto.Error
	if errors.As(err, &tp) {
		reply = "the server said " + fmt.Sprintf("%d %s", tp.Code, tp.Msg)
	}
	var dnsErr *net.DNSError
	var netErr net.Error
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	var alert tls.AlertError
	var se *gomail.SendError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return SMTPProblem{SMTPConnectionRefused, "nothing accepts connections at " + server + " (is the mail server running, and is the port right?)"}
	case errors.As(err, &dnsErr):
		return SMTPProblem{SMTPUnknownHost, fmt.Sprintf("the name %q does not resolve", dnsErr.Name)}
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &recordErr), errors.As(err, &alert),
		strings.Contains(err.Error(), "STARTTLS"), strings.Contains(err.Error(), "tls:"):
		return SMTPProblem{SMTPTLSFailed, err.Error()}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return SMTPProblem{SMTPTimeout, server + " did not answer in time"}
	case strings.Contains(err.Error(), "SMTP AUTH failed"), tp != nil && (tp.Code == 535 || tp.Code == 534 || tp.Code == 530):
		return SMTPProblem{SMTPAuthFailed, reply}
	case errors.As(err, &se) && se.Reason == gomail.ErrSMTPMailFrom:
		return SMTPProblem{SMTPSenderRefused, reply + " (check MENTORPULSE_MAIL_FROM)"}
	case errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo:
		return SMTPProblem{SMTPRecipientRefused, reply}
	case errors.As(err, &se) && (se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose || se.Reason == gomail.ErrWriteContent):
		return SMTPProblem{SMTPMessageRefused, reply}
	}
	return SMTPProblem{SMTPFailed, reply}
}
