package bot_test

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Every attempt to deliver one occurrence carries the same key, and
// another occurrence another: an adapter hands it to a platform that can
// tell a repeated post by it.
func TestDeliveryKeyNamesTheOccurrence(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 10 minutes"))
	k.Advance(11 * time.Minute)
	k.Advance(10 * time.Minute)
	var keys []string
	for _, o := range k.Deliveries() {
		keys = append(keys, o.Key)
	}
	if len(keys) < 2 || keys[0] == "" || keys[1] == "" || keys[0] == keys[1] {
		t.Fatalf("keys of two runs of #%s = %q, want two different ones", id, keys)
	}
	r, err := k.DB.ReminderByID(t.Context(), bot.ReminderID(id))
	if err != nil {
		t.Fatal(err)
	}
	o := bot.Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: r.NextRun, Kind: bot.RunOccurrence}
	before := len(k.Deliveries())
	for range 2 {
		if _, err := k.Bot.Deliver(t.Context(), r, o); err != nil {
			t.Fatal(err)
		}
	}
	again := k.Deliveries()[before:]
	if len(again) != 2 || again[0].Key != again[1].Key || again[0].Key == keys[0] || again[0].Key == keys[1] {
		t.Errorf("two attempts at one run: keys %q, %q (earlier runs %q)", again[0].Key, again[1].Key, keys)
	}
	o.Kind = bot.SnoozeOccurrence
	if _, err := k.Bot.Deliver(t.Context(), r, o); err != nil {
		t.Fatal(err)
	}
	if last := k.Deliveries()[len(k.Deliveries())-1]; last.Key == again[0].Key {
		t.Errorf("a snooze at a run's time has the run's key %q", last.Key)
	}
}
