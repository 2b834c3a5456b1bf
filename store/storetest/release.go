package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// testRelease checks that a stopping instance hands back the runs it
// claimed ahead: a run still held as claimed is due again at its time,
// claimable by anyone, and nothing else is touched.
func testRelease(t *testing.T, s store.Store) {
	rel, ok := s.(schedule.Releaser)
	if !ok {
		t.Skip("store cannot release claims")
	}
	ctx := t.Context()
	next := T0.Add(time.Hour)
	// Each reminder is due at T0 and its run claimed by i1, as a batch.
	var cs []schedule.Claim
	for _, id := range []bot.ReminderID{"rl", "rl1", "rlo", "rld", "rlr", "rlc", "rlx", "rlp"} {
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
		c := claim(id, T0, next, "i1")
		if id == "rl1" {
			c.Next = time.Time{} // a one-shot: its claim finishes it
		}
		cs = append(cs, c)
	}
	won, err := s.ClaimBatch(ctx, cs)
	must(t, "ClaimBatch", err)
	for i, w := range won {
		if !w.Won {
			t.Fatalf("claim of %s lost", cs[i].Reminder)
		}
	}
	held := func(id bot.ReminderID) bot.Occurrence {
		t.Helper()
		o, open := findOcc(t, s, id)
		if !open {
			t.Fatalf("run of %s not open", id)
		}
		return o
	}
	// Someone else's claim is not handed back.
	cs[2].Owner = "i2"
	// A delivered run stays delivered.
	must(t, "Delivered", s.Delivered(ctx, held("rld"), "i1", "m1", T0))
	// A retried one stays with its holder, as does one acquired again.
	must(t, "Retry", s.Retry(ctx, held("rlr"), "i1", T0.Add(2*time.Minute), "slack: 503"))
	// A reminder changed after the claim keeps the run claimed, due at its
	// time, and the change.
	must(t, "AdvanceReminder", s.AdvanceReminder(ctx, "rlc", next, T0.Add(2*time.Hour)))
	// A cancelled one has nothing left to release.
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "rlx"))
	// A paused one is due again at its time, still paused: the pause then
	// applies to the run as to any.
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "rlp", true, time.Time{}))

	got, err := rel.Release(ctx, cs)
	must(t, "Release", err)
	want := []bool{true, true, false, false, false, true, false, true}
	if !slices.Equal(got, want) {
		t.Errorf("Release = %v, want %v (rl, rl1, rlo, rld, rlr, rlc, rlx, rlp)", got, want)
	}
	for _, tt := range []struct {
		id   bot.ReminderID
		next time.Time
		open bool
	}{
		{"rl", T0, false},
		{"rl1", T0, false},
		{"rlo", next, true},
		{"rld", next, false},
		{"rlr", next, true},
		{"rlc", T0.Add(2 * time.Hour), true},
		{"rlp", T0, false},
	} {
		r := mustReminder(t, s, tt.id)
		if !r.NextRun.Equal(tt.next) {
			t.Errorf("%s NextRun = %v, want %v", tt.id, r.NextRun.Sub(T0), tt.next.Sub(T0))
		}
		if _, open := findOcc(t, s, tt.id); open != tt.open {
			t.Errorf("%s run open = %v, want %v", tt.id, open, tt.open)
		}
	}
	if o := held("rlo"); o.Owner != "i1" || !o.LeaseUntil.Equal(T0.Add(time.Minute)) {
		t.Errorf("someone else's claim changed: %+v", o)
	}
	if o := held("rlr"); !o.LeaseUntil.Equal(T0.Add(2*time.Minute)) || o.Attempts != 1 {
		t.Errorf("retried run changed: %+v", o)
	}
	if o := held("rlc"); o.Owner != "i1" || !o.LeaseUntil.Equal(T0) || o.State != bot.Claimed || o.Unsure {
		t.Errorf("run of a changed reminder = %+v, want claimed by i1 until its time, not posted", o)
	}
	if !mustReminder(t, s, "rlp").Paused {
		t.Error("released reminder no longer paused")
	}
	if r := mustReminder(t, s, "rld"); !r.LastRun.Equal(T0) || r.LastMessage != "m1" {
		t.Errorf("rld after Release: LastRun %v, LastMessage %q", r.LastRun.Sub(T0), r.LastMessage)
	}

	// Handed back, the run is due again and another instance claims and
	// delivers it, once; its delivery shows on the reminder.
	due, err := s.DueReminders(ctx, T0, 100)
	must(t, "DueReminders", err)
	if ids := ids(due); !slices.Contains(ids, "rl") || !slices.Contains(ids, "rl1") {
		t.Errorf("DueReminders(T0) = %v, want rl and rl1 among them", ids)
	}
	mustClaim(t, s, claim("rl", T0, next, "i2"))
	if ok, err := s.Claim(ctx, claim("rl", T0, next, "i3")); err != nil || ok {
		t.Errorf("second claim after release = %v, %v; want false", ok, err)
	}
	must(t, "Delivered", s.Delivered(ctx, held("rl"), "i2", "m2", T0))
	if r := mustReminder(t, s, "rl"); !r.LastRun.Equal(T0) || r.LastMessage != "m2" || !r.NextRun.Equal(next) {
		t.Errorf("rl after its release, claim and delivery: LastRun %v, LastMessage %q, NextRun %v",
			r.LastRun.Sub(T0), r.LastMessage, r.NextRun.Sub(T0))
	}
	// Released again, a delivered run stays as it is.
	if got, err := rel.Release(ctx, []schedule.Claim{claim("rl", T0, next, "i2")}); err != nil || got[0] {
		t.Errorf("Release(delivered) = %v, %v; want false", got, err)
	}
	if got, err := rel.Release(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Release(nil) = %v, %v", got, err)
	}
}
