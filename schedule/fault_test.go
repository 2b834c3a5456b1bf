package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

var errDown = errors.New("connection refused")

// downStore is a SQLite store whose database can be taken away: while down
// is set every engine query fails; while recordsDown is set only the
// records of deliveries do. It counts refill attempts.
type downStore struct {
	*sqlite.DB
	down, recordsDown atomic.Bool
	refills           atomic.Int64
}

func (s *downStore) err() error {
	if s.down.Load() {
		return errDown
	}
	return nil
}

func (s *downStore) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	s.refills.Add(1)
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.DB.DueReminders(ctx, until, limit)
}

func (s *downStore) DueRuns(ctx context.Context, until time.Time, limit int, buf []schedule.DueRun) ([]schedule.DueRun, error) {
	s.refills.Add(1)
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.DB.DueRuns(ctx, until, limit, buf)
}

func (s *downStore) OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.DB.OpenOccurrences(ctx, until, limit)
}

func (s *downStore) ClaimBatch(ctx context.Context, cs []schedule.Claim) ([]schedule.Claimed, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.DB.ClaimBatch(ctx, cs)
}

func (s *downStore) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	if err := s.err(); err != nil || s.recordsDown.Load() {
		return nil, errDown
	}
	return s.DB.DeliveredBatch(ctx, ds)
}

func (s *downStore) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	if err := s.err(); err != nil {
		return err
	}
	return s.DB.Retry(ctx, o, owner, at, lastErr)
}

func (s *downStore) Acquire(ctx context.Context, o bot.Occurrence, owner string, lease time.Time) (bool, error) {
	if err := s.err(); err != nil {
		return false, err
	}
	return s.DB.Acquire(ctx, o, owner, lease)
}

func (s *downStore) ReminderByID(ctx context.Context, id bot.ReminderID) (bot.Reminder, error) {
	if err := s.err(); err != nil {
		return bot.Reminder{}, err
	}
	return s.DB.ReminderByID(ctx, id)
}

func (s *downStore) Ping(ctx context.Context) error {
	if err := s.err(); err != nil {
		return err
	}
	return s.DB.Ping(ctx)
}

// countingHandler counts log records at Warn and above.
type countingHandler struct{ n atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		h.n.Add(1)
	}
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

// advance moves clock forward to d past its start in steps, giving the
// engine's goroutines a moment of real time after each.
func advance(clock *bottest.Clock, until time.Time, step time.Duration) {
	for clock.Now().Before(until) {
		clock.Advance(step)
		time.Sleep(time.Millisecond)
	}
}

// waitFor waits for cond on the wall clock, for engines that act on a fake
// clock already advanced. It looks again after 1 ms, then less and less
// often (up to every 25 ms): a look is often a query of thousands of
// rows, which under the race detector on a busy machine would otherwise
// take the CPU the engine needs to make cond true. The deadline only
// bounds a test that has failed, so it is generous.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for pause := time.Millisecond; !cond(); pause = min(2*pause, 25*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(pause)
	}
}

func TestStoreOutageWithABacklogBacksOff(t *testing.T) {
	db := &downStore{DB: openDB(t)}
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 1 second", time.UTC, clock.Now())
	// More than one batch is due: a failed refill must not look like a
	// full batch with more to load.
	for i := 0; i < 1200; i++ {
		mustReminder(t, db.DB, fmt.Sprintf("o%04d", i), rule, clock.Now())
	}
	d := &countingDeliverer{}
	logs := &countingHandler{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithLogger(slog.New(logs)))
	if err != nil {
		t.Fatal(err)
	}
	db.down.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the first refill", func() bool { return db.refills.Load() > 0 })
	advance(clock, bottest.Start.Add(5*time.Minute), 250*time.Millisecond)
	t.Logf("five-minute outage: %d refills, %d log lines", db.refills.Load(), logs.n.Load())
	if eng.Healthy() {
		t.Error("Healthy() = true while the store is down")
	}
	// 100 ms doubling to 30 s: about 17 attempts in five minutes.
	if n := db.refills.Load(); n > 25 {
		t.Errorf("%d refills during a five-minute outage, want at most 25", n)
	}
	if n := logs.n.Load(); n > 1 {
		t.Errorf("%d warnings and errors logged during the outage, want 1", n)
	}

	// The store answers again: delivery resumes within two seconds, not
	// after the 30 s backoff.
	db.down.Store(false)
	back := clock.Now()
	for d.n.Load() < 1200 && clock.Now().Before(back.Add(2*time.Second)) {
		clock.Advance(100 * time.Millisecond)
		time.Sleep(20 * time.Millisecond)
	}
	waitFor(t, "the backlog", func() bool { return d.n.Load() == 1200 })
	if clock.Now().After(back.Add(2 * time.Second)) {
		t.Errorf("backlog resumed %v after the store came back, want within 2 s", clock.Now().Sub(back))
	}
	if !eng.Healthy() {
		t.Error("Healthy() = false after the store recovered")
	}
}

// postThenDown is a deliverer that takes the store away right after the
// platform accepted the post.
type postThenDown struct {
	countingDeliverer
	after func()
}

func (d *postThenDown) Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	sent, err := d.countingDeliverer.Deliver(ctx, r, o)
	d.after()
	return sent, err
}

func TestAPostIsRecordedAfterAStoreOutage(t *testing.T) {
	for _, tt := range []struct {
		name    string
		outage  time.Duration
		records bool // only the records fail; the lease can be renewed
	}{
		{"store down 60 s", time.Minute, false},
		{"records failing 5 min", 5 * time.Minute, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := &downStore{DB: openDB(t)}
			clock := bottest.NewClock(bottest.Start)
			p := when.Parser{MinInterval: time.Second}
			rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
			r := mustReminder(t, db.DB, "rec1", rule, clock.Now())
			d := &postThenDown{after: func() {
				if tt.records {
					db.recordsDown.Store(true)
				} else {
					db.down.Store(true)
				}
			}}
			eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithLogger(slog.New(&countingHandler{})))
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(5 * time.Second)
			ticked := make(chan error, 1)
			go func() { ticked <- eng.Tick(ctx) }()
			waitFor(t, "the post", func() bool { return d.n.Load() == 1 })
			advance(clock, clock.Now().Add(tt.outage), time.Second)
			db.down.Store(false)
			db.recordsDown.Store(false)
			// The record's next try waits on the clock (a backoff of up to
			// 30 s, which the steps above may not have reached once it was
			// set): time goes on until it is written, within the lease.
			for end := clock.Now().Add(2 * time.Minute); ; {
				select {
				case err := <-ticked:
					if err != nil {
						t.Fatal(err)
					}
				case <-time.After(5 * time.Millisecond):
					if clock.Now().Before(end) {
						clock.Advance(time.Second)
						continue
					}
					select {
					case err := <-ticked:
						if err != nil {
							t.Fatal(err)
						}
					case <-time.After(10 * time.Second):
						t.Fatal("the post was not recorded within the lease after the store came back")
					}
				}
				break
			}
			if got, err := db.ReminderByID(ctx, "rec1"); err != nil || got.LastMessage != "m" {
				t.Fatalf("after the outage LastMessage = %q, %v; want the post recorded", got.LastMessage, err)
			}
			// Long past any lease: nothing is open, nothing is sent again.
			clock.Advance(30 * time.Minute)
			if err := eng.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if got := d.count(fmt.Sprintf("rec1@%d/run", r.NextRun.Unix())); got != 1 {
				t.Fatalf("posted %d times, want 1", got)
			}
		})
	}
}

// retryDeliverer fails each reminder's first delivery with err.
type retryDeliverer struct {
	countingDeliverer
	mu     sync.Mutex
	failed map[bot.ReminderID]bool
	err    error
}

func (d *retryDeliverer) Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	d.mu.Lock()
	first := !d.failed[r.ID]
	d.failed[r.ID] = true
	d.mu.Unlock()
	if first {
		return bot.Sent{}, d.err
	}
	return d.countingDeliverer.Deliver(ctx, r, o)
}

func TestRetryComesAtItsTime(t *testing.T) {
	for _, tt := range []struct {
		name          string
		err           error
		before, after time.Duration
	}{
		{"Retry-After", &bot.DeliveryError{RetryAfter: 7 * time.Second, Reason: "rate limited", Err: errDown},
			7*time.Second - time.Millisecond, 7 * time.Second},
		// The engine's own backoff: 5 s ± 20 %.
		{"backoff", &bot.DeliveryError{Reason: "server error", Err: errDown}, 4 * time.Second, 6 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			clock := bottest.NewClock(bottest.Start)
			p := when.Parser{MinInterval: time.Second}
			rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
			mustReminder(t, db, "rt1", rule, clock.Now())
			mustReminder(t, db, "rt2", rule, clock.Now())
			d := &retryDeliverer{failed: map[bot.ReminderID]bool{"rt2": true}, err: tt.err}
			// One sender: the failure must not hold it.
			eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithWorkers(1),
				schedule.WithLogger(slog.New(&countingHandler{})))
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(5 * time.Second)
			failedAt := clock.Now()
			if err := eng.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if d.n.Load() != 1 {
				t.Fatalf("%d delivered at the due time, want rt2 only", d.n.Load())
			}
			clock.Set(failedAt.Add(tt.before))
			eng.Tick(ctx)
			if d.n.Load() != 1 {
				t.Fatalf("retried %v after the failure, too early", tt.before)
			}
			clock.Set(failedAt.Add(tt.after))
			eng.Tick(ctx)
			if d.n.Load() != 2 {
				t.Fatalf("not retried %v after the failure", tt.after)
			}
		})
	}
}

func TestNilLoggerAndClockKeepTheDefaults(t *testing.T) {
	db := openDB(t)
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, when.Parser{}, schedule.WithLogger(nil), schedule.WithClock(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// followingDeliverer checks, when told a delivery is done, that the store
// already holds its record.
type followingDeliverer struct {
	countingDeliverer
	db       *sqlite.DB
	followed atomic.Int64
	early    atomic.Int64
}

func (d *followingDeliverer) Delivered(ctx context.Context, r bot.Reminder, o bot.Occurrence, sent bot.Sent) {
	d.followed.Add(1)
	if got, err := d.db.ReminderByID(ctx, r.ID); err != nil || got.LastMessage != sent.ID {
		d.early.Add(1)
	}
}

func TestFollowUpComesAfterTheRecord(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
	for i := 0; i < 20; i++ {
		mustReminder(t, db, fmt.Sprintf("fu%02d", i), rule, clock.Now())
	}
	d := &followingDeliverer{db: db}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if d.followed.Load() != 20 || d.early.Load() != 0 {
		t.Errorf("follow-ups: %d of 20, %d before their record", d.followed.Load(), d.early.Load())
	}
}

// scriptedDeliverer fails the deliveries with errs in turn, then delivers.
type scriptedDeliverer struct {
	countingDeliverer
	mu   sync.Mutex
	errs []error
}

func (d *scriptedDeliverer) Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	d.mu.Lock()
	var err error
	if len(d.errs) > 0 {
		err, d.errs = d.errs[0], d.errs[1:]
	}
	d.mu.Unlock()
	if err != nil {
		return bot.Sent{}, err
	}
	return d.countingDeliverer.Deliver(ctx, r, o)
}

// TestRateLimitWaitsDoNotGrowTheBackoff: a run held back by the platform's
// rate limit several times, then refused with a server error, is retried
// after the first step of the backoff, not after one grown by the waits
// the platform asked for.
func TestRateLimitWaitsDoNotGrowTheBackoff(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
	mustReminder(t, db, "rl1", rule, clock.Now())
	limited := &bot.DeliveryError{RetryAfter: time.Second, Reason: "rate limited", Err: errDown}
	d := &scriptedDeliverer{errs: []error{limited, limited, limited, limited, &bot.DeliveryError{Reason: "server error", Err: errDown}}}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithLogger(slog.New(&countingHandler{})))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	for range 5 {
		if err := eng.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
	}
	// The server error came at the fifth try, a second ago; the backoff's
	// first step is 5 s ± 20 %.
	clock.Advance(2 * time.Second)
	eng.Tick(ctx)
	if d.n.Load() != 0 {
		t.Fatal("retried before the backoff")
	}
	clock.Advance(3 * time.Second)
	eng.Tick(ctx)
	if d.n.Load() != 1 {
		t.Fatalf("not retried 6 s after the server error (the backoff grew with the rate-limit waits)")
	}
}

// commitThenDown is a store whose first claim batch commits and then, as a
// connection broken during the commit would, answers with an error and
// takes the store away.
type commitThenDown struct {
	*downStore
	lost atomic.Bool
}

func (s *commitThenDown) ClaimBatchInto(ctx context.Context, cs []schedule.Claim, out []schedule.Claimed) error {
	if err := s.err(); err != nil {
		return err
	}
	if !s.lost.Swap(true) {
		if err := s.DB.ClaimBatchInto(ctx, cs, out); err != nil {
			return err
		}
		s.down.Store(true)
		return errors.New("conn closed")
	}
	return s.DB.ClaimBatchInto(ctx, cs, out)
}

// A claim batch that committed but answered with an error (the connection
// broke during the commit) leaves the runs this instance's own claims.
// Once the store answers, they go out at once, once each, rather than when
// their lease ends (two minutes).
func TestClaimsCommittedUnbeknownGoOutWhenTheStoreIsBack(t *testing.T) {
	ctx := context.Background()
	db := &commitThenDown{downStore: &downStore{DB: openDB(t)}}
	clock := bottest.NewClock(bottest.Start)
	p := when.Parser{MinInterval: time.Second}
	rule, _ := p.Parse("in 5 seconds", time.UTC, clock.Now())
	var rs []bot.Reminder
	for i := range 3 {
		rs = append(rs, mustReminder(t, db.DB, fmt.Sprintf("lost%d", i), rule, clock.Now()))
	}
	d := &countingDeliverer{}
	eng, err := schedule.NewEngine(db, d, p, schedule.WithClock(clock), schedule.WithLogger(slog.New(&countingHandler{})))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the first refill", func() bool { return db.refills.Load() > 0 })
	advance(clock, bottest.Start.Add(5*time.Second), 100*time.Millisecond)
	waitFor(t, "the claim that commits unanswered", func() bool { return db.lost.Load() })
	advance(clock, clock.Now().Add(10*time.Second), 500*time.Millisecond)
	if n := d.n.Load(); n != 0 {
		t.Fatalf("%d delivered while the store was down", n)
	}
	db.down.Store(false)
	back := clock.Now()
	for d.n.Load() < int64(len(rs)) && clock.Now().Before(back.Add(10*time.Second)) {
		clock.Advance(100 * time.Millisecond)
		time.Sleep(5 * time.Millisecond)
	}
	if n := d.n.Load(); n != int64(len(rs)) {
		t.Fatalf("%d of %d delivered within 10 s of the store's return, want all (the claims are this instance's)", n, len(rs))
	}
	// Past every lease: nothing is taken over again.
	advance(clock, clock.Now().Add(5*time.Minute), 5*time.Second)
	for _, r := range rs {
		if got := d.count(fmt.Sprintf("%s@%d/run", r.ID, r.NextRun.Unix())); got != 1 {
			t.Errorf("%s posted %d times, want once", r.ID, got)
		}
	}
}
