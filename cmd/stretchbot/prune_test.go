package main

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// The binary prunes by itself, on its clock: a run delivered longer ago
// than the retention is gone a second after start, and counted.
func TestBinaryPrunesOldOccurrences(t *testing.T) {
	ctx := context.Background()
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	api := httptest.NewServer(&recorder{answer: func(string, string, []byte) (int, string) { return 200, `{}` }})
	defer api.Close()
	m, _ := bootDiscord(t, api.URL, clock)
	if m.Pruner == nil {
		t.Fatal("no pruner for the SQLite store")
	}
	at := start.Add(-schedule.Retention - 2*time.Hour)
	storetest.MustCreate(t, m.Store, storetest.Reminder("old", "T1", bot.Personal, "U1", "C1", at, at))
	for _, run := range []time.Time{at, at.Add(time.Hour)} {
		ok, err := m.Store.Claim(ctx, schedule.Claim{Reminder: "old", Expect: run, At: run, Next: run.Add(time.Hour),
			Owner: "i1", LeaseUntil: run.Add(time.Minute)})
		if err != nil || !ok {
			t.Fatalf("Claim = %v, %v", ok, err)
		}
		o := bot.Occurrence{Reminder: "old", Tenant: "T1", At: run, Kind: bot.RunOccurrence, State: bot.Claimed,
			Owner: "i1", LeaseUntil: run.Add(time.Minute), Attempts: 1}
		if err := m.Store.Delivered(ctx, o, "i1", "m1", run); err != nil {
			t.Fatal(err)
		}
	}
	// Pause it, so that the engine leaves its next run (long missed) alone.
	if err := m.Store.SetPaused(ctx, "T1", "old", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	log := m.Store.(bot.DeliveryLog)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		// The pruner's first chunk is a second after it starts.
		clock.Advance(time.Second)
		if _, err := log.DeliveredRun(ctx, "old", at); bot.ErrorCode(err) == bot.ENOTFOUND {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run older than the retention was never pruned")
		}
	}
	if _, err := log.DeliveredRun(ctx, "old", at.Add(time.Hour)); err != nil {
		t.Errorf("the reminder's last run was pruned too: %v", err)
	}
	// The pruner counts a chunk once its delete returns, which may be a
	// moment after the row is gone.
	pruned := func() float64 {
		families, err := m.Registry.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() == "stretchbot_scheduler_occurrences_pruned_total" {
				return f.GetMetric()[0].GetCounter().GetValue()
			}
		}
		return 0
	}
	n := pruned()
	for deadline := time.Now().Add(5 * time.Second); n == 0 && time.Now().Before(deadline); n = pruned() {
		time.Sleep(5 * time.Millisecond)
	}
	if n != 1 {
		t.Errorf("stretchbot_scheduler_occurrences_pruned_total = %v, want 1", n)
	}
}
