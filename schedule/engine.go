package schedule

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
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
// occurrences due within a short window, in a heap, sleeps on one timer
// until the earliest, and refills the window from the store by index. Every
// occurrence is claimed in the store (unique reminder+time, with a lease)
// before it is delivered, so several engines may share one database: at most
// one delivers each occurrence, and a claim whose holder died is taken over
// when its lease runs out.
type Engine struct {
	store   Store
	deliver Deliverer
	rules   bot.RuleParser
	clock   bot.Clock
	log     *slog.Logger
	metrics Metrics

	owner       string
	window      time.Duration // look-ahead loaded into memory
	refillEvery time.Duration // refill even without a wake-up (other instances' changes)
	lease       time.Duration
	catchup     time.Duration
	batch       int
	workers     int
	sendTimeout time.Duration

	wake  chan struct{} // refill from the store now
	rearm chan struct{} // the window changed in memory: recompute the timer

	mu       sync.Mutex
	queue    itemHeap
	inflight map[string]bool
	more     bool      // the last refill hit the batch limit with work already due
	covered  time.Time // the last refill saw everything due before this

	platforms map[bot.Platform]bool // nil: all

	rulesMu sync.RWMutex
	ruleMap map[string]bot.Rule

	wg  sync.WaitGroup // deliveries in flight
	sem chan struct{}
}

// Option configures an Engine.
type Option func(*Engine) error

// WithClock sets the time source (default bot.SystemClock).
func WithClock(c bot.Clock) Option { return func(e *Engine) error { e.clock = c; return nil } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) error { e.log = l; return nil } }

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

// WithWorkers bounds concurrent deliveries (default 16).
func WithWorkers(n int) Option {
	return func(e *Engine) error {
		if n <= 0 {
			return errors.New("schedule: workers must be positive")
		}
		e.workers = n
		return nil
	}
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
		batch:       1000,
		workers:     16,
		sendTimeout: 30 * time.Second,
		wake:        make(chan struct{}, 1),
		rearm:       make(chan struct{}, 1),
		inflight:    map[string]bool{},
		ruleMap:     map[string]bot.Rule{},
	}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, err
		}
	}
	if e.refillEvery > e.window/2 {
		e.refillEvery = e.window / 2
	}
	e.sem = make(chan struct{}, e.workers)
	return e, nil
}

// push adds an item to the window and re-arms the Run loop's timer.
func (e *Engine) push(it *item) {
	e.mu.Lock()
	heap.Push(&e.queue, it)
	e.mu.Unlock()
	select {
	case e.rearm <- struct{}{}:
	default:
	}
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

// Run fires reminders until ctx is done, then waits for deliveries in
// flight to finish.
func (e *Engine) Run(ctx context.Context) error {
	defer e.wg.Wait()
	nextRefill := time.Time{}
	for {
		now := e.clock.Now()
		if !now.Before(nextRefill) {
			nextRefill = now.Add(e.refillEvery)
			if err := e.refill(ctx, now); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// Try again after the usual pause, not in a tight loop.
				e.log.Error("scheduler refill failed", "err", err)
			} else {
				e.mu.Lock()
				if e.covered.Before(nextRefill) {
					nextRefill = e.covered
				}
				e.mu.Unlock()
			}
		}
		e.fireDue(ctx, now)

		wakeAt := nextRefill
		e.mu.Lock()
		if len(e.queue) > 0 && e.queue[0].due.Before(wakeAt) {
			wakeAt = e.queue[0].due
		}
		more := e.more && len(e.queue) == 0
		e.mu.Unlock()
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
			nextRefill = time.Time{}
		case <-e.rearm:
			t.Stop()
		}
	}
}

// Tick refills the window and delivers everything due now, waiting for the
// deliveries to finish. Tests call it after advancing a fake clock.
func (e *Engine) Tick(ctx context.Context) error {
	now := e.clock.Now()
	for i := 0; i < 100; i++ {
		if err := e.refill(ctx, now); err != nil {
			return err
		}
		e.fireDue(ctx, now)
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

// refill replaces the in-memory window with what the store says is due
// before now+window: reminders by NextRun, open occurrences by LeaseUntil.
func (e *Engine) refill(ctx context.Context, now time.Time) error {
	until := now.Add(e.window)
	rs, err := e.store.DueReminders(ctx, until, e.batch)
	if err != nil {
		return fmt.Errorf("schedule: due reminders: %w", err)
	}
	occs, err := e.store.OpenOccurrences(ctx, until, e.batch)
	if err != nil {
		return fmt.Errorf("schedule: open occurrences: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	q := make(itemHeap, 0, len(rs)+len(occs)+len(e.queue))
	seen := make(map[string]bool, cap(q))
	add := func(it *item) {
		if k := it.key(); !seen[k] && !e.inflight[k] {
			seen[k] = true
			q = append(q, it)
		}
	}
	for _, r := range rs {
		if e.serves(r.Platform) {
			add(&item{due: r.NextRun, rem: r})
		}
	}
	for _, o := range occs {
		add(&item{due: o.LeaseUntil, occ: o, isOcc: true})
	}
	// Keep what was pushed since the queries ran (next runs of claims that
	// committed after them). A stale item costs one failed claim, no more.
	for _, it := range e.queue {
		add(it)
	}
	heap.Init(&q)
	e.queue = q
	// A full batch covers the window only up to its last item: beyond it
	// there may be runs not loaded yet, so the next refill must come no
	// later than that (with a million hourly schedules a batch of 1 000 is
	// four seconds of work). If even that item is due, refill at once.
	e.covered = until
	if len(rs) == e.batch {
		e.covered = rs[len(rs)-1].NextRun
	}
	if len(occs) == e.batch && occs[len(occs)-1].LeaseUntil.Before(e.covered) {
		e.covered = occs[len(occs)-1].LeaseUntil
	}
	e.more = !e.covered.After(now)
	e.metrics.Window(len(q))
	return nil
}

// fireDue starts a delivery for every item due at now.
func (e *Engine) fireDue(ctx context.Context, now time.Time) {
	for {
		e.mu.Lock()
		if len(e.queue) == 0 || e.queue[0].due.After(now) {
			e.mu.Unlock()
			return
		}
		it := heap.Pop(&e.queue).(*item)
		k := it.key()
		if e.inflight[k] {
			e.mu.Unlock()
			continue
		}
		e.inflight[k] = true
		e.mu.Unlock()

		select {
		case e.sem <- struct{}{}:
		case <-ctx.Done():
			e.mu.Lock()
			delete(e.inflight, k)
			e.mu.Unlock()
			return
		}
		e.wg.Add(1)
		go func() {
			defer func() {
				<-e.sem
				e.mu.Lock()
				delete(e.inflight, k)
				e.mu.Unlock()
				e.wg.Done()
			}()
			// Work started is finished even during shutdown.
			wctx := context.WithoutCancel(ctx)
			defer func() {
				if r := recover(); r != nil {
					e.log.Error("panic in scheduler job", "panic", fmt.Sprint(r))
				}
			}()
			if it.isOcc {
				e.runOccurrence(wctx, it.occ)
			} else {
				e.runReminder(wctx, it.rem)
			}
		}()
	}
}

func (e *Engine) rule(r bot.Reminder) (bot.Rule, error) {
	key := r.Zone + "\x00" + r.Rule
	e.rulesMu.RLock()
	rule, ok := e.ruleMap[key]
	e.rulesMu.RUnlock()
	if ok {
		return rule, nil
	}
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		return nil, fmt.Errorf("schedule: zone %q of #%s: %w", r.Zone, r.ID, err)
	}
	rule, err = e.rules.Load(r.Rule, loc)
	if err != nil {
		return nil, fmt.Errorf("schedule: rule of #%s: %w", r.ID, err)
	}
	e.rulesMu.Lock()
	if len(e.ruleMap) > 100_000 {
		e.ruleMap = map[string]bot.Rule{} // bounded: rebuilding is cheap
	}
	e.ruleMap[key] = rule
	e.rulesMu.Unlock()
	return rule, nil
}

// runReminder claims and delivers the run of r at r.NextRun, applying the
// pause-until and catch-up policies first.
func (e *Engine) runReminder(ctx context.Context, r bot.Reminder) {
	now := e.clock.Now()
	rule, err := e.rule(r)
	if err != nil {
		e.log.Error("cannot read stored rule; pausing it", "reminder", r.ID, "err", err)
		e.advance(ctx, r, time.Time{})
		return
	}
	at := r.NextRun
	if !r.PausedUntil.IsZero() && at.Before(r.PausedUntil) {
		e.metrics.Skipped()
		e.advance(ctx, r, rule.Next(r.PausedUntil.Add(-time.Nanosecond)))
		return
	}
	if at.Before(now) {
		// Missed (the bot was down, or busy): deliver only the latest run
		// that is still within the catch-up window, once.
		latest := time.Time{}
		if rule.Repeats() {
			t := at
			if floor := now.Add(-e.catchup); t.Before(floor) {
				t = rule.Next(floor.Add(-time.Nanosecond))
			}
			for !t.IsZero() && !t.After(now) {
				latest = t
				t = rule.Next(t)
			}
		} else if now.Sub(at) <= e.catchup {
			latest = at
		}
		if latest.IsZero() {
			e.log.Info("skipping runs missed beyond the catch-up window", "reminder", r.ID, "due", at)
			e.metrics.Skipped()
			if e.advance(ctx, r, rule.Next(now)) && !rule.Repeats() {
				// A one-shot will never come: say so, once (only the
				// instance whose advance won gets here).
				if n, ok := e.deliver.(MissNotifier); ok {
					n.Missed(ctx, r, at)
				}
			}
			return
		}
		if latest.After(at) {
			e.metrics.Skipped()
		}
		at = latest
	}
	if s, ok := e.deliver.(Skipper); ok && rule.Repeats() {
		if reason := s.SkipRun(ctx, r, at); reason != "" {
			e.metrics.Skipped()
			if e.advance(ctx, r, rule.Next(at)) {
				s.RunSkipped(ctx, r, at, reason)
			}
			return
		}
	}
	c := Claim{
		Reminder:   r.ID,
		Expect:     r.NextRun,
		At:         at,
		Next:       rule.Next(at),
		Owner:      e.owner,
		LeaseUntil: now.Add(e.lease),
		Late:       now.Sub(at) > lateAfter,
	}
	ok, err := e.store.Claim(ctx, c)
	if err != nil {
		e.log.Error("claim failed", "reminder", r.ID, "at", at, "err", err)
		return
	}
	if !ok {
		e.metrics.ClaimLost()
		return
	}
	e.metrics.Scheduled()
	if !c.Next.IsZero() && c.Next.Before(now.Add(e.window)) {
		// The next run falls inside the window: queue it directly rather
		// than reloading the window from the store.
		next := r
		next.NextRun = c.Next
		e.push(&item{due: c.Next, rem: next})
	}
	o := bot.Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: at, Kind: bot.RunOccurrence, State: bot.Claimed,
		Owner: e.owner, LeaseUntil: c.LeaseUntil, Attempts: 1, Late: c.Late}
	r.NextRun = c.Next
	e.send(ctx, r, o)
}

// lateAfter is how overdue an occurrence must be to count as late.
const lateAfter = time.Minute

// advance moves r's next run without delivering (a pause or missed runs)
// and queues the new run if it falls inside the window.
// It reports whether this call moved it.
func (e *Engine) advance(ctx context.Context, r bot.Reminder, next time.Time) bool {
	if err := e.store.AdvanceReminder(ctx, r.ID, r.NextRun, next); err != nil {
		if bot.ErrorCode(err) != bot.ECONFLICT && bot.ErrorCode(err) != bot.ENOTFOUND {
			e.log.Error("advance failed", "reminder", r.ID, "err", err)
		}
		return false
	}
	if !next.IsZero() && next.Before(e.clock.Now().Add(e.window)) {
		r.NextRun = next
		e.push(&item{due: next, rem: r})
	}
	return true
}

// runOccurrence takes over an open occurrence (a snooze, a retry, or a claim
// whose holder died) and delivers it.
func (e *Engine) runOccurrence(ctx context.Context, o bot.Occurrence) {
	r, err := e.store.ReminderByID(ctx, o.Reminder)
	if err != nil {
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			e.log.Error("load reminder of occurrence", "reminder", o.Reminder, "err", err)
		}
		return
	}
	if !e.serves(r.Platform) {
		return
	}
	now := e.clock.Now()
	lease := now.Add(e.lease)
	ok, err := e.store.Acquire(ctx, o, e.owner, lease)
	if err != nil {
		e.log.Error("acquire failed", "reminder", o.Reminder, "at", o.At, "err", err)
		return
	}
	if !ok {
		e.metrics.ClaimLost()
		return
	}
	o.State, o.Owner, o.LeaseUntil, o.Attempts = bot.Claimed, e.owner, lease, o.Attempts+1
	if o.Kind == bot.RunOccurrence && now.Sub(o.At) > lateAfter {
		o.Late = true
	}
	e.send(ctx, r, o)
}

// send delivers a claimed occurrence and records the outcome.
func (e *Engine) send(ctx context.Context, r bot.Reminder, o bot.Occurrence) {
	sctx, cancel := context.WithTimeout(ctx, e.sendTimeout)
	sent, err := e.deliver.Deliver(sctx, r, o)
	cancel()
	now := e.clock.Now()
	switch {
	case err == nil:
		// Recorded right away: the only window for a repeat is between the
		// platform's answer and this write. With it goes the routine sent,
		// which a snooze sends again.
		o.Routine = sent.Routine
		if err := e.recordDelivered(ctx, o, sent.ID, now); err != nil {
			e.log.Error("delivered but not recorded; it may repeat when the lease expires", "reminder", r.ID, "at", o.At, "err", err)
		}
		e.metrics.Delivered(now.Sub(o.At), o.Late)
	case bot.IsPermanent(err):
		var de *bot.DeliveryError
		errors.As(err, &de)
		e.log.Warn("delivery failed permanently; pausing", "reminder", r.ID, "reason", de.Reason, "err", err)
		if err := e.store.Fail(ctx, o, e.owner, err.Error()); err != nil {
			e.log.Error("could not record failure", "reminder", r.ID, "err", err)
			return
		}
		e.metrics.Failed()
		e.deliver.DeliveryPaused(ctx, r, de.Reason)
	default:
		wait := backoff(o.Attempts)
		var de *bot.DeliveryError
		if errors.As(err, &de) && de.RetryAfter > wait {
			wait = de.RetryAfter
		}
		e.log.Warn("delivery failed; will retry", "reminder", r.ID, "at", o.At, "attempt", o.Attempts, "retry_in", wait, "err", err)
		if err := e.store.Retry(ctx, o, e.owner, now.Add(wait), err.Error()); err != nil {
			e.log.Error("could not schedule retry", "reminder", r.ID, "err", err)
		}
		e.metrics.Retried()
		e.Wake()
	}
}

// recordDelivered writes the delivery, retrying briefly: a blip in the
// store here is the one way a delivered message could be sent again.
func (e *Engine) recordDelivered(ctx context.Context, o bot.Occurrence, msgID string, at time.Time) error {
	var err error
	for i, wait := range []time.Duration{0, 50 * time.Millisecond, 250 * time.Millisecond, time.Second, 3 * time.Second} {
		if i > 0 {
			// Real time on purpose: this waits for the database, not for a
			// schedule.
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return err
			}
		}
		if err = e.store.Delivered(ctx, o, e.owner, msgID, at); err == nil || bot.ErrorCode(err) == bot.ECONFLICT {
			return err
		}
	}
	return err
}

// backoff is 5 s doubling per attempt up to 10 min, with ±20 % jitter.
func backoff(attempt int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempt && d < 10*time.Minute; i++ {
		d *= 2
	}
	d = min(d, 10*time.Minute)
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}

// item is one entry in the window: a reminder's next run or an open
// occurrence's lease expiry.
type item struct {
	due   time.Time
	rem   bot.Reminder
	occ   bot.Occurrence
	isOcc bool
}

func (it *item) key() string {
	if it.isOcc {
		return fmt.Sprintf("o:%s:%d:%s", it.occ.Reminder, it.occ.At.UnixNano(), it.occ.Kind)
	}
	// Keyed by run, not by reminder: once a run is claimed the reminder's
	// next run must be loadable while the delivery is still in flight.
	return fmt.Sprintf("r:%s:%d", it.rem.ID, it.rem.NextRun.UnixNano())
}

type itemHeap []*item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h itemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)        { *h = append(*h, x.(*item)) }
func (h *itemHeap) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return it
}
