package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scraper reads a server's metrics listener, started for the test.
type scraper struct {
	t   *testing.T
	url string
}

func startMetrics(t *testing.T, f *fixture) *scraper {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Metrics.Serve(ctx, ln, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("metrics listener stopped with %v", err)
		}
	})
	return &scraper{t: t, url: "http://" + ln.Addr().String() + "/metrics"}
}

// scrape returns the metric families the listener serves.
func (s *scraper) scrape() map[string]*dto.MetricFamily {
	s.t.Helper()
	resp, err := http.Get(s.url)
	if err != nil {
		s.t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		s.t.Fatalf("scrape: %d %s", resp.StatusCode, b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		s.t.Fatalf("parse scrape: %v", err)
	}
	return fams
}

// value is the counter, gauge or histogram count of the series of a family
// with exactly these labels (0 when absent).
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
	for _, m := range f.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		match := true
		for _, l := range m.Label {
			match = match && labels[l.GetName()] == l.GetValue()
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return 0
}

var digitsOnly = regexp.MustCompile(`^[0-9]+$`)

// TestMetricsCountRequestsAndSubmissionsWithoutWhoOrWhich scrapes the
// metrics listener around a survey submission and requests whose paths
// carry a token, an address and an id: the route's counter and the
// submissions move, and no label value holds the token, the address or a
// number other than a status code.
func TestMetricsCountRequestsAndSubmissionsWithoutWhoOrWhich(t *testing.T) {
	f := newFixture(t)
	s := startMetrics(t, f)
	const route = "/api/v1/surveys/:token"
	submitted := map[string]string{"route": route, "method": "POST", "status": "201"}
	before := s.scrape()
	if n := value(before, "mentorpulse_submissions_total", nil); n != 0 {
		t.Fatalf("submissions before any: %v", n)
	}

	token := f.newLink(linkPending)
	if w := f.get("/api/v1/surveys/" + token); w.Code != http.StatusOK {
		t.Fatalf("GET survey: %d", w.Code)
	}
	if w := f.postJSON("/api/v1/surveys/"+token, validBody); w.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	const address = "kim.probe@student.example"
	f.get("/s/" + token + ".")                      // a mangled link: no route
	f.get("/api/v1/programs/987654/report")         // an id in the path, signed out
	f.get("/r/" + address)                          // an address where a code goes
	f.postJSON("/api/v1/surveys/"+token, validBody) // used: 410

	after := s.scrape()
	if n := value(after, "mentorpulse_submissions_total", nil); n != 1 {
		t.Errorf("mentorpulse_submissions_total = %v after one submission, want 1", n)
	}
	if n := value(after, "mentorpulse_http_requests_total", submitted); n != 1 {
		t.Errorf("requests %v = %v, want 1", submitted, n)
	}
	if n := value(after, "mentorpulse_http_requests_total", map[string]string{"route": route, "method": "POST", "status": "410"}); n != 1 {
		t.Errorf("the second submission is not counted as a 410 (%v)", n)
	}
	if n := value(after, "mentorpulse_http_request_duration_seconds", map[string]string{"route": route}); n != 3 {
		t.Errorf("latency histogram of %s counts %v requests, want 3", route, n)
	}
	for _, name := range []string{
		"mentorpulse_jobs", "mentorpulse_email_queue_oldest_seconds",
		"go_sql_open_connections", "go_build_info", "go_goroutines",
	} {
		if after[name] == nil {
			t.Errorf("no %s in the scrape", name)
		}
	}
	if after["mentorpulse_jobs"] != nil && value(after, "mentorpulse_jobs", map[string]string{"kind": "send_survey_link", "state": "available"}) != 0 {
		t.Error("a job is counted that nobody queued")
	}

	// An email queued and not sent (no worker runs) shows in the queue
	// gauges, and its wait grows with the clock.
	keys, err := delivery.NewKeyring("metrics test secret, thirty-two or more characters")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := delivery.New(f.db, delivery.Config{BaseURL: "http://feedback.test", Keyring: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.QueuePasswordReset(context.Background(), f.resident.ID); err != nil {
		t.Fatal(err)
	}
	f.setNow(time.Now().Add(time.Hour))
	queued := s.scrape()
	if n := value(queued, "mentorpulse_jobs", map[string]string{"kind": "send_password_link", "state": "available"}); n != 1 {
		t.Errorf("mentorpulse_jobs{send_password_link,available} = %v with one email queued, want 1", n)
	}
	if age := value(queued, "mentorpulse_email_queue_oldest_seconds", nil); age < 3500 || age > 4000 {
		t.Errorf("oldest queued email waited %v s by a clock an hour on, want about 3600", age)
	}

	for name, fam := range after {
		for _, m := range fam.Metric {
			for _, l := range m.Label {
				v, k := l.GetValue(), l.GetName()
				if strings.Contains(v, "@") || strings.Contains(v, token) || strings.Contains(v, "987654") || strings.Contains(v, "kim.probe") {
					t.Errorf("%s{%s=%q} carries request text", name, k, v)
				}
				if digitsOnly.MatchString(v) && k != "status" && k != "le" && k != "quantile" {
					t.Errorf("%s{%s=%q} is a number that could be an id", name, k, v)
				}
				if k == "status" && len(v) != 3 {
					t.Errorf("%s{status=%q} is not a status code", name, v)
				}
			}
		}
	}
}
