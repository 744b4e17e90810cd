package metrics

import (
	"context"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the job queue's queries on one scrape.
const scrapeTimeout = 5 * time.Second

// zeroStates are the states reported as 0 for every job kind when no job is
// in them, so that an alert on them sees a series rather than none.
var zeroStates = []string{"available", "running", "retryable", "scheduled"}

// queueCollector reads the job queue on each scrape: jobs by kind and state,
// and how long the oldest due email has waited.
type queueCollector struct {
	db     *models.DB
	jobs   *prometheus.Desc
	oldest *prometheus.Desc
}

func newQueueCollector(db *models.DB) *queueCollector {
	return &queueCollector{
		db: db,
		jobs: prometheus.NewDesc(namespace+"_jobs", "Jobs in the queue, by kind and state.",
			[]string{"kind", "state"}, nil),
		oldest: prometheus.NewDesc(namespace+"_email_queue_oldest_seconds",
			"Seconds the oldest email due to be sent (available or running) has waited since it fell due; 0 when none waits.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.jobs
	ch <- c.oldest
}

// Collect implements prometheus.Collector.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := c.db.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.jobs, err)
	} else {
		seen := map[[2]string]float64{}
		for _, k := range delivery.JobKinds() {
			for _, s := range zeroStates {
				seen[[2]string{k, s}] = 0
			}
		}
		for _, jc := range counts {
			seen[[2]string{jc.Kind, jc.State}] = float64(jc.Count)
		}
		for ks, n := range seen {
			ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, n, ks[0], ks[1])
		}
	}
	at, _, ok, err := c.db.OldestDueJob(ctx, delivery.EmailKinds()...)
	switch {
	case err != nil:
		ch <- prometheus.NewInvalidMetric(c.oldest, err)
	case !ok:
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, 0)
	default:
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, max(0, c.db.Now().Sub(at).Seconds()))
	}
}
