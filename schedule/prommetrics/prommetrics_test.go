package prommetrics_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stretchbot/stretchbot/schedule/prommetrics"
)

// The series names are what dashboards and alerts use: they must not change.
func TestSeriesKeepTheirNamesAndCount(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := prommetrics.New(reg)
	m.Scheduled()
	m.Delivered(3*time.Second, true)
	m.Delivered(-time.Second, false) // clock skew counts as on time
	m.Skipped()
	m.Failed()
	m.Retried()
	m.ClaimLost()
	m.Window(7)
	m.Pruned(500)

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, s := range f.GetMetric() {
			switch {
			case s.GetCounter() != nil:
				got[f.GetName()] = s.GetCounter().GetValue()
			case s.GetGauge() != nil:
				got[f.GetName()] = s.GetGauge().GetValue()
			case s.GetHistogram() != nil:
				got[f.GetName()] = s.GetHistogram().GetSampleSum()
			}
		}
	}
	want := map[string]float64{
		"stretchbot_scheduler_scheduled_total":          1,
		"stretchbot_scheduler_delivered_total":          2,
		"stretchbot_scheduler_late_total":               1,
		"stretchbot_scheduler_skipped_total":            1,
		"stretchbot_scheduler_failed_total":             1,
		"stretchbot_scheduler_retried_total":            1,
		"stretchbot_scheduler_claims_lost_total":        1,
		"stretchbot_scheduler_lateness_seconds":         3,
		"stretchbot_scheduler_window_items":             7,
		"stretchbot_scheduler_occurrences_pruned_total": 500,
	}
	if len(got) != len(want) {
		t.Errorf("got %d series, want %d: %v", len(got), len(want), got)
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %v, want %v", name, got[name], v)
		}
	}
}
