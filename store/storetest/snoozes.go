package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// testPendingSnoozes: a tenant's snoozes still to come, earliest first;
// not another tenant's, not a run, not a snooze replaced, delivered or
// dropped. A snooze claimed (a send waiting to retry) still comes.
func testPendingSnoozes(t *testing.T, s store.Store) {
	ctx := t.Context()
	l, ok := s.(bot.SnoozeLister)
	if !ok {
		t.Fatalf("%T has no PendingSnoozes: list could not show what is snoozed", s)
	}
	ids := func() []bot.ReminderID {
		t.Helper()
		os, err := l.PendingSnoozes(ctx, "T1")
		if err != nil {
			t.Fatalf("PendingSnoozes: %v", err)
		}
		var out []bot.ReminderID
		for _, o := range os {
			if o.Tenant != "T1" || o.Kind != bot.SnoozeOccurrence {
				t.Errorf("PendingSnoozes returned %+v", o)
			}
			out = append(out, o.Reminder)
		}
		return out
	}
	if got := ids(); len(got) != 0 {
		t.Fatalf("PendingSnoozes of an empty store = %v", got)
	}
	for _, id := range []bot.ReminderID{"ps1", "ps2", "ps3", "ps4"} {
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0.Add(24*time.Hour)))
	}
	MustCreate(t, s, Reminder("ps5", "T2", bot.Personal, "U1", "C1", T0, T0.Add(24*time.Hour)))
	other := snooze("ps5", T0.Add(time.Minute))
	other.Tenant = "T2"
	must(t, "AddOccurrence(T2)", s.AddOccurrence(ctx, other))
	must(t, "AddOccurrence(ps2)", s.AddOccurrence(ctx, snooze("ps2", T0.Add(20*time.Minute))))
	must(t, "AddOccurrence(ps1)", s.AddOccurrence(ctx, snooze("ps1", T0.Add(30*time.Minute))))
	must(t, "AddOccurrence(ps1 again)", s.AddOccurrence(ctx, snooze("ps1", T0.Add(10*time.Minute))))
	must(t, "AddOccurrence(run)", s.AddOccurrence(ctx, pendingRun("ps3", T0.Add(5*time.Minute))))
	delivered := snooze("ps4", T0.Add(time.Minute))
	must(t, "AddOccurrence(ps4)", s.AddOccurrence(ctx, delivered))
	if got, want := ids(), []bot.ReminderID{"ps4", "ps1", "ps2"}; !slices.Equal(got, want) {
		t.Errorf("PendingSnoozes = %v, want %v (earliest first; the replaced one of ps1 gone)", got, want)
	}
	// Claimed for a send: still to come. Delivered: gone.
	if ok, err := s.Acquire(ctx, delivered, "i1", T0.Add(2*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire(ps4) = %v, %v", ok, err)
	}
	if got := ids(); !slices.Contains(got, "ps4") {
		t.Errorf("PendingSnoozes = %v, want ps4 while its send is under way", got)
	}
	delivered.State, delivered.Owner, delivered.LeaseUntil = bot.Claimed, "i1", T0.Add(2*time.Minute)
	must(t, "Delivered(ps4)", s.Delivered(ctx, delivered, "i1", "m1", T0.Add(time.Minute)))
	if got, want := ids(), []bot.ReminderID{"ps1", "ps2"}; !slices.Equal(got, want) {
		t.Errorf("PendingSnoozes after a delivery = %v, want %v", got, want)
	}
}
