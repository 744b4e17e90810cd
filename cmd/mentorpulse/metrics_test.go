package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
)

// serve with MENTORPULSE_METRICS_ADDR answers /metrics there, counting the
// public listener's requests, and the public address has no /metrics.
func TestServeServesMetricsOnTheirOwnListenerOnly(t *testing.T) {
	c := newCLI(t)
	c.env["MENTORPULSE_METRICS_ADDR"] = "127.0.0.1:0"
	_, addr, logs := serveUntil(t, c, "msg=serving")
	deliverytest.WaitFor(t, "the metrics line", func() bool { return strings.Contains(logs.String(), "msg=\"serving metrics\"") })
	m := regexp.MustCompile(`msg="serving metrics" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics address in\n%s", logs)
	}
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("http://" + addr + "/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d", code)
	}
	if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("the public address answers /metrics with %d, want 404", code)
	}
	code, body := get("http://" + m[1] + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `mentorpulse_http_requests_total{method="GET",route="/readyz",status="200"} 1`) {
		t.Errorf("/metrics = %d without the /readyz request counted:\n%.2000s", code, body)
	}
	for _, name := range []string{"mentorpulse_jobs{", "go_sql_open_connections", "go_build_info"} {
		if !strings.Contains(body, name) {
			t.Errorf("no %s in /metrics", name)
		}
	}
}

// A metrics address already in use stops serve at start, naming the
// setting, rather than leaving it running unwatched.
func TestServeRefusesToStartWhenTheMetricsAddressIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	c := newCLI(t)
	c.env["MENTORPULSE_ADDR"] = "127.0.0.1:0"
	c.env["MENTORPULSE_METRICS_ADDR"] = taken.Addr().String()
	logs := &lineWriter{want: "msg=serving addr", hit: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, c.getenv, io.Discard, logs) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "MENTORPULSE_METRICS_ADDR") {
			t.Errorf("serve stopped with %v, want the metrics address's error", err)
		}
	case line := <-logs.hit:
		cancel()
		<-done
		t.Fatalf("serve started with its metrics address taken: %s", line)
	}
}
