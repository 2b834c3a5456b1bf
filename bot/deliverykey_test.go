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

// An attempt that may repeat an earlier post says so to the adapter, with
// the occurrence's time; a first attempt does not.
func TestDeliveryTellsAnUnsureAttempt(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 10 minutes"))
	r, err := k.DB.ReminderByID(t.Context(), bot.ReminderID(id))
	if err != nil {
		t.Fatal(err)
	}
	o := bot.Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: r.NextRun, Kind: bot.RunOccurrence}
	before := len(k.Deliveries())
	for _, unsure := range []bool{false, true} {
		o.Unsure = unsure
		if _, err := k.Bot.Deliver(t.Context(), r, o); err != nil {
			t.Fatal(err)
		}
	}
	got := k.Deliveries()[before:]
	if len(got) != 2 || got[0].Unsure || !got[1].Unsure || !got[1].Due.Equal(r.NextRun) || got[0].Key != got[1].Key {
		t.Errorf("deliveries = %+v, want a sure then an unsure attempt at one key due %v", got, r.NextRun)
	}
}
