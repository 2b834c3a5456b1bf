package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// NotifyChanges checks a store that is a schedule.ChangeNotifier: a
// listens while b, another handle on the same database (another
// instance), changes it. Creating, resuming and handing claimed runs back
// (schedule.Releaser) wake a without naming a reminder; pausing, pausing
// for longer, deleting and uninstalling name the reminders, so that a run
// of theirs claimed ahead is looked up again; claims, even many at once,
// are not heard. A shorter pause and deleting a paused reminder stop no
// run: a store may say nothing of them, or wake a without naming a
// reminder (so that what a keeps of the list is read again). A store may
// report several changes at once.
func NotifyChanges(t *testing.T, a schedule.ChangeNotifier, b store.Store) {
	t.Helper()
	type change struct{ ids []bot.ReminderID }
	got := make(chan change, 4096)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.NotifyChanges(ctx, func(ids ...bot.ReminderID) { got <- change{ids} })
	}()
	next := func(what string) change {
		t.Helper()
		select {
		case c := <-got:
			return c
		case <-time.After(5 * time.Second):
			t.Fatalf("no notification %s", what)
		}
		return change{}
	}
	quiet := func(what string) {
		t.Helper()
		select {
		case c := <-got:
			t.Errorf("%s notified %v", what, c.ids)
		case <-time.After(300 * time.Millisecond):
		}
	}
	// unnamed allows a wake naming no reminder, or nothing.
	unnamed := func(what string) {
		t.Helper()
		select {
		case c := <-got:
			if len(c.ids) > 0 {
				t.Errorf("%s notified %v, want no reminder named", what, c.ids)
			}
		case <-time.After(300 * time.Millisecond):
		}
	}
	want := func(what string, ids ...bot.ReminderID) {
		t.Helper()
		if c := next(what); !slices.Equal(c.ids, ids) {
			t.Errorf("%s: notified %v, want %v", what, c.ids, ids)
		}
	}
	want("when listening starts")
	var claims []schedule.Claim
	for _, id := range []bot.ReminderID{"c1", "c2", "c3"} {
		MustCreate(t, b, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
		want("for a new reminder")
		claims = append(claims, schedule.Claim{Reminder: id, Expect: T0, At: T0,
			Next: T0.Add(time.Hour), Owner: "i1", LeaseUntil: T0.Add(time.Minute)})
	}
	if res, err := b.ClaimBatch(ctx, claims); err != nil || !res[0].Won || !res[2].Won {
		t.Fatalf("ClaimBatch = %v, %v", res, err)
	}
	o := bot.Occurrence{Reminder: "c1", Tenant: "T1", At: T0, Kind: bot.RunOccurrence}
	if err := b.Delivered(ctx, o, "i1", "m1", T0); err != nil {
		t.Fatal(err)
	}
	quiet("a claim and a delivery")
	if err := b.AddOccurrence(ctx, snooze("c1", T0.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	want("for a snooze")
	if rel, ok := b.(schedule.Releaser); ok {
		// A run handed back is due again, sooner than the others knew;
		// so is one kept claimed with its lease ending at its time, as a
		// run of a reminder changed since its claim is.
		if got, err := rel.Release(ctx, claims[2:]); err != nil || !got[0] {
			t.Fatalf("Release = %v, %v", got, err)
		}
		want("for a run handed back")
		if err := b.AdvanceReminder(ctx, "c2", T0.Add(time.Hour), T0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		quiet("a run moved later")
		if got, err := rel.Release(ctx, claims[1:2]); err != nil || !got[0] {
			t.Fatalf("Release = %v, %v", got, err)
		}
		want("for a claim handed back to its time")
	}

	if err := b.SetPaused(ctx, "T1", "c1", false, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want("for a timed pause", "c1")
	if err := b.SetPaused(ctx, "T1", "c1", false, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	unnamed("a shorter pause")
	if err := b.SetPaused(ctx, "T1", "c1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want("for a pause", "c1")
	if err := b.SetPaused(ctx, "T1", "c1", false, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want("for a resume")
	if err := b.DeleteReminder(ctx, "T1", "c2"); err != nil {
		t.Fatal(err)
	}
	want("for a cancel", "c2")
	tp, ok := b.(bot.TenantPauser)
	if !ok {
		t.Fatalf("%T cannot pause a tenant", b)
	}
	if _, err := tp.PauseTenant(ctx, bot.Slack, "T1"); err != nil {
		t.Fatal(err)
	}
	seen := map[bot.ReminderID]bool{}
	for !seen["c1"] || !seen["c3"] {
		for _, id := range next("for an uninstall").ids {
			seen[id] = true
		}
	}
	if err := b.DeleteReminder(ctx, "T1", "c3"); err != nil {
		t.Fatal(err)
	}
	unnamed("deleting a paused reminder")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyChanges after cancel = %v", err)
	}
}
