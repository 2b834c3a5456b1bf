package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/sqlite"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// MustOpen opens a fresh database file in a temporary directory, closed when
// tb ends.
func MustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "stretchbot.db")
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return MustOpen(t, "") })
}

func TestConformanceMemory(t *testing.T) {
	storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return MustOpen(t, sqlite.Memory) })
}

// Two handles on one file behave like two processes: separate connection
// pools contending for the same file lock.
func TestClaimRaceTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, b := MustOpen(t, path), MustOpen(t, path)
	storetest.RaceClaim(t, a, b)
	storetest.RaceSeen(t, a, b)
	storetest.RaceSeenAll(t, a, b)
	storetest.RaceSaveBreaks(t, a, b)
}

func TestOpenMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")
	_, err := sqlite.Open(t.Context(), path)
	if err == nil || !strings.Contains(err.Error(), "no/such/dir") {
		t.Fatalf("Open(missing dir) = %v, want an error naming the directory", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re.db")
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustCreate(t, db, storetest.Reminder("keep", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	db.Close()
	db = MustOpen(t, path)
	if _, err := db.ReminderByID(t.Context(), "keep"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

// seed fills db with n personal reminders due one second apart from T0, in
// batches so that seeding 100k takes seconds.
func seed(tb testing.TB, db *sqlite.DB, n int) {
	tb.Helper()
	for i := range n {
		id := bot.ReminderID(fmt.Sprintf("r%07d", i))
		r := storetest.Reminder(id, bot.TenantID(fmt.Sprintf("T%d", i%100)), bot.Personal, "U1", "C1",
			storetest.T0, storetest.T0.Add(time.Duration(i)*time.Second))
		if i%10 == 0 {
			r.Paused = true
		}
		storetest.MustCreate(tb, db, r)
	}
}

// BenchmarkDueReminders reads the 100 earliest due reminders among 100k.
func BenchmarkDueReminders(b *testing.B) {
	db := MustOpen(b, "")
	seed(b, db, 100_000)
	until := storetest.T0.Add(24 * time.Hour)
	b.ResetTimer()
	for b.Loop() {
		rs, err := db.DueReminders(context.Background(), until, 100)
		if err != nil || len(rs) != 100 {
			b.Fatalf("DueReminders = %d, %v", len(rs), err)
		}
	}
}

// BenchmarkDueRuns is BenchmarkDueReminders as the engine's refills read
// them: compact runs into a reused buffer.
func BenchmarkDueRuns(b *testing.B) {
	db := MustOpen(b, "")
	seed(b, db, 100_000)
	until := storetest.T0.Add(24 * time.Hour)
	var buf []schedule.DueRun
	b.ResetTimer()
	for b.Loop() {
		runs, err := db.DueRuns(context.Background(), until, 100, buf)
		if err != nil || len(runs) != 100 {
			b.Fatalf("DueRuns = %d, %v", len(runs), err)
		}
		buf = runs
	}
}

// BenchmarkClaim claims one run per iteration in a table of 100k reminders.
func BenchmarkClaim(b *testing.B) {
	db := MustOpen(b, "")
	seed(b, db, 100_000)
	ctx := context.Background()
	next := map[bot.ReminderID]time.Time{}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		id := bot.ReminderID(fmt.Sprintf("r%07d", 1+i%9*1+i/9*10)) // skips the paused ones
		i++
		expect, ok := next[id]
		if !ok {
			r, _ := db.ReminderByID(ctx, id)
			expect = r.NextRun
		}
		n := expect.Add(time.Hour)
		won, err := db.Claim(ctx, schedule.Claim{Reminder: id, Expect: expect, At: expect, Next: n, Owner: "bench", LeaseUntil: expect.Add(time.Minute)})
		if err != nil || !won {
			b.Fatalf("Claim(%s) = %v, %v", id, won, err)
		}
		next[id] = n
	}
}

// Expired seen keys are deleted as new ones come in, so the table holds
// about what is live.
func TestSeenExpiredKeysDeleted(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "seen.db")
	db := MustOpen(t, path)
	t0 := time.Unix(1_800_000_000, 0)
	for _, phase := range []struct {
		prefix string
		at     time.Time
	}{{"old", t0}, {"new", t0.Add(time.Hour)}} {
		for i := range 300 {
			if _, err := db.FirstSeen(ctx, fmt.Sprint(phase.prefix, " ", i), phase.at, phase.at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM seen`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 300 {
		t.Errorf("seen holds %d rows, want the 300 live ones", n)
	}
}

// The store runs its writes and the engine's reads on one connection, the
// other reads on a pool: all of them used at once from many goroutines,
// with the checkpointer, finish, none waiting for a connection another
// holds.
func TestConcurrentUseOfTheWritesConnection(t *testing.T) {
	db := MustOpen(t, "")
	seed(t, db, 200)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	errs := make(chan error, 16)
	for g := range 8 {
		go func() {
			errs <- func() error {
				var buf []schedule.DueRun
				for i := range 25 {
					id := bot.ReminderID(fmt.Sprintf("r%07d", g+8*i)) // each of the 200 once
					r, err := db.ReminderByID(ctx, id)
					if err != nil {
						return err
					}
					if !r.Paused {
						next := r.NextRun.Add(time.Hour)
						won, err := db.Claim(ctx, schedule.Claim{Reminder: id, Expect: r.NextRun, At: r.NextRun, Next: next,
							Owner: "o", LeaseUntil: r.NextRun.Add(time.Minute)})
						if err != nil || !won {
							return fmt.Errorf("claim %s: %v, %v", id, won, err)
						}
					}
					if buf, err = db.DueRuns(ctx, storetest.T0.Add(time.Hour), 50, buf); err != nil {
						return err
					}
				}
				return nil
			}()
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
