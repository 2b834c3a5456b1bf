package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Deliverer posts occurrences; the core (*bot.Bot) implements it.
type Deliverer interface {
	Deliver(ctx context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error)
	// DeliveryPaused tells r's creator that r was paused after a permanent
	// delivery failure.
	DeliveryPaused(ctx context.Context, r bot.Reminder, reason string)
}

// FollowUp is an optional Deliverer capability: the work a delivery calls
// for that posting does not need (crediting the user, refreshing a home
// view). The engine calls it once the delivery is recorded, so that nothing
// but the record sits between the platform's answer and the write that
// stops a repeat.
type FollowUp interface {
	Delivered(ctx context.Context, r bot.Reminder, o bot.Occurrence, sent bot.Sent)
}

// MissNotifier is an optional Deliverer capability: being told that a
// one-shot reminder was missed beyond the catch-up window and will not be
// delivered, so its owner can hear about it.
type MissNotifier interface {
	Missed(ctx context.Context, r bot.Reminder, at time.Time)
}

// Skipper is an optional Deliverer capability: passing over a due run of a
// repeating reminder instead of delivering it (outside its owner's working
// hours, while they are away, on a public holiday). A run passed over is
// not retried; the reminder moves on to its next run.
//
// The engine asks before it claims the run, up to a second ahead of it,
// with the reminder as its last refill read it: its id, tenant, platform,
// kind, owner, channel, rule, zone and next run, and nothing else (the
// window keeps no more; a RunLister's DueRun has just these). A Skipper
// that needs more must read the store.
type Skipper interface {
	// SkipRun says why the run of r at at is passed over, or "" to
	// deliver it. It must not write: several instances may ask.
	SkipRun(ctx context.Context, r bot.Reminder, at time.Time) string
	// RunSkipped is told once per run passed over, by the instance whose
	// move to the next run won.
	RunSkipped(ctx context.Context, r bot.Reminder, at time.Time, reason string)
}

// Engine fires reminders exactly once.
//
// Next-run times live in the store. The engine keeps in memory only the
// occurrences due within a short window, as compact items in a heap, sleeps
// on one timer until the earliest, and refills the window from the store by
// index. Every occurrence is claimed in the store (unique reminder+time,
// with a lease) before it is delivered, so several engines may share one
// database: at most one delivers each occurrence, and a claim whose holder
// died is taken over when its lease runs out.
//
// The runs due within the next second are claimed in batches before it,
// and wait for their time grouped by instant behind one timer; deliveries
// go to a bounded pool of senders; each is recorded right after the
// platform's answer, together with the other deliveries that finished
// within a few milliseconds (group commit), while its sender goes on to
// the next. A transient failure does not hold a sender: the occurrence is
// queued again at its retry time. While the store fails, the engine backs
// off and says so once.
type Engine struct {
	store Store
	// abandon is store's Abandoner, or nil.
	abandon Abandoner
	deliver Deliverer
	rules   bot.RuleParser
	clock   bot.Clock
	// realClock: clock is the system's, whose time serves as the real
	// time too (one reading per send rather than two).
	realClock bool
	log       *slog.Logger
	metrics   Metrics

	owner       string
	window      time.Duration // look-ahead loaded into memory
	refillEvery time.Duration // refill even without a wake-up (other instances' changes)
	lease       time.Duration
	catchup     time.Duration
	batch       int
	workers     int
	sendTimeout time.Duration
	// A transient failure without Retry-After waits retryMin, doubling
	// per attempt up to retryMax.
	retryMin, retryMax time.Duration

	wake  chan struct{} // refill from the store now
	rearm chan struct{} // the window changed in memory: recompute the timer

	mu    sync.Mutex
	queue itemHeap
	seq   uint64            // the last item's number (item.seq)
	known map[itemKey]*item // occurrences queued (index >= 0) or in flight (index -1)
	// instants holds the reminders' runs queued, by due instant (unix
	// nanoseconds).
	instants map[int64]*instant
	// spareRuns are lists of runs kept from instants taken out (see
	// newInstant).
	spareRuns spares[*item]
	// nextTrim is when refill next trims what the engine keeps for the
	// work to come to what recent work needed (see trimSpares).
	nextTrim time.Time
	// lastWork is when work was last taken out of the window, and
	// trimmedIdle whether trimSpares has trimmed for the idleness since.
	lastWork    time.Time
	trimmedIdle bool
	// releaseIn bounds the hand-back as Run returns (releaseTimeout).
	releaseIn time.Duration

	epoch uint64 // numbers the refills
	more  bool   // the last refill hit the batch limit with work already due
	full  bool   // the last refill hit the batch limit
	// burstAt is the instant of the latest burst found (see countBurst):
	// runs due up to it are claimed longLead ahead. burstSeen: the Run
	// loop has started claiming it. counted is the latest instant counted.
	burstAt   time.Time
	burstSeen bool
	counted   time.Time
	// claimNanos is the store's recent claim cost per run (a moving
	// average), which sizes a burst.
	claimNanos atomic.Int64
	covered    time.Time // the last refill saw everything due before this
	// progress counts the items the last refill added and those taken out
	// of the window since.
	progress int

	health health
	rec    recorder
	// recordWriters bounds the record transactions under way at once.
	recordWriters int

	platforms map[bot.Platform]bool // nil: all

	// heard is told of every change the store reports (WithChangeListener);
	// nil if nobody asked.
	heard func(ids ...bot.ReminderID)

	rulesMu sync.RWMutex
	ruleMap map[ruleKey]bot.Rule

	// runsBuf is the buffer refills list compact runs into (RunLister).
	runsMu  sync.Mutex
	runsBuf []DueRun

	wg    sync.WaitGroup // deliveries in flight
	slots chan struct{}  // one per delivery started and not finished
	ahead chan struct{}  // one per run claimed ahead, waiting for its time
	jobs  jobs

	changes changes
}

// Option configures an Engine.
type Option func(*Engine) error

// WithClock sets the time source (default bot.SystemClock; nil keeps it).
func WithClock(c bot.Clock) Option {
	return func(e *Engine) error {
		if c != nil {
			e.clock = c
		}
		return nil
	}
}

// WithLogger sets the logger (default slog.Default(); nil keeps it).
func WithLogger(l *slog.Logger) Option {
	return func(e *Engine) error {
		if l != nil {
			e.log = l
		}
		return nil
	}
}

// WithMetrics reports what the engine does to m (default: nowhere).
func WithMetrics(m Metrics) Option {
	return func(e *Engine) error {
		if m == nil {
			return errors.New("schedule: nil metrics")
		}
		e.metrics = m
		return nil
	}
}

// WithOwner names this instance in leases (default host-pid-random).
func WithOwner(s string) Option { return func(e *Engine) error { e.owner = s; return nil } }

// WithCatchup sets how old a missed occurrence may be and still be
// delivered (STRETCHBOT_CATCHUP_WINDOW, default 15m).
func WithCatchup(d time.Duration) Option {
	return func(e *Engine) error {
		if d < 0 {
			return errors.New("schedule: negative catch-up window")
		}
		e.catchup = d
		return nil
	}
}

// WithLease sets how long a claim is held before others may take it over.
func WithLease(d time.Duration) Option {
	return func(e *Engine) error {
		if d <= 0 {
			return errors.New("schedule: lease must be positive")
		}
		e.lease = d
		return nil
	}
}

// WithWindow sets the look-ahead window and the batch size of a refill.
func WithWindow(window time.Duration, batch int) Option {
	return func(e *Engine) error {
		if window <= 0 || batch <= 0 {
			return errors.New("schedule: window and batch must be positive")
		}
		e.window, e.batch = window, batch
		return nil
	}
}

// WithWorkers bounds concurrent sends to the platforms (default 16).
func WithWorkers(n int) Option {
	return func(e *Engine) error {
		if n <= 0 {
			return errors.New("schedule: workers must be positive")
		}
		e.workers = n
		return nil
	}
}

// WithRetryBackoff sets how long a delivery that failed transiently, and
// whose platform named no Retry-After, waits before the next attempt: min,
// doubling per attempt up to max, with ±20 % jitter (default 5 s to
// 10 min).
func WithRetryBackoff(min, max time.Duration) Option {
	return func(e *Engine) error {
		if min <= 0 || max < min {
			return errors.New("schedule: retry backoff needs 0 < min <= max")
		}
		e.retryMin, e.retryMax = min, max
		return nil
	}
}

// WithChangeListener has f told of every change the store reports made by
// any instance (and this one), as the engine is: with the reminders paused
// or deleted, or with none when work only became due sooner; and once
// whenever the engine starts listening, for whatever it may have missed.
// The core drops what it keeps in memory about reminders this way. f must
// be quick: it runs on the store's listener.
func WithChangeListener(f func(ids ...bot.ReminderID)) Option {
	return func(e *Engine) error { e.heard = f; return nil }
}

// WithPlatforms limits the engine to reminders of these platforms, the ones
// this instance has adapters for; another instance serves the rest.
func WithPlatforms(ps ...bot.Platform) Option {
	return func(e *Engine) error {
		e.platforms = map[bot.Platform]bool{}
		for _, p := range ps {
			e.platforms[p] = true
		}
		return nil
	}
}

func (e *Engine) serves(p bot.Platform) bool { return e.platforms == nil || e.platforms[p] }

// NewEngine returns an engine over store that delivers through d and reads
// rules with rules.
func NewEngine(store Store, d Deliverer, rules bot.RuleParser, opts ...Option) (*Engine, error) {
	host, _ := os.Hostname()
	e := &Engine{
		store: store, deliver: d, rules: rules,
		clock:       bot.SystemClock{},
		log:         slog.Default(),
		metrics:     noMetrics{},
		owner:       fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.Uint32()&0xffff),
		window:      time.Minute,
		refillEvery: 30 * time.Second,
		lease:       2 * time.Minute,
		catchup:     15 * time.Minute,
		releaseIn:   releaseTimeout,
		batch:       1000,
		workers:     16,
		// Well above the adapters' own pacing, which may hold a send for
		// up to a quarter of a second before it goes out.
		sendTimeout: 30 * time.Second,
		retryMin:    5 * time.Second,
		retryMax:    10 * time.Minute,
		wake:        make(chan struct{}, 1),
		rearm:       make(chan struct{}, 1),
		known:       map[itemKey]*item{},
		instants:    map[int64]*instant{},
		ruleMap:     map[ruleKey]bot.Rule{},
	}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, err
		}
	}
	// Refill at least twice per window, and twice per lease: a claim
	// whose holder died is then loaded before its lease ends, and taken
	// over when it does.
	e.refillEvery = min(e.refillEvery, e.window/2, e.lease/2)
	e.abandon, _ = store.(Abandoner)
	_, e.realClock = e.clock.(bot.SystemClock)
	e.jobs.sooner = make(chan struct{}, 1)
	e.slots = make(chan struct{}, max(maxInFlight, e.workers))
	e.ahead = make(chan struct{}, maxAhead)
	e.recordWriters = 1
	if p, ok := store.(ParallelWriter); ok {
		e.recordWriters = max(1, p.ParallelWrites())
	}
	return e, nil
}

// Owner is the instance name used in leases.
func (e *Engine) Owner() string { return e.owner }

// Wake asks the engine to refill its window now (a reminder changed).
func (e *Engine) Wake() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Healthy reports whether the store answered the engine's last request.
// While it is false the engine is backing off and nothing is delivered.
func (e *Engine) Healthy() bool {
	failing, _ := e.health.state()
	return !failing
}

// Run fires reminders until ctx is done, then hands back to the store the
// runs it claimed ahead of their time (see handBack) and waits for
// deliveries in flight, and runs about to fall due, to finish.
func (e *Engine) Run(ctx context.Context) error {
	defer e.wg.Wait()
	if n := e.notifier(); n != nil {
		var listening sync.WaitGroup
		listening.Add(1)
		go func() { defer listening.Done(); e.listen(ctx, n) }()
		defer listening.Wait()
	}
	// Once the loop stops, before waiting for the deliveries: runs
	// claimed ahead and not due yet are handed back, not sent early.
	defer e.handBack(ctx)
	var nextRefill, nextProbe time.Time
	for {
		now := e.clock.Now()
		horizon := now.Add(claimAhead)
		failing, until := e.health.state()
		if failing && now.Before(until) && !now.Before(nextProbe) {
			// A cheap question, once a second, so that the backlog is
			// picked up as soon as the store answers again.
			nextProbe = now.Add(probeEvery)
			if e.ping(ctx) {
				e.health.answered()
				failing = false
			}
		}
		if !failing || !now.Before(until) {
			if !now.Before(nextRefill) {
				if err := e.refill(ctx, now); err != nil {
					if ctx.Err() != nil {
						return nil
					}
					e.health.failed(e.log, now, "refill", err)
					nextProbe = now.Add(probeEvery)
				} else {
					e.health.ok(e.log, now)
					nextRefill = now.Add(e.refillEvery)
					e.mu.Lock()
					if e.covered.Before(nextRefill) {
						nextRefill = e.covered
					}
					e.mu.Unlock()
				}
			}
			// After the refill, which tells whether a burst is coming.
			horizon = now.Add(e.lead(now))
			if !e.fireDue(ctx, now, horizon) {
				nextProbe = now.Add(probeEvery)
			}
		}
		// Between refills too: the wake-up at idleWake comes for it.
		e.trimSpares(now)

		var wakeAt time.Time
		more := false
		if failing, until := e.health.state(); failing {
			// Nothing but the probe until the backoff ends; then refill,
			// since failed claims and refills may have left work unloaded.
			nextRefill, wakeAt = until, until
			if nextProbe.Before(wakeAt) {
				wakeAt = nextProbe
			}
		} else {
			wakeAt = nextRefill
			if w := e.nextWake(); !w.IsZero() && w.Before(wakeAt) {
				wakeAt = w
			}
			if w := e.idleWake(); !w.IsZero() && w.Before(wakeAt) {
				wakeAt = w
			}
			// A full batch whose last run falls within the claim horizon
			// was claimed: load the rest now, so that runs sharing an
			// instant (thousands, with a million schedules) are all claimed
			// before it, a batch at a time, rather than at or after it.
			// Only while something moved, lest a batch that stays (held
			// occurrences) be read again and again.
			e.mu.Lock()
			more = e.full && e.progress > 0 && !e.covered.After(horizon) &&
				(len(e.queue) == 0 || e.queue[0].due.After(e.covered))
			e.mu.Unlock()
		}
		if more {
			nextRefill = time.Time{} // a full batch was drained: load the rest now
			continue
		}
		t := e.clock.NewTimer(wakeAt.Sub(e.clock.Now()))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
		case <-e.wake:
			t.Stop()
			if e.Healthy() {
				nextRefill = time.Time{}
			}
		case <-e.rearm:
			t.Stop()
		}
	}
}

// notifier returns how the engine hears of other instances' changes: with
// the reminders they name if the store can say, else only that work became
// due sooner; nil if the store cannot tell.
func (e *Engine) notifier() func(ctx context.Context) error {
	changed := e.Changed
	if heard := e.heard; heard != nil {
		changed = func(ids ...bot.ReminderID) {
			heard(ids...)
			e.Changed(ids...)
		}
	}
	switch n := e.store.(type) {
	case ChangeNotifier:
		return func(ctx context.Context) error { return n.NotifyChanges(ctx, changed) }
	case Notifier:
		return func(ctx context.Context) error { return n.Notify(ctx, func() { changed() }) }
	}
	return nil
}

// listen wakes the engine whenever the store says work became due sooner,
// and has runs of reminders changed elsewhere checked again, listening
// again after a failure (the store's health is followed, and logged, by
// the engine's own queries).
func (e *Engine) listen(ctx context.Context, notify func(ctx context.Context) error) {
	wait := time.Second
	for {
		started := time.Now()
		err := notify(ctx)
		if ctx.Err() != nil {
			return
		}
		e.log.Debug("store notifications interrupted", "err", err)
		if time.Since(started) > time.Minute {
			wait = time.Second
		}
		// Real time on purpose: this waits for the database, not for a
		// schedule.
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return
		}
		wait = min(2*wait, storeBackoffMax)
	}
}

// ping reports whether the store answers, if it can say; otherwise it
// reports false and the engine waits for its backoff.
func (e *Engine) ping(ctx context.Context) bool {
	p, ok := e.store.(Pinger)
	if !ok {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return p.Ping(pctx) == nil
}

// Tick refills the window and delivers everything due now, waiting for the
// deliveries to finish. Tests call it after advancing a fake clock.
func (e *Engine) Tick(ctx context.Context) error {
	now := e.clock.Now()
	for i := 0; i < 100; i++ {
		if err := e.refill(ctx, now); err != nil {
			e.health.failed(e.log, now, "refill", err)
			return err
		}
		e.health.ok(e.log, now)
		e.fireDue(ctx, now, now)
		e.wg.Wait()
		e.mu.Lock()
		more := e.more
		e.mu.Unlock()
		if !more {
			return nil
		}
	}
	return nil
}
