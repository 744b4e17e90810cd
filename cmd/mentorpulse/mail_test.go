package main

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
)

const testRecipient = "it.desk@hospital.example"

// closedPort is an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// mail test sends one email the server accepts, says so, and audits it
// without the address.
func TestMailTestSendsOneEmailAndAuditsItWithoutTheAddress(t *testing.T) {
	srv := deliverytest.NewSMTPServer(t)
	c := newCLI(t)
	c.env["MENTORPULSE_SMTP_URL"] = srv.URL()
	out := c.mustRun("mail", "test", "--to", testRecipient)
	if !strings.Contains(out, "test email sent to "+testRecipient) {
		t.Errorf("mail test printed %q", out)
	}
	mails := srv.Mails()
	if len(mails) != 1 || mails[0].To != testRecipient || mails[0].Subject != "Mentorpulse test email" {
		t.Fatalf("the server got %+v, want one test email to %s", mails, testRecipient)
	}
	log, err := c.openDB().AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range log {
		if e.Action == models.ActionMailTest {
			found = true
			if e.Detail != "test email sent" || e.Actor != models.ActorOperator || strings.Contains(e.Detail+e.Target, "hospital") {
				t.Errorf("audit entry %+v, want the operator's \"test email sent\" without the address", e.AuditEntry)
			}
		}
	}
	if !found {
		t.Error("the test email was not audited")
	}
}

// Each way the SMTP dialogue fails is told in plain words with the
// server's reply, and mail test exits non-zero.
func TestMailTestSaysWhyTheServerRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) string // returns MENTORPULSE_SMTP_URL
		want  []string
	}{
		{"connection-refused", func(t *testing.T) string { return "smtp://" + closedPort(t) }, []string{"connection refused", "nothing accepts connections"}},
		{"tls-failure", func(t *testing.T) string {
			srv := deliverytest.NewSMTPServer(t)
			return strings.Replace(srv.URL(), "smtp://", "smtps://", 1)
		}, []string{"TLS failure"}},
		{"authentication-failed", func(t *testing.T) string {
			srv := deliverytest.NewSMTPServer(t)
			srv.RequireAuth("relay", "right")
			return srv.URLWithAuth("relay", "wrong")
		}, []string{"authentication failed", "535"}},
		{"recipient-refused", func(t *testing.T) string {
			srv := deliverytest.NewSMTPServer(t)
			srv.Refuse(testRecipient)
			return srv.URL()
		}, []string{"recipient refused", "550", "mailbox unavailable"}},
		{"no-mail-server", func(t *testing.T) string { return "" }, []string{"no mail server configured", "MENTORPULSE_SMTP_URL is unset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			c.env["MENTORPULSE_SMTP_URL"] = tt.setup(t)
			out, stderr, err := c.run("mail", "test", "--to", testRecipient)
			if err == nil {
				t.Fatalf("mail test succeeded (stdout %q)", out)
			}
			line := errorLine(err)
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("error %q does not say %q", line, w)
				}
			}
			if strings.Contains(stderr, "right") || strings.Contains(line, "wrong") {
				t.Errorf("a password was printed: %q %q", line, stderr)
			}
		})
	}
}
