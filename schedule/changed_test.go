package schedule_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// A run is claimed shortly before its time. A pause made in between, in
// this process, still holds it back: nothing is posted, its occurrence is
// closed, and the reminder runs again once resumed.
func TestPauseInTheLastSecondStopsAClaimedRun(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(ctx context.Context, db interface {
			SetPaused(context.Context, bot.TenantID, bot.ReminderID, bool, time.Time) error
		}, id bot.ReminderID, now time.Time) error
	}{
		{"paused", func(ctx context.Context, db interface {
			SetPaused(context.Context, bot.TenantID, bot.ReminderID, bool, time.Time) error
		}, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, true, time.Time{})
		}},
		{"paused for ten seconds", func(ctx context.Context, db interface {
			SetPaused(context.Context, bot.TenantID, bot.ReminderID, bool, time.Time) error
		}, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, false, now.Add(10*time.Second))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			db, clock, d, eng, rs := claimRig(t, "every 1 minute", "pz1")
			r := rs[0]
			done := make(chan error, 1)
			go func() { done <- eng.Run(ctx) }()
			defer func() { cancel(); <-done }()
			eng.Wake()

			// The run is claimed ahead: the stored next run moves on.
			first := r.NextRun
			claimedAhead(t, db, clock, r, first)
			if err := tt.change(ctx, db, r.ID, clock.Now()); err != nil {
				t.Fatal(err)
			}
			eng.Changed(r.ID)
			advance(clock, first.Add(2*time.Second), 100*time.Millisecond)
			waitFor(t, "the claimed run closed", func() bool {
				open, err := db.OpenOccurrences(ctx, first.Add(time.Hour), 10)
				return err == nil && len(open) == 0
			})
			if n := d.n.Load(); n != 0 {
				t.Fatalf("posted %d after the pause", n)
			}

			// Resumed, the next run goes out.
			if err := db.SetPaused(ctx, "t", r.ID, false, time.Time{}); err != nil {
				t.Fatal(err)
			}
			eng.Changed(r.ID)
			advance(clock, first.Add(time.Minute+time.Second), 100*time.Millisecond)
			waitFor(t, "the run after the resume", func() bool { return d.n.Load() == 1 })
			if got := d.count(string(r.ID) + "@" + itoa(first.Add(time.Minute).Unix()) + "/run"); got != 1 {
				t.Errorf("run after the resume delivered %d times, want 1", got)
			}
		})
	}
}

// An unchanged reminder's run claimed ahead is not held back by another's
// change.
func TestAChangeHoldsBackOnlyItsOwnRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db, clock, d, eng, rs := claimRig(t, "every 1 minute", "keep1", "gone1")
	a, b := rs[0], rs[1]
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()
	eng.Wake()
	claimedAhead(t, db, clock, b, a.NextRun)
	if err := db.DeleteReminder(ctx, "t", b.ID); err != nil {
		t.Fatal(err)
	}
	eng.Changed(b.ID)
	clock.Advance(time.Second)
	for deadline := time.Now().Add(5 * time.Second); d.n.Load() < 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the unchanged reminder's run never came")
		}
	}
	time.Sleep(20 * time.Millisecond)
	if got := d.count(string(b.ID) + "@" + itoa(b.NextRun.Unix()) + "/run"); got != 0 {
		t.Errorf("cancelled reminder posted %d times", got)
	}
	if got := d.count(string(a.ID) + "@" + itoa(a.NextRun.Unix()) + "/run"); got != 1 {
		t.Errorf("unchanged reminder posted %d times, want 1", got)
	}
}

var _ bot.ChangeWaker = (*schedule.Engine)(nil)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A run claimed ahead and waiting for its time when the engine stops is
// handed back before Run returns: not delivered early, nor left to its
// lease, but due again at its time.
func TestShutdownHandsBackARunClaimedAhead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db, clock, d, eng, rs := claimRig(t, "every 1 minute", "sd1")
	r := rs[0]
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	eng.Wake()
	claimedAhead(t, db, clock, r, r.NextRun)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := d.n.Load(); n != 0 {
		t.Fatalf("delivered %d before its time", n)
	}
	open, err := db.OpenOccurrences(context.Background(), r.NextRun.Add(time.Hour), 10)
	if err != nil || len(open) != 0 {
		t.Errorf("open occurrences after shutdown: %v, %v", open, err)
	}
	if got, err := db.ReminderByID(context.Background(), r.ID); err != nil || !got.NextRun.Equal(r.NextRun) {
		t.Errorf("NextRun after shutdown = %v (%v), want %v", got.NextRun, err, r.NextRun)
	}
}

// Another process sharing the store pauses a reminder for a while after
// this engine loaded its next run, and tells it nothing. The claim's answer
// shows the pause: the run is held back, its occurrence closed, and the
// first run after the pause goes out.
func TestATimedPauseTheEngineDidNotHearOfStillHoldsTheRunBack(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db, clock, d, eng, rs := claimRig(t, "every 10 seconds", "tp1")
	r := rs[0]
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()
	eng.Wake()
	first := r.NextRun
	advance(clock, first.Add(-3*time.Second), 100*time.Millisecond)
	// Until the second run: the first is inside the pause, the second at
	// its end.
	if err := db.SetPaused(ctx, "t", r.ID, false, first.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	advance(clock, first.Add(2*time.Second), 100*time.Millisecond)
	waitFor(t, "the first run passed over", func() bool {
		got, err := db.ReminderByID(ctx, r.ID)
		open, oerr := db.OpenOccurrences(ctx, first.Add(time.Hour), 10)
		return err == nil && oerr == nil && got.NextRun.After(first) && len(open) == 0
	})
	if n := d.n.Load(); n != 0 {
		t.Fatalf("posted %d inside the pause", n)
	}
	advance(clock, first.Add(11*time.Second), 100*time.Millisecond)
	waitFor(t, "the run at the end of the pause", func() bool { return d.n.Load() == 1 })
	if got := d.count(string(r.ID) + "@" + itoa(first.Add(10*time.Second).Unix()) + "/run"); got != 1 {
		t.Errorf("run at the end of the pause delivered %d times, want 1", got)
	}
}

// claimRig makes an engine over a new SQLite store, with a fake clock on a
// whole minute, and one reminder of spec per id, for the engine to claim.
func claimRig(t *testing.T, spec string, ids ...string) (*sqlite.DB, *bottest.Clock, *countingDeliverer, *schedule.Engine, []bot.Reminder) {
	t.Helper()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
	p := when.Parser{MinInterval: time.Second}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	rule, err := p.Parse(spec, time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var rs []bot.Reminder
	for _, id := range ids {
		rs = append(rs, mustReminder(t, db, id, rule, clock.Now()))
	}
	return db, clock, d, eng, rs
}

// claimedAhead advances clock to a little before at, when the engine
// claims the runs due then, and waits until it has claimed r's: its
// stored next run moves on.
func claimedAhead(t *testing.T, db interface {
	ReminderByID(context.Context, bot.ReminderID) (bot.Reminder, error)
}, clock *bottest.Clock, r bot.Reminder, at time.Time) {
	t.Helper()
	advance(clock, at.Add(-400*time.Millisecond), 100*time.Millisecond)
	waitFor(t, "the claim ahead", func() bool {
		got, err := db.ReminderByID(context.Background(), r.ID)
		return err == nil && got.NextRun.After(r.NextRun)
	})
}
