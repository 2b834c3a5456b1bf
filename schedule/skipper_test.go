package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// skippingDeliverer passes over every run on an odd minute.
type skippingDeliverer struct {
	countingDeliverer
	mu      sync.Mutex
	skipped []time.Time
}

func (d *skippingDeliverer) SkipRun(_ context.Context, _ bot.Reminder, at time.Time) string {
	if at.Minute()%2 == 1 {
		return "odd minute"
	}
	return ""
}

func (d *skippingDeliverer) RunSkipped(_ context.Context, _ bot.Reminder, at time.Time, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.skipped = append(d.skipped, at)
}

func TestRunsPassedOverAreCountedOnceAndNotDelivered(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Hour))
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("every minute", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := mustReminder(t, db, "odd1", rule, clock.Now())
	d := &skippingDeliverer{}
	var engines []*schedule.Engine
	for _, owner := range []string{"a", "b"} {
		eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner(owner))
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, eng)
	}
	first := r.NextRun
	for i := 0; i < 4; i++ {
		clock.Set(first.Add(time.Duration(i) * time.Minute))
		for _, eng := range engines {
			eng.Tick(ctx)
		}
	}
	var delivered, skipped int
	for i := 0; i < 4; i++ {
		at := first.Add(time.Duration(i) * time.Minute)
		n := d.count(fmt.Sprintf("odd1@%d/run", at.Unix()))
		if at.Minute()%2 == 1 && n != 0 {
			t.Errorf("run at %s delivered %d times; it falls on an odd minute", at.Format("15:04"), n)
		}
		delivered += n
	}
	d.mu.Lock()
	skipped = len(d.skipped)
	d.mu.Unlock()
	if delivered != 2 || skipped != 2 {
		t.Fatalf("delivered %d and passed over %d of 4 runs, want 2 and 2 (each counted once by two engines)", delivered, skipped)
	}
}
