package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// batchClaimed creates reminder id due at T0, claims its run for owner
// with ClaimBatch, as the engine does, and returns the occurrence as
// OpenOccurrences reports it once its lease has ended.
func batchClaimed(t *testing.T, s store.Store, id bot.ReminderID, owner string) bot.Occurrence {
	t.Helper()
	MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
	claimOne(t, s, true, claim(id, T0, T0.Add(time.Hour), owner))
	o, ok := findOcc(t, s, id)
	if !ok {
		t.Fatalf("batch-claimed occurrence of %s not open", id)
	}
	return o
}

func recordBatch(s store.Store, o bot.Occurrence, owner, msg string) error {
	errs, err := s.DeliveredBatch(context.Background(), []schedule.Delivery{{Occurrence: o, Owner: owner, MessageID: msg, At: T0}})
	if err != nil {
		return err
	}
	return errs[0]
}

// testBatchClaimDies: a run claimed in a batch whose claimer dies before
// recording it is open to takeover once its lease ends; the taker records
// it, and the dead claimer's late record is refused.
func testBatchClaimDies(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := batchClaimed(t, s, "hd", "i1")
	want := bot.Occurrence{Reminder: "hd", Tenant: "T1", At: T0, Kind: bot.RunOccurrence, State: bot.Claimed,
		Owner: "i1", LeaseUntil: T0.Add(time.Minute), Attempts: 1, Unsure: true}
	if d := diff(o, want); d != "" {
		t.Fatalf("open after the claim:\n%s", d)
	}
	if got := MustOpen(t, s, T0.Add(30*time.Second)); len(got) != 0 {
		t.Errorf("OpenOccurrences before the lease ends = %v, want none", got)
	}
	ok, err := s.Acquire(ctx, o, "i2", T0.Add(3*time.Minute))
	if err != nil || !ok {
		t.Fatalf("Acquire = %v, %v; want true", ok, err)
	}
	if ok, err := s.Acquire(ctx, o, "i3", T0.Add(3*time.Minute)); err != nil || ok {
		t.Errorf("Acquire of the same claim again = %v, %v; want false", ok, err)
	}
	wantErr(t, "DeliveredBatch by the dead claimer", recordBatch(s, o, "i1", "m1"), bot.ErrConflict)
	wantErr(t, "Delivered by the dead claimer", s.Delivered(ctx, o, "i1", "m1", T0), bot.ErrConflict)
	got, _ := findOcc(t, s, "hd")
	want.Owner, want.LeaseUntil, want.Attempts = "i2", T0.Add(3*time.Minute), 2
	if d := diff(got, want); d != "" {
		t.Errorf("open after the takeover:\n%s", d)
	}
	must(t, "DeliveredBatch by the taker", recordBatch(s, got, "i2", "m2"))
	if _, open := findOcc(t, s, "hd"); open {
		t.Error("still open after the taker's record")
	}
	if r := mustReminder(t, s, "hd"); !r.LastRun.Equal(T0) || r.LastMessage != "m2" {
		t.Errorf("LastRun, LastMessage = %v, %q; want %v, m2", r.LastRun, r.LastMessage, T0)
	}
}

// testBatchClaimRecorded: a run recorded by its claimer is no longer open,
// however long after its lease (a reminder that runs seldom), and a
// takeover of the claim as it was before the record loses.
func testBatchClaimRecorded(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := batchClaimed(t, s, "hr", "i1")
	must(t, "DeliveredBatch", recordBatch(s, o, "i1", "m1"))
	for range 2 {
		if _, open := findOcc(t, s, "hr"); open {
			t.Error("open after its record")
		}
	}
	if ok, err := s.Acquire(ctx, o, "i2", T0.Add(3*time.Minute)); err != nil || ok {
		t.Errorf("Acquire after the record = %v, %v; want false", ok, err)
	}
	wantErr(t, "DeliveredBatch again", recordBatch(s, o, "i1", "m2"), bot.ErrConflict)
	if r := mustReminder(t, s, "hr"); !r.LastRun.Equal(T0) || r.LastMessage != "m1" {
		t.Errorf("LastRun, LastMessage = %v, %q; want %v, m1", r.LastRun, r.LastMessage, T0)
	}
}

// testBatchClaimRetried: a send that fails and will be retried keeps its
// claim, with the new lease and the error, and its record still works.
func testBatchClaimRetried(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := batchClaimed(t, s, "ht", "i1")
	wantErr(t, "Retry by another owner", s.Retry(ctx, o, "i2", T0.Add(5*time.Minute), "x"), bot.ErrConflict)
	must(t, "Retry", s.Retry(ctx, o, "i1", T0.Add(5*time.Minute), "boom"))
	got, ok := findOcc(t, s, "ht")
	want := bot.Occurrence{Reminder: "ht", Tenant: "T1", At: T0, Kind: bot.RunOccurrence, State: bot.Claimed,
		Owner: "i1", LeaseUntil: T0.Add(5 * time.Minute), Attempts: 1, LastError: "boom", Unsure: true}
	if d := diff(got, want); !ok || d != "" {
		t.Fatalf("open after Retry (%v):\n%s", ok, d)
	}
	must(t, "DeliveredBatch after Retry", recordBatch(s, got, "i1", "m1"))
	if _, open := findOcc(t, s, "ht"); open {
		t.Error("open after its record")
	}
	if r := mustReminder(t, s, "ht"); !r.LastRun.Equal(T0) || r.LastMessage != "m1" {
		t.Errorf("LastRun, LastMessage = %v, %q; want %v, m1", r.LastRun, r.LastMessage, T0)
	}

	// Failed for good: closed, and the reminder paused.
	o = batchClaimed(t, s, "hf", "i1")
	must(t, "Fail", s.Fail(ctx, o, "i1", "gone"))
	if _, open := findOcc(t, s, "hf"); open {
		t.Error("open after Fail")
	}
	if r := mustReminder(t, s, "hf"); !r.Paused {
		t.Error("not paused after Fail")
	}
}

// testBatchClaimPaused: a run claimed in a batch whose reminder is paused
// before a takeover is closed, not taken over.
func testBatchClaimPaused(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := batchClaimed(t, s, "hp", "i1")
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "hp", true, time.Time{}))
	if ok, err := s.Acquire(ctx, o, "i2", T0.Add(3*time.Minute)); err != nil || ok {
		t.Errorf("Acquire of a paused reminder's run = %v, %v; want false", ok, err)
	}
	if _, open := findOcc(t, s, "hp"); open {
		t.Error("open after a takeover its pause refused")
	}
}

// testBatchClaimReleased: a run claimed in a batch and handed back is
// claimed again, once; claimed again after its reminder moved back to it,
// it loses.
func testBatchClaimReleased(t *testing.T, s store.Store) {
	ctx := context.Background()
	rel, ok := s.(schedule.Releaser)
	if !ok {
		t.Skip("store does not release")
	}
	next := T0.Add(time.Hour)
	batchClaimed(t, s, "hl", "i1")
	got, err := rel.Release(ctx, []schedule.Claim{claim("hl", T0, next, "i1")})
	if err != nil || !got[0] {
		t.Fatalf("Release = %v, %v; want true", got, err)
	}
	if r := mustReminder(t, s, "hl"); !r.NextRun.Equal(T0) {
		t.Errorf("NextRun after Release = %v, want %v", r.NextRun, T0)
	}
	if _, open := findOcc(t, s, "hl"); open {
		t.Error("open after Release")
	}
	claimOne(t, s, true, claim("hl", T0, next, "i2"))
	o, _ := findOcc(t, s, "hl")
	if o.Owner != "i2" {
		t.Errorf("claimed again by %q, want i2", o.Owner)
	}
	// The user moves the reminder back to the run claimed: it is not
	// claimed twice.
	must(t, "AdvanceReminder", s.AdvanceReminder(ctx, "hl", next, T0))
	if got, err := s.ClaimBatch(ctx, []schedule.Claim{claim("hl", T0, next, "i3")}); err != nil || got[0].Won {
		t.Errorf("ClaimBatch of a run claimed before = %+v, %v; want lost", got, err)
	}
	must(t, "DeliveredBatch", recordBatch(s, o, "i2", "m1"))
}
