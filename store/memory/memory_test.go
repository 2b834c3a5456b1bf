package memory_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/memory"
	"github.com/stretchbot/stretchbot/store/storetest"
)

var _ store.Store = (*memory.DB)(nil)

func open(tb testing.TB) *memory.DB {
	db := memory.New()
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return open(t) })
}

// Two engines in one process share one store, as two instances share a
// database.
func TestClaimRaceSharedStore(t *testing.T) {
	db := open(t)
	storetest.RaceClaim(t, db, db, db, db)
	storetest.RaceSaveBreaks(t, db, db)
	storetest.RaceSeen(t, db, db, db, db)
}

// What a caller holds is a copy: changing it changes nothing stored.
func TestReturnsCopies(t *testing.T) {
	ctx := t.Context()
	db := open(t)
	r := storetest.Reminder("cp", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0)
	storetest.MustCreate(t, db, r)
	if err := db.AddOccurrence(ctx, bot.Occurrence{Reminder: "cp", Tenant: "T1", At: storetest.T0, LeaseUntil: storetest.T0}); err != nil {
		t.Fatal(err)
	}
	used := []string{"a", "b"}
	if err := db.SaveRotation(ctx, "T1", "user:U1", used); err != nil {
		t.Fatal(err)
	}
	used[0] = "changed after save"

	due, _ := db.DueReminders(ctx, storetest.T0, 10)
	due[0].Note, due[0].NextRun = "changed", time.Time{}
	got, _ := db.ReminderByID(ctx, "cp")
	got.Paused = true
	occ := storetest.MustOpen(t, db, storetest.T0)
	occ[0].State, occ[0].Owner = bot.Delivered, "thief"
	rot, _ := db.Rotation(ctx, "T1", "user:U1")
	rot[1] = "changed after read"

	if got, _ := db.ReminderByID(ctx, "cp"); got.Note != r.Note || !got.NextRun.Equal(r.NextRun) || got.Paused {
		t.Errorf("stored reminder changed through a copy: %+v", got)
	}
	if occ := storetest.MustOpen(t, db, storetest.T0); len(occ) != 1 || occ[0].State != bot.Pending || occ[0].Owner != "" {
		t.Errorf("stored occurrence changed through a copy: %+v", occ)
	}
	if rot, _ := db.Rotation(ctx, "T1", "user:U1"); rot[0] != "a" || rot[1] != "b" {
		t.Errorf("stored rotation changed through a slice: %q", rot)
	}
}

func TestClosed(t *testing.T) {
	db := memory.New()
	storetest.MustCreate(t, db, storetest.Reminder("x", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(t.Context()); err == nil {
		t.Error("Ping after Close = nil, want an error")
	}
	if _, err := db.ReminderByID(t.Context(), "x"); err == nil || errors.Is(err, bot.ErrNotFound) {
		t.Errorf("ReminderByID after Close = %v, want closed", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestCanceledContext(t *testing.T) {
	db := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := db.Claim(ctx, schedule.Claim{Reminder: "x", Expect: storetest.T0}); !errors.Is(err, context.Canceled) {
		t.Errorf("Claim with canceled context = %v, want context.Canceled", err)
	}
}

func TestLimitNotPositive(t *testing.T) {
	db := open(t)
	storetest.MustCreate(t, db, storetest.Reminder("x", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	for _, limit := range []int{0, -1} {
		if rs, err := db.DueReminders(t.Context(), storetest.T0, limit); err != nil || len(rs) != 0 {
			t.Errorf("DueReminders(limit %d) = %d rows, %v; want none", limit, len(rs), err)
		}
	}
}

// seed fills db with n personal reminders due one second apart from T0 in
// 100 tenants, one in ten paused (as the SQLite benchmarks do).
func seed(tb testing.TB, db *memory.DB, n int) {
	tb.Helper()
	for i := range n {
		id := bot.ReminderID(fmt.Sprintf("r%07d", i))
		r := storetest.Reminder(id, bot.TenantID(fmt.Sprintf("T%d", i%100)), bot.Personal, bot.UserID(fmt.Sprintf("U%d", i)), "C1",
			storetest.T0, storetest.T0.Add(time.Duration(i)*time.Second))
		r.Paused = i%10 == 0
		storetest.MustCreate(tb, db, r)
	}
}

// BenchmarkDueReminders reads the 100 earliest due reminders among a
// million. It also reports the heap the million take.
func BenchmarkDueReminders(b *testing.B) {
	db := open(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seed(b, db, 1_000_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	until := storetest.T0.Add(24 * time.Hour)
	for b.Loop() {
		rs, err := db.DueReminders(context.Background(), until, 100)
		if err != nil || len(rs) != 100 {
			b.Fatalf("DueReminders = %d, %v", len(rs), err)
		}
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1_000_000, "heap-B/reminder")
}

// BenchmarkClaim claims one run per iteration among a million reminders,
// each claim moving the run an hour on (from the front of the due index to
// its middle), as the engine does.
func BenchmarkClaim(b *testing.B) {
	db := open(b)
	const n = 1_000_000
	seed(b, db, n)
	ctx := context.Background()
	ids := make([]bot.ReminderID, 0, n)
	next := make([]time.Time, 0, n)
	for i := range n {
		if i%10 != 0 { // skips the paused ones
			ids = append(ids, bot.ReminderID(fmt.Sprintf("r%07d", i)))
			next = append(next, storetest.T0.Add(time.Duration(i)*time.Second))
		}
	}
	i := 0
	for b.Loop() {
		k := i % len(ids)
		i++
		expect := next[k]
		next[k] = expect.Add(time.Hour)
		won, err := db.Claim(ctx, schedule.Claim{Reminder: ids[k], Expect: expect, At: expect, Next: next[k], Owner: "bench", LeaseUntil: expect.Add(time.Minute)})
		if err != nil || !won {
			b.Fatalf("Claim(%s) = %v, %v", ids[k], won, err)
		}
	}
}

// BenchmarkCollect times a full garbage collection of a heap holding a
// million reminders, each with one delivered run: what the engine pays for
// the store's memory every time the collector runs. It reports the heap
// the store takes.
func BenchmarkCollect(b *testing.B) {
	db := open(b)
	const n = 1_000_000
	seed(b, db, n)
	ctx := context.Background()
	for i := range n {
		if i%10 == 0 {
			continue // paused
		}
		id := bot.ReminderID(fmt.Sprintf("r%07d", i))
		at := storetest.T0.Add(time.Duration(i) * time.Second)
		if won, err := db.Claim(ctx, schedule.Claim{Reminder: id, Expect: at, At: at, Next: at.Add(time.Hour), Owner: "bench", LeaseUntil: at.Add(time.Minute)}); err != nil || !won {
			b.Fatalf("Claim(%s) = %v, %v", id, won, err)
		}
		o := bot.Occurrence{Reminder: id, At: at, Kind: bot.RunOccurrence}
		if err := db.Delivered(ctx, o, "bench", "m", at); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		runtime.GC()
	}
	b.ReportMetric(float64(ms.HeapAlloc)/n, "heap-B/reminder")
	runtime.KeepAlive(db)
}

// BenchmarkRunCycle takes runs through the store as the engine does with a
// million schedules every minute, n/60 due each second: list a batch of
// due runs, claim them in one batch (by the slot DueRuns named) with the
// next run a minute on, then record their deliveries in one batch. One
// iteration is one run.
func BenchmarkRunCycle(b *testing.B) {
	db := open(b)
	const n = 1_000_000
	ctx := context.Background()
	for i := range n {
		id := bot.ReminderID(fmt.Sprintf("r%07d", i))
		r := storetest.Reminder(id, bot.TenantID(fmt.Sprintf("T%d", i%100)), bot.Personal, bot.UserID(fmt.Sprintf("U%d", i)), "C1",
			storetest.T0, storetest.T0.Add(time.Duration(i%60)*time.Second))
		r.ChannelName, r.Note, r.Routine = "", "", bot.RoutineOptions{}
		storetest.MustCreate(b, db, r)
	}
	const batch = 512
	var runs []schedule.DueRun
	claims := make([]schedule.Claim, 0, batch)
	ds := make([]schedule.Delivery, 0, batch)
	// The runs of the batch in flight (claimed, not recorded): as in the
	// engine, records lag a batch behind claims.
	var prev []schedule.Delivery
	b.ResetTimer()
	for done := 0; done < b.N; {
		var err error
		if runs, err = db.DueRuns(ctx, storetest.T0.Add(100*24*time.Hour), batch, runs); err != nil || len(runs) == 0 {
			b.Fatalf("DueRuns = %d, %v", len(runs), err)
		}
		now := runs[0].NextRun
		claims = claims[:0]
		for _, r := range runs {
			claims = append(claims, schedule.Claim{Reminder: r.Reminder, Expect: r.NextRun, At: r.NextRun, Next: r.NextRun.Add(time.Minute),
				Owner: "bench", LeaseUntil: now.Add(2 * time.Minute), Ref: r.Ref})
		}
		res, err := db.ClaimBatch(ctx, claims)
		if err != nil {
			b.Fatal(err)
		}
		if prev != nil {
			if errs, err := db.DeliveredBatch(ctx, prev); err != nil || errs[0] != nil {
				b.Fatalf("DeliveredBatch: %v, %v", errs[0], err)
			}
		}
		ds = ds[:0]
		for i, c := range res {
			if !c.Won {
				b.Fatalf("claim of %s lost", claims[i].Reminder)
			}
			o := bot.Occurrence{Reminder: c.Reminder.ID, Tenant: c.Reminder.Tenant, At: claims[i].At, Kind: bot.RunOccurrence,
				State: bot.Claimed, Owner: "bench", LeaseUntil: claims[i].LeaseUntil, Attempts: 1}
			ds = append(ds, schedule.Delivery{Occurrence: o, Owner: "bench", MessageID: "m", At: claims[i].At, Ref: claims[i].Ref})
		}
		prev, ds = ds, prev[:0]
		done += len(res)
	}
}
