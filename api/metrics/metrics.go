// Package metrics is Mentorpulse's Prometheus instrumentation: one registry
// per server (never the global default, so tests can run many), the
// counters the HTTP layer and delivery feed, the collectors that read the
// job queue and the connection pool on each scrape, and the handler of the
// separate metrics listener. Labels are route patterns, methods, status
// codes, job kinds, states and outcomes: never a token, an address or the id
// of a person (docs/operations.md).
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of ours.
const namespace = "mentorpulse"

// Metrics holds one server's registry and the counters fed to it. Its
// methods do nothing on a nil *Metrics.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	submissions prometheus.Counter
	releases    prometheus.Counter
	emails      *prometheus.CounterVec
}

// New builds a registry with Mentorpulse's metrics, the job queue and
// connection pool collectors over db, Go's runtime and process metrics and
// the build info.
func New(db *models.DB) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		submissions: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "submissions_total",
			Help: "Survey responses stored (held for mixing), by the form or the JSON API.",
		}),
		releases: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "window_releases_total",
			Help: "Residents' groups released at their release window's close.",
		}),
		emails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "emails_total",
			Help: "Email send attempts, by job kind and outcome (sent, retrying, failed, not_sent).",
		}, []string{"kind", "outcome"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.submissions, m.releases, m.emails,
		newQueueCollector(db),
		collectors.NewBuildInfoCollector(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if sqlDB, err := db.SQL(); err == nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, db.Dialect))
	}
	return m
}

// Registry is the server's registry, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format. A
// collector that fails (the database is down) leaves its metrics out and
// the rest are still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, Registry: m.reg})
}

// ObserveRequest counts one answered request. route must be a registered
// route pattern or the placeholder for none, never a raw path.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// SubmissionStored counts one survey response stored.
func (m *Metrics) SubmissionStored() {
	if m != nil {
		m.submissions.Inc()
	}
}

// EmailAttempted implements delivery.Observer.
func (m *Metrics) EmailAttempted(kind, outcome string) {
	if m != nil {
		m.emails.WithLabelValues(kind, outcome).Inc()
	}
}

// GroupsReleased implements delivery.Observer.
func (m *Metrics) GroupsReleased(n int) {
	if m != nil {
		m.releases.Add(float64(n))
	}
}
