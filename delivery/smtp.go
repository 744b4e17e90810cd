package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// AuthPlainInsecure is the value of the SMTP URL's auth parameter that lets
// credentials cross an unencrypted connection to a host that is not loopback
// (smtp://user:pass@relay:25?auth=plain-insecure), for a relay reached over
// a network that is secured some other way.
const AuthPlainInsecure = "plain-insecure"

// SMTPMailer sends through an SMTP server with go-mail, one connection per
// message (volumes are a few messages per meeting).
type SMTPMailer struct {
	host string
	port int
	opts []gomail.Option
	// tlsForAuth is set when TLS is required only because credentials
	// must not travel in clear, so that a failure can say so.
	tlsForAuth bool
	// dial replaces the network dial in tests (see export_test.go).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewSMTPMailer reads an SMTP URL: smtp://user:pass@host:port uses STARTTLS
// when the server offers it (port 25 by default); smtps://… uses implicit TLS
// (port 465 by default). Credentials are optional. They are sent over TLS,
// or in clear to a loopback host (a local relay or mail catcher, as Go's
// net/smtp allows); to any other host they are sent in clear only when the
// URL says ?auth=plain-insecure. Of the mechanisms the server offers the
// strongest is used.
func NewSMTPMailer(rawURL string) (*SMTPMailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("MENTORPULSE_SMTP_URL is not a URL like smtp://user:pass@host:587")
	}
	q := u.Query()
	insecure := false
	for k := range q {
		if k != "auth" {
			return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: unknown parameter %q (the one parameter is auth=%s)", k, AuthPlainInsecure)
		}
	}
	switch a := q.Get("auth"); a {
	case "":
	case AuthPlainInsecure:
		insecure = true
	default:
		return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: auth=%q; the one value is auth=%s", a, AuthPlainInsecure)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("MENTORPULSE_SMTP_URL needs a host, e.g. smtp://mail.example.org:587")
	}
	s := &SMTPMailer{host: host}
	s.port = 25
	secure := false
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.port, secure = 465, true
		s.opts = append(s.opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("MENTORPULSE_SMTP_URL: bad port %q", p)
		}
	}
	s.opts = append(s.opts, gomail.WithPort(s.port), gomail.WithTimeout(30*time.Second))
	user := ""
	if u.User != nil {
		user = u.User.Username()
	}
	if user == "" {
		if !secure {
			s.opts = append(s.opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		}
		return s, nil
	}
	pass, _ := u.User.Password()
	inClear := insecure || isLoopback(host)
	if !secure {
		policy := gomail.TLSOpportunistic
		if !inClear {
			policy, s.tlsForAuth = gomail.TLSMandatory, true
		}
		s.opts = append(s.opts, gomail.WithTLSPolicy(policy))
	}
	s.opts = append(s.opts,
		gomail.WithOpportunisticSMTPAuth(authPreference(secure, inClear)...),
		gomail.WithUsername(user),
		gomail.WithPassword(pass))
	return s, nil
}

// authPreference ranks the mechanisms go-mail may choose from what the
// server offers, strongest first (go-mail's own ranking). Auto-discovery
// would drop PLAIN and LOGIN on every unencrypted connection, loopback
// included, and then refuse to send; so the choice is made here. The
// channel-binding SCRAM variants need a TLS connection, so they are offered
// only when TLS is certain. PLAIN and LOGIN go in clear only when inClear:
// otherwise go-mail refuses them without TLS.
func authPreference(tlsCertain, inClear bool) []gomail.SMTPAuthType {
	var out []gomail.SMTPAuthType
	if tlsCertain {
		out = append(out, gomail.SMTPAuthSCRAMSHA256PLUS)
	}
	out = append(out, gomail.SMTPAuthSCRAMSHA256)
	if tlsCertain {
		out = append(out, gomail.SMTPAuthSCRAMSHA1PLUS)
	}
	out = append(out, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5)
	if inClear && !tlsCertain {
		return append(out, gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc)
	}
	return append(out, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin)
}

// isLoopback is true for localhost and loopback addresses. Other names are
// not resolved: a resolver could answer anything.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr is host:port, for logs (never the credentials).
func (s *SMTPMailer) Addr() string {
	return net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

// client builds a go-mail client for one connection.
func (s *SMTPMailer) client() (*gomail.Client, error) {
	opts := s.opts
	if s.dial != nil {
		opts = append(append([]gomail.Option(nil), opts...), gomail.WithDialContextFunc(s.dial))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return c, nil
}

// Check connects, greets the server, starts TLS where configured and signs
// in, then hangs up: what every send does before its first message. serve
// runs it at start so that a wrong configuration shows in the log at once.
func (s *SMTPMailer) Check(ctx context.Context) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return s.explain(err)
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("smtp quit: %w", err)
	}
	return nil
}

// explain adds what the operator can do to a failure to connect when TLS
// is required only for the credentials' sake.
func (s *SMTPMailer) explain(err error) error {
	if s.tlsForAuth {
		return fmt.Errorf("%w (credentials go to %s only over TLS; use smtps://, a server that offers STARTTLS, or add ?auth=%s to send them in clear)",
			err, s.host, AuthPlainInsecure)
	}
	return err
}

// Send implements Mailer.
func (s *SMTPMailer) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return fmt.Errorf("%w: sender %q: %v", ErrPermanent, m.From, err)
	}
	// The display name is encoded by net/mail (quoted, RFC 2047 when not
	// ASCII) rather than pasted into a string to be parsed again: a name
	// with a quote in it is a name, not a syntax error. The parser's words
	// are not kept: they quote the address.
	to, err := mail.ParseAddress(m.To)
	if err != nil || to.Name != "" {
		return fmt.Errorf("%w: the recipient address is not valid", ErrPermanent)
	}
	to.Name = m.ToName
	msg.AddToMailAddress(to)
	msg.Subject(m.Subject)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID) // go-mail adds the angle brackets
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	client, err := s.client()
	if err != nil {
		return err
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server answered 250 to the message's data: it is the
		// server's now. What failed after that (RSET, QUIT, a connection
		// dropped by a slow server) must not make the job send it again.
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	if err != nil {
		return fmt.Errorf("smtp send: %w", err)
	}
	return nil
}
