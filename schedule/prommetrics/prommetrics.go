// Package prommetrics records the scheduler's metrics as Prometheus series
// named stretchbot_scheduler_*.
package prommetrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stretchbot/stretchbot/schedule"
)

// Metrics is a schedule.Metrics that counts into Prometheus series.
type Metrics struct {
	scheduled  prometheus.Counter // occurrences claimed for delivery
	delivered  prometheus.Counter
	late       prometheus.Counter // delivered after their time (catch-up, retries)
	skipped    prometheus.Counter // missed beyond the catch-up window, or inside a pause
	failed     prometheus.Counter // permanent failures (schedule paused)
	retried    prometheus.Counter
	claimsLost prometheus.Counter // another instance (or a user's skip) got there first
	lateness   prometheus.Histogram
	window     prometheus.Gauge // items in the in-memory window
	pruned     prometheus.Counter
}

var (
	_ schedule.Metrics      = (*Metrics)(nil)
	_ schedule.PruneMetrics = (*Metrics)(nil)
)

// New creates the series and registers them with reg (if non-nil).
func New(reg prometheus.Registerer) *Metrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: name, Help: help})
	}
	m := &Metrics{
		scheduled:  c("scheduled_total", "Occurrences claimed for delivery."),
		delivered:  c("delivered_total", "Occurrences delivered."),
		late:       c("late_total", "Occurrences delivered late (missed while down, or retried)."),
		skipped:    c("skipped_total", "Occurrences skipped: missed beyond the catch-up window or inside a pause."),
		failed:     c("failed_total", "Deliveries that failed permanently; their schedules were paused."),
		retried:    c("retried_total", "Deliveries that failed transiently and were rescheduled."),
		claimsLost: c("claims_lost_total", "Claims that another instance or a user change won first."),
		lateness: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: "lateness_seconds",
			Help: "Delay between an occurrence's time and its delivery.", Buckets: []float64{.01, .05, .1, .5, 1, 2, 5, 10, 30, 60, 300, 900}}),
		window: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: "window_items",
			Help: "Occurrences due soon held in memory."}),
		pruned: c("occurrences_pruned_total", "Closed occurrences deleted once older than the retention."),
	}
	if reg != nil {
		reg.MustRegister(m.scheduled, m.delivered, m.late, m.skipped, m.failed, m.retried, m.claimsLost, m.lateness, m.window, m.pruned)
	}
	return m
}

// Scheduled counts a claimed occurrence.
func (m *Metrics) Scheduled() { m.scheduled.Inc() }

// Delivered counts a delivery and observes its lateness.
func (m *Metrics) Delivered(lateness time.Duration, late bool) {
	m.delivered.Inc()
	m.lateness.Observe(max(0, lateness.Seconds()))
	if late {
		m.late.Inc()
	}
}

// Skipped counts a run skipped by catch-up or a pause.
func (m *Metrics) Skipped() { m.skipped.Inc() }

// Failed counts a permanent delivery failure.
func (m *Metrics) Failed() { m.failed.Inc() }

// Retried counts a transient failure that was rescheduled.
func (m *Metrics) Retried() { m.retried.Inc() }

// ClaimLost counts a claim another writer won.
func (m *Metrics) ClaimLost() { m.claimsLost.Inc() }

// Window sets how many items the in-memory window holds.
func (m *Metrics) Window(n int) { m.window.Set(float64(n)) }

// Pruned counts closed occurrences deleted by a schedule.Pruner.
func (m *Metrics) Pruned(n int) { m.pruned.Add(float64(n)) }
