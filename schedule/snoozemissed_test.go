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

// On SQLite as in memory: a pending snooze found after the bot was down
// longer than the catch-up window is closed without a delivery, and one
// found within it is delivered once, marked late.
func TestSnoozeMissedBeyondTheWindowIsDropped(t *testing.T) {
	for _, tt := range []struct {
		down time.Duration
		want int
	}{{10 * time.Minute, 1}, {16 * time.Minute, 0}, {48 * time.Hour, 0}} {
		ctx := context.Background()
		db := openDB(t)
		clock := bottest.NewClock(bottest.Start)
		p := when.Parser{MinInterval: time.Second}
		rule, err := p.Parse("in 3 hours", time.UTC, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		r := mustReminder(t, db, fmt.Sprintf("snz%d", tt.want), rule, clock.Now())
		at := clock.Now().Add(5 * time.Minute)
		if err := db.AddOccurrence(ctx, bot.Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: at, Kind: bot.SnoozeOccurrence,
			State: bot.Pending, LeaseUntil: at}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(5*time.Minute + tt.down)
		d := &lateDeliverer{}
		eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithCatchup(15*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		eng.Tick(ctx)
		clock.Advance(time.Minute)
		eng.Tick(ctx)
		if d.n != tt.want || tt.want == 1 && !d.late {
			t.Errorf("down %s: %d deliveries (late %v), want %d, late", tt.down, d.n, d.late, tt.want)
		}
	}
}

type lateDeliverer struct {
	n    int
	late bool
}

func (d *lateDeliverer) Deliver(_ context.Context, _ bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	d.n++
	d.late = o.Late
	return bot.Sent{ID: "m"}, nil
}

func (d *lateDeliverer) DeliveryPaused(context.Context, bot.Reminder, string) {}
