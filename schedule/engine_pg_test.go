package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// TestInstancesSharingPostgresDeliverEachRunOnce runs three engines, each
// with its own connection pool, against one PostgreSQL schema, as three
// bot processes would; one of them "crashes" holding claims.
func TestInstancesSharingPostgresDeliverEachRunOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Schema(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	seed := open()
	const reminders, runs = 30, 5
	for i := 0; i < reminders; i++ {
		rule, _ := p.Parse("every 10 seconds", time.UTC, clock.Now())
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("pg%03d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(clock.Now()), CreatedAt: clock.Now()}
		if err := seed.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	d := &countingDeliverer{}
	var engines []*schedule.Engine
	for i := 0; i < 3; i++ {
		eng, err := schedule.NewEngine(open(), d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("pg-%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, eng)
	}
	// A fourth instance claims the first run of one reminder and dies.
	r0, err := seed.ReminderByID(ctx, "pg000")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := seed.Claim(ctx, schedule.Claim{Reminder: r0.ID, Expect: r0.NextRun, At: r0.NextRun, Next: r0.NextRun.Add(10 * time.Second),
		Owner: "crashed", LeaseUntil: r0.NextRun.Add(30 * time.Second)})
	if err != nil || !ok {
		t.Fatalf("crashed instance's claim = %v, %v", ok, err)
	}
	for step := 0; step < runs; step++ {
		clock.Advance(10 * time.Second)
		var wg sync.WaitGroup
		for _, e := range engines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := e.Tick(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	// Past the dead claim's lease: someone takes it over.
	clock.Advance(time.Minute)
	for _, e := range engines {
		e.Tick(ctx)
	}
	taken := d.count(fmt.Sprintf("pg000@%d/run", r0.NextRun.Unix()))
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, n := range d.got {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
	// reminders × runs (pg000's first being the taken-over claim), plus one
	// latest run each from the minute of catch-up.
	if got, want := len(d.got), reminders*(runs+1); got != want {
		t.Errorf("%d distinct deliveries, want %d", got, want)
	}
	if taken != 1 {
		t.Errorf("the dead instance's claim was delivered %d times, want 1", taken)
	}
}

// BenchmarkBurstPostgres is BenchmarkBurst on PostgreSQL, with one and two
// instances (each its own connection pool) sharing the burst. 100 000
// runs only without -short.
func BenchmarkBurstPostgres(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, instances := range []int{1, 2} {
			b.Run(fmt.Sprintf("due=%d/instances=%d", n, instances), func(b *testing.B) {
				if n > 30_000 && testing.Short() {
					b.Skip("-short")
				}
				url := pgtest.Schema(b)
				runBurst(b, n, instances, func() burstStore {
					db, err := postgres.Open(context.Background(), url)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { db.Close() })
					return db
				})
			})
		}
	}
}
