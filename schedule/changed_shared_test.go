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
)

// sharedStore is a store several engines share (instances on one
// PostgreSQL schema, processes on one SQLite file), with what the change
// tests do through it.
type sharedStore interface {
	schedule.Store
	CreateReminder(ctx context.Context, r bot.Reminder) error
	SetPaused(ctx context.Context, tenant bot.TenantID, id bot.ReminderID, paused bool, until time.Time) error
	DeleteReminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) error
	PauseTenant(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (int, error)
}

// testChangeStopsAClaimedRun runs two engines, each on a handle of its
// own from open, and a third handle pauses or cancels the reminder in the
// last second, without telling the engines itself. The store's
// notifications reach them and the run claimed ahead is held back:
// nothing is posted and no occurrence stays open.
func testChangeStopsAClaimedRun(t *testing.T, prefix string, open func(ctx context.Context, t *testing.T) func() sharedStore) {
	for _, tt := range []struct {
		name   string
		change func(ctx context.Context, db sharedStore, id bot.ReminderID, now time.Time) error
	}{
		{"paused", func(ctx context.Context, db sharedStore, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, true, time.Time{})
		}},
		{"paused for ten seconds", func(ctx context.Context, db sharedStore, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, false, now.Add(10*time.Second))
		}},
		{"cancelled", func(ctx context.Context, db sharedStore, id bot.ReminderID, now time.Time) error {
			return db.DeleteReminder(ctx, "t", id)
		}},
		{"uninstalled", func(ctx context.Context, db sharedStore, id bot.ReminderID, now time.Time) error {
			_, err := db.PauseTenant(ctx, bot.Console, "t")
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			handle := open(ctx, t)
			db := handle()
			clock := bottest.NewClock(bottest.Start.Truncate(time.Minute))
			p := when.Parser{MinInterval: time.Second}
			d := &countingDeliverer{}
			rule, _ := p.Parse("every 1 minute", time.UTC, clock.Now())
			r := bot.Reminder{ID: bot.ReminderID(prefix + "1"), Tenant: "t", Platform: bot.Console, Kind: bot.Personal, Owner: "u",
				Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(clock.Now()), CreatedAt: clock.Now()}
			if err := db.CreateReminder(ctx, r); err != nil {
				t.Fatal(err)
			}
			var engines []*schedule.Engine
			done := make(chan error, 2)
			for i := range 2 {
				eng, err := schedule.NewEngine(handle(), d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("%s-%d", prefix, i)))
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
			waitFor(t, "the change heard by both engines", func() bool {
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
