package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// NotifyListChanges checks that a store which is a schedule.ChangeNotifier
// reports every change `list` shows, also those that stop no run, so that
// instances keeping lists in memory read them again: a listening, b
// another handle on the database, a shorter pause and a paused reminder
// deleted wake a, naming no reminder.
func NotifyListChanges(t *testing.T, a schedule.ChangeNotifier, b store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan []bot.ReminderID, 16)
	go a.NotifyChanges(ctx, func(ids ...bot.ReminderID) { got <- ids })
	wait := func(what string) {
		t.Helper()
		select {
		case ids := <-got:
			if len(ids) > 0 {
				t.Errorf("%s named %v", what, ids)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no notification %s", what)
		}
	}
	wait("when listening starts")
	t0 := T0
	MustCreate(t, b, Reminder("l1", "T1", bot.Personal, "U1", "C1", t0, t0.Add(time.Hour)))
	wait("for a new reminder")
	if err := b.SetPaused(ctx, "T1", "l1", false, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	<-got // the timed pause, named
	if err := b.SetPaused(ctx, "T1", "l1", false, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wait("for a shorter pause")
	if err := b.SetPaused(ctx, "T1", "l1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	<-got // the pause, named
	if err := b.DeleteReminder(ctx, "T1", "l1"); err != nil {
		t.Fatal(err)
	}
	wait("for a paused reminder deleted")
}
