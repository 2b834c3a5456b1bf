package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"

	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// MustSchema is a fresh schema on the test server (see pgtest).
var MustSchema = pgtest.Schema

// MustOpen opens the store at url, closed when tb ends.
func MustOpen(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return MustOpen(t, MustSchema(t)) })
}

// Two pools on one schema behave like two instances.
func TestClaimRaceTwoInstances(t *testing.T) {
	u := MustSchema(t)
	a, b := MustOpen(t, u), MustOpen(t, u)
	storetest.RaceClaim(t, a, b)
	storetest.RaceSeen(t, a, b)
	storetest.RaceSeenAll(t, a, b)
	storetest.RaceSaveBreaks(t, a, b)
}

// Instances starting together migrate once, without errors.
func TestConcurrentMigrate(t *testing.T) {
	u := MustSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := postgres.Open(t.Context(), u)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Open: %v", err)
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://bob:hunter2@127.0.0.1:1/nope?sslmode=disable&connect_timeout=1")
	if err == nil {
		t.Fatal("Open(bad port) succeeded")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error leaks the password: %v", err)
	}
}

// Notify hears another instance create a reminder, and not the claims
// that move work later.
func TestNotifyDueChanges(t *testing.T) {
	u := MustSchema(t)
	a, b := MustOpen(t, u), MustOpen(t, u)
	got := make(chan struct{}, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.Notify(ctx, func() {
			select {
			case got <- struct{}{}:
			default:
			}
		})
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatalf("no notification %s", what)
		}
	}
	wait("when listening starts")
	storetest.MustCreate(t, b, storetest.Reminder("n1", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	wait("for a new reminder")
	res, err := b.ClaimBatch(ctx, []schedule.Claim{{Reminder: "n1", Expect: storetest.T0, At: storetest.T0,
		Next: storetest.T0.Add(time.Hour), Owner: "i1", LeaseUntil: storetest.T0.Add(time.Minute)}})
	if err != nil || !res[0].Won {
		t.Fatalf("ClaimBatch = %v, %v", res, err)
	}
	select {
	case <-got:
		t.Error("a claim notified")
	case <-time.After(300 * time.Millisecond):
	}
	if err := b.SetPaused(ctx, "T1", "n1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := b.SetPaused(ctx, "T1", "n1", false, time.Time{}); err != nil {
		t.Fatal(err)
	}
	wait("for a resumed reminder")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Notify after cancel = %v", err)
	}
}

// The notifications every ChangeNotifier gives (store/sqlite's too).
func TestNotifyChangesConformance(t *testing.T) {
	u := MustSchema(t)
	storetest.NotifyChanges(t, MustOpen(t, u), MustOpen(t, u))
}

// The users every UserChangeNotifier reports (store/sqlite's too).
func TestNotifyUserChangesConformance(t *testing.T) {
	u := MustSchema(t)
	storetest.NotifyUserChanges(t, MustOpen(t, u), MustOpen(t, u))
}

// The rotations every RotationChangeNotifier reports (store/sqlite's too).
func TestNotifyRotationChangesConformance(t *testing.T) {
	u := MustSchema(t)
	storetest.NotifyRotationChanges(t, MustOpen(t, u), MustOpen(t, u))
}

// Every change `list` shows is notified, also those that stop no run.
func TestNotifyListChanges(t *testing.T) {
	u := MustSchema(t)
	storetest.NotifyListChanges(t, MustOpen(t, u), MustOpen(t, u))
}

// Two Bots on one database keep callers' settings and lists in memory,
// and see each other's changes when the database notifies them.
func TestCachesAcrossInstances(t *testing.T) {
	u := MustSchema(t)
	storetest.CachesAcrossInstances(t, MustOpen(t, u), MustOpen(t, u))
}

// Another deployment's schema on the same database is not heard: its
// changes reach only the instances that share its schema.
func TestNotifyChangesStaysInItsSchema(t *testing.T) {
	u := MustSchema(t)
	a, b := MustOpen(t, u), MustOpen(t, u)
	other := MustOpen(t, MustSchema(t))
	got := make(chan []bot.ReminderID, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.NotifyChanges(ctx, func(ids ...bot.ReminderID) { got <- ids })
	}()
	next := func(what string) []bot.ReminderID {
		t.Helper()
		select {
		case ids := <-got:
			return ids
		case <-time.After(5 * time.Second):
			t.Fatalf("no notification %s", what)
		}
		return nil
	}
	next("when listening starts")
	storetest.MustCreate(t, other, storetest.Reminder("x1", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	if err := other.SetPaused(ctx, "T1", "x1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// A pause in a's own schema, after the other's: everything a hears up
	// to it must be its own.
	storetest.MustCreate(t, b, storetest.Reminder("o1", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	if err := b.SetPaused(ctx, "T1", "o1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for paused := false; !paused; {
		for _, id := range next("for a pause") {
			switch id {
			case "o1":
				paused = true
			default:
				t.Errorf("heard %s, a reminder of another schema", id)
			}
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyChanges after cancel = %v", err)
	}
}
