package schedule_test

import (
	"context"
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
	testChangeStopsAClaimedRun(t, "sqz", func(ctx context.Context, t *testing.T) func() sharedStore {
		path := filepath.Join(t.TempDir(), "shared.db")
		return func() sharedStore { return openDBAt(t, path) }
	})
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

func (w *loadWatcher) DueRuns(ctx context.Context, until time.Time, limit int, buf []schedule.DueRun) ([]schedule.DueRun, error) {
	runs, err := w.DB.DueRuns(ctx, until, limit, buf)
	w.calls.Add(1)
	for _, r := range runs {
		if r.Reminder == w.id {
			w.loaded.Store(true)
		}
	}
	return runs, err
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
