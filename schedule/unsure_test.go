package schedule_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// unsureDeliverer answers each attempt with the next of errs (nil: posted)
// and records whether the attempt came with Occurrence.Unsure.
type unsureDeliverer struct {
	mu     sync.Mutex
	errs   []error
	unsure []bool
}

func (d *unsureDeliverer) Deliver(_ context.Context, _ bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.unsure = append(d.unsure, o.Unsure)
	var err error
	if len(d.errs) > 0 {
		err, d.errs = d.errs[0], d.errs[1:]
	}
	if err != nil {
		return bot.Sent{}, err
	}
	return bot.Sent{ID: "m"}, nil
}

func (d *unsureDeliverer) DeliveryPaused(context.Context, bot.Reminder, string) {}

func (d *unsureDeliverer) attempts() []bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]bool(nil), d.unsure...)
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// An attempt whose answer was lost is retried as one that may repeat a
// post, by another instance too; an answered refusal (a 429) is not.
func TestUnsureFailureGoesWithTheRetry(t *testing.T) {
	lost := &bot.DeliveryError{Reason: "the delivery was interrupted", Err: context.DeadlineExceeded, Unsure: true}
	limited := &bot.DeliveryError{RetryAfter: 30 * time.Second, Reason: "Slack is rate limiting the bot", Err: errors.New("429")}
	for _, tc := range []struct {
		name  string
		first error
		want  []bool
	}{
		{"answer lost", lost, []bool{false, true}},
		{"rate limited", limited, []bool{false, false}},
		{"lost then limited", lost, []bool{false, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			clock := bottest.NewClock(bottest.Start)
			p := when.Parser{MinInterval: time.Second}
			rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			mustReminder(t, db, "u1", rule, clock.Now())
			errs := []error{tc.first}
			if len(tc.want) == 3 {
				errs = append(errs, limited)
			}
			d := &unsureDeliverer{errs: errs}
			a, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner("a"),
				schedule.WithRetryBackoff(30*time.Second, time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			// The retry is made by another instance: what the first knew
			// went through the store.
			b, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner("b"),
				schedule.WithRetryBackoff(30*time.Second, time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(10 * time.Second)
			a.Tick(ctx)
			for range len(tc.want) - 1 {
				clock.Advance(2 * time.Minute)
				b.Tick(ctx)
			}
			if got := d.attempts(); !equalBools(got, tc.want) {
				t.Errorf("attempts' Unsure = %v, want %v", got, tc.want)
			}
		})
	}
}

// A run whose holder died after claiming it is taken over as one that may
// repeat a post: the holder may have posted before it died.
func TestTakeoverIsUnsure(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("in 10 seconds", time.UTC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := mustReminder(t, db, "u2", rule, clock.Now())
	clock.Advance(10 * time.Second)
	ok, err := db.Claim(ctx, schedule.Claim{Reminder: r.ID, Expect: r.NextRun, At: r.NextRun, Owner: "dead", LeaseUntil: clock.Now().Add(time.Minute)})
	if err != nil || !ok {
		t.Fatalf("claim = %v, %v", ok, err)
	}
	d := &unsureDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithOwner("alive"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute + time.Second)
	eng.Tick(ctx)
	if got := d.attempts(); !equalBools(got, []bool{true}) {
		t.Errorf("attempts' Unsure = %v, want [true]", got)
	}
}

// pausingDeliverer is an unsureDeliverer that notes DeliveryPaused.
type pausingDeliverer struct {
	unsureDeliverer
	paused int
}

func (d *pausingDeliverer) DeliveryPaused(context.Context, bot.Reminder, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.paused++
}

// A run the adapter gave up on (it could not tell whether an earlier
// attempt was posted, and the run is too late to wait) is passed over:
// its reminder is not paused and its next run goes out. A store that
// cannot abandon a run fails it as before, pausing the reminder.
func TestGivenUpRunIsPassedOver(t *testing.T) {
	gaveUp := &bot.DeliveryError{GiveUp: true, Reason: "the bot could not check whether it was posted", Err: errors.New("history: ratelimited")}
	for _, tc := range []struct {
		name       string
		abandoner  bool
		wantPaused bool
	}{
		{"store that abandons", true, false},
		{"store that cannot", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			clock := bottest.NewClock(bottest.Start)
			p := when.Parser{MinInterval: time.Second}
			rule, err := p.Parse("every 10 seconds", time.UTC, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			mustReminder(t, db, "g1", rule, clock.Now())
			var st schedule.Store = db
			if !tc.abandoner {
				st = struct{ schedule.Store }{db}
			}
			d := &pausingDeliverer{unsureDeliverer: unsureDeliverer{errs: []error{gaveUp}}}
			eng, err := schedule.NewEngine(st, d, p, schedule.WithClock(clock), schedule.WithOwner("a"))
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(10 * time.Second)
			eng.Tick(ctx)
			open, err := db.OpenOccurrences(ctx, clock.Now().Add(time.Hour), 10)
			if err != nil || len(open) != 0 {
				t.Fatalf("open after the give-up: %v, %v", open, err)
			}
			r, err := db.ReminderByID(ctx, "g1")
			if err != nil {
				t.Fatal(err)
			}
			if r.Paused != tc.wantPaused || (d.paused > 0) != tc.wantPaused {
				t.Fatalf("reminder paused %v, creator told %d times; want paused %v", r.Paused, d.paused, tc.wantPaused)
			}
			if tc.wantPaused {
				return
			}
			clock.Advance(10 * time.Second)
			eng.Tick(ctx)
			if got := len(d.attempts()); got != 2 {
				t.Errorf("%d attempts, want 2: the run given up, then the next run", got)
			}
			if r, _ := db.ReminderByID(ctx, "g1"); r.LastRun.IsZero() {
				t.Error("the next run was not recorded")
			}
		})
	}
}
