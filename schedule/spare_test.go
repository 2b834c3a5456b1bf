package schedule_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// The room a burst needed (its runs' lists, the senders' queue, the
// records' queue) is given back once later work no longer needs it, rather
// than kept until the next burst.
func TestBurstRoomIsGivenBack(t *testing.T) {
	ctx := context.Background()
	db := memory.New()
	defer db.Close()
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	due := clock.Now().Add(10 * time.Second)
	rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	const n = 20_000
	for i := range n {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("room%06d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: due, CreatedAt: clock.Now()}
		if err := db.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, n))
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := d.n.Load(); got != n {
		t.Fatalf("delivered %d of %d", got, n)
	}
	after := eng.KeptRoom()
	if after < n {
		t.Fatalf("the burst kept room for %d runs; the test no longer measures a burst's room", after)
	}
	// The first trim after the burst keeps what the burst needed (more
	// work may come at that rate); the next, with none since, gives it back.
	for range 2 {
		clock.Advance(31 * time.Second)
		if err := eng.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := eng.KeptRoom(); got > 8*1024 {
		t.Errorf("a minute after a burst of %d the engine keeps room for %d (%d just after it)", n, got, after)
	}
}

// createDue creates n personal reminders due by spec.
func createDue(t *testing.T, db *memory.DB, clock *bottest.Clock, p when.Parser, prefix string, n int, spec string) {
	t.Helper()
	rule, err := p.Parse(spec, time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	next := rule.Next(clock.Now())
	for i := range n {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("%s%06d", prefix, i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: next, CreatedAt: clock.Now()}
		if err := db.CreateReminder(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// Once no work has come for idleTrim, the room a burst needed is given
// back then, not up to a minute later at the trims' pace.
func TestBurstRoomIsGivenBackWhenIdle(t *testing.T) {
	ctx := t.Context()
	db := memory.New()
	defer db.Close()
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	const n = 20_000
	createDue(t, db, clock, p, "idle", n, "in 10 seconds")
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, n))
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := d.n.Load(); got != n {
		t.Fatalf("delivered %d of %d", got, n)
	}
	after := eng.KeptRoom()
	if after < n {
		t.Fatalf("the burst kept room for %d runs; the test no longer measures a burst's room", after)
	}
	clock.Advance(schedule.IdleTrim)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := eng.KeptRoom()
	t.Logf("room kept just after a burst of %d: %d; %v later: %d", n, after, schedule.IdleTrim, got)
	if got > 8*1024 {
		t.Errorf("%v after a burst of %d, with no work since, the engine keeps room for %d (%d just after it)", schedule.IdleTrim, n, got, after)
	}
}

// Work that comes every few seconds keeps its room from one second of
// work to the next: the idle trim does not take it away between them.
func TestSteadyWorkKeepsItsRoom(t *testing.T) {
	ctx := t.Context()
	db := memory.New()
	defer db.Close()
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	const n = 3_000
	createDue(t, db, clock, p, "steady", n, "every 3 seconds")
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, 4*n))
	if err != nil {
		t.Fatal(err)
	}
	var least, most int
	for i := range 80 {
		if err := eng.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		// After the first runs, which size the lists.
		if i > 6 {
			room := eng.KeptRoom()
			if least == 0 || room < least {
				least = room
			}
			most = max(most, room)
		}
		clock.Advance(time.Second)
	}
	if d.n.Load() < 20*n {
		t.Fatalf("delivered %d, want at least %d", d.n.Load(), 20*n)
	}
	t.Logf("room kept under a steady load of %d runs every 3 s: %d to %d", n, least, most)
	if least < n {
		t.Errorf("under a steady load of %d runs every 3 s the room kept fell to %d (at most %d)", n, least, most)
	}
}

// A running engine wakes for the idle trim: it need not wait for its
// next refill, half a minute away, to give a burst's room back.
func TestRunningEngineGivesBackBurstRoomWhenIdle(t *testing.T) {
	db := memory.New()
	defer db.Close()
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	const n = 20_000
	createDue(t, db, clock, p, "run", n, "in 10 seconds")
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, n))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	advance(clock, clock.Now().Add(10*time.Second), 100*time.Millisecond)
	waitFor(t, "the burst delivered", func() bool { return d.n.Load() == n })
	if got := eng.KeptRoom(); got < n {
		t.Fatalf("the burst kept room for %d runs; the test no longer measures a burst's room", got)
	}
	clock.Advance(schedule.IdleTrim)
	waitFor(t, "the burst's room given back", func() bool { return eng.KeptRoom() <= 8*1024 })
}
