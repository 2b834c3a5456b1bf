package schedule_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// Two processes share one SQLite file: each engine has a handle of its
// own, and a third handle pauses or cancels the reminder in the last
// second, without telling the engines itself. The store's change log
// reaches them and the run claimed ahead is held back: nothing is posted
// and no occurrence stays open.
func TestChangeByAnotherProcessOnOneFileStopsAClaimedRun(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(ctx context.Context, db *sqlite.DB, id bot.ReminderID, now time.Time) error
	}{
		{"paused", func(ctx context.Context, db *sqlite.DB, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, true, time.Time{})
		}},
		{"paused for ten seconds", func(ctx context.Context, db *sqlite.DB, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, false, now.Add(10*time.Second))
		}},
		{"cancelled", func(ctx context.Context, db *sqlite.DB, id bot.ReminderID, now time.Time) error {
			return db.DeleteReminder(ctx, "t", id)
		}},
		{"uninstalled", func(ctx context.Context, db *sqlite.DB, id bot.ReminderID, now time.Time) error {
			_, err := db.PauseTenant(ctx, bot.Console, "t")
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			path := filepath.Join(t.TempDir(), "shared.db")
			open := func() *sqlite.DB {
				db, err := sqlite.Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			db := open()
			clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
			p := when.Parser{MinInterval: time.Second}
			d := &countingDeliverer{}
			rule, _ := p.Parse("every 1 minute", time.UTC, clock.Now())
			r := mustReminder(t, db, "sqz1", rule, clock.Now())
			var engines []*schedule.Engine
			done := make(chan error, 2)
			for i := range 2 {
				eng, err := schedule.NewEngine(open(), d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("sqz-%d", i)))
				if err != nil {
					t.Fatal(err)
				}
				engines = append(engines, eng)
				go func() { done <- eng.Run(ctx) }()
			}
			defer func() { cancel(); <-done; <-done }()

			first := r.NextRun
			claimedAhead(t, db, clock, r, first)
			if err := tt.change(ctx, db, r.ID, clock.Now()); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the change heard by both processes", func() bool {
				return engines[0].ChangedLately(r.ID) && engines[1].ChangedLately(r.ID)
			})
			advance(clock, first.Add(2*time.Second), 100*time.Millisecond)
			waitFor(t, "the claimed run closed", func() bool {
				open, err := db.OpenOccurrences(ctx, first.Add(time.Hour), 10)
				return err == nil && len(open) == 0
			})
			if n := d.n.Load(); n != 0 {
				t.Fatalf("posted %d after the change", n)
			}
		})
	}
}

// A reminder created through another handle is loaded at once, not at
// the next periodic refill: the fake clock does not move until the engine
// has loaded it, so only the store's change log can have told the engine.
func TestReminderCreatedByAnotherProcessIsHeard(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(t.TempDir(), "shared.db")
	db := openDBAt(t, path)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	p := when.Parser{MinInterval: time.Second}
	d := &countingDeliverer{}
	watched := &loadWatcher{DB: openDBAt(t, path), id: "new1"}
	eng, err := schedule.NewEngine(watched, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// Two refills start the engine: its first, and the one the listener
	// asks for when it starts.
	waitFor(t, "the engine started", func() bool { return watched.calls.Load() >= 2 })

	rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
	r := mustReminder(t, db, "new1", rule, clock.Now())
	waitFor(t, "the new reminder loaded", watched.loaded.Load)
	advance(clock, r.NextRun.Add(time.Second), 100*time.Millisecond)
	waitFor(t, "the new reminder delivered", func() bool { return d.n.Load() == 1 })
}

// loadWatcher is a SQLite store (a ChangeNotifier still) that notes when
// a refill first loads reminder id.
type loadWatcher struct {
	*sqlite.DB
	id     bot.ReminderID
	calls  atomic.Int32
	loaded atomic.Bool
}

func (w *loadWatcher) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	rs, err := w.DB.DueReminders(ctx, until, limit)
	w.calls.Add(1)
	for _, r := range rs {
		if r.ID == w.id {
			w.loaded.Store(true)
		}
	}
	return rs, err
}

func openDBAt(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
