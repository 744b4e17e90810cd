// Package deliverytest helps tests of email delivery: an SMTP server that
// collects messages (and can be made to refuse them), a clock that moves
// only when told, and a way to run jobs that have fallen due.
package deliverytest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the server accepted, decoded.
type Mail struct {
	From, To string
	// ToHeader is the To header as written, display name included.
	ToHeader  string
	MessageID string
	Subject   string
	Text      string
	HTML      string
}

// SMTPServer is an SMTP server on 127.0.0.1 that keeps what it receives.
type SMTPServer struct {
	t      testing.TB
	addr   string
	srv    *smtp.Server
	mu     sync.Mutex
	mails  []Mail
	down   *smtp.SMTPError
	refuse map[string]*smtp.SMTPError
	tries  int
	// hangUp closes each connection once a message was accepted on it.
	hangUp bool
	// AUTH, when RequireAuth set it (see auth.go).
	user, pass  string
	mechs       []string
	authFailing bool
	authUsed    []string
}

// NewSMTPServer starts a server for the test's lifetime.
func NewSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{t: t, refuse: map[string]*smtp.SMTPError{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s.addr = ln.Addr().String()
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the MENTORPULSE_SMTP_URL for this server.
func (s *SMTPServer) URL() string { return "smtp://" + s.addr }

// SetDown makes the server answer every message with a temporary failure
// (421) until called with false.
func (s *SMTPServer) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = nil
	if down {
		s.down = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "service not available, try later"}
	}
}

// SetHangUpAfterAccept makes the server close each connection right after
// it accepted a message (its 250 to DATA is sent), so that the client's
// RSET and QUIT fail, as with a server that is slow or drops connections.
func (s *SMTPServer) SetHangUpAfterAccept(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangUp = on
}

// Refuse makes the server reject a recipient for good (550).
func (s *SMTPServer) Refuse(rcpt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[strings.ToLower(rcpt)] = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + rcpt + ">: mailbox unavailable"}
}

// Attempts counts messages offered to the server, accepted or not.
func (s *SMTPServer) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// Mails returns the messages accepted so far.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// WaitForMails waits until at least n messages were accepted and returns
// them all.
func (s *SMTPServer) WaitForMails(n int) []Mail {
	s.t.Helper()
	var got []Mail
	WaitFor(s.t, "emails to arrive", func() bool {
		got = s.Mails()
		return len(got) >= n
	})
	return got
}

// WaitForAttempts waits until at least n messages were offered.
func (s *SMTPServer) WaitForAttempts(n int) {
	s.t.Helper()
	WaitFor(s.t, "delivery attempts", func() bool { return s.Attempts() >= n })
}

type session struct {
	s    *SMTPServer
	conn *smtp.Conn
	// accepted is set once a message was accepted on this connection.
	accepted bool
	from     string
	to       []string
	authed   bool
}

// Reset runs after every DATA (once its reply is written) and on RSET.
func (ss *session) Reset() {
	ss.from, ss.to = "", nil
	ss.s.mu.Lock()
	hangUp := ss.s.hangUp && ss.accepted
	ss.s.mu.Unlock()
	if hangUp {
		// The net.Conn, not the smtp.Conn: its Close takes a lock this
		// reset holds. The 250 is written already.
		ss.conn.Conn().Close()
	}
}
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.tries++
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	if ss.s.down != nil {
		return ss.s.down
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if e := ss.s.refuse[strings.ToLower(to)]; e != nil {
		return e
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decode(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "undecodable message: " + err.Error()}
	}
	m.From = ss.from
	m.To = strings.Join(ss.to, ",")
	ss.s.mu.Lock()
	ss.s.mails = append(ss.s.mails, m)
	ss.s.mu.Unlock()
	ss.accepted = true
	return nil
}

// decode reads the subject and the text and HTML parts of a message.
func decode(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Mail{}, err
	}
	m := Mail{Subject: subject, MessageID: msg.Header.Get("Message-Id"), ToHeader: msg.Header.Get("To")}
	err = walkParts(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &m)
	return m, err
}

func walkParts(contentType, encoding string, body io.Reader, m *Mail) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walkParts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, m); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	}
	return nil
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+/s/([A-Za-z0-9_-]+)`)

// Link returns the survey URL in the text part and its token.
func (m Mail) Link() (url, token string) {
	sub := linkRE.FindStringSubmatch(m.Text)
	if sub == nil {
		return "", ""
	}
	return sub[0], sub[1]
}

// WaitFor polls cond until it holds, failing the test after 30 s.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
