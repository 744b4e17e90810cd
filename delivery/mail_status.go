package delivery

import (
	"context"
	"sync"
	"time"
)

// Mail check timing: a check waits at most mailCheckTimeout for the server,
// and its result is reused for mailCheckTTL, so a page reloaded in a loop
// does not open a connection each time.
const (
	mailCheckTimeout = 10 * time.Second
	mailCheckTTL     = 30 * time.Second
)

// MailStatus is what the last check of the mail server found.
type MailStatus struct {
	// Configured is false when no mail server is set: emails go to the log.
	Configured bool
	// Server is host:port (never the credentials).
	Server string
	// OK: the last check connected, greeted, started TLS where configured
	// and signed in.
	OK bool
	// CheckedAt is when that check ran.
	CheckedAt time.Time
	// LastError is the most recent failed check's problem, kept after a
	// later check succeeds, with when it happened; empty if none failed.
	LastError   string
	LastErrorAt time.Time
}

// checker is what a mailer that can check its server offers (SMTPMailer).
type checker interface {
	Check(ctx context.Context) error
	Addr() string
}

// mailStatusCache holds the last check's result.
type mailStatusCache struct {
	mu     sync.Mutex
	status MailStatus
}

// MailStatus checks the mail server, or returns a check younger than half
// a minute. Without an SMTP mailer it reports Configured false.
func (s *Service) MailStatus(ctx context.Context) MailStatus {
	c, ok := s.cfg.Mailer.(checker)
	if !ok {
		return MailStatus{}
	}
	s.mailStatus.mu.Lock()
	defer s.mailStatus.mu.Unlock()
	st := &s.mailStatus.status
	now := time.Now()
	if !st.CheckedAt.IsZero() && now.Sub(st.CheckedAt) < mailCheckTTL {
		return *st
	}
	ctx, cancel := context.WithTimeout(ctx, mailCheckTimeout)
	defer cancel()
	err := c.Check(ctx)
	st.Configured, st.Server, st.CheckedAt, st.OK = true, c.Addr(), time.Now(), err == nil
	if err != nil {
		st.LastError, st.LastErrorAt = ExplainSMTP(err, c.Addr()).String(), st.CheckedAt
	}
	return *st
}
