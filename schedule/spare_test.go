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
