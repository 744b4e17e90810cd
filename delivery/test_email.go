package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// testEmailTimeout bounds a test email's whole exchange with the server.
const testEmailTimeout = 30 * time.Second

// TestEmail is a request to send a test email to an address someone typed.
// Who may ask is the caller's decision (an admin's page, the operator's
// command line); By names them in the audit log.
type TestEmail struct {
	By models.AuditBy
	To string
}

// TestEmailResult says whether the server took the test email and, if not,
// what went wrong in plain words.
type TestEmailResult struct {
	Sent bool
	// Problem is set when Sent is false.
	Problem *SMTPProblem
}

// SendTestEmail sends a short email to in.To through the configured mail
// server and audits it (ActionMailTest) with the outcome only: the address
// is neither stored nor logged. An address that is not one is invalid
// (field "to"); a server that refuses is a result, not an error.
func (s *Service) SendTestEmail(ctx context.Context, in TestEmail) (TestEmailResult, error) {
	to := strings.TrimSpace(in.To)
	if a, err := mail.ParseAddress(to); err != nil || a.Name != "" || a.Address != to {
		return TestEmailResult{}, surveys.Invalid("The address is not valid.", []surveys.FieldError{{Field: "to", Message: "enter an email address, like name@example.org"}})
	}
	var res TestEmailResult
	c, ok := s.cfg.Mailer.(checker)
	if !ok {
		res.Problem = &SMTPProblem{Kind: SMTPNotConfigured, Reply: "MENTORPULSE_SMTP_URL is unset, so emails are written to the server log"}
	} else {
		sendCtx, cancel := context.WithTimeout(ctx, testEmailTimeout)
		err := s.cfg.Mailer.Send(sendCtx, s.composeTest(to))
		cancel()
		if err != nil {
			p := ExplainSMTP(err, c.Addr())
			p.Reply = failureReason(errors.New(p.Reply), to, "")
			res.Problem = &p
		}
	}
	res.Sent = res.Problem == nil
	detail := "test email sent"
	if !res.Sent {
		detail = "test email not sent: " + res.Problem.Kind
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.db.Audit(ctx, in.By.Entry(models.AuditEntry{Action: models.ActionMailTest, Target: "mail", Detail: detail}))
	})
	if err != nil {
		return TestEmailResult{}, err
	}
	return res, nil
}

// composeTest is the test email: it says where it came from and nothing
// else.
func (s *Service) composeTest(to string) Message {
	host := s.messageHost()
	return Message{
		From:    s.cfg.From,
		To:      to,
		Subject: "Mentorpulse test email",
		Text: "This is a test email from Mentorpulse at " + s.cfg.BaseURL + ".\n\n" +
			"It shows that the service can send email through its mail server. Nothing else needs doing.\n",
		ID: fmt.Sprintf("test-%d@%s", time.Now().UnixNano(), host),
	}
}
