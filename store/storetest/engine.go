package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// claim is the claim of the run at expect, moving NextRun to next, leased
// for a minute.
func claim(id bot.ReminderID, expect, next time.Time, owner string) schedule.Claim {
	return schedule.Claim{Reminder: id, Expect: expect, At: expect, Next: next, Owner: owner, LeaseUntil: expect.Add(time.Minute)}
}

// claimed creates reminder id due at T0, claims its run for owner and
// returns the occurrence as OpenOccurrences reports it.
func claimed(t *testing.T, s store.Store, id bot.ReminderID, owner string) bot.Occurrence {
	t.Helper()
	MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
	mustClaim(t, s, claim(id, T0, T0.Add(time.Hour), owner))
	for _, o := range MustOpen(t, s, T0.Add(time.Hour)) {
		if o.Reminder == id {
			return o
		}
	}
	t.Fatalf("claimed occurrence of %s not open", id)
	return bot.Occurrence{}
}

func findOcc(t *testing.T, s store.Store, id bot.ReminderID) (bot.Occurrence, bool) {
	t.Helper()
	for _, o := range MustOpen(t, s, T0.Add(1000*time.Hour)) {
		if o.Reminder == id {
			return o, true
		}
	}
	return bot.Occurrence{}, false
}

func testDueReminders(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, r := range []bot.Reminder{
		Reminder("d3", "T1", bot.Personal, "U1", "C1", T0, T0.Add(3*time.Minute)),
		Reminder("d1", "T1", bot.Personal, "U1", "C1", T0, T0.Add(1*time.Minute)),
		Reminder("d2", "T2", bot.ChannelSchedule, "U1", "C1", T0, T0.Add(2*time.Minute)),
		Reminder("d2b", "T1", bot.Personal, "U2", "C2", T0, T0.Add(2*time.Minute)),
		Reminder("late", "T1", bot.Personal, "U1", "C1", T0, T0.Add(time.Hour)),
		Reminder("fin", "T1", bot.Personal, "U1", "C1", T0, time.Time{}),
		Reminder("pz", "T1", bot.Personal, "U1", "C1", T0, T0),
	} {
		if r.ID == "late" {
			r.PausedUntil = T0.Add(30 * time.Minute) // paused until: still listed
		}
		MustCreate(t, s, r)
	}
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "pz", true, time.Time{}))
	for _, tt := range []struct {
		until time.Time
		limit int
		want  []bot.ReminderID
	}{
		{T0.Add(3 * time.Minute), 100, []bot.ReminderID{"d1", "d2", "d2b", "d3"}},
		{T0.Add(3 * time.Minute), 2, []bot.ReminderID{"d1", "d2"}},
		{T0.Add(3*time.Minute - 1), 100, []bot.ReminderID{"d1", "d2", "d2b"}},
		{T0, 100, []bot.ReminderID{}},
		{T0.Add(24 * time.Hour), 100, []bot.ReminderID{"d1", "d2", "d2b", "d3", "late"}},
	} {
		rs, err := s.DueReminders(ctx, tt.until, tt.limit)
		must(t, "DueReminders", err)
		if got := ids(rs); !slices.Equal(got, tt.want) {
			t.Errorf("DueReminders(%v, %d) = %v, want %v", tt.until.Sub(T0), tt.limit, got, tt.want)
		}
		// A store that lists compact runs lists the same rows.
		if l, ok := s.(schedule.RunLister); ok {
			stale := make([]schedule.DueRun, 3, 8) // a reused buffer: overwritten, not appended to
			runs, err := l.DueRuns(ctx, tt.until, tt.limit, stale)
			must(t, "DueRuns", err)
			want := make([]schedule.DueRun, len(rs))
			for i, r := range rs {
				want[i] = schedule.DueRun{Reminder: r.ID, Tenant: r.Tenant, Platform: r.Platform, Kind: r.Kind,
					Owner: r.Owner, Channel: r.Channel, Rule: r.Rule, Zone: r.Zone,
					NextRun: r.NextRun, PausedUntil: r.PausedUntil}
				if i < len(runs) {
					want[i].Ref = runs[i].Ref // the store's own (testRunRefs)
				}
			}
			if len(runs) != len(want) {
				t.Errorf("DueRuns(%v, %d) returned %d runs, want %d", tt.until.Sub(T0), tt.limit, len(runs), len(want))
			} else {
				for i := range want {
					if d := diff(runs[i], want[i]); d != "" {
						t.Errorf("DueRuns(%v, %d)[%d]:\n%s", tt.until.Sub(T0), tt.limit, i, d)
					}
				}
			}
		}
	}
	// A store that counts the runs at an instant counts these same rows.
	if c, ok := s.(schedule.DueCounter); ok {
		for _, tt := range []struct {
			at          time.Time
			limit, want int
		}{
			{T0.Add(2 * time.Minute), 10, 2},
			{T0.Add(2 * time.Minute), 1, 1},
			{T0.Add(time.Minute), 10, 1},
			{T0, 10, 0}, // paused
			{T0.Add(90 * time.Second), 10, 0},
		} {
			n, err := c.CountDueAt(ctx, tt.at, tt.limit)
			must(t, "CountDueAt", err)
			if n != tt.want {
				t.Errorf("CountDueAt(%v, %d) = %d, want %d", tt.at.Sub(T0), tt.limit, n, tt.want)
			}
		}
	}
	// Full rows come back, not just ids.
	rs, _ := s.DueReminders(ctx, T0.Add(time.Minute), 1)
	if len(rs) == 1 {
		if d := diff(rs[0], Reminder("d1", "T1", bot.Personal, "U1", "C1", T0, T0.Add(1*time.Minute))); d != "" {
			t.Errorf("DueReminders row:\n%s", d)
		}
	}
}

// testRunRefs checks, for a store that lists compact runs, that a claim
// made with a run's Ref is the claim made without it, whatever the Ref:
// its own, another reminder's, one out of range, or that of a deleted
// reminder whose place another took.
func testRunRefs(t *testing.T, s store.Store) {
	l, ok := s.(schedule.RunLister)
	if !ok {
		t.Skip("the store lists no compact runs")
	}
	ctx := t.Context()
	for _, id := range []bot.ReminderID{"ra", "rb", "rc", "rp", "rd"} {
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
	}
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "rp", true, time.Time{}))
	runs, err := l.DueRuns(ctx, T0, 10, nil)
	must(t, "DueRuns", err)
	ref := map[bot.ReminderID]uint64{}
	for _, r := range runs {
		ref[r.Reminder] = r.Ref
	}
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "ra", true, time.Time{}))
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "rd"))
	MustCreate(t, s, Reminder("re", "T1", bot.Personal, "U1", "C1", T0, T0)) // may take rd's place
	withRef := func(id bot.ReminderID, expect time.Time, r uint64) schedule.Claim {
		c := claim(id, expect, T0.Add(time.Hour), "o")
		c.Ref = r
		return c
	}
	for _, tt := range []struct {
		name string
		c    schedule.Claim
		want bool
	}{
		{"paused since listed", withRef("ra", T0, ref["ra"]), false},
		{"paused before", withRef("rp", T0, ref["rp"]), false},
		{"deleted", withRef("rd", T0, ref["rd"]), false},
		{"stale expect", withRef("rb", T0.Add(time.Second), ref["rb"]), false},
		{"own ref", withRef("rb", T0, ref["rb"]), true},
		{"claimed already", withRef("rb", T0, ref["rb"]), false},
		{"another's ref", withRef("rc", T0, ref["rb"]), true},
		{"a deleted one's ref", withRef("re", T0, ref["rd"]), true},
		{"out of range", withRef("rb", T0.Add(time.Hour), 1<<40), true},
	} {
		ok, err := s.Claim(ctx, tt.c)
		must(t, "Claim("+tt.name+")", err)
		if ok != tt.want {
			t.Errorf("Claim(%s) = %v, want %v", tt.name, ok, tt.want)
		}
	}
	if _, ok := findOcc(t, s, "re"); !ok {
		t.Error("the claim of re made no occurrence")
	}
}

func testClaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	next := T0.Add(24 * time.Hour)
	t.Run("success", func(t *testing.T) {
		MustCreate(t, s, Reminder("c1", "T1", bot.Personal, "U1", "C1", T0, T0))
		c := schedule.Claim{Reminder: "c1", Expect: T0, At: T0.Add(-time.Hour), Next: next, Owner: "i1", LeaseUntil: T0.Add(time.Minute), Late: true}
		mustClaim(t, s, c)
		if r := mustReminder(t, s, "c1"); !r.NextRun.Equal(next) {
			t.Errorf("NextRun = %v, want %v", r.NextRun, next)
		}
		o, _ := findOcc(t, s, "c1")
		want := bot.Occurrence{Reminder: "c1", Tenant: "T1", At: T0.Add(-time.Hour), Kind: bot.RunOccurrence, State: bot.Claimed,
			Owner: "i1", LeaseUntil: T0.Add(time.Minute), Attempts: 1, Late: true, Unsure: true}
		if d := diff(o, want); d != "" {
			t.Errorf("claimed occurrence:\n%s", d)
		}
		// The same claim again lost: NextRun moved on.
		ok, err := s.Claim(ctx, c)
		if err != nil || ok {
			t.Errorf("second Claim = %v, %v; want false", ok, err)
		}
	})
	t.Run("paused", func(t *testing.T) {
		MustCreate(t, s, Reminder("c2", "T1", bot.Personal, "U1", "C1", T0, T0))
		must(t, "SetPaused", s.SetPaused(ctx, "T1", "c2", true, time.Time{}))
		ok, err := s.Claim(ctx, claim("c2", T0, next, "i1"))
		if err != nil || ok {
			t.Errorf("Claim(paused) = %v, %v; want false", ok, err)
		}
		if r := mustReminder(t, s, "c2"); !r.NextRun.Equal(T0) {
			t.Errorf("NextRun = %v, want unchanged", r.NextRun)
		}
		if _, found := findOcc(t, s, "c2"); found {
			t.Error("occurrence created for paused reminder")
		}
	})
	t.Run("deleted", func(t *testing.T) {
		MustCreate(t, s, Reminder("c3", "T1", bot.Personal, "U1", "C1", T0, T0))
		must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "c3"))
		ok, err := s.Claim(ctx, claim("c3", T0, next, "i1"))
		if err != nil || ok {
			t.Errorf("Claim(deleted) = %v, %v; want false", ok, err)
		}
	})
	t.Run("stale expect", func(t *testing.T) {
		MustCreate(t, s, Reminder("c4", "T1", bot.Personal, "U1", "C1", T0, T0))
		ok, err := s.Claim(ctx, claim("c4", T0.Add(-time.Minute), next, "i1"))
		if err != nil || ok {
			t.Errorf("Claim(stale) = %v, %v; want false", ok, err)
		}
	})
	t.Run("finished", func(t *testing.T) {
		MustCreate(t, s, Reminder("c5", "T1", bot.Personal, "U1", "C1", T0, time.Time{}))
		ok, err := s.Claim(ctx, claim("c5", time.Time{}, next, "i1"))
		if err != nil || ok {
			t.Errorf("Claim(finished) = %v, %v; want false", ok, err)
		}
		if r := mustReminder(t, s, "c5"); !r.Finished() {
			t.Errorf("finished reminder revived: NextRun = %v", r.NextRun)
		}
	})
	t.Run("occurrence exists", func(t *testing.T) {
		// The user skipped back: NextRun is T0 again, but its run was
		// already claimed, so nothing may change.
		MustCreate(t, s, Reminder("c6", "T1", bot.Personal, "U1", "C1", T0, T0))
		mustClaim(t, s, claim("c6", T0, next, "i1"))
		must(t, "AdvanceReminder", s.AdvanceReminder(ctx, "c6", next, T0))
		ok, err := s.Claim(ctx, claim("c6", T0, next.Add(time.Hour), "i2"))
		if err != nil || ok {
			t.Errorf("Claim(existing occurrence) = %v, %v; want false", ok, err)
		}
		if r := mustReminder(t, s, "c6"); !r.NextRun.Equal(T0) {
			t.Errorf("NextRun = %v, want unchanged %v", r.NextRun, T0)
		}
		if o, _ := findOcc(t, s, "c6"); o.Owner != "i1" {
			t.Errorf("occurrence owner = %q, want i1", o.Owner)
		}
	})
	t.Run("finishing claim", func(t *testing.T) {
		MustCreate(t, s, Reminder("c7", "T1", bot.Personal, "U1", "C1", T0, T0))
		mustClaim(t, s, claim("c7", T0, time.Time{}, "i1"))
		if r := mustReminder(t, s, "c7"); !r.Finished() {
			t.Errorf("NextRun = %v, want finished", r.NextRun)
		}
	})
}

func testAcquire(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "q", "i1")
	lease := T0.Add(5 * time.Minute)

	for _, tt := range []struct {
		name   string
		change func(*bot.Occurrence)
	}{
		{"state changed", func(o *bot.Occurrence) { o.State = bot.Pending }},
		{"owner changed", func(o *bot.Occurrence) { o.Owner = "i9" }},
		{"lease later", func(o *bot.Occurrence) { o.LeaseUntil = o.LeaseUntil.Add(time.Nanosecond) }},
		{"lease earlier", func(o *bot.Occurrence) { o.LeaseUntil = o.LeaseUntil.Add(-time.Nanosecond) }},
	} {
		stale := o
		tt.change(&stale)
		ok, err := s.Acquire(ctx, stale, "i2", lease)
		if err != nil || ok {
			t.Errorf("Acquire(%s) = %v, %v; want false", tt.name, ok, err)
		}
	}

	// Expired lease: another instance takes over.
	ok, err := s.Acquire(ctx, o, "i2", lease)
	if err != nil || !ok {
		t.Fatalf("Acquire = %v, %v; want true", ok, err)
	}
	got, _ := findOcc(t, s, "q")
	want := o
	want.Owner, want.LeaseUntil, want.Attempts = "i2", lease, 2
	if d := diff(got, want); d != "" {
		t.Errorf("after Acquire:\n%s", d)
	}
	// The loser of the race sees its CAS fail.
	ok, err = s.Acquire(ctx, o, "i3", lease)
	if err != nil || ok {
		t.Errorf("second Acquire = %v, %v; want false", ok, err)
	}

	// Pending (snoozed) occurrences are acquired the same way.
	p := snooze("q", T0.Add(10*time.Minute))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, p))
	ok, err = s.Acquire(ctx, p, "i1", lease)
	if err != nil || !ok {
		t.Fatalf("Acquire(pending) = %v, %v; want true", ok, err)
	}
	for _, x := range MustOpen(t, s, T0.Add(time.Hour)) {
		if x.Kind == bot.SnoozeOccurrence && (x.State != bot.Claimed || x.Owner != "i1" || x.Attempts != 1) {
			t.Errorf("acquired snooze = %+v", x)
		}
	}

	// Closed occurrences cannot be acquired.
	must(t, "Delivered", s.Delivered(ctx, got, "i2", "m1", T0))
	got.State = bot.Delivered
	if ok, err := s.Acquire(ctx, got, "i3", lease); err != nil || ok {
		t.Errorf("Acquire(delivered) = %v, %v; want false", ok, err)
	}
}

func testDelivered(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "dv", "i1")
	wantErr(t, "Delivered(not owner)", s.Delivered(ctx, o, "i2", "m1", T0), bot.ErrConflict)

	at := T0.Add(3 * time.Second)
	must(t, "Delivered", s.Delivered(ctx, o, "i1", "m1", at))
	if _, open := findOcc(t, s, "dv"); open {
		t.Error("delivered occurrence still open")
	}
	r := mustReminder(t, s, "dv")
	if !r.LastRun.Equal(o.At) || r.LastMessage != "m1" {
		t.Errorf("LastRun, LastMessage = %v, %q; want %v, m1", r.LastRun, r.LastMessage, o.At)
	}
	// Delivered twice: the owner no longer holds a claim.
	wantErr(t, "Delivered(again)", s.Delivered(ctx, o, "i1", "m2", at), bot.ErrConflict)

	// An older occurrence (a snooze of an earlier run) delivered later does
	// not move LastRun back.
	old := snooze("dv", T0.Add(-time.Hour))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, old))
	if ok, err := s.Acquire(ctx, old, "i1", T0.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	must(t, "Delivered(old)", s.Delivered(ctx, old, "i1", "m0", at))
	r = mustReminder(t, s, "dv")
	if !r.LastRun.Equal(o.At) || r.LastMessage != "m1" {
		t.Errorf("after older delivery LastRun, LastMessage = %v, %q; want %v, m1", r.LastRun, r.LastMessage, o.At)
	}

	// Lost lease: someone else acquired it.
	o2 := claimed(t, s, "dv2", "i1")
	if ok, err := s.Acquire(ctx, o2, "i2", T0.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	wantErr(t, "Delivered(lost lease)", s.Delivered(ctx, o2, "i1", "m1", at), bot.ErrConflict)
	if r := mustReminder(t, s, "dv2"); !r.LastRun.IsZero() {
		t.Errorf("LastRun = %v after conflicting delivery, want zero", r.LastRun)
	}
}

func testRetry(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "rt", "i1")
	wantErr(t, "Retry(not owner)", s.Retry(ctx, o, "i2", T0.Add(time.Hour), "x"), bot.ErrConflict)
	must(t, "Retry", s.Retry(ctx, o, "i1", T0.Add(2*time.Minute), "slack: 503"))
	got, _ := findOcc(t, s, "rt")
	want := o
	want.LeaseUntil, want.LastError = T0.Add(2*time.Minute), "slack: 503"
	if d := diff(got, want); d != "" {
		t.Errorf("after Retry:\n%s", d)
	}
	// Not due before the retry time.
	for _, x := range MustOpen(t, s, T0.Add(2*time.Minute-1)) {
		if x.Reminder == "rt" {
			t.Error("occurrence open before its retry time")
		}
	}
	// Another instance picks it up after the retry time.
	if ok, err := s.Acquire(ctx, got, "i2", T0.Add(5*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire after Retry = %v, %v", ok, err)
	}
	wantErr(t, "Retry(lost lease)", s.Retry(ctx, got, "i1", T0.Add(time.Hour), "x"), bot.ErrConflict)
}

// testUnsure: whether an occurrence's latest attempt may have reached the
// platform goes with it to whichever instance takes it over.
func testUnsure(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "us", "i1")
	if !o.Unsure {
		t.Error("claimed run not unsure: a holder that dies after posting leaves no word")
	}
	// The platform answered with a refusal: nothing to look for.
	o.Unsure = false
	must(t, "Retry(sure)", s.Retry(ctx, o, "i1", T0.Add(2*time.Minute), "slack: 503"))
	got, _ := findOcc(t, s, "us")
	if got.Unsure {
		t.Error("unsure after a retry the platform answered")
	}
	if ok, err := s.Acquire(ctx, got, "i2", T0.Add(5*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	got, _ = findOcc(t, s, "us")
	if !got.Unsure || got.Attempts != 2 {
		t.Errorf("taken over: Unsure, Attempts = %v, %d; want true, 2", got.Unsure, got.Attempts)
	}
	// The answer was lost: it stays unsure for whoever tries next.
	must(t, "Retry(sure)", s.Retry(ctx, got, "i2", T0.Add(6*time.Minute), "slack: x"))
	got.Unsure = false
	must(t, "Retry(sure)", s.Retry(ctx, got, "i2", T0.Add(6*time.Minute), "slack: 503"))
	got.Unsure = true
	must(t, "Retry(unsure)", s.Retry(ctx, got, "i2", T0.Add(7*time.Minute), "slack: deadline"))
	if got, _ = findOcc(t, s, "us"); !got.Unsure {
		t.Error("not unsure after a retry whose answer was lost")
	}

	// A snooze waiting for its time was never posted.
	MustCreate(t, s, Reminder("us2", "T1", bot.Personal, "U1", "C1", T0, T0.Add(time.Hour)))
	sn := snooze("us2", T0.Add(time.Minute))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, sn))
	got, _ = findOcc(t, s, "us2")
	if got.Unsure {
		t.Error("pending snooze unsure")
	}
	if ok, err := s.Acquire(ctx, got, "i1", T0.Add(5*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire(snooze) = %v, %v", ok, err)
	}
	if got, _ = findOcc(t, s, "us2"); !got.Unsure {
		t.Error("claimed snooze not unsure")
	}
}

func testFail(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "fl", "i1")
	wantErr(t, "Fail(not owner)", s.Fail(ctx, o, "i2", "x"), bot.ErrConflict)
	if r := mustReminder(t, s, "fl"); r.Paused {
		t.Error("reminder paused by a conflicting Fail")
	}
	must(t, "Fail", s.Fail(ctx, o, "i1", "channel archived"))
	if _, open := findOcc(t, s, "fl"); open {
		t.Error("failed occurrence still open")
	}
	if r := mustReminder(t, s, "fl"); !r.Paused {
		t.Error("reminder not paused after Fail")
	}
	rs, _ := s.DueReminders(ctx, T0.Add(1000*time.Hour), 100)
	if slices.Contains(ids(rs), "fl") {
		t.Error("failed reminder still due")
	}
	wantErr(t, "Fail(again)", s.Fail(ctx, o, "i1", "x"), bot.ErrConflict)
}

// A run given up on is closed as Skipped; unlike Fail, its reminder goes
// on to its next run.
func testAbandon(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, ok := s.(schedule.Abandoner)
	if !ok {
		t.Skip("the store cannot abandon a run")
	}
	o := claimed(t, s, "ab", "i1")
	wantErr(t, "Abandon(not owner)", a.Abandon(ctx, o, "i2", "x"), bot.ErrConflict)
	if _, open := findOcc(t, s, "ab"); !open {
		t.Fatal("occurrence closed by a conflicting Abandon")
	}
	must(t, "Abandon", a.Abandon(ctx, o, "i1", "could not look for the earlier post"))
	if _, open := findOcc(t, s, "ab"); open {
		t.Error("abandoned occurrence still open")
	}
	r := mustReminder(t, s, "ab")
	if r.Paused {
		t.Error("reminder paused by Abandon")
	}
	if !r.LastRun.IsZero() || r.LastMessage != "" {
		t.Errorf("abandoned run recorded as the last delivery: %v %q", r.LastRun, r.LastMessage)
	}
	rs, _ := s.DueReminders(ctx, T0.Add(1000*time.Hour), 100)
	if !slices.Contains(ids(rs), "ab") {
		t.Error("reminder of an abandoned run no longer due")
	}
	wantErr(t, "Abandon(again)", a.Abandon(ctx, o, "i1", "x"), bot.ErrConflict)
	wantErr(t, "Delivered(after Abandon)", s.Delivered(ctx, o, "i1", "m1", T0), bot.ErrConflict)
}

func testOpenOccurrences(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("o1", "T1", bot.Personal, "U1", "C1", T0, T0))
	MustCreate(t, s, Reminder("o2", "T2", bot.Personal, "U1", "C1", T0, T0))
	c := claim("o1", T0, T0.Add(time.Hour), "i1")
	c.LeaseUntil = T0.Add(3 * time.Minute)
	mustClaim(t, s, c)
	c = claim("o2", T0, T0.Add(time.Hour), "i1")
	c.LeaseUntil = T0.Add(1 * time.Minute)
	mustClaim(t, s, c)
	// Pending runs, not snoozes: a snooze would replace the others.
	for _, o := range []bot.Occurrence{
		pendingRun("o1", T0.Add(2*time.Minute)),
		pendingRun("o1", T0.Add(5*time.Minute)),
		pendingRun("o1", T0.Add(20*time.Second)),
		pendingRun("o1", T0.Add(30*time.Second)),
	} {
		must(t, "AddOccurrence", s.AddOccurrence(ctx, o))
	}
	// Close two of them.
	for _, at := range []time.Duration{20 * time.Second, 30 * time.Second} {
		p := pendingRun("o1", T0.Add(at))
		if ok, err := s.Acquire(ctx, p, "i1", p.LeaseUntil); err != nil || !ok {
			t.Fatalf("Acquire = %v, %v", ok, err)
		}
		p.State, p.Owner = bot.Claimed, "i1"
		if at == 20*time.Second {
			must(t, "Delivered", s.Delivered(ctx, p, "i1", "m", T0))
		} else {
			must(t, "Fail", s.Fail(ctx, p, "i1", "gone"))
		}
	}
	type key struct {
		id    bot.ReminderID
		lease time.Duration
	}
	for _, tt := range []struct {
		until time.Time
		limit int
		want  []key
	}{
		{T0.Add(10 * time.Minute), 100, []key{{"o2", time.Minute}, {"o1", 2 * time.Minute}, {"o1", 3 * time.Minute}, {"o1", 5 * time.Minute}}},
		{T0.Add(3 * time.Minute), 100, []key{{"o2", time.Minute}, {"o1", 2 * time.Minute}, {"o1", 3 * time.Minute}}},
		{T0.Add(10 * time.Minute), 2, []key{{"o2", time.Minute}, {"o1", 2 * time.Minute}}},
		{T0, 100, []key{}},
	} {
		occ, err := s.OpenOccurrences(ctx, tt.until, tt.limit)
		must(t, "OpenOccurrences", err)
		got := []key{}
		for _, o := range occ {
			got = append(got, key{o.Reminder, o.LeaseUntil.Sub(T0)})
			if o.State != bot.Pending && o.State != bot.Claimed {
				t.Errorf("open occurrence in state %s", o.State)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("OpenOccurrences(%v, %d) = %v, want %v", tt.until.Sub(T0), tt.limit, got, tt.want)
		}
	}
}

func testTimePrecision(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Nanoseconds, a non-UTC zone and a monotonic reading must all survive
	// (the reading is dropped; the instant is kept).
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	next := time.Date(2031, 7, 14, 23, 59, 59, 999999999, zone)
	withMono := time.Now().Add(time.Hour)
	r := Reminder("tp", "T1", bot.Personal, "U1", "C1", withMono, next)
	MustCreate(t, s, r)
	got := mustReminder(t, s, "tp")
	if d := diff(got, r); d != "" {
		t.Errorf("round trip:\n%s", d)
	}
	// Compare-and-set works on what was read back.
	ok, err := s.Claim(ctx, claim("tp", got.NextRun, got.NextRun.Add(time.Nanosecond), "i1"))
	if err != nil || !ok {
		t.Fatalf("Claim with read-back NextRun = %v, %v", ok, err)
	}
	got = mustReminder(t, s, "tp")
	must(t, "AdvanceReminder(read-back)", s.AdvanceReminder(ctx, "tp", got.NextRun, next))
	// And on the caller's original value in another zone.
	must(t, "AdvanceReminder(zone)", s.AdvanceReminder(ctx, "tp", next.In(time.UTC), next.Add(time.Nanosecond)))
}

func testLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "Ping", s.Ping(ctx))
	must(t, "Migrate (again)", s.Migrate(ctx))
	must(t, "Migrate (third time)", s.Migrate(ctx))
	MustCreate(t, s, Reminder("lc", "T1", bot.Personal, "U1", "C1", T0, T0))
	must(t, "Migrate (with data)", s.Migrate(ctx))
	mustReminder(t, s, "lc")
}

// pendingRun is a pending run occurrence of id due at at, as a retry
// re-queued by the engine looks.
func pendingRun(id bot.ReminderID, at time.Time) bot.Occurrence {
	o := snooze(id, at)
	o.Kind = bot.RunOccurrence
	return o
}

func testAcquirePaused(t *testing.T, s store.Store) {
	ctx := t.Context()
	lease := T0.Add(time.Hour)
	acquire := func(o bot.Occurrence) bool {
		t.Helper()
		ok, err := s.Acquire(ctx, o, "i2", lease)
		must(t, "Acquire", err)
		return ok
	}
	wantClosed := func(id bot.ReminderID) {
		t.Helper()
		if o, open := findOcc(t, s, id); open {
			t.Errorf("occurrence of %s still open: %+v", id, o)
		}
	}

	// A paused reminder's pending snooze and its retry are dropped.
	MustCreate(t, s, Reminder("ap", "T1", bot.Personal, "U1", "C1", T0, T0))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("ap", T0.Add(10*time.Minute))))
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "ap", true, time.Time{}))
	if acquire(snooze("ap", T0.Add(10*time.Minute))) {
		t.Error("Acquire(snooze of a paused reminder) = true")
	}
	wantClosed("ap")
	// Resuming does not bring it back.
	must(t, "SetPaused(resume)", s.SetPaused(ctx, "T1", "ap", false, time.Time{}))
	wantClosed("ap")

	o := claimed(t, s, "ar", "i1")
	must(t, "Retry", s.Retry(ctx, o, "i1", T0.Add(2*time.Minute), "slack: 503"))
	o.LeaseUntil = T0.Add(2 * time.Minute)
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "ar", true, time.Time{}))
	if acquire(o) {
		t.Error("Acquire(retry of a paused reminder) = true")
	}
	wantClosed("ar")
	wantErr(t, "Delivered(skipped)", s.Delivered(ctx, o, "i2", "m1", T0), bot.ErrConflict)

	// A timed pause holds back what falls due before it ends, not after.
	MustCreate(t, s, Reminder("at", "T1", bot.Personal, "U1", "C1", T0, T0.Add(24*time.Hour)))
	must(t, "SetPaused(until)", s.SetPaused(ctx, "T1", "at", false, T0.Add(15*time.Minute)))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("at", T0.Add(10*time.Minute))))
	if acquire(snooze("at", T0.Add(10*time.Minute))) {
		t.Error("Acquire(snooze due inside a timed pause) = true")
	}
	wantClosed("at")
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("at", T0.Add(15*time.Minute))))
	if !acquire(snooze("at", T0.Add(15*time.Minute))) {
		t.Error("Acquire(snooze due exactly at the end of a pause) = false")
	}

	// A stale caller view neither acquires nor closes it.
	MustCreate(t, s, Reminder("as", "T1", bot.Personal, "U1", "C1", T0, T0))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("as", T0.Add(time.Minute))))
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "as", true, time.Time{}))
	stale := snooze("as", T0.Add(time.Minute))
	stale.LeaseUntil = stale.LeaseUntil.Add(time.Second)
	if acquire(stale) {
		t.Error("Acquire(stale, paused) = true")
	}
	if _, open := findOcc(t, s, "as"); !open {
		t.Error("a stale Acquire closed the occurrence")
	}
}

func testSnoozeReplaces(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("sr", "T1", bot.ChannelSchedule, "U1", "C1", T0, T0.Add(24*time.Hour)))
	first := snooze("sr", T0.Add(10*time.Minute))
	first.Repeats, first.Routine = T0.Add(-time.Hour), "cat-cow:60"
	must(t, "AddOccurrence(first)", s.AddOccurrence(ctx, first))
	got := MustOpen(t, s, T0.Add(time.Hour))
	if d := diff(got, []bot.Occurrence{first}); d != "" {
		t.Errorf("first snooze, with what it repeats:\n%s", d)
	}
	second := snooze("sr", T0.Add(15*time.Minute))
	second.Repeats, second.Routine = T0.Add(-time.Hour), "cat-cow:60"
	must(t, "AddOccurrence(second)", s.AddOccurrence(ctx, second))
	if d := diff(MustOpen(t, s, T0.Add(time.Hour)), []bot.Occurrence{second}); d != "" {
		t.Errorf("after a second snooze:\n%s", d)
	}
	// The replaced one can no longer be taken.
	if ok, err := s.Acquire(ctx, first, "i1", T0.Add(time.Hour)); err != nil || ok {
		t.Errorf("Acquire(replaced snooze) = %v, %v; want false", ok, err)
	}
	// A snooze already claimed (a retry waiting) is replaced too.
	if ok, err := s.Acquire(ctx, second, "i1", T0.Add(20*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire(second) = %v, %v", ok, err)
	}
	third := snooze("sr", T0.Add(30*time.Minute))
	must(t, "AddOccurrence(third)", s.AddOccurrence(ctx, third))
	if d := diff(MustOpen(t, s, T0.Add(time.Hour)), []bot.Occurrence{third}); d != "" {
		t.Errorf("after a third snooze:\n%s", d)
	}
	// A refused snooze (its key exists) replaces nothing.
	wantErr(t, "AddOccurrence(dup)", s.AddOccurrence(ctx, third), bot.ErrConflict)
	if n := len(MustOpen(t, s, T0.Add(time.Hour))); n != 1 {
		t.Errorf("open after a refused snooze = %d, want 1", n)
	}
	// Other reminders' snoozes and the reminder's runs are untouched.
	MustCreate(t, s, Reminder("sr2", "T1", bot.ChannelSchedule, "U1", "C1", T0, T0.Add(24*time.Hour)))
	must(t, "AddOccurrence(run)", s.AddOccurrence(ctx, pendingRun("sr", T0.Add(40*time.Minute))))
	must(t, "AddOccurrence(other reminder)", s.AddOccurrence(ctx, snooze("sr2", T0.Add(10*time.Minute))))
	if n := len(MustOpen(t, s, T0.Add(time.Hour))); n != 3 {
		t.Errorf("open = %d, want 3 (one snooze each, one run)", n)
	}
}

func testDeliveredSnooze(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := claimed(t, s, "ds", "i1")
	o.Routine = "cat-cow:60 childs-pose:45"
	must(t, "Delivered(run)", s.Delivered(ctx, o, "i1", "m1", T0))
	r := mustReminder(t, s, "ds")
	if !r.LastRun.Equal(T0) || r.LastRoutine != o.Routine {
		t.Errorf("after the run: LastRun, LastRoutine = %v, %q; want %v, %q", r.LastRun, r.LastRoutine, T0, o.Routine)
	}
	// A snooze of that run, delivered later, shows that run: LastRun stays
	// on it, the message is the snooze's.
	sn := snooze("ds", T0.Add(10*time.Minute))
	sn.Repeats, sn.Routine = T0, o.Routine
	must(t, "AddOccurrence", s.AddOccurrence(ctx, sn))
	if ok, err := s.Acquire(ctx, sn, "i1", T0.Add(11*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	must(t, "Delivered(snooze)", s.Delivered(ctx, sn, "i1", "m2", T0.Add(10*time.Minute)))
	r = mustReminder(t, s, "ds")
	if !r.LastRun.Equal(T0) || r.LastMessage != "m2" || r.LastRoutine != o.Routine {
		t.Errorf("after the snooze: LastRun, LastMessage, LastRoutine = %v, %q, %q; want %v, m2, %q", r.LastRun, r.LastMessage, r.LastRoutine, T0, o.Routine)
	}
}

// A run's delivery stays the reminder's LastRun, LastMessage and
// LastRoutine through the claims of the runs after it, whether recorded
// alone or in a batch, until a later run is delivered; a run delivered
// late, after the next was claimed, counts as well, and an earlier one
// never moves them back.
func testDeliveredThenClaimed(t *testing.T, s store.Store) {
	ctx := t.Context()
	last := func(step string, id bot.ReminderID, run time.Time, msg string, routine bot.RoutineSpec) {
		t.Helper()
		r := mustReminder(t, s, id)
		if !r.LastRun.Equal(run) || r.LastMessage != msg || r.LastRoutine != routine {
			t.Errorf("%s: %s LastRun, LastMessage, LastRoutine = %v, %q, %q; want %v, %q, %q",
				step, id, r.LastRun, r.LastMessage, r.LastRoutine, run, msg, routine)
		}
	}
	run := func(id bot.ReminderID, at time.Time, routine bot.RoutineSpec) bot.Occurrence {
		return bot.Occurrence{Reminder: id, Tenant: "T1", At: at, Kind: bot.RunOccurrence, Routine: routine}
	}
	t1, t2, t3 := T0.Add(time.Minute), T0.Add(2*time.Minute), T0.Add(3*time.Minute)
	for _, batch := range []bool{false, true} {
		id := bot.ReminderID(fmt.Sprintf("dc%v", batch))
		deliver := func(o bot.Occurrence, msg string) {
			t.Helper()
			deliverOne(t, s, batch, o, msg, o.At)
		}
		claimRun := func(expect, next time.Time) {
			t.Helper()
			claimOne(t, s, batch, claim(id, expect, next, "i1"))
		}
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
		claimRun(T0, t1)
		deliver(run(id, T0, "a:60"), "m0")
		last("after the first run", id, T0, "m0", "a:60")
		claimRun(t1, t2)
		last("after the next claim", id, T0, "m0", "a:60")
		claimRun(t2, t3) // t1 is still out: it is delivered late
		deliver(run(id, t2, "c:60"), "m2")
		last("after the third run", id, t2, "m2", "c:60")
		deliver(run(id, t1, "b:60"), "m1")
		last("after the second run, late", id, t2, "m2", "c:60")
		claimRun(t3, t3.Add(time.Minute))
		last("after the fourth claim", id, t2, "m2", "c:60")
		if batch {
			if got, err := s.ClaimBatch(ctx, []schedule.Claim{claim(id, t3.Add(time.Minute), t3.Add(2*time.Minute), "i1")}); err != nil || !got[0].Won ||
				!got[0].Reminder.LastRun.Equal(t2) || got[0].Reminder.LastMessage != "m2" {
				t.Errorf("ClaimBatch's reminder = %+v, %v; want LastRun %v, m2", got, err, t2)
			}
		}
	}
}

// A run whose record commits only after the next run was claimed (an
// instance claims ahead while another still delivers) is the reminder's
// LastRun all the same; the next run's delivery then replaces it, and the
// claims after that keep it.
func testRecordedAfterNextClaim(t *testing.T, s store.Store) {
	t1, t2 := T0.Add(time.Minute), T0.Add(2*time.Minute)
	for _, batch := range []bool{false, true} {
		id := bot.ReminderID(fmt.Sprintf("ra%v", batch))
		deliver := func(at time.Time, msg string) {
			t.Helper()
			o := bot.Occurrence{Reminder: id, Tenant: "T1", At: at, Kind: bot.RunOccurrence, Routine: bot.RoutineSpec(msg + ":60")}
			deliverOne(t, s, batch, o, msg, at)
		}
		claimRun := func(expect, next time.Time) {
			t.Helper()
			claimOne(t, s, batch, claim(id, expect, next, "i1"))
		}
		last := func(step string, run time.Time, msg string) {
			t.Helper()
			r := mustReminder(t, s, id)
			if !r.LastRun.Equal(run) || r.LastMessage != msg || r.LastRoutine != bot.RoutineSpec(msg+":60") {
				t.Errorf("%s: LastRun, LastMessage, LastRoutine = %v, %q, %q; want %v, %q, %q:60",
					step, r.LastRun, r.LastMessage, r.LastRoutine, run, msg, msg)
			}
		}
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", T0, T0))
		claimRun(T0, t1)
		claimRun(t1, t2) // T0 is still out
		deliver(T0, "m0")
		last("after the first run, recorded after the next claim", T0, "m0")
		claimRun(t2, t2.Add(time.Minute)) // t1 is still out
		last("after the third claim", T0, "m0")
		deliver(t1, "m1")
		last("after the second run", t1, "m1")
		deliver(t2, "m2")
		last("after the third run", t2, "m2")
		claimRun(t2.Add(time.Minute), t2.Add(2*time.Minute))
		last("after the fourth claim", t2, "m2")
	}
}

func testDeliveredRun(t *testing.T, s store.Store) {
	ctx := t.Context()
	log, ok := s.(bot.DeliveryLog)
	if !ok {
		t.Skip("the store keeps no delivery log")
	}
	lookup := func(id bot.ReminderID, at time.Time) (bot.DeliveredRun, error) {
		t.Helper()
		return log.DeliveredRun(ctx, id, at)
	}
	sec := T0.Truncate(time.Second) // buttons carry Unix seconds; T0 has nanoseconds

	MustCreate(t, s, Reminder("dr", "T1", bot.ChannelSchedule, "U1", "C1", T0, T0))
	mustClaim(t, s, claim("dr", T0, T0.Add(time.Hour), "i1"))
	_, err := lookup("dr", sec)
	wantErr(t, "DeliveredRun(claimed, not delivered)", err, bot.ErrNotFound)
	o, _ := findOcc(t, s, "dr")
	must(t, "Delivered", s.Delivered(ctx, o, "i1", "m1", T0))

	want := bot.DeliveredRun{Reminder: "dr", At: T0, Tenant: "T1", Platform: bot.Slack, Kind: bot.ChannelSchedule, Owner: "U1", Channel: "C1"}
	got, err := lookup("dr", sec)
	must(t, "DeliveredRun", err)
	if d := diff(got, want); d != "" {
		t.Errorf("DeliveredRun:\n%s", d)
	}
	for _, at := range []time.Time{sec.Add(-time.Second), sec.Add(time.Second), sec.Add(time.Hour)} {
		_, err := lookup("dr", at)
		wantErr(t, fmt.Sprintf("DeliveredRun(%v)", at.Sub(sec)), err, bot.ErrNotFound)
	}
	_, err = lookup("nope", sec)
	wantErr(t, "DeliveredRun(unknown reminder)", err, bot.ErrNotFound)

	// A delivered snooze is not a run.
	sn := snooze("dr", T0.Add(10*time.Minute))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, sn))
	if ok, err := s.Acquire(ctx, sn, "i1", T0.Add(11*time.Minute)); err != nil || !ok {
		t.Fatalf("Acquire = %v, %v", ok, err)
	}
	must(t, "Delivered(snooze)", s.Delivered(ctx, sn, "i1", "m2", T0))
	_, err = lookup("dr", sn.At.Truncate(time.Second))
	wantErr(t, "DeliveredRun(snooze)", err, bot.ErrNotFound)

	// Deleting the reminder keeps its delivered runs, with whose they were.
	wantErr(t, "DeleteReminder(wrong tenant)", s.DeleteReminder(ctx, "T2", "dr"), bot.ErrNotFound)
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "dr"))
	got, err = lookup("dr", sec)
	must(t, "DeliveredRun(deleted)", err)
	if d := diff(got, want); d != "" {
		t.Errorf("DeliveredRun after delete:\n%s", d)
	}
	// The id reused: its own runs are found, and the old ones still.
	MustCreate(t, s, Reminder("dr", "T2", bot.Personal, "U2", "C2", T0, T0.Add(time.Hour)))
	mustClaim(t, s, claim("dr", T0.Add(time.Hour), T0.Add(2*time.Hour), "i1"))
	o, _ = findOcc(t, s, "dr")
	must(t, "Delivered(reused)", s.Delivered(ctx, o, "i1", "m3", T0.Add(time.Hour)))
	if got, err := lookup("dr", sec.Add(time.Hour)); err != nil || got.Tenant != "T2" || got.Kind != bot.Personal {
		t.Errorf("DeliveredRun(reused id's run) = %+v, %v; want T2's personal run", got, err)
	}
	if got, err := lookup("dr", sec); err != nil || got.Tenant != "T1" {
		t.Errorf("DeliveredRun(old run after reuse) = %+v, %v; want T1's", got, err)
	}
}

// deliverOne records o as delivered by i1 with Delivered, or with
// DeliveredBatch when batch, failing t if it is refused.
func deliverOne(t *testing.T, s store.Store, batch bool, o bot.Occurrence, msg string, at time.Time) {
	t.Helper()
	if !batch {
		must(t, "Delivered", s.Delivered(t.Context(), o, "i1", msg, at))
		return
	}
	errs, err := s.DeliveredBatch(t.Context(), []schedule.Delivery{{Occurrence: o, Owner: "i1", MessageID: msg, At: at}})
	if err != nil || errs[0] != nil {
		t.Fatalf("DeliveredBatch = %v, %v", errs, err)
	}
}

// claimOne takes c with Claim, or with ClaimBatch when batch, failing t
// if it loses.
func claimOne(t *testing.T, s store.Store, batch bool, c schedule.Claim) {
	t.Helper()
	if !batch {
		mustClaim(t, s, c)
		return
	}
	if got, err := s.ClaimBatch(t.Context(), []schedule.Claim{c}); err != nil || !got[0].Won {
		t.Fatalf("ClaimBatch(%v) = %+v, %v", c.Expect, got, err)
	}
}
