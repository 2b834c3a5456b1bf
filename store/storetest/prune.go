package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// testPruneOccurrences: closed occurrences before the cut go, a chunk at a
// time and never more than the limit; open ones, recent ones and the run a
// reminder still shows as its last stay; the walk comes round again to
// reminders it has passed.
func testPruneOccurrences(t *testing.T, s store.Store) {
	ctx := t.Context()
	p, ok := s.(schedule.OccurrencePruner)
	if !ok {
		t.Skip("the store does not prune occurrences")
	}
	log, _ := s.(bot.DeliveryLog)
	cut := T0
	old := func(h int) time.Time { return cut.Add(-40*24*time.Hour + time.Duration(h)*time.Hour) }
	openOcc := func(id bot.ReminderID, at time.Time) (bot.Occurrence, bool) {
		t.Helper()
		for _, o := range MustOpen(t, s, cut.Add(1000*time.Hour)) {
			if o.Reminder == id && o.At.Equal(at) {
				return o, true
			}
		}
		return bot.Occurrence{}, false
	}
	// run claims id's run at at, moving NextRun to next, and records its
	// delivery unless it stays open.
	run := func(id bot.ReminderID, at, next time.Time, deliver bool) {
		t.Helper()
		mustClaim(t, s, claim(id, at, next, "i1"))
		if !deliver {
			return
		}
		o, ok := openOcc(id, at)
		if !ok {
			t.Fatalf("claimed run %s@%v not open", id, at)
		}
		must(t, "Delivered", s.Delivered(ctx, o, "i1", fmt.Sprintf("m-%s-%d", id, at.Unix()), at))
	}
	create := func(id bot.ReminderID, next time.Time) {
		t.Helper()
		MustCreate(t, s, Reminder(id, "T1", bot.Personal, "U1", "C1", old(0), next))
	}

	// pa: three old runs go; the one exactly at the cut, its last, stays.
	create("pa", old(1))
	run("pa", old(1), old(2), true)
	run("pa", old(2), old(3), true)
	run("pa", old(3), cut, true)
	run("pa", cut, cut.Add(time.Hour), true)
	// pb: its last run is old but still shown as its LastRun: only the one
	// before goes. An old pending snooze stays.
	create("pb", old(1))
	run("pb", old(1), old(2), true)
	run("pb", old(2), cut.Add(time.Hour), true)
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("pb", old(5))))
	// pc: a delivered run goes; the claimed one after it stays.
	create("pc", old(1))
	run("pc", old(1), old(2), true)
	run("pc", old(2), cut.Add(time.Hour), false)
	// pd: a snooze replaced by another is skipped and goes; the pending
	// one and the delivered (last) run stay.
	create("pd", old(1))
	run("pd", old(1), cut.Add(time.Hour), true)
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("pd", old(3))))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze("pd", old(4))))
	// pe: a failed run goes once a later one was delivered.
	create("pe", old(1))
	run("pe", old(1), old(2), false)
	o, _ := openOcc("pe", old(1))
	must(t, "Fail", s.Fail(ctx, o, "i1", "gone"))
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "pe", false, time.Time{}))
	run("pe", old(2), cut.Add(time.Hour), true)
	const prunable = 3 + 1 + 1 + 1 + 1
	openBefore := len(MustOpen(t, s, cut.Add(1000*time.Hour)))

	// prune calls PruneOccurrences up to calls times, with limit 2, until
	// total reaches want, and returns the total.
	total := 0
	prune := func(want, calls int) int {
		t.Helper()
		for range calls {
			if total >= want {
				break
			}
			n, err := p.PruneOccurrences(ctx, cut, 2)
			must(t, "PruneOccurrences", err)
			if n < 0 || n > 2 {
				t.Fatalf("PruneOccurrences(limit 2) = %d", n)
			}
			total += n
		}
		return total
	}
	if got := prune(prunable, 50); got != prunable {
		t.Fatalf("pruned %d occurrences in 50 chunks, want %d", got, prunable)
	}
	// Going round again finds nothing more.
	if got := prune(prunable+1, 20); got != prunable {
		t.Errorf("pruned %d occurrences after going round again, want %d", got, prunable)
	}

	if got := len(MustOpen(t, s, cut.Add(1000*time.Hour))); got != openBefore {
		t.Errorf("open occurrences = %d after pruning, want %d", got, openBefore)
	}
	if _, ok := openOcc("pb", old(5)); !ok {
		t.Error("pb's old pending snooze was pruned")
	}
	if _, ok := openOcc("pd", old(4)); !ok {
		t.Error("pd's pending snooze was pruned")
	}
	if _, ok := openOcc("pc", old(2)); !ok {
		t.Error("pc's claimed run was pruned")
	}
	for _, tt := range []struct {
		id   bot.ReminderID
		last time.Time
	}{{"pa", cut}, {"pb", old(2)}, {"pd", old(1)}, {"pe", old(2)}} {
		r := mustReminder(t, s, tt.id)
		if msg := fmt.Sprintf("m-%s-%d", tt.id, tt.last.Unix()); !r.LastRun.Equal(tt.last) || r.LastMessage != msg {
			t.Errorf("%s: LastRun, LastMessage = %v, %q after pruning; want %v, %q", tt.id, r.LastRun, r.LastMessage, tt.last, msg)
		}
	}
	if log != nil {
		for _, tt := range []struct {
			id   bot.ReminderID
			at   time.Time
			kept bool
		}{
			{"pa", old(1), false}, {"pa", old(3), false}, {"pa", cut, true},
			{"pb", old(1), false}, {"pb", old(2), true}, {"pc", old(1), false}, {"pd", old(1), true}, {"pe", old(2), true},
		} {
			_, err := log.DeliveredRun(ctx, tt.id, tt.at.Truncate(time.Second))
			if tt.kept {
				must(t, fmt.Sprintf("DeliveredRun(%s, %v)", tt.id, tt.at), err)
			} else {
				wantErr(t, fmt.Sprintf("DeliveredRun(%s, %v) after pruning", tt.id, tt.at), err, bot.ErrNotFound)
			}
		}
	}

	// A reminder before the walk's place: pruned once the walk comes round.
	create("p0", old(1))
	run("p0", old(1), old(2), true)
	run("p0", old(2), cut.Add(time.Hour), true)
	if got := prune(prunable+1, 20); got != prunable+1 {
		t.Errorf("pruned %d occurrences once p0 was added, want %d", got, prunable+1)
	}
	// Nothing deleted stops the reminders' next runs.
	for _, id := range []bot.ReminderID{"p0", "pa", "pb", "pd", "pe"} {
		next := mustReminder(t, s, id).NextRun
		if ok, err := s.Claim(ctx, claim(id, next, next.Add(time.Hour), "i2")); err != nil || !ok {
			t.Errorf("Claim(%s) after pruning = %v, %v; want true", id, ok, err)
		}
	}
}

// testPruneKeptDeliveries: the runs a deleted reminder delivered are kept
// for DeliveredRun, and pruned like a live reminder's once they are older
// than the cut.
func testPruneKeptDeliveries(t *testing.T, s store.Store) {
	ctx := t.Context()
	p, ok := s.(schedule.OccurrencePruner)
	log, logs := s.(bot.DeliveryLog)
	if !ok || !logs {
		t.Skip("the store does not prune occurrences or keep deliveries")
	}
	cut := T0
	old := func(h int) time.Time { return cut.Add(-40*24*time.Hour + time.Duration(h)*time.Hour) }
	deliver := func(id bot.ReminderID, at, next time.Time) {
		t.Helper()
		mustClaim(t, s, claim(id, at, next, "i1"))
		for _, o := range MustOpen(t, s, cut.Add(1000*time.Hour)) {
			if o.Reminder == id && o.At.Equal(at) {
				must(t, "Delivered", s.Delivered(ctx, o, "i1", fmt.Sprintf("m-%s-%d", id, at.Unix()), at))
				return
			}
		}
		t.Fatalf("claimed run %s@%v not open", id, at)
	}
	// kd: three old runs and one at the cut, then deleted.
	MustCreate(t, s, Reminder("kd", "T1", bot.Personal, "U1", "C1", old(0), old(1)))
	deliver("kd", old(1), old(2))
	deliver("kd", old(2), old(3))
	deliver("kd", old(3), cut)
	deliver("kd", cut, cut.Add(time.Hour))
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "kd"))
	// kl: a live reminder beside it, with one old run to prune.
	MustCreate(t, s, Reminder("kl", "T1", bot.Personal, "U1", "C1", old(0), old(1)))
	deliver("kl", old(1), old(2))
	deliver("kl", old(2), cut.Add(time.Hour))
	for _, at := range []time.Time{old(1), old(2), old(3), cut} {
		_, err := log.DeliveredRun(ctx, "kd", at)
		must(t, fmt.Sprintf("DeliveredRun(kd, %v) before pruning", at), err)
	}

	const prunable = 3 + 1
	total := 0
	for range 50 {
		n, err := p.PruneOccurrences(ctx, cut, 2)
		must(t, "PruneOccurrences", err)
		if n < 0 || n > 2 {
			t.Fatalf("PruneOccurrences(limit 2) = %d", n)
		}
		total += n
	}
	if total != prunable {
		t.Errorf("pruned %d in 50 chunks, want %d (3 kept runs of a deleted reminder, 1 of a live one)", total, prunable)
	}
	for _, tt := range []struct {
		id   bot.ReminderID
		at   time.Time
		kept bool
	}{{"kd", old(1), false}, {"kd", old(2), false}, {"kd", old(3), false}, {"kd", cut, true}, {"kl", old(1), false}, {"kl", old(2), true}} {
		_, err := log.DeliveredRun(ctx, tt.id, tt.at)
		if tt.kept {
			must(t, fmt.Sprintf("DeliveredRun(%s, %v) after pruning", tt.id, tt.at), err)
		} else {
			wantErr(t, fmt.Sprintf("DeliveredRun(%s, %v) after pruning", tt.id, tt.at), err, bot.ErrNotFound)
		}
	}
}
