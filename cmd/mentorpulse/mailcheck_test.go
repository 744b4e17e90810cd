package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
)

// serveUntil runs serve until a log line contains want, and returns that
// line with the address it serves on; serve stops with the test.
func serveUntil(t *testing.T, c *cli, want string) (line, addr string, logs *lineWriter) {
	t.Helper()
	c.env["MENTORPULSE_ADDR"] = "127.0.0.1:0"
	logs = &lineWriter{want: want, hit: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, c.getenv, io.Discard, logs) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case line = <-logs.hit:
	case err := <-done:
		t.Fatalf("serve stopped early: %v\n%s", err, logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("no line with %q in 30 s:\n%s", want, logs)
	}
	deliverytest.WaitFor(t, "the serving line", func() bool { return strings.Contains(logs.String(), "msg=serving") })
	m := regexp.MustCompile(`msg=serving addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no serving address in\n%s", logs)
	}
	return line, m[1], logs
}

// A mail server that refuses the configured credentials shows at start in
// one WARN line, and the service serves anyway: surveys need no mail.
func TestServeWarnsOnceAtStartWhenTheMailServerRefusesItsCredentials(t *testing.T) {
	srv := deliverytest.NewSMTPServer(t)
	srv.RequireAuth("relay-user", "relay-pass")
	srv.SetAuthFailing(true)
	c := newCLI(t)
	c.env["MENTORPULSE_SMTP_URL"] = srv.URLWithAuth("relay-user", "relay-pass")
	line, addr, logs := serveUntil(t, c, "mail server check failed")
	if !strings.Contains(line, "level=WARN") || !strings.Contains(line, "535") || strings.Contains(line, "relay-pass") {
		t.Errorf("check line %q: want a WARN with the server's 535 and no password", line)
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d with a broken mail server, want 200", resp.StatusCode)
	}
	if n := strings.Count(logs.String(), "mail server check failed"); n != 1 {
		t.Errorf("%d check lines, want 1", n)
	}
}

func TestServeSaysAtStartThatTheMailServerIsReady(t *testing.T) {
	srv := deliverytest.NewSMTPServer(t)
	srv.RequireAuth("relay-user", "relay-pass")
	c := newCLI(t)
	c.env["MENTORPULSE_SMTP_URL"] = srv.URLWithAuth("relay-user", "relay-pass")
	line, _, _ := serveUntil(t, c, "mail server")
	if !strings.Contains(line, "level=INFO") || !strings.Contains(line, "mail server ready") {
		t.Errorf("check line %q, want mail server ready", line)
	}
}
