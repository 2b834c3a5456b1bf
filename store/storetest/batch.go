package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// testClaimBatch checks that every claim of a batch wins or loses on its
// own, exactly as Claim would, and that a winner comes back as the claim
// left it.
func testClaimBatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	next := T0.Add(24 * time.Hour)
	for _, id := range []bot.ReminderID{"b1", "b2", "bp", "bs", "bx", "bf", "bd"} {
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
	}
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "bp", true, time.Time{}))
	// bx's run at T0 was claimed, then the user skipped back to it.
	mustClaim(t, s, claim("bx", T0, next, "i1"))
	must(t, "AdvanceReminder", s.AdvanceReminder(ctx, "bx", next, T0))
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "bd"))

	cs := []schedule.Claim{
		claim("b2", T0, next, "i2"),
		claim("bp", T0, next, "i2"),                   // paused
		claim("bs", T0.Add(-time.Minute), next, "i2"), // stale NextRun
		claim("bx", T0, next, "i2"),                   // run already claimed
		claim("b1", T0, time.Time{}, "i2"),            // finishing
		claim("bd", T0, next, "i2"),                   // deleted
		claim("bf", time.Time{}, next, "i2"),          // nothing to claim
		claim("b2", T0, next, "i2"),                   // the same run twice in one batch
	}
	got, err := s.ClaimBatch(ctx, cs)
	must(t, "ClaimBatch", err)
	if len(got) != len(cs) {
		t.Fatalf("ClaimBatch returned %d results for %d claims", len(got), len(cs))
	}
	for i, want := range []bool{true, false, false, false, true, false, false, false} {
		if got[i].Won != want {
			t.Errorf("claim %d (%s): won = %v, want %v", i, cs[i].Reminder, got[i].Won, want)
		}
	}
	if r := got[0].Reminder; r.ID != "b2" || !r.NextRun.Equal(next) || r.Owner != "U1" || r.Tenant != "T1" {
		t.Errorf("won claim's reminder = %+v, want b2 with NextRun %v", r, next)
	}
	if r := got[4].Reminder; r.ID != "b1" || !r.Finished() {
		t.Errorf("finishing claim's reminder = %+v, want b1 finished", r)
	}
	for id, want := range map[bot.ReminderID]time.Time{"b1": {}, "b2": next, "bp": T0, "bs": T0, "bx": T0, "bf": T0} {
		if r := mustReminder(t, s, id); !r.NextRun.Equal(want) {
			t.Errorf("%s: NextRun = %v, want %v", id, r.NextRun, want)
		}
	}
	owners := map[bot.ReminderID]string{}
	for _, o := range MustOpen(t, s, T0.Add(time.Hour)) {
		owners[o.Reminder] = o.Owner
	}
	for id, want := range map[bot.ReminderID]string{"b1": "i2", "b2": "i2", "bx": "i1", "bp": "", "bs": "", "bf": ""} {
		if owners[id] != want {
			t.Errorf("%s: occurrence owner = %q, want %q", id, owners[id], want)
		}
	}
	// An empty batch is no error.
	if got, err := s.ClaimBatch(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("ClaimBatch(nil) = %v, %v", got, err)
	}
}

// testClaimBatchInto checks, for a store that can write a batch's outcomes
// into the caller's slice, that every element is overwritten (the engine
// hands it the slice of an earlier batch, winners and all), that the
// outcomes are ClaimBatch's, and that a slice of the wrong length is
// refused before anything is claimed.
func testClaimBatchInto(t *testing.T, s store.Store) {
	into, ok := s.(schedule.ClaimerInto)
	if !ok {
		t.Skip("the store writes no outcomes into the caller's slice")
	}
	ctx := t.Context()
	next := T0.Add(24 * time.Hour)
	for _, id := range []bot.ReminderID{"ci1", "ci2", "cip"} {
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
	}
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "cip", true, time.Time{}))
	cs := []schedule.Claim{claim("ci1", T0, next, "i1"), claim("cip", T0, next, "i1"), claim("ci2", T0, next, "i1")}
	if err := into.ClaimBatchInto(ctx, cs, make([]schedule.Claimed, 2)); err == nil {
		t.Fatal("ClaimBatchInto with 2 outcomes for 3 claims: no error")
	}
	if r := mustReminder(t, s, "ci1"); !r.NextRun.Equal(T0) {
		t.Fatalf("a refused batch claimed ci1: NextRun = %v, want %v", r.NextRun, T0)
	}
	stale := schedule.Claimed{Won: true, Reminder: bot.Reminder{ID: "old", Note: "from an earlier batch"}}
	out := []schedule.Claimed{stale, stale, stale}
	must(t, "ClaimBatchInto", into.ClaimBatchInto(ctx, cs, out))
	for i, want := range []bot.ReminderID{"ci1", "", "ci2"} {
		if got := out[i]; got.Won != (want != "") || got.Reminder.ID != want || got.Reminder.Note == stale.Reminder.Note {
			t.Errorf("outcome %d = won %v, reminder %q (note %q), want won %v, reminder %q", i, got.Won, got.Reminder.ID,
				got.Reminder.Note, want != "", want)
		}
	}
	if r := out[2].Reminder; !r.NextRun.Equal(next) || r.Tenant != "T1" {
		t.Errorf("won claim's reminder = %+v, want ci2 with NextRun %v", r, next)
	}
	if err := into.ClaimBatchInto(ctx, nil, nil); err != nil {
		t.Errorf("ClaimBatchInto of no claims = %v", err)
	}
}

// testDeliveredBatch checks that a batch records each delivery still held
// by its owner and reports a conflict for each one lost, alone.
func testDeliveredBatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := claimed(t, s, "db1", "i1")
	b := claimed(t, s, "db2", "i1")
	lost := claimed(t, s, "db3", "i1")
	if ok, err := s.Acquire(ctx, lost, "i2", T0.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	at := T0.Add(2 * time.Second)
	a.Routine = "cat-cow:60"
	errs, err := s.DeliveredBatch(ctx, []schedule.Delivery{
		{Occurrence: a, Owner: "i1", MessageID: "m1", At: at},
		{Occurrence: lost, Owner: "i1", MessageID: "m3", At: at},
		{Occurrence: b, Owner: "i9", MessageID: "m2", At: at}, // never held it
		{Occurrence: b, Owner: "i1", MessageID: "m2", At: at},
	})
	must(t, "DeliveredBatch", err)
	if len(errs) != 4 {
		t.Fatalf("DeliveredBatch returned %d errors for 4 deliveries", len(errs))
	}
	must(t, "delivery 0", errs[0])
	wantErr(t, "delivery 1 (lost lease)", errs[1], bot.ErrConflict)
	wantErr(t, "delivery 2 (not owner)", errs[2], bot.ErrConflict)
	must(t, "delivery 3", errs[3])
	for id, msg := range map[bot.ReminderID]string{"db1": "m1", "db2": "m2", "db3": ""} {
		r := mustReminder(t, s, id)
		if r.LastMessage != msg {
			t.Errorf("%s: LastMessage = %q, want %q", id, r.LastMessage, msg)
		}
	}
	if r := mustReminder(t, s, "db1"); r.LastRoutine != "cat-cow:60" || !r.LastRun.Equal(a.At) {
		t.Errorf("db1: LastRun, LastRoutine = %v, %q", r.LastRun, r.LastRoutine)
	}
	open := map[bot.ReminderID]bool{}
	for _, o := range MustOpen(t, s, T0.Add(1000*time.Hour)) {
		open[o.Reminder] = true
	}
	if open["db1"] || open["db2"] || !open["db3"] {
		t.Errorf("open after the batch: %v; want only db3", open)
	}
	// Recorded twice: the second is a conflict, not a second record.
	errs, err = s.DeliveredBatch(ctx, []schedule.Delivery{{Occurrence: a, Owner: "i1", MessageID: "m9", At: at}})
	must(t, "DeliveredBatch(again)", err)
	wantErr(t, "delivery again", errs[0], bot.ErrConflict)
	if r := mustReminder(t, s, "db1"); r.LastMessage != "m1" {
		t.Errorf("db1: LastMessage = %q after a repeated record, want m1", r.LastMessage)
	}
}

// testClaimBatchMixed checks a batch larger than a store may write in one
// statement, whose claims differ in every field (run, next run, lease,
// lateness) and whose losers sit between winners: each winner's
// occurrence carries its own claim's values, and each loser changes
// nothing.
func testClaimBatchMixed(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 300
	var cs []schedule.Claim
	lost := map[int]bool{}
	for i := range n {
		id := bot.ReminderID(fmt.Sprintf("mx%03d", i))
		due := T0.Add(time.Duration(i%7) * time.Second)
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, due))
		c := schedule.Claim{Reminder: id, Expect: due, At: due, Next: due.Add(time.Duration(1+i%3) * time.Minute),
			Owner: "i1", LeaseUntil: due.Add(time.Duration(1+i%5) * time.Minute), Late: i%2 == 0}
		switch i % 50 {
		case 13: // stale NextRun
			c.Expect = due.Add(-time.Second)
			lost[i] = true
		case 37: // paused
			must(t, "SetPaused", s.SetPaused(ctx, "T1", id, true, time.Time{}))
			lost[i] = true
		}
		cs = append(cs, c)
	}
	got, err := s.ClaimBatch(ctx, cs)
	must(t, "ClaimBatch", err)
	if len(got) != n {
		t.Fatalf("ClaimBatch returned %d results for %d claims", len(got), n)
	}
	occs, err := s.OpenOccurrences(ctx, T0.Add(time.Hour), 2*n)
	must(t, "OpenOccurrences", err)
	open := map[bot.ReminderID]bot.Occurrence{}
	for _, o := range occs {
		open[o.Reminder] = o
	}
	for i, c := range cs {
		o, isOpen := open[c.Reminder]
		r := mustReminder(t, s, c.Reminder)
		if lost[i] {
			if got[i].Won || isOpen || !r.NextRun.Equal(T0.Add(time.Duration(i%7)*time.Second)) {
				t.Errorf("lost claim %d: won %v, occurrence %v, NextRun %v", i, got[i].Won, isOpen, r.NextRun)
			}
			continue
		}
		if !got[i].Won || got[i].Reminder.ID != c.Reminder || !got[i].Reminder.NextRun.Equal(c.Next) || !r.NextRun.Equal(c.Next) {
			t.Errorf("claim %d: won %v, reminder %s NextRun %v, stored %v; want %v", i, got[i].Won,
				got[i].Reminder.ID, got[i].Reminder.NextRun, r.NextRun, c.Next)
			continue
		}
		want := bot.Occurrence{Reminder: c.Reminder, Tenant: "T1", At: c.At, Kind: bot.RunOccurrence, State: bot.Claimed,
			Owner: "i1", LeaseUntil: c.LeaseUntil, Attempts: 1, Late: c.Late, Unsure: true}
		if d := diff(o, want); d != "" {
			t.Errorf("claim %d occurrence:\n%s", i, d)
		}
	}
}
