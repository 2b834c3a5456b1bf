package schedule_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// Two instances share a PostgreSQL schema. A run is claimed ahead by
// either; a third process pauses or cancels the reminder in the last
// second, without telling the engines itself. The store's notification
// reaches them and the run is held back: nothing is posted and no
// occurrence stays open.
func TestChangeByAnotherInstanceStopsAClaimedRun(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(ctx context.Context, db *postgres.DB, id bot.ReminderID, now time.Time) error
	}{
		{"paused", func(ctx context.Context, db *postgres.DB, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, true, time.Time{})
		}},
		{"paused for ten seconds", func(ctx context.Context, db *postgres.DB, id bot.ReminderID, now time.Time) error {
			return db.SetPaused(ctx, "t", id, false, now.Add(10*time.Second))
		}},
		{"cancelled", func(ctx context.Context, db *postgres.DB, id bot.ReminderID, now time.Time) error {
			return db.DeleteReminder(ctx, "t", id)
		}},
		{"uninstalled", func(ctx context.Context, db *postgres.DB, id bot.ReminderID, now time.Time) error {
			_, err := db.PauseTenant(ctx, bot.Console, "t")
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			url := pgtest.Schema(t)
			open := func() *postgres.DB {
				db, err := postgres.Open(ctx, url)
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
			r := bot.Reminder{ID: "pgz1", Tenant: "t", Platform: bot.Console, Kind: bot.Personal, Owner: "u", Channel: "c",
				Rule: rule.Spec(), Zone: "UTC", NextRun: rule.Next(clock.Now()), CreatedAt: clock.Now()}
			if err := db.CreateReminder(ctx, r); err != nil {
				t.Fatal(err)
			}
			var engines []*schedule.Engine
			done := make(chan error, 2)
			for i := range 2 {
				eng, err := schedule.NewEngine(open(), d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("pgz-%d", i)))
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
			waitFor(t, "the change heard by both instances", func() bool {
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
