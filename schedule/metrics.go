package schedule

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the scheduler's Prometheus series.
type Metrics struct {
	Scheduled  prometheus.Counter // occurrences claimed for delivery
	Delivered  prometheus.Counter
	Late       prometheus.Counter // delivered after their time (catch-up, retries)
	Skipped    prometheus.Counter // missed beyond the catch-up window, or inside a pause
	Failed     prometheus.Counter // permanent failures (schedule paused)
	Retried    prometheus.Counter
	ClaimsLost prometheus.Counter // another instance (or a user's skip) got there first
	Lateness   prometheus.Histogram
	Window     prometheus.Gauge // items in the in-memory window
}

// NewMetrics creates the series and registers them with reg (if non-nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: name, Help: help})
	}
	m := &Metrics{
		Scheduled:  c("scheduled_total", "Occurrences claimed for delivery."),
		Delivered:  c("delivered_total", "Occurrences delivered."),
		Late:       c("late_total", "Occurrences delivered late (missed while down, or retried)."),
		Skipped:    c("skipped_total", "Occurrences skipped: missed beyond the catch-up window or inside a pause."),
		Failed:     c("failed_total", "Deliveries that failed permanently; their schedules were paused."),
		Retried:    c("retried_total", "Deliveries that failed transiently and were rescheduled."),
		ClaimsLost: c("claims_lost_total", "Claims that another instance or a user change won first."),
		Lateness: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: "lateness_seconds",
			Help: "Delay between an occurrence's time and its delivery.", Buckets: []float64{.01, .05, .1, .5, 1, 2, 5, 10, 30, 60, 300, 900}}),
		Window: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "stretchbot", Subsystem: "scheduler", Name: "window_items",
			Help: "Occurrences due soon held in memory."}),
	}
	if reg != nil {
		reg.MustRegister(m.Scheduled, m.Delivered, m.Late, m.Skipped, m.Failed, m.Retried, m.ClaimsLost, m.Lateness, m.Window)
	}
	return m
}
