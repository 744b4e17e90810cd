package main

import (
	"io"
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
