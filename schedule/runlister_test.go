package schedule_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// plainStore hides every optional capability of the store it wraps, such
// as RunLister: the engine then reads whole reminders.
type plainStore struct{ schedule.Store }

// TestWindowIsTheSameWithOrWithoutRunLister runs the same schedules on the
// memory store, which lists compact runs, and on the same store without
// that capability: every run, pause, platform and broken rule must come
// out the same.
func TestWindowIsTheSameWithOrWithoutRunLister(t *testing.T) {
	if _, ok := schedule.Store(memory.New()).(schedule.RunLister); !ok {
		t.Fatal("the memory store no longer lists compact runs: this test compares nothing")
	}
	compact := deliveredOverTenSeconds(t, func(db *memory.DB) schedule.Store { return db })
	plain := deliveredOverTenSeconds(t, func(db *memory.DB) schedule.Store { return plainStore{db} })
	if !maps.Equal(compact, plain) {
		t.Errorf("with RunLister delivered\n%v\nwithout it\n%v", sorted(compact), sorted(plain))
	}
	want := map[string]int{}
	for s := 2; s <= 10; s += 2 {
		want[fmt.Sprintf("every@%d", s)] = 1
	}
	for s := 6; s <= 10; s += 2 {
		want[fmt.Sprintf("resumes@%d", s)] = 1
	}
	want["once@3"] = 1
	if !maps.Equal(compact, want) {
		t.Errorf("delivered\n%v\nwant\n%v", sorted(compact), sorted(want))
	}
}

// deliveredOverTenSeconds ticks an engine on a fresh memory store, seen
// through wrap, over ten seconds of a fake clock, with a batch of two so
// that refills come back full. It returns the deliveries by "id@second"
// (seconds from the start).
func deliveredOverTenSeconds(t *testing.T, wrap func(*memory.DB) schedule.Store) map[string]int {
	t.Helper()
	ctx := context.Background()
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	start := bottest.Start.Truncate(time.Second)
	clock := bottest.NewClock(start)
	p := when.Parser{MinInterval: time.Second}
	every, err := p.Parse("every 2 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	once, err := p.Parse("in 3 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(id string, platform bot.Platform, spec string, next time.Time) bot.Reminder {
		return bot.Reminder{ID: bot.ReminderID(id), Tenant: "t", Platform: platform, Kind: bot.Personal, Owner: "u",
			Channel: "c", Rule: spec, Zone: "UTC", NextRun: next, CreatedAt: start}
	}
	resumes := mk("resumes", bot.Console, every.Spec(), every.Next(start))
	resumes.PausedUntil = start.Add(5 * time.Second)
	for _, r := range []bot.Reminder{
		mk("every", bot.Console, every.Spec(), every.Next(start)),
		mk("once", bot.Console, once.Spec(), once.Next(start)),
		mk("elsewhere", bot.Slack, every.Spec(), every.Next(start)), // another engine's platform
		mk("broken", bot.Console, "not a rule", every.Next(start)),
		resumes,
	} {
		if err := db.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(wrap(db), d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, 2),
		schedule.WithPlatforms(bot.Console), schedule.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		clock.Advance(time.Second)
		if err := eng.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, n := range d.got { // "id@unix/kind"
		id, rest, _ := strings.Cut(k, "@")
		var at int64
		if _, err := fmt.Sscanf(rest, "%d/run", &at); err != nil {
			t.Fatalf("delivery %q: %v", k, err)
		}
		got[fmt.Sprintf("%s@%d", id, at-start.Unix())] += n
	}
	broken, err := db.ReminderByID(ctx, "broken")
	if err != nil {
		t.Fatal(err)
	}
	if !broken.NextRun.IsZero() {
		t.Errorf("a reminder whose rule cannot be read still runs next at %s", broken.NextRun)
	}
	return got
}

func sorted(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// ownerSkipper passes nothing over, and notes whose runs it was asked about.
type ownerSkipper struct {
	countingDeliverer
	mu     sync.Mutex
	owners []bot.UserID
}

func (d *ownerSkipper) SkipRun(_ context.Context, r bot.Reminder, _ time.Time) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.owners = append(d.owners, r.Owner)
	return ""
}

func (d *ownerSkipper) RunSkipped(context.Context, bot.Reminder, time.Time, string) {}

// TestSkipperJudgesWholeRemindersOnARunLister: compact runs do not say
// whose a reminder is, so with a Skipper the engine reads whole reminders
// even from a store that lists runs.
func TestSkipperJudgesWholeRemindersOnARunLister(t *testing.T) {
	ctx := context.Background()
	db := memory.New()
	defer db.Close()
	start := bottest.Start.Truncate(time.Second)
	clock := bottest.NewClock(start)
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("every 2 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReminder(ctx, bot.Reminder{ID: "s1", Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
		Owner: "u7", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(start), CreatedAt: start}); err != nil {
		t.Fatal(err)
	}
	d := &ownerSkipper{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.owners) != 1 || d.owners[0] != "u7" {
		t.Errorf("the Skipper was asked about runs of %q, want one of u7's", d.owners)
	}
	if got := d.n.Load(); got != 1 {
		t.Errorf("delivered %d runs, want 1", got)
	}
}
