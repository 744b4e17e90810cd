package delivery

import (
	"context"
	"net"

	"github.com/mentorpulse/mentorpulse/models"
)

// DialVia makes the mailer connect to addr whatever host its URL names, so
// that a test can play a remote server on 127.0.0.1.
func (s *SMTPMailer) DialVia(addr string) {
	s.dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

// QueueFeedbackReady is the release's hook, for a test that runs it twice.
func (s *Service) QueueFeedbackReady(ctx context.Context, r models.Released) error {
	return s.queueFeedbackReady(ctx, r)
}
