package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// runBurstRig stores n one-shots due ten seconds after the fake clock's
// start in seed, and runs an engine over st (seed itself, or a wrapper of
// it) that assumes cost per claim, until the test ends.
func runBurstRig(t *testing.T, st schedule.Store, seed *sqlite.DB, n int, cost time.Duration, opts ...schedule.Option) (*bottest.Clock, *countingDeliverer, time.Time) {
	t.Helper()
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		mustReminder(t, seed, fmt.Sprintf("b%04d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(st, d, p, append([]schedule.Option{schedule.WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	eng.AssumeClaimCost(cost)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return clock, d, rule.Next(clock.Now())
}

// A burst, more runs due at one instant than a refill loads, is claimed
// several seconds before it falls due, so that only the deliveries and
// their records are left at its time; nothing goes out early.
func TestBurstIsClaimedWellAhead(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	const n = 2500 // two and a half refills of 1 000
	// At a millisecond a claim, a few thousand are a burst.
	clock, d, due := runBurstRig(t, db, db, n, time.Millisecond)

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
	ctx := context.Background()
	db := openDB(t)
	clock, d, due := runBurstRig(t, db, db, 1500, time.Millisecond, schedule.WithLease(3*time.Second))

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

// parallelStore takes up to three record transactions at once, and notes
// how many it saw together. The first ones wait for a third, so that the
// test shows the engine starting them, not how fast they happen to finish.
type parallelStore struct {
	*sqlite.DB
	mu      sync.Mutex
	in, top int
	third   chan struct{}
	once    sync.Once
}

func (s *parallelStore) ParallelWrites() int { return 3 }

func (s *parallelStore) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	s.mu.Lock()
	s.in++
	s.top = max(s.top, s.in)
	if s.in == 3 {
		s.once.Do(func() { close(s.third) })
	}
	s.mu.Unlock()
	select {
	case <-s.third:
	case <-time.After(5 * time.Second):
	}
	defer func() { s.mu.Lock(); s.in--; s.mu.Unlock() }()
	return s.DB.DeliveredBatch(ctx, ds)
}

// A store that takes several writes at once gets a burst's records in
// several transactions at once, never more than it says.
func TestBurstRecordsInParallel(t *testing.T) {
	ctx := context.Background()
	db := &parallelStore{DB: openDB(t), third: make(chan struct{})}
	const n = 3000
	clock, _, due := runBurstRig(t, db, db.DB, n, time.Millisecond)

	advance(clock, due.Add(-4*time.Second), 100*time.Millisecond)
	waitFor(t, "the burst claimed", func() bool {
		open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 2*n)
		return err == nil && len(open) == n
	})
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the burst recorded", func() bool {
		open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 2*n)
		return err == nil && len(open) == 0
	})
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.top != 3 {
		t.Fatalf("at most %d record transactions at once, want 3", db.top)
	}
}

// Many runs at one instant that the store claims quickly are no burst:
// they are claimed a second ahead, as usual.
func TestCheapInstantIsNoBurst(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	// 1 500 claims at a microsecond each take 1.5 ms.
	clock, d, due := runBurstRig(t, db, db, 1500, time.Microsecond)
	if n, err := db.CountDueAt(ctx, due, 10_000); err != nil || n != 1500 {
		t.Fatalf("CountDueAt = %d, %v; want 1500", n, err)
	}

	advance(clock, due.Add(-2*time.Second), 100*time.Millisecond)
	time.Sleep(50 * time.Millisecond) // let the engine act on the clock
	if open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 3000); err != nil || len(open) != 0 {
		t.Fatalf("%d claimed two seconds ahead (%v)", len(open), err)
	}
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the runs delivered", func() bool { return d.n.Load() == 1500 })
}
