package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// flakyPlatform is a fake platform that refuses 20 % of posts with a rate
// limit (Retry-After 100 ms) and 10 % with a server error, and counts what
// it accepted per occurrence. Like the Slack adapter, an attempt marked
// Unsure first looks for an accepted post of its occurrence and, finding
// one, posts nothing.
type flakyPlatform struct {
	mu       sync.Mutex
	rng      *rand.Rand
	accepted map[string]int
	// by is the instance that made each occurrence's latest attempt;
	// lookups counts the unsure attempts, misplaced those whose earlier
	// attempt was not the killed instance's (a refusal the platform
	// answered must not make the next attempt look).
	by                 map[string]string
	lookups, misplaced int
}

func (p *flakyPlatform) distinct() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.accepted)
}

// attempt notes that who makes an attempt at o, and reports whether an
// unsure one finds its occurrence posted already.
func (p *flakyPlatform) attempt(o bot.Occurrence, who string) (found bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := fmt.Sprintf("%s@%d", o.Reminder, o.At.UnixNano())
	if o.Unsure {
		p.lookups++
		if p.by[key] != "a" {
			p.misplaced++
		}
		found = p.accepted[key] > 0
	}
	p.by[key] = who
	return found
}

func (p *flakyPlatform) post(o bot.Occurrence) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch x := p.rng.IntN(100); {
	case x < 20:
		return &bot.DeliveryError{RetryAfter: 100 * time.Millisecond, Reason: "rate limited", Err: errors.New("429")}
	case x < 30:
		return &bot.DeliveryError{Reason: "server error", Err: errors.New("500")}
	}
	p.accepted[fmt.Sprintf("%s@%d", o.Reminder, o.At.UnixNano())]++
	return nil
}

// instance is one bot process's view of the platform: once dead, it posts
// nothing (a killed process sends nothing more).
type instance struct {
	p    *flakyPlatform
	dead *atomic.Bool
	name string
}

func (i instance) Deliver(_ context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	if i.p.attempt(o, i.name) {
		return bot.Sent{ID: "found"}, nil
	}
	if i.dead.Load() {
		return bot.Sent{ID: "never-posted"}, nil
	}
	if err := i.p.post(o); err != nil {
		return bot.Sent{}, err
	}
	return bot.Sent{ID: "m"}, nil
}

func (instance) DeliveryPaused(context.Context, bot.Reminder, string) {}

// killable is a store a killed process can no longer write to. It notes
// the deliveries whose record the kill cut off: the crash window, the only
// occurrences allowed to arrive twice.
type killable struct {
	*postgres.DB
	dead   *atomic.Bool
	mu     sync.Mutex
	window map[string]bool
}

var errKilled = errors.New("process killed")

func (k *killable) ClaimBatch(ctx context.Context, cs []schedule.Claim) ([]schedule.Claimed, error) {
	if k.dead.Load() {
		return nil, errKilled
	}
	return k.DB.ClaimBatch(ctx, cs)
}

func (k *killable) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	if k.dead.Load() {
		k.mu.Lock()
		for _, d := range ds {
			k.window[fmt.Sprintf("%s@%d", d.Occurrence.Reminder, d.Occurrence.At.UnixNano())] = true
		}
		k.mu.Unlock()
		return nil, errKilled
	}
	return k.DB.DeliveredBatch(ctx, ds)
}

func (k *killable) Acquire(ctx context.Context, o bot.Occurrence, owner string, lease time.Time) (bool, error) {
	if k.dead.Load() {
		return false, errKilled
	}
	return k.DB.Acquire(ctx, o, owner, lease)
}

func (k *killable) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	if k.dead.Load() {
		return errKilled
	}
	return k.DB.Retry(ctx, o, owner, at, lastErr)
}

// Release fails once killed: a killed process hands nothing back.
func (k *killable) Release(ctx context.Context, cs []schedule.Claim) ([]bool, error) {
	if k.dead.Load() {
		return nil, errKilled
	}
	return k.DB.Release(ctx, cs)
}

func (k *killable) Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	if k.dead.Load() {
		return errKilled
	}
	return k.DB.Fail(ctx, o, owner, lastErr)
}

// TestChaosTwoInstancesOnPostgres: two instances share a burst on
// PostgreSQL while the platform fails 30 % of posts; one is killed in the
// middle. Nothing is lost, and nothing repeats: the runs the killed
// instance posted but could not record are taken over as unsure, and the
// look-up finds them.
func TestChaosTwoInstancesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs on the wall clock for several seconds")
	}
	ctx := context.Background()
	url := pgtest.Schema(t)
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	seed := open()
	p := when.Parser{MinInterval: time.Second}
	const n = 400
	base := time.Now().Add(2 * time.Second).Truncate(time.Millisecond)
	for i := 0; i < n; i++ {
		at := base.Add(time.Duration(i) * 3 * time.Millisecond) // over 1.2 s
		rule, err := p.Parse("in 1 hour", time.UTC, at.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("cx%04d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: at, CreatedAt: at.Add(-time.Hour)}
		if err := seed.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	platform := &flakyPlatform{rng: rand.New(rand.NewPCG(1, 2)), accepted: map[string]int{}, by: map[string]string{}}
	quiet := slog.New(slog.DiscardHandler)
	var aDead, bDead atomic.Bool
	a := &killable{DB: open(), dead: &aDead, window: map[string]bool{}}
	b := &killable{DB: open(), dead: &bDead, window: map[string]bool{}}
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, in := range []struct {
		name string
		st   *killable
	}{{"a", a}, {"b", b}} {
		eng, err := schedule.NewEngine(in.st, instance{platform, in.st.dead, in.name}, p, schedule.WithOwner(in.name),
			schedule.WithLease(3*time.Second), schedule.WithRetryBackoff(100*time.Millisecond, time.Second), schedule.WithLogger(quiet))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); eng.Run(runCtx) }()
	}
	defer func() { cancel(); wg.Wait() }()

	time.Sleep(time.Until(base.Add(600 * time.Millisecond)))
	aDead.Store(true)
	deadline := time.Now().Add(60 * time.Second)
	for platform.distinct() < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	platform.mu.Lock()
	defer platform.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(platform.accepted) != n {
		t.Errorf("%d of %d occurrences posted", len(platform.accepted), n)
	}
	doubles := 0
	for k, c := range platform.accepted {
		if c > 1 {
			doubles++
			t.Errorf("%s posted %d times (in the crash window: %v)", k, c, a.window[k])
		}
	}
	if platform.misplaced > 0 {
		t.Errorf("%d of %d look-ups followed an attempt that was not the killed instance's", platform.misplaced, platform.lookups)
	}
	t.Logf("%d posted, %d twice; %d look-ups; the killed instance's crash window held %d", len(platform.accepted), doubles, platform.lookups, len(a.window))
}
