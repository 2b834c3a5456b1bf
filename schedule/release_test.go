package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
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

// timedDeliverer counts deliveries, and those that went out before their
// time by the fake clock.
type timedDeliverer struct {
	countingDeliverer
	clock *bottest.Clock
	early atomic.Int64
}

func (d *timedDeliverer) Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	if d.clock.Now().Before(o.At) {
		d.early.Add(1)
	}
	return d.countingDeliverer.Deliver(ctx, r, o)
}

// startEngine runs an engine over st until stop is called (or the test
// ends); stop returns once Run has.
func startEngine(t *testing.T, st schedule.Store, d schedule.Deliverer, clock *bottest.Clock, opts ...schedule.Option) (stop func()) {
	t.Helper()
	eng, err := schedule.NewEngine(st, d, when.Parser{MinInterval: time.Second}, append([]schedule.Option{schedule.WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	eng.AssumeClaimCost(time.Millisecond) // a few thousand runs make a burst
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	var stopped atomic.Bool
	stop = func() {
		if stopped.CompareAndSwap(false, true) {
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

// An engine that stops with a burst claimed seconds ahead delivers none of
// it early: it hands the runs back.
func TestShutdownDeliversNothingEarly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	rule, err := when.Parser{MinInterval: time.Second}.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	const n = 2500
	for i := range n {
		mustReminder(t, db, fmt.Sprintf("b%04d", i), rule, clock.Now())
	}
	due := rule.Next(clock.Now())
	d := &timedDeliverer{clock: clock}
	stop := startEngine(t, db, d, clock, schedule.WithOwner("a"))
	advance(clock, due.Add(-4*time.Second), 100*time.Millisecond)
	waitFor(t, "the burst claimed", func() bool {
		open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 2*n)
		return err == nil && len(open) == n
	})
	stop()
	if got := d.early.Load(); got != 0 {
		t.Fatalf("%d of %d runs delivered early at shutdown", got, n)
	}
	// Handed back: due again at their time, claimed by nobody.
	if open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 2*n); err != nil || len(open) != 0 {
		t.Fatalf("%d runs still claimed after shutdown (%v)", len(open), err)
	}
	if rs, err := db.DueReminders(ctx, due, 2*n); err != nil || len(rs) != n {
		t.Fatalf("%d runs due again after shutdown, want %d (%v)", len(rs), n, err)
	}

	// The instance that comes next delivers each at its time, once.
	d2 := &timedDeliverer{clock: clock}
	startEngine(t, db, d2, clock, schedule.WithOwner("a2"))
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the burst delivered", func() bool { return d2.n.Load() == n })
	checkOnce(t, n, d, d2)
}

// checkOnce checks that the deliverers delivered n runs between them, each
// once and none early.
func checkOnce(t *testing.T, n int, ds ...*timedDeliverer) {
	t.Helper()
	seen := map[string]int{}
	for _, d := range ds {
		if got := d.early.Load(); got != 0 {
			t.Errorf("%d runs delivered early", got)
		}
		d.mu.Lock()
		for k, c := range d.got {
			seen[k] += c
		}
		d.mu.Unlock()
	}
	if len(seen) != n {
		t.Errorf("%d runs delivered, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("%s delivered %d times", k, c)
		}
	}
}

// Two processes share a database file: one claims a burst seconds ahead
// and stops; the other hears from the change log that the runs were handed
// back, claims them before their time and delivers each at its time, once.
func TestStoppedProcessHandsABurstToAnother(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	testStoppedInstanceHandsABurstToAnother(t, func() sharedStore { return openDBAt(t, path) })
}

// testStoppedInstanceHandsABurstToAnother runs two engines, each on a
// handle of its own from open: a claims a burst seconds ahead, b starts,
// a stops. Only the store's notification can tell b that the burst is due
// again, as the fake clock stands still until b has claimed it all.
func testStoppedInstanceHandsABurstToAnother(t *testing.T, open func() sharedStore) {
	ctx := context.Background()
	a, b := open(), open()
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	rule, err := when.Parser{MinInterval: time.Second}.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	const n = 2500
	due := rule.Next(clock.Now())
	for i := range n {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("hb%04d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: due, CreatedAt: clock.Now()}
		if err := a.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	owned := func(owner string) func() bool {
		return func() bool {
			open, err := b.OpenOccurrences(ctx, due.Add(time.Hour), 2*n)
			if err != nil || len(open) != n {
				return false
			}
			for _, o := range open {
				if o.Owner != owner {
					return false
				}
			}
			return true
		}
	}

	da := &timedDeliverer{clock: clock}
	// A hand-back of 2 500 runs takes about 1.5 s under the race
	// detector, and past releaseTimeout (5 s) on a loaded machine, when a
	// keeps the runs instead (as it should) and the test fails waiting
	// for b: give it the time it needs, since what is tested here is
	// that b hears of the runs handed back.
	stopA := startEngine(t, a, da, clock, schedule.WithOwner("a"), schedule.WithReleaseTimeout(time.Minute))
	advance(clock, due.Add(-4*time.Second), 100*time.Millisecond)
	waitFor(t, "a to claim the burst", owned("a"))
	// b starts with the burst claimed: nothing for it in its window.
	db := &timedDeliverer{clock: clock}
	startEngine(t, b, db, clock, schedule.WithOwner("b"))
	// In the background: an instance that cannot hand the burst back in
	// time (a store slowed down past releaseTimeout) keeps it and returns
	// only after delivering it at its time, which this clock reaches only
	// below. The wait for b then fails with its reason instead of hanging.
	stoppedA := make(chan struct{})
	go func() { stopA(); close(stoppedA) }()
	waitFor(t, "b to claim the burst handed back", owned("b"))
	<-stoppedA
	advance(clock, due, 100*time.Millisecond)
	waitFor(t, "the burst delivered", func() bool { return da.n.Load()+db.n.Load() == n })
	checkOnce(t, n, da, db)
}

// oneRun stores a one-shot due ten seconds after the fake clock's start,
// runs an engine over st and advances the clock to until, once the run is
// claimed ahead. stop stops the engine in the background; stopped closes
// once Run returned.
func oneRun(t *testing.T, db *sqlite.DB, st schedule.Store, until func(due time.Time) time.Time, opts ...schedule.Option) (clock *bottest.Clock, d *timedDeliverer, due time.Time, stop func() <-chan struct{}) {
	t.Helper()
	ctx := context.Background()
	clock = bottest.NewClock(bottest.Start.Truncate(time.Minute))
	rule, err := when.Parser{MinInterval: time.Second}.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustReminder(t, db, "one", rule, clock.Now())
	due = rule.Next(clock.Now())
	d = &timedDeliverer{clock: clock}
	stopEngine := startEngine(t, st, d, clock, append([]schedule.Option{schedule.WithOwner("a")}, opts...)...)
	advance(clock, due.Add(-400*time.Millisecond), 100*time.Millisecond)
	waitFor(t, "the run claimed", func() bool {
		open, err := db.OpenOccurrences(ctx, due.Add(time.Hour), 10)
		return err == nil && len(open) == 1
	})
	clock.Advance(until(due).Sub(clock.Now()))
	return clock, d, due, func() <-chan struct{} {
		stopped := make(chan struct{})
		go func() { stopEngine(); close(stopped) }()
		return stopped
	}
}

// A run due within a moment of the shutdown is not handed back: the
// engine delivers it at its time, then returns.
func TestShutdownDeliversARunAboutToFallDue(t *testing.T) {
	db := openDB(t)
	clock, d, due, stop := oneRun(t, db, db, func(due time.Time) time.Time { return due.Add(-30 * time.Millisecond) })
	stopped := stop()
	time.Sleep(50 * time.Millisecond) // the engine's moment to go wrong
	if d.n.Load() != 0 {
		t.Fatal("delivered before its time")
	}
	select {
	case <-stopped:
		t.Fatal("Run returned before the run due in 30 ms went out")
	default:
	}
	clock.Advance(due.Sub(clock.Now()))
	<-stopped
	checkOnce(t, 1, d)
}

// noRelease is a store that cannot hand runs back.
type noRelease struct{ schedule.Store }

// failingRelease is a store whose releases fail.
type failingRelease struct{ *sqlite.DB }

func (failingRelease) Release(context.Context, []schedule.Claim) ([]bool, error) {
	return nil, errors.New("database is locked")
}

// msgHandler records the messages logged.
type msgHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *msgHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *msgHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}
func (h *msgHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *msgHandler) WithGroup(string) slog.Handler      { return h }

func (h *msgHandler) logged(substr string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.ContainsFunc(h.msgs, func(m string) bool { return strings.Contains(m, substr) })
}

// A run that cannot be handed back is neither delivered early nor left to
// its lease: the engine delivers it at its time, then returns.
func TestShutdownWithoutReleaseDeliversAtTheRunsTime(t *testing.T) {
	for _, tt := range []struct {
		name  string
		store func(*sqlite.DB) schedule.Store
	}{
		{"store cannot", func(db *sqlite.DB) schedule.Store { return noRelease{db} }},
		{"store fails", func(db *sqlite.DB) schedule.Store { return failingRelease{db} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			logs := &msgHandler{}
			clock, d, due, stop := oneRun(t, db, tt.store(db), func(due time.Time) time.Time { return due.Add(-300 * time.Millisecond) },
				schedule.WithLogger(slog.New(logs)))
			stopped := stop()
			waitFor(t, "the run kept", func() bool { return logs.logged("delivering them at their time") })
			if d.n.Load() != 0 {
				t.Fatal("delivered before its time")
			}
			advance(clock, due, 100*time.Millisecond)
			<-stopped
			checkOnce(t, 1, d)
		})
	}
}
