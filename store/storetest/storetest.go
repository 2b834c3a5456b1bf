// Package storetest is the conformance suite every store.Store driver runs
// from its own tests, in the manner of go-cloud's drivertest:
//
//	func TestConformance(t *testing.T) {
//		storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return newStore(t) })
//	}
//
// Besides the behaviour the interface comments promise, it pins down what
// they leave open, so that drivers agree: times round-trip with nanosecond
// precision and come back in UTC; AddOccurrence stores a Pending occurrence
// and answers bot.ErrNotFound for an unknown reminder.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store"
)

// T0 is the base instant of the suite. It has a nanosecond part on purpose.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)

// RunConformanceTests runs the suite. open must return a fresh, empty store
// for each call and arrange for it to be closed when t ends.
func RunConformanceTests(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Users", testUsers},
		{"PersonalSettings", testPersonalSettings},
		{"Completions", testCompletions},
		{"Rotations", testRotations},
		{"RotationChangesWithUserChanges", testRotationChangesWithUserChanges},
		{"SaveBreaks", testSaveBreaks},
		{"CreateReminder", testCreateReminder},
		{"Reminders", testReminders},
		{"DeleteReminder", testDeleteReminder},
		{"SetPaused", testSetPaused},
		{"AdvanceReminder", testAdvanceReminder},
		{"AddOccurrence", testAddOccurrence},
		{"DueReminders", testDueReminders},
		{"Claim", testClaim},
		{"RunRefs", testRunRefs},
		{"ClaimBatch", testClaimBatch},
		{"ClaimBatchMixed", testClaimBatchMixed},
		{"ClaimBatchInto", testClaimBatchInto},
		{"DeliveredBatch", testDeliveredBatch},
		{"Acquire", testAcquire},
		{"Delivered", testDelivered},
		{"Retry", testRetry},
		{"Unsure", testUnsure},
		{"Fail", testFail},
		{"Abandon", testAbandon},
		{"OpenOccurrences", testOpenOccurrences},
		{"AcquirePaused", testAcquirePaused},
		{"SnoozeReplaces", testSnoozeReplaces},
		{"DeliveredSnooze", testDeliveredSnooze},
		{"PendingSnoozes", testPendingSnoozes},
		{"DeliveredThenClaimed", testDeliveredThenClaimed},
		{"RecordedAfterNextClaim", testRecordedAfterNextClaim},
		{"Release", testRelease},
		{"BatchClaimDies", testBatchClaimDies},
		{"BatchClaimRecorded", testBatchClaimRecorded},
		{"BatchClaimRetried", testBatchClaimRetried},
		{"BatchClaimPaused", testBatchClaimPaused},
		{"BatchClaimReleased", testBatchClaimReleased},
		{"DeliveredRun", testDeliveredRun},
		{"PruneOccurrences", testPruneOccurrences},
		{"PruneKeptDeliveries", testPruneKeptDeliveries},
		{"TimePrecision", testTimePrecision},
		{"Lifecycle", testLifecycle},
		{"Installations", testInstallations},
		{"PauseTenant", testPauseTenant},
		{"ConcurrentClaim", func(t *testing.T, s store.Store) { RaceClaim(t, s) }},
		{"Seen", testSeen},
		{"Team", testTeam},
		{"ConcurrentSeen", func(t *testing.T, s store.Store) { RaceSeen(t, s) }},
		{"SeenAll", testSeenAll},
		{"SeenAndBreaks", testSeenAndBreaks},
		{"ConcurrentSeenAll", func(t *testing.T, s store.Store) { RaceSeenAll(t, s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// RaceClaim makes 8 goroutines, spread over stores (which must share one
// database), race to Claim the same run, and checks that exactly one wins.
// The database must not yet hold a reminder with id "race".
func RaceClaim(t *testing.T, stores ...store.Store) {
	t.Helper()
	ctx := t.Context()
	MustCreate(t, stores[0], Reminder("race", "T1", bot.Personal, "U1", "C1", T0, T0))
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins []string
		errs []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			owner := fmt.Sprintf("instance-%d", i)
			ok, err := stores[i%len(stores)].Claim(ctx, schedule.Claim{
				Reminder: "race", Expect: T0, At: T0, Next: T0.Add(time.Hour),
				Owner: owner, LeaseUntil: T0.Add(time.Minute),
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				wins = append(wins, owner)
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("Claim error: %v", err)
	}
	if len(wins) != 1 {
		t.Fatalf("winners = %v, want exactly one", wins)
	}
	occ := MustOpen(t, stores[0], T0.Add(time.Minute))
	if len(occ) != 1 || occ[0].Owner != wins[0] || occ[0].State != bot.Claimed {
		t.Errorf("occurrences = %+v, want one claimed by %s", occ, wins[0])
	}
	r, err := stores[len(stores)-1].ReminderByID(ctx, "race")
	if err != nil {
		t.Fatal(err)
	}
	if !r.NextRun.Equal(T0.Add(time.Hour)) {
		t.Errorf("NextRun = %v, want %v", r.NextRun, T0.Add(time.Hour))
	}
}

// Reminder returns a reminder with every field set, created at created and
// next due at next.
func Reminder(id bot.ReminderID, tenant bot.TenantID, kind bot.ReminderKind, owner bot.UserID, channel bot.ChannelID, created, next time.Time) bot.Reminder {
	return bot.Reminder{
		ID: id, Tenant: tenant, Platform: bot.Slack, Kind: kind, Owner: owner, Channel: channel,
		ChannelName: "general", Rule: "every weekday at 10:00", Zone: "Europe/Paris", Note: "stand up " + string(id),
		Routine:     bot.RoutineOptions{Minutes: 5, Place: "desk", Category: "mobility"},
		LastRoutine: "cat-cow:60 childs-pose:45",
		NextRun:     next,
		CreatedAt:   created,
	}
}

// MustCreate creates r or fails the test.
func MustCreate(tb testing.TB, s store.Store, r bot.Reminder) {
	tb.Helper()
	if err := s.CreateReminder(context.Background(), r); err != nil {
		tb.Fatalf("CreateReminder(%s): %v", r.ID, err)
	}
}

// MustOpen returns the open occurrences due by until or fails the test.
func MustOpen(tb testing.TB, s store.Store, until time.Time) []bot.Occurrence {
	tb.Helper()
	occ, err := s.OpenOccurrences(context.Background(), until, 100)
	if err != nil {
		tb.Fatalf("OpenOccurrences: %v", err)
	}
	return occ
}

func mustReminder(tb testing.TB, s store.Store, id bot.ReminderID) bot.Reminder {
	tb.Helper()
	r, err := s.ReminderByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("ReminderByID(%s): %v", id, err)
	}
	return r
}

func mustClaim(tb testing.TB, s store.Store, c schedule.Claim) {
	tb.Helper()
	ok, err := s.Claim(context.Background(), c)
	if err != nil || !ok {
		tb.Fatalf("Claim(%+v) = %v, %v; want true", c, ok, err)
	}
}

func wantErr(tb testing.TB, what string, err, target error) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Errorf("%s: err = %v, want %v", what, err, target)
	}
}

func must(tb testing.TB, what string, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// diff reports how got differs from want, comparing time.Time with Equal and
// requiring every non-zero returned time to be in UTC.
func diff(got, want any) string {
	return diffValue("", reflect.ValueOf(got), reflect.ValueOf(want))
}

var timeType = reflect.TypeFor[time.Time]()

func diffValue(path string, g, w reflect.Value) string {
	if g.Type() == timeType {
		gt, wt := g.Interface().(time.Time), w.Interface().(time.Time)
		if !gt.Equal(wt) {
			return fmt.Sprintf("%s = %v, want %v\n", path, gt, wt)
		}
		if !gt.IsZero() && gt.Location() != time.UTC {
			return fmt.Sprintf("%s = %v, want it in UTC\n", path, gt)
		}
		return ""
	}
	switch g.Kind() {
	case reflect.Struct:
		var out string
		for i := range g.NumField() {
			out += diffValue(path+"."+g.Type().Field(i).Name, g.Field(i), w.Field(i))
		}
		return out
	case reflect.Slice:
		if g.Len() != w.Len() {
			return fmt.Sprintf("%s: len = %d, want %d (%+v, want %+v)\n", path, g.Len(), w.Len(), g.Interface(), w.Interface())
		}
		var out string
		for i := range g.Len() {
			out += diffValue(fmt.Sprintf("%s[%d]", path, i), g.Index(i), w.Index(i))
		}
		return out
	default:
		if !reflect.DeepEqual(g.Interface(), w.Interface()) {
			return fmt.Sprintf("%s = %#v, want %#v\n", path, g.Interface(), w.Interface())
		}
		return ""
	}
}

func ids(rs []bot.Reminder) []bot.ReminderID {
	out := []bot.ReminderID{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
