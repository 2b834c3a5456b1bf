package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// claimChunk bounds one claim transaction: big enough that a burst
	// costs a few commits, small enough that the first of a chunk is not
	// kept waiting for the last, nor the database's writer for long.
	claimChunk = 512
	// recordChunk bounds one record transaction.
	recordChunk = 512
	// recordGather is how long a record waits for others to share its
	// transaction, when another came less than that before it. Under load
	// it widens the window in which a crash repeats a message by as much;
	// a few milliseconds divide the transactions of schedules spread over
	// the minute several times.
	recordGather = 5 * time.Millisecond
	// maxInFlight bounds the deliveries started and not yet finished
	// (sent, or waiting for their record): a burst is claimed no faster
	// than it is delivered.
	maxInFlight = 4 * recordChunk
	// maxAhead bounds the runs claimed ahead of their time and waiting for
	// it: enough for a million schedules spread over the minute (some
	// 17 000 due each second) to be claimed maxLead before they are due,
	// and for a burst of a hundred thousand.
	maxAhead = 1 << 17
	// lateAfter is how overdue an occurrence must be to count as late.
	lateAfter = time.Minute
)

// claimAhead is how far ahead of its time the Run loop claims a run. Schedules
// spread over the minute fall due a few at a time; claiming each alone cost
// a transaction per run. Claimed ahead, they share one, and each delivery
// still waits for its time. A pause or cancel made in this last second
// still stops the run when made through this process (Engine.Changed), or
// through another instance when the store tells of it (ChangeNotifier).
const claimAhead = time.Second

// maxLead is how far ahead of its time a run is claimed while more is due
// soon than one refill loads: a burst, such as a hundred thousand team
// breaks at 10:00. Claimed only claimAhead before it, most of such a burst
// would be claimed after its time, its claims sharing the store's single
// writer with its records; claimed while it approaches, only the records
// are left when it falls due. The lease bounds it too (longLead), so that a
// run goes out long before another instance may take it over.
const maxLead = 5 * time.Second

// longLead is the claim lead during a burst: maxLead, or a quarter of the
// lease if that is shorter, and never less than claimAhead.
func (e *Engine) longLead() time.Duration {
	return max(claimAhead, min(maxLead, e.lease/4))
}

// lead is how far ahead of now runs are claimed: longLead while a burst
// found by countBurst is due within it, else claimAhead. It notes that the
// burst's lead has begun (burstSeen), so nextWake stops waking for it.
func (e *Engine) lead(now time.Time) time.Duration {
	long := e.longLead()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.burstAt.Before(now) && !e.burstAt.After(now.Add(long)) {
		e.burstSeen = true
		return long
	}
	return claimAhead
}

// countBurst runs after a refill that came back full with every run at one
// instant: it asks the store how many share that instant, and marks it a
// burst if claiming them all would take more than half the usual claim
// ahead, at the store's recent cost per claim.
// So a hundred thousand team breaks at 10:00 are claimed seconds ahead,
// while schedules spread over the minute, a few thousand an instant, are
// claimed a second ahead as usual.
func (e *Engine) countBurst(ctx context.Context, rows loaded) {
	c, ok := e.store.(DueCounter)
	long := e.longLead()
	if !ok || long <= claimAhead || rows.n == 0 || rows.n < e.batch {
		return
	}
	at := rows.first
	if !rows.last.Equal(at) {
		return
	}
	e.mu.Lock()
	done := !at.After(e.counted)
	e.counted = at
	e.mu.Unlock()
	if done {
		return
	}
	cost := time.Duration(e.claimNanos.Load())
	if cost <= 0 {
		cost = defaultClaimCost
	}
	need := int(claimAhead/2/cost) + 1
	n, err := c.CountDueAt(ctx, at, need)
	if err != nil || n < need {
		return
	}
	e.mu.Lock()
	if at.After(e.burstAt) {
		e.burstAt, e.burstSeen = at, false
	}
	e.mu.Unlock()
}

// defaultClaimCost is the cost per claim assumed before any was measured:
// about SQLite's on a small machine.
const defaultClaimCost = 20 * time.Microsecond

// noteClaimCost folds a claim batch's time per run into claimNanos.
func (e *Engine) noteClaimCost(d time.Duration, runs int) {
	if runs < 100 {
		return // too few to say much beside the commit's fixed cost
	}
	per := int64(d) / int64(runs)
	old := e.claimNanos.Load()
	if old == 0 {
		e.claimNanos.Store(per)
		return
	}
	e.claimNanos.Store(old + (per-old)/4)
}

// fireDue claims every run due by horizon (now, or a claim ahead) and every
// occurrence due now, a chunk at a time, and starts their deliveries. It
// reports false if the store failed a claim; the runs stay queued for when
// it answers again.
func (e *Engine) fireDue(ctx context.Context, now, horizon time.Time) bool {
	var runs, occs []*item // reused from one batch to the next
	for {
		runs, occs = e.popDue(now, horizon, claimChunk, runs[:0], occs[:0])
		if len(runs)+len(occs) == 0 {
			return true
		}
		if len(occs) > 0 {
			js := make([]job, len(occs))
			for i, it := range occs {
				js[i] = job{key: it.key(), occ: it.occ, takeover: true, failures: it.failures}
				e.start(ctx, &js[i], now)
			}
		}
		if len(runs) > 0 && !e.claimRuns(ctx, now, runs) {
			return false
		}
	}
}

// claimRuns claims the runs in one batch and starts the delivery of each
// won. It reports false, queueing the runs again, if the store failed.
func (e *Engine) claimRuns(ctx context.Context, now time.Time, runs []*item) bool {
	batch := newJobBatch(len(runs))
	defer batch.release()
	prepared, claimable := batch.claims, batch.claimable
	prep := func(i int) { prepared[i], claimable[i] = e.prepare(ctx, now, runs[i]) }
	if _, asks := e.deliver.(Skipper); asks && len(runs) > 1 {
		// A Skipper may read the store for every run (the owner's hours,
		// the channel's holidays): ask it for several runs at once, as
		// the senders would, rather than one after another.
		var wg sync.WaitGroup
		var next atomic.Int64
		for range min(e.workers, len(runs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < len(runs); i = int(next.Add(1)) - 1 {
					prep(i)
				}
			}()
		}
		wg.Wait()
	} else {
		for i := range runs {
			prep(i)
		}
	}
	// Compacted in place: the claims and their items, in order.
	claims, kept := prepared[:0], runs[:0]
	for i, it := range runs {
		if claimable[i] {
			claims = append(claims, prepared[i])
			kept = append(kept, it)
		} else {
			e.finish(nil, it.key())
		}
	}
	if len(claims) == 0 {
		return true
	}
	claimStart := time.Now()
	var res []Claimed
	var err error
	if into, ok := e.store.(ClaimerInto); ok {
		res = batch.claimed[:len(claims)]
		err = into.ClaimBatchInto(ctx, claims, res)
	} else {
		res, err = e.store.ClaimBatch(ctx, claims)
	}
	if err != nil {
		if ctx.Err() == nil {
			// A claim cut short by shutdown says nothing of the store.
			e.health.failed(e.log, now, "claim", err)
		}
		for i, it := range kept {
			it.noteLostClaim(claims[i])
		}
		e.mu.Lock()
		e.requeueRuns(kept)
		e.mu.Unlock()
		return false
	}
	e.health.ok(e.log, now)
	e.noteClaimCost(time.Since(claimStart), len(claims))
	// A next run is queued here only if the last refill will not load it:
	// one due from covered on is loaded by the refill that comes by then,
	// and queueing it now would make that refill look it up by id.
	e.mu.Lock()
	covered := e.covered
	e.mu.Unlock()
	started := e.clock.Now()
	for i := range res {
		cl := &res[i]
		it, c := kept[i], claims[i]
		if !cl.Won {
			e.metrics.ClaimLost()
			e.finish(nil, it.key())
			e.takeLostClaims(ctx, it, started)
			continue
		}
		e.metrics.Scheduled()
		if c.At.After(c.Expect) {
			// Caught up: the runs before the one delivered late were
			// missed while the bot was down.
			e.skippedRuns(ctx, it, c.Expect, c.At, bot.SkippedMissed)
		}
		if !c.Next.IsZero() && c.Next.Before(now.Add(e.window)) && c.Next.Before(covered) {
			// The next run falls inside the part of the window already
			// loaded: queue it directly rather than reloading the window
			// from the store.
			e.push(&item{due: c.Next, id: c.Reminder, ref: it.ref, rule: it.rule, odd: oddRun(nil, cl.Reminder.PausedUntil),
				who: e.forSkipper(&cl.Reminder, it.rule, it.who)})
		}
		j := &batch.jobs[i]
		*j = job{at: c.At, key: it.key(), r: &cl.Reminder, lease: c.LeaseUntil, attempts: 1, late: c.Late, ref: c.Ref,
			batch: batch}
		batch.hold()
		e.start(ctx, j, started)
	}
	return true
}

// takeLostClaims is for a run whose claim lost after earlier claims of it
// failed with no answer: one of those may have committed (the store
// applied it and the connection broke before it said so), and then the
// run is this instance's own claim, which a refill leaves alone until its
// lease ends. Each is taken over at once instead, as a takeover of the
// claim exactly as it was asked for (Acquire's compare-and-set on owner
// and lease): a claim that never committed, or that another instance
// took, is not there to take, and the attempt ends there.
func (e *Engine) takeLostClaims(ctx context.Context, it *item, now time.Time) {
	for _, lc := range it.lostClaims() {
		o := &bot.Occurrence{Reminder: it.id, At: lc.at, Kind: bot.RunOccurrence, State: bot.Claimed, Owner: e.owner,
			LeaseUntil: lc.lease, Attempts: 1}
		e.start(ctx, &job{key: occKey(it.id, lc.at, bot.RunOccurrence), occ: o, takeover: true}, now)
	}
}

// prepare applies the pause-until and catch-up policies to the run it
// stands for, and returns its claim; false if there is nothing to claim
// (the run was skipped, or the rule cannot be read).
func (e *Engine) prepare(ctx context.Context, now time.Time, it *item) (Claim, bool) {
	if it.rule == nil {
		e.log.Error("cannot read stored rule; pausing it", "reminder", it.id, "err", it.ruleErr())
		e.advance(ctx, it, time.Time{})
		return Claim{}, false
	}
	rule, at := it.rule, it.due
	if until := it.pausedUntil(); !until.IsZero() && at.Before(until) {
		e.metrics.Skipped()
		if e.advance(ctx, it, rule.Next(until.Add(-time.Nanosecond))) {
			e.skippedRuns(ctx, it, at, until, bot.SkippedByPause)
		}
		return Claim{}, false
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
			e.log.Info("skipping runs missed beyond the catch-up window", "reminder", it.id, "due", at)
			e.metrics.Skipped()
			next := rule.Next(now)
			if e.advance(ctx, it, next) {
				if rule.Repeats() {
					e.skippedRuns(ctx, it, at, next, bot.SkippedMissed)
				} else if n, ok := e.deliver.(MissNotifier); ok {
					// A one-shot will never come: say so, once (only
					// the instance whose advance won gets here).
					if r, err := e.store.ReminderByID(ctx, it.id); err == nil {
						n.Missed(ctx, r, at)
					}
				}
			}
			return Claim{}, false
		}
		if latest.After(at) {
			e.metrics.Skipped()
		}
		at = latest
	}
	if s, ok := e.deliver.(Skipper); ok && it.who != nil {
		r := it.who.reminder(it.id, it.due)
		if reason := s.SkipRun(ctx, r, at); reason != "" {
			e.metrics.Skipped()
			if e.advance(ctx, it, rule.Next(at)) {
				e.skippedRuns(ctx, it, it.due, at, bot.SkippedMissed) // none unless caught up
				s.RunSkipped(ctx, r, at, reason)
			}
			return Claim{}, false
		}
	}
	return Claim{
		Reminder:   it.id,
		Expect:     it.due,
		At:         at,
		Next:       rule.Next(at),
		Owner:      e.owner,
		LeaseUntil: now.Add(e.lease),
		Late:       now.Sub(at) > lateAfter,
		Ref:        it.ref,
	}, true
}

// mostPausedRuns bounds the runs of one pause, or of one time the bot was
// down, told to the Skipper.
const mostPausedRuns = 2000

// skippedRuns tells the Skipper, once (by the instance whose advance or
// claim won), of each run of a team break from at to before until that
// was passed over for reason: a pause with that end, or the bot not
// running then, so stats count them as skipped.
func (e *Engine) skippedRuns(ctx context.Context, it *item, at, until time.Time, reason string) {
	s, ok := e.deliver.(Skipper)
	if !ok || it.who == nil {
		return
	}
	r := it.who.reminder(it.id, it.due)
	if r.Kind != bot.ChannelSchedule {
		return
	}
	for n := 0; n < mostPausedRuns && !at.IsZero() && at.Before(until); n++ {
		s.RunSkipped(ctx, r, at, reason)
		at = it.rule.Next(at)
	}
}

// advance moves the run it stands for to next without delivering (a pause
// or missed runs) and queues the new run if it falls inside the window.
// It reports whether this call moved it.
func (e *Engine) advance(ctx context.Context, it *item, next time.Time) bool {
	if err := e.store.AdvanceReminder(ctx, it.id, it.due, next); err != nil {
		if bot.ErrorCode(err) != bot.ECONFLICT && bot.ErrorCode(err) != bot.ENOTFOUND {
			e.log.Error("advance failed", "reminder", it.id, "err", err)
		}
		return false
	}
	if !next.IsZero() && next.Before(e.clock.Now().Add(e.window)) {
		e.push(&item{due: next, id: it.id, ref: it.ref, rule: it.rule, odd: it.odd, who: it.who})
	}
	return true
}

// runOccurrence takes over an open occurrence (a snooze, a retry, or a claim
// whose holder died) and delivers it. j.failures is as in item.
func (e *Engine) runOccurrence(ctx context.Context, sc *sendCtx, j *job) *item {
	o := j.occ
	r, err := e.store.ReminderByID(ctx, o.Reminder)
	if err != nil {
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			e.health.failed(e.log, e.clock.Now(), "load reminder of occurrence", err)
		}
		return nil
	}
	if !e.serves(r.Platform) {
		return nil
	}
	now := e.clock.Now()
	lease := now.Add(e.lease)
	ok, err := e.store.Acquire(ctx, *o, e.owner, lease)
	if err != nil {
		e.health.failed(e.log, now, "acquire", err)
		return nil
	}
	if !ok {
		e.metrics.ClaimLost()
		return nil
	}
	missed := o.Kind == bot.SnoozeOccurrence && o.Attempts == 0 && now.Sub(o.At) > lateAfter
	o.State, o.Owner, o.LeaseUntil, o.Attempts = bot.Claimed, e.owner, lease, o.Attempts+1
	if o.Kind == bot.RunOccurrence && now.Sub(o.At) > lateAfter || missed {
		o.Late = true
	}
	if a, ok := e.store.(Abandoner); ok && missed && now.Sub(o.At) > e.catchup {
		// A snooze never tried, missed while no instance ran, is a one-off
		// like any other: past the catch-up window it is dropped, not sent
		// hours or days after the break it repeats.
		if err := a.Abandon(ctx, *o, e.owner, "missed beyond the catch-up window"); err == nil {
			e.log.Info("skipping a snooze missed beyond the catch-up window", "reminder", o.Reminder, "due", o.At)
			e.metrics.Skipped()
			return nil
		}
	}
	j.r = &r
	return e.send(ctx, sc, j)
}

// leaseMargin is how long before a lease ends this instance stops acting on
// it: past that, another may take the occurrence over.
//
// A send starts only while more than the margin is left, and its context
// ends the margin before the lease does, so a post is handed to the
// platform before then and the margin is what its request has to reach
// the platform, and its record the store, before a takeover. That bounds
// what this process does, not when the platform acts: a process starved
// of CPU (or a network that holds a request) past the margin may have its
// post taken after it gave up on it, or after the lease ended and another
// instance took the run over. The first case is an unsure retry, the
// second a takeover, and both look for the earlier post before posting
// (Outgoing.Unsure): what is left is a post the look-up cannot see yet or
// cannot make (the platform rate limits it), which goes out twice.
func (e *Engine) leaseMargin() time.Duration { return min(10*time.Second, e.lease/4) }

// send delivers a claimed occurrence. A delivery that went out is handed
// to the recorder, which finishes it; a transient failure returns the
// occurrence to queue again at its retry time.
func (e *Engine) send(ctx context.Context, sc *sendCtx, j *job) *item {
	r, o := j.r, j.occurrence(e.owner)
	started := e.clock.Now()
	left := o.LeaseUntil.Sub(started) - e.leaseMargin()
	if left <= 0 {
		// Waited too long for a sender: whoever takes the lease over
		// delivers it.
		e.log.Warn("lease ran out before the delivery started", "reminder", r.ID, "at", o.At)
		return nil
	}
	if !e.realClock {
		started = time.Now() // a context's deadline is in real time
	}
	sent, err := e.deliver.Deliver(sc.get(ctx, started, min(e.sendTimeout, left)), *r, o)
	now := e.clock.Now()
	switch {
	case err == nil:
		// Recorded right away: the only window for a repeat is between the
		// platform's answer and this write. With it goes the routine sent,
		// which a snooze sends again.
		if j.occ != nil {
			j.occ.Routine = sent.Routine
		} else {
			j.routine = sent.Routine
		}
		j.msgID, j.msgAt = sent.ID, now
		if _, ok := e.deliver.(FollowUp); ok {
			kept := sent // so that sent stays off the heap without a follow-up
			j.sent = &kept
		}
		sc.handed = true
		e.recordJob(ctx, j)
		return nil
	case bot.IsGiveUp(err) && e.abandon != nil:
		// The run ends here; the reminder goes on to its next run as if
		// this one had been passed over.
		e.log.Error("delivery given up; the run is passed over", "reminder", r.ID, "at", o.At, "err", err)
		if err := e.abandon.Abandon(ctx, o, e.owner, err.Error()); err != nil {
			e.log.Error("could not record the run given up", "reminder", r.ID, "err", err)
			return nil
		}
		e.metrics.Skipped()
		return nil
	case bot.IsPermanent(err) || bot.IsGiveUp(err):
		var de *bot.DeliveryError
		errors.As(err, &de)
		e.log.Warn("delivery failed permanently; pausing", "reminder", r.ID, "reason", de.Reason, "err", err)
		if err := e.store.Fail(ctx, o, e.owner, err.Error()); err != nil {
			e.log.Error("could not record failure", "reminder", r.ID, "err", err)
			return nil
		}
		e.metrics.Failed()
		e.deliver.DeliveryPaused(ctx, *r, de.Reason)
		return nil
	default:
		// The adapter knows its rate limit's state: when it names a time,
		// that is the time, not a backoff's guess.
		var wait time.Duration
		failures := j.failures
		var de *bot.DeliveryError
		if errors.As(err, &de) && de.RetryAfter > 0 {
			wait = de.RetryAfter
		} else {
			failures++
			wait = backoff(failures, e.retryMin, e.retryMax)
		}
		at := now.Add(wait)
		level := slog.LevelWarn
		if de != nil && de.RetryAfter > 0 {
			// The platform's rate limit asked to wait (often before
			// anything was sent): routine under a burst, and once per
			// run held back it would flood the log.
			level = slog.LevelDebug
		}
		e.log.Log(ctx, level, "delivery failed; will retry", "reminder", r.ID, "at", o.At, "attempt", o.Attempts, "retry_in", wait, "err", err)
		// Whether the platform may have taken it goes with the retry, to
		// whichever instance makes it: that one looks before posting
		// again, where the platform lets it (Outgoing.Unsure).
		o.Unsure = bot.IsUnsure(err)
		if err := e.store.Retry(ctx, o, e.owner, at, err.Error()); err != nil {
			// The lease runs out instead, and the retry comes with it.
			e.log.Error("could not schedule retry", "reminder", r.ID, "err", err)
			return nil
		}
		e.metrics.Retried()
		// A copy of its own: taking o's address would move it to the heap
		// on every send, not only on a retry.
		retry := o
		retry.LeaseUntil, retry.LastError = at, err.Error()
		return &item{due: at, id: o.Reminder, occ: &retry, failures: failures}
	}
}

// recorded goes on with a job whose delivery was written (err nil) or
// could not be: the metrics, then the deliverer's follow-up, then the end.
func (e *Engine) recorded(ctx context.Context, j *job, err error) {
	// Only the time and lateness: not the whole occurrence, per run.
	at, late := j.at, j.late
	if j.occ != nil {
		at, late = j.occ.At, j.occ.Late
	}
	if err != nil {
		o := j.occurrence(e.owner)
		e.log.Error("delivered but not recorded; it may repeat when the lease expires", "reminder", o.Reminder, "at", o.At, "err", err)
	}
	e.metrics.Delivered(j.msgAt.Sub(at), late)
	if f, ok := e.deliver.(FollowUp); ok {
		e.followUp(ctx, f, j)
		return
	}
	e.done(j, nil)
}

// recordDelivered writes the delivery. A store that fails here is the one
// way a delivered message could be sent again, so it tries until just
// before the lease ends, renewing the lease while it can; only a process
// that dies here leaves the delivery unrecorded.
func (e *Engine) recordDelivered(ctx context.Context, o bot.Occurrence, msgID string, at time.Time) error {
	wait := 10 * time.Millisecond
	var err error
	for failures := 0; ; failures++ {
		if failing, until := e.health.state(); failures >= 3 && failing {
			if now := e.clock.Now(); now.Before(until) && now.Before(o.LeaseUntil.Add(-e.leaseMargin())) {
				// The store has been down for a while and the engine
				// backs off: wait out the backoff (the engine's probe
				// ends it when the store answers) rather than asking,
				// a record at a time, meanwhile.
				if !sleepRetry(ctx, min(until.Sub(now), time.Second)) {
					return err
				}
				continue
			}
		}
		started := e.clock.Now()
		err = e.record(ctx, Delivery{Occurrence: o, Owner: e.owner, MessageID: msgID, At: at})
		now := e.clock.Now()
		if err == nil {
			e.health.ok(e.log, started)
			return nil
		}
		if bot.ErrorCode(err) == bot.ECONFLICT {
			return err
		}
		e.health.failed(e.log, now, "record delivery", err)
		if o.LeaseUntil.Sub(now) < e.lease/2 {
			lease := now.Add(e.lease)
			// Posted: whoever takes it over if this record never comes
			// must look for the post before posting again.
			o.Unsure = true
			if e.store.Retry(ctx, o, e.owner, lease, "posted; recording") == nil {
				o.LeaseUntil = lease
			}
		}
		if !now.Before(o.LeaseUntil.Add(-e.leaseMargin())) {
			return err
		}
		if !sleepRetry(ctx, wait) {
			return err
		}
		wait = min(2*wait, time.Second)
	}
}

// sleepRetry waits d before a record is tried again, false if ctx ended
// first. Real time on purpose: this waits for the database, not for a
// schedule. Waits of a second end on the next whole second, so that the
// records of a batch that failed together are tried again together, in
// one transaction rather than one each.
func sleepRetry(ctx context.Context, d time.Duration) bool {
	if d >= time.Second {
		now := time.Now()
		d = now.Truncate(time.Second).Add(time.Second).Sub(now)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// recorder batches the records of deliveries: the first to arrive starts
// a writer, which waits recordGather for others if records come often and
// writes them all; whatever arrives while it writes goes in its next
// transaction (group commit). A store that takes several writes at once
// (ParallelWriter) gets up to that many writers while a full chunk waits.
type recorder struct {
	mu sync.Mutex
	// pending[head:] wait for a writer. The slice keeps its memory from
	// one burst to the next: some 17 000 deliveries finish each second
	// with a million schedules spread over the minute.
	pending []recordReq
	head    int
	peak    int // the most pending at once since the last trim
	writers int
	came    bool // records came while writers wrote
	// last is when the latest record was asked for (real time), or when
	// the last writer found none pending if records came while they
	// wrote: under load, reading the time once per write rather than per
	// record.
	last time.Time

	// Buffers of writers that finished, reused by the next ones.
	free []*recordBuf
}

// recordBuf is one writer's batch and its deliveries, reused from one
// batch to the next.
type recordBuf struct {
	batch []recordReq
	ds    []Delivery
}

type recordReq struct {
	j    *job
	d    *Delivery
	done chan error
}

func (q recordReq) delivery(owner string) Delivery {
	if q.d != nil {
		return *q.d
	}
	return Delivery{Occurrence: q.j.occurrence(owner), Owner: owner, MessageID: q.j.msgID, At: q.j.msgAt, Ref: q.j.ref}
}

// recordJob writes the delivery of j in the next batch; the writer then
// finishes j.
func (e *Engine) recordJob(ctx context.Context, j *job) {
	e.enqueueRecord(ctx, recordReq{j: j})
}

// record writes d in the next batch and returns its outcome.
func (e *Engine) record(ctx context.Context, d Delivery) error {
	done := make(chan error, 1)
	e.enqueueRecord(ctx, recordReq{d: &d, done: done})
	return <-done
}

func (e *Engine) enqueueRecord(ctx context.Context, q recordReq) {
	r := &e.rec
	r.mu.Lock()
	r.pending = append(r.pending, q)
	r.peak = max(r.peak, len(r.pending)-r.head)
	if r.writers > 0 {
		r.came = true
		if r.writers >= e.recordWriters || len(r.pending)-r.head < recordChunk {
			r.mu.Unlock()
			return
		}
		// A full chunk waits while every writer writes: another one.
		r.writers++
		buf := r.buffer()
		r.mu.Unlock()
		go e.writeRecords(ctx, buf, false)
		return
	}
	now := time.Now()
	busy := now.Sub(r.last) < recordGather
	r.last = now
	r.writers = 1
	buf := r.buffer()
	r.mu.Unlock()
	go e.writeRecords(ctx, buf, busy)
}

// buffer is a writer's buffers, reused if a writer left some. r.mu is
// held.
func (r *recorder) buffer() *recordBuf {
	if n := len(r.free); n > 0 {
		buf := r.free[n-1]
		r.free = r.free[:n-1]
		return buf
	}
	return &recordBuf{}
}

// writeRecords writes the pending records, a chunk per transaction, until
// none is left.
func (e *Engine) writeRecords(ctx context.Context, buf *recordBuf, busy bool) {
	r := &e.rec
	if busy {
		// Deliveries spread over time finish one by one: while they come
		// often, wait a moment for those that finish next, so that they
		// share a commit. A lone delivery is written at once.
		time.Sleep(recordGather)
	}
	r.mu.Lock()
	for r.head < len(r.pending) {
		n := min(len(r.pending)-r.head, recordChunk)
		buf.batch = append(buf.batch[:0], r.pending[r.head:r.head+n]...)
		clear(r.pending[r.head : r.head+n])
		if r.head += n; r.head == len(r.pending) {
			r.pending, r.head = r.pending[:0], 0
		}
		r.mu.Unlock()
		e.flush(ctx, buf)
		clear(buf.batch)
		r.mu.Lock()
	}
	r.writers--
	if r.writers == 0 {
		if r.came {
			r.came, r.last = false, time.Now()
		}
	}
	r.free = append(r.free, buf)
	r.mu.Unlock()
}

// flush writes one batch and answers each of its requests, even if the
// store panics: a request left unanswered would hold its delivery, and
// every later one, forever.
func (e *Engine) flush(ctx context.Context, buf *recordBuf) {
	batch := buf.batch
	var errs []error
	started := e.clock.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				e.log.Error("panic recording deliveries", "panic", fmt.Sprint(r))
				err = fmt.Errorf("schedule: record: panic: %v", r)
			}
		}()
		ds := buf.ds[:0]
		for _, q := range batch {
			ds = append(ds, q.delivery(e.owner))
		}
		errs, err = e.store.DeliveredBatch(ctx, ds)
		clear(ds)
		buf.ds = ds
		if err == nil && len(errs) != len(batch) {
			err = fmt.Errorf("schedule: store recorded %d of %d deliveries", len(errs), len(batch))
		}
		return err
	}()
	now := e.clock.Now()
	if err == nil {
		e.health.ok(e.log, started)
	}
	for i, q := range batch {
		qerr := err
		if err == nil {
			qerr = errs[i]
		}
		switch {
		case q.j == nil:
			q.done <- qerr
		case qerr == nil || bot.ErrorCode(qerr) == bot.ECONFLICT:
			e.recorded(ctx, q.j, qerr)
		default:
			// The store failed: keep trying, apart, until the lease
			// runs out.
			e.health.failed(e.log, now, "record delivery", qerr)
			j := q.j
			go func() {
				e.recorded(ctx, j, e.recordDelivered(ctx, j.occurrence(e.owner), j.msgID, j.msgAt))
			}()
		}
	}
}

// backoff is min doubling per attempt up to max, with ±20 % jitter.
func backoff(attempt int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}
