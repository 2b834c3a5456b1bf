package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
	"github.com/stretchbot/stretchbot/schedule"
)

// A reminder that has run for forty days, its runs older than the
// retention pruned, still lists, snoozes and runs as before; Done counts
// on a message from within the retention, and on one from before it says
// there is no record and offers `done`.
func TestPrunedRemindersWorkAsBefore(t *testing.T) {
	ctx := context.Background()
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 6 hours to stretch"))
	for range 40 * 4 {
		k.Advance(6 * time.Hour)
	}
	runs := deliveriesOf(k, id)
	if len(runs) != 160 {
		t.Fatalf("%d deliveries in 40 days, want 160", len(runs))
	}
	cut := k.Clock.Now().Add(-schedule.Retention)
	done := func(o bot.Outgoing) (bot.Action, time.Time) {
		t.Helper()
		for _, a := range o.Reply.Actions {
			if a.ID == bot.ActionDone {
				parts := strings.Split(a.Value, "@") // id@unix@tenant
				if len(parts) < 2 {
					t.Fatalf("Done value %q", a.Value)
				}
				sec, err := strconv.ParseInt(parts[1], 10, 64)
				if err != nil {
					t.Fatalf("Done value %q", a.Value)
				}
				return a, time.Unix(sec, 0)
			}
		}
		t.Fatalf("delivery has no Done button: %+v", o.Reply.Actions)
		return bot.Action{}, time.Time{}
	}
	old := 0
	for _, o := range runs {
		if _, at := done(o); at.Before(cut) {
			old++
		}
	}
	// Chunks of 7 go round the single reminder until it holds no more.
	pruned := 0
	for range 100 {
		n, err := k.DB.PruneOccurrences(ctx, cut, 7)
		if err != nil {
			t.Fatal(err)
		}
		pruned += n
	}
	if pruned != old {
		t.Errorf("pruned %d runs, want the %d before the retention", pruned, old)
	}

	bottest.MustContain(t, k.Send("list"), "#"+id, "every 6 hours")
	press := func(a bot.Action) bot.ActionResult {
		return k.Bot.HandleAction(ctx, bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console"}, ID: a.ID, Value: a.Value})
	}
	recent, _ := done(runs[len(runs)-4*20]) // twenty days ago
	if r := press(recent); r.Ephemeral == nil || r.Ephemeral.Error || !strings.Contains(r.Ephemeral.PlainText(), "Counted") {
		t.Errorf("Done on a message from twenty days ago: %+v", r)
	}
	gone, _ := done(runs[0])
	if r := press(gone); r.Ephemeral == nil || !strings.Contains(r.Ephemeral.PlainText(), "no record") {
		t.Errorf("Done on a message from forty days ago: %+v", r)
	}

	bottest.MustContain(t, k.Send("snooze 15 min"), "Snoozed #"+id)
	k.Advance(15 * time.Minute)
	runs = deliveriesOf(k, id)
	if len(runs) != 161 {
		t.Fatalf("%d deliveries after the snooze, want 161", len(runs))
	}
	if r := press(actionOf(done(runs[160]))); r.Ephemeral == nil || !strings.Contains(r.Ephemeral.PlainText(), "Counted") {
		t.Errorf("Done on the snoozed run: %+v", r)
	}
	k.Advance(6 * time.Hour)
	if n := len(deliveriesOf(k, id)); n != 162 {
		t.Errorf("%d deliveries six hours later, want 162", n)
	}
}

func actionOf(a bot.Action, _ time.Time) bot.Action { return a }
