package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPMailer sends through an SMTP server with go-mail, one connection per
// message (volumes are a few messages per meeting).
type SMTPMailer struct {
	host string
	port int
	opts []gomail.Option
}

// NewSMTPMailer reads an SMTP URL: smtp://user:pass@host:port uses STARTTLS
// when the server offers it (port 25 by default); smtps://… uses implicit TLS
// (port 465 by default). Credentials are optional.
func NewSMTPMailer(rawURL string) (*SMTPMailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("MENTORPULSE_SMTP_URL is not a URL like smtp://user:pass@host:587")
	}
	var opts []gomail.Option
	port := 25
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("MENTORPULSE_SMTP_URL needs a host, e.g. smtp://mail.example.org:587")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port), gomail.WithTimeout(30*time.Second))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass))
	}
	return &SMTPMailer{host: host, port: port, opts: opts}, nil
}

// Addr is host:port, for logs (never the credentials).
func (s *SMTPMailer) Addr() string {
	return net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

// Send implements Mailer.
func (s *SMTPMailer) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return fmt.Errorf("%w: sender %q: %v", ErrPermanent, m.From, err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("%w: recipient address: %v", ErrPermanent, err)
	}
	msg.Subject(m.Subject)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID)
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}
	if err != nil {
		return fmt.Errorf("smtp send: %w", err)
	}
	return nil
}
