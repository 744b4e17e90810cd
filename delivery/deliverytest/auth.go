package deliverytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mechanisms the server can offer with RequireAuth.
const (
	AuthPlain   = "PLAIN"
	AuthLogin   = "LOGIN"
	AuthCramMD5 = "CRAM-MD5"
)

// RequireAuth makes the server offer AUTH with the given mechanisms (PLAIN
// and LOGIN when none are named), without STARTTLS, as local relays and mail
// catchers do, and refuse mail (530) from a session that has not signed in
// as user with pass.
func (s *SMTPServer) RequireAuth(user, pass string, mechs ...string) {
	if len(mechs) == 0 {
		mechs = []string{AuthPlain, AuthLogin}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass, s.mechs = user, pass, mechs
}

// SetAuthFailing makes every AUTH fail (535) until called with false.
func (s *SMTPServer) SetAuthFailing(failing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authFailing = failing
}

// AuthUsed lists, in order, the mechanism of every AUTH a client started,
// successful or not.
func (s *SMTPServer) AuthUsed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.authUsed...)
}

// URLWithAuth is the MENTORPULSE_SMTP_URL for this server with credentials.
func (s *SMTPServer) URLWithAuth(user, pass string) string {
	return "smtp://" + user + ":" + pass + "@" + s.addr
}

// AuthMechanisms implements smtp.AuthSession: what RequireAuth set.
func (ss *session) AuthMechanisms() []string {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	return append([]string(nil), ss.s.mechs...)
}

// Auth implements smtp.AuthSession.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	offered := false
	for _, m := range ss.s.mechs {
		offered = offered || m == mech
	}
	if !offered {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	ss.s.authUsed = append(ss.s.authUsed, mech)
	user, pass, failing := ss.s.user, ss.s.pass, ss.s.authFailing
	check := func(u, p string) error {
		if failing || u != user || p != pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}
	switch mech {
	case AuthPlain:
		return sasl.NewPlainServer(func(_, u, p string) error { return check(u, p) }), nil
	case AuthLogin:
		return &loginServer{check: check}, nil
	case AuthCramMD5:
		return &cramMD5Server{challenge: []byte("<1896.697170952@localhost>"), secret: pass, user: user,
			check: func(ok bool) error {
				if !ok {
					return check("", "\x00")
				}
				return check(user, pass)
			}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// loginServer is the server side of the LOGIN mechanism, which go-sasl no
// longer ships.
type loginServer struct {
	step     int
	username string
	check    func(user, pass string) error
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if response != nil { // initial response: the username
			l.username = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.step++
		l.username = string(response)
		return []byte("Password:"), false, nil
	case 2:
		l.step++
		return nil, true, l.check(l.username, string(response))
	}
	return nil, false, errors.New("unexpected LOGIN response")
}

// cramMD5Server is the server side of CRAM-MD5 (RFC 2195).
type cramMD5Server struct {
	sent         bool
	challenge    []byte
	user, secret string
	check        func(ok bool) error
}

func (c *cramMD5Server) Next(response []byte) ([]byte, bool, error) {
	if !c.sent {
		c.sent = true
		return c.challenge, false, nil
	}
	user, digest, _ := strings.Cut(string(response), " ")
	mac := hmac.New(md5.New, []byte(c.secret))
	mac.Write(c.challenge)
	want := []byte(hex.EncodeToString(mac.Sum(nil)))
	return nil, true, c.check(user == c.user && bytes.Equal([]byte(digest), want))
}
