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

// Pausing, pausing for longer and deleting name the reminder, so that an
// instance holding a run of it claimed ahead checks it again; claims, even
// many at once, notify nobody.
func TestNotifyChangesNamesPausedAndDeletedReminders(t *testing.T) {
	u := MustSchema(t)
	a, b := MustOpen(t, u), MustOpen(t, u)
	// Another deployment's schema on the same database is not heard.
	other := MustOpen(t, MustSchema(t))
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
	want := func(what string, ids ...bot.ReminderID) {
		t.Helper()
		if c := next(what); strings.Join(toStrings(c.ids), ",") != strings.Join(toStrings(ids), ",") {
			t.Errorf("%s: notified %v, want %v", what, c.ids, ids)
		}
	}
	want("when listening starts")
	var claims []schedule.Claim
	for _, id := range []bot.ReminderID{"c1", "c2", "c3"} {
		storetest.MustCreate(t, b, storetest.Reminder(id, "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
		want("for a new reminder")
		claims = append(claims, schedule.Claim{Reminder: id, Expect: storetest.T0, At: storetest.T0,
			Next: storetest.T0.Add(time.Hour), Owner: "i1", LeaseUntil: storetest.T0.Add(time.Minute)})
	}
	if res, err := b.ClaimBatch(ctx, claims); err != nil || !res[0].Won || !res[2].Won {
		t.Fatalf("ClaimBatch = %v, %v", res, err)
	}
	quiet("a claim")
	storetest.MustCreate(t, other, storetest.Reminder("o1", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	if err := other.SetPaused(ctx, "T1", "o1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	quiet("another schema's change")

	if err := b.SetPaused(ctx, "T1", "c1", false, storetest.T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want("for a timed pause", "c1")
	if err := b.SetPaused(ctx, "T1", "c1", false, storetest.T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	quiet("a shorter pause")
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
	if _, err := b.PauseTenant(ctx, bot.Slack, "T1"); err != nil {
		t.Fatal(err)
	}
	seen := map[bot.ReminderID]bool{}
	for range 2 {
		for _, id := range next("for an uninstall").ids {
			seen[id] = true
		}
	}
	if !seen["c1"] || !seen["c3"] {
		t.Errorf("uninstall notified %v, want c1 and c3", seen)
	}
	if err := b.DeleteReminder(ctx, "T1", "c3"); err != nil {
		t.Fatal(err)
	}
	quiet("deleting a paused reminder")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyChanges after cancel = %v", err)
	}
}

func toStrings(ids []bot.ReminderID) []string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return s
}
