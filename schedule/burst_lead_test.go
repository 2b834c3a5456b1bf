package schedule_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// A burst, more runs due at one instant than a refill loads, is claimed
// several seconds before it falls due, so that only the deliveries and
// their records are left at its time; nothing goes out early.
func TestBurstIsClaimedWellAhead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	due := rule.Next(clock.Now())
	const n = 2500 // two and a half refills of 1 000
	for i := range n {
		mustReminder(t, db, fmt.Sprintf("b%04d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// Four seconds before: far earlier than the one second a lone run is
	// claimed ahead.
	advance(clock, due.Add(-4*time.Second), 100*time.Millisecond)
	waitFor(t, "the burst claimed", func() bool {
		open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 2*n)
		return err == nil && len(open) == n
	})
	if got := d.n.Load(); got != 0 {
		t.Fatalf("%d delivered before their time", got)
	}
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the burst delivered", func() bool { return d.n.Load() == n })
}

// With a short lease the lead stays short: a run is delivered long before
// another instance may take it over.
func TestBurstLeadStaysWithinTheLease(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 10 seconds", time.UTC, clock.Now())
	due := rule.Next(clock.Now())
	for i := range 1500 {
		mustReminder(t, db, fmt.Sprintf("b%04d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithLease(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	advance(clock, due.Add(-2*time.Second), 100*time.Millisecond)
	// Let the engine act on the clock it was given before looking.
	time.Sleep(50 * time.Millisecond)
	open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 3000)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 0 {
		t.Fatalf("%d claimed two seconds ahead with a three-second lease", len(open))
	}
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the burst delivered", func() bool { return d.n.Load() == 1500 })
}
