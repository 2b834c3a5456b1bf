package schedule_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// countingDeliverer records deliveries without a platform.
type countingDeliverer struct {
	mu     sync.Mutex
	got    map[string]int
	n      atomic.Int64
	fail   func(bot.Reminder) error
	paused []bot.ReminderID
}

func (d *countingDeliverer) Deliver(_ context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	if d.fail != nil {
		if err := d.fail(r); err != nil {
			return bot.Sent{}, err
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.got == nil {
		d.got = map[string]int{}
	}
	d.got[fmt.Sprintf("%s@%d/%s", r.ID, o.At.Unix(), o.Kind)]++
	// Counted once recorded: a test that waits for n reads got complete.
	d.n.Add(1)
	return bot.Sent{ID: "m"}, nil
}

func (d *countingDeliverer) DeliveryPaused(_ context.Context, r bot.Reminder, _ string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.paused = append(d.paused, r.ID)
}

func (d *countingDeliverer) count(key string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.got[key]
}

func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "e.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustReminder(tb testing.TB, db *sqlite.DB, id string, rule bot.Rule, now time.Time) bot.Reminder {
	tb.Helper()
	r := bot.Reminder{ID: bot.ReminderID(id), Tenant: "t", Platform: bot.Console, Kind: bot.Personal, Owner: "u", Channel: "c",
		Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(now), CreatedAt: now}
	if err := db.CreateReminder(context.Background(), r); err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestExpiredLeaseIsTakenOverOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := mustReminder(t, db, "lease1", rule, clock.Now())
	clock.Advance(10 * time.Second)

	// Instance "dead" claims the run and then crashes before delivering.
	ok, err := db.Claim(ctx, schedule.Claim{Reminder: r.ID, Expect: r.NextRun, At: r.NextRun, Owner: "dead", LeaseUntil: clock.Now().Add(2 * time.Minute)})
	if err != nil || !ok {
		t.Fatalf("claim = %v, %v", ok, err)
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner("alive"))
	if err != nil {
		t.Fatal(err)
	}
	eng.Tick(ctx)
	if d.n.Load() != 0 {
		t.Fatal("delivered while the dead instance's lease was still valid")
	}
	clock.Advance(2*time.Minute + time.Second)
	eng.Tick(ctx)
	eng.Tick(ctx)
	if got := d.count(fmt.Sprintf("lease1@%d/run", r.NextRun.Unix())); got != 1 {
		t.Fatalf("taken-over occurrence delivered %d times, want 1", got)
	}
}

func TestManyEnginesRaceForTheSameOccurrences(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.db")
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	seed, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	for i := 0; i < 50; i++ {
		rule, _ := p.Parse("every 5 seconds", time.UTC, clock.Now())
		mustReminder(t, seed, fmt.Sprintf("r%03d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	var engines []*schedule.Engine
	for i := 0; i < 4; i++ {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("e%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, eng)
	}
	for step := 0; step < 4; step++ {
		clock.Advance(5 * time.Second)
		var wg sync.WaitGroup
		for _, e := range engines {
			wg.Add(1)
			go func() { defer wg.Done(); e.Tick(ctx) }()
		}
		wg.Wait()
	}
	if got := d.n.Load(); got != 200 {
		t.Errorf("4 engines delivered %d messages for 50 reminders × 4 runs, want 200", got)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, n := range d.got {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
}

func TestRunLoopFiresOnTheFakeClock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	rule, _ := p.Parse("every 2 seconds", time.UTC, clock.Now())
	mustReminder(t, db, "loop1", rule, clock.Now())
	eng.Wake()
	for i := 1; i <= 3; i++ {
		clock.Advance(2 * time.Second)
		deadline := time.Now().Add(5 * time.Second)
		for d.n.Load() < int64(i) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := d.n.Load(); got != 3 {
		t.Errorf("Run delivered %d, want 3", got)
	}
}

// BenchmarkEngineThroughput measures claim + deliver + record per
// occurrence on SQLite with many schedules in the store, only a few due at
// a time (the window design: work is proportional to what is due, not to
// how many schedules exist).
func BenchmarkEngineThroughput(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("schedules=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := openDB(b)
			clock := bottest.NewClock(bottest.Start)
			p := when.Parser{MinInterval: time.Second}
			// Spread n hourly schedules evenly over one hour.
			for i := 0; i < n; i++ {
				start := bottest.Start.Add(time.Duration(i) * time.Hour / time.Duration(n)).Truncate(time.Second)
				// Anchored an hour back, so the first run is at start.
				rule, err := p.Parse("every 1 hour", time.UTC, start.Add(-time.Hour))
				if err != nil {
					b.Fatal(err)
				}
				r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("b%07d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
					Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(start.Add(-time.Nanosecond)), CreatedAt: start}
				if err := db.CreateReminder(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			d := &countingDeliverer{}
			eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
			if err != nil {
				b.Fatal(err)
			}
			step := time.Hour / time.Duration(n) * 20 // about 20 due per tick
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				clock.Advance(step)
				if err := eng.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if d.n.Load() > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(d.n.Load()), "ns/delivery")
			}
		})
	}
}

// blockingDeliverer holds every delivery until released.
type blockingDeliverer struct {
	countingDeliverer
	started chan string
	release chan struct{}
}

func (d *blockingDeliverer) Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	d.started <- fmt.Sprintf("%s@%d", r.ID, o.At.Unix())
	<-d.release
	return d.countingDeliverer.Deliver(ctx, r, o)
}

func TestNextRunIsLoadedWhileADeliveryIsInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	d := &blockingDeliverer{started: make(chan string, 10), release: make(chan struct{})}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { close(d.release); cancel(); <-done }()
	rule, _ := p.Parse("every 2 seconds", time.UTC, clock.Now())
	mustReminder(t, db, "slow1", rule, clock.Now())
	eng.Wake()
	wait := func(what string) {
		t.Helper()
		select {
		case <-d.started:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s never started", what)
		}
	}
	advance(clock, bottest.Start.Add(2*time.Second), 100*time.Millisecond)
	wait("the first run")
	advance(clock, bottest.Start.Add(4*time.Second), 100*time.Millisecond)
	wait("the second run, while the first is still being delivered,")
}

// flakyDelivered fails the first n Delivered writes, like a database blip.
type flakyDelivered struct {
	*sqlite.DB
	n atomic.Int32
}

func (f *flakyDelivered) Delivered(ctx context.Context, o bot.Occurrence, owner, id string, at time.Time) error {
	if f.n.Add(-1) >= 0 {
		return fmt.Errorf("database is locked")
	}
	return f.DB.Delivered(ctx, o, owner, id, at)
}

func (f *flakyDelivered) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	if f.n.Add(-1) >= 0 {
		return nil, fmt.Errorf("database is locked")
	}
	return f.DB.DeliveredBatch(ctx, ds)
}

func TestDeliveredIsRecordedDespiteAStoreBlip(t *testing.T) {
	ctx := context.Background()
	db := &flakyDelivered{DB: openDB(t)}
	db.n.Store(2)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
	r := mustReminder(t, db.DB, "blip1", rule, clock.Now())
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	eng.Tick(ctx)
	clock.Advance(10 * time.Minute) // long past any lease
	eng.Tick(ctx)
	if got := d.count(fmt.Sprintf("blip1@%d/run", r.NextRun.Unix())); got != 1 {
		t.Fatalf("delivered %d times, want 1", got)
	}
}

func TestRunKeepsUpWhenMoreIsDueThanOneBatch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	for i := 0; i < 20; i++ {
		rule, _ := p.Parse(fmt.Sprintf("in %d seconds", 1+i/2), time.UTC, clock.Now())
		mustReminder(t, db, fmt.Sprintf("batch%02d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	// A batch of 5 covers only the first 2.5 seconds of the minute's work.
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, 5))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for clock.Now().Before(bottest.Start.Add(12 * time.Second)) {
		clock.Advance(100 * time.Millisecond)
		time.Sleep(2 * time.Millisecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for d.n.Load() < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := d.n.Load(); got != 20 {
		t.Fatalf("%d of 20 delivered by 12 s; the engine waited for its periodic refill", got)
	}
}
