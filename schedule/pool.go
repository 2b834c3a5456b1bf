package schedule

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// job is one delivery from its claim to its record: a claimed run, or an
// open occurrence to take over. The jobs of one claim batch are allocated
// together, and a run's holds no copy of its occurrence, which follows
// from its claim: thousands are under way at once.
type job struct {
	at  time.Time // not sent before (zero: at once); a run's time
	key itemKey   // in flight until done
	// r is the reminder as the claim left it (it points into the batch's
	// result); a takeover's sender loads it.
	r *bot.Reminder
	// A claimed run's occurrence: Claimed by this instance until lease.
	lease    time.Time
	attempts int32
	late     bool
	// ref is the claim's Ref, handed to the store with the record.
	ref uint64
	// batch holds the jobs of j's claim batch (nil for a takeover).
	batch *jobBatch
	// takeover: occ is an open occurrence to acquire first, then as
	// acquired (nil for a claimed run).
	takeover bool
	occ      *bot.Occurrence
	failures int // as in item

	// Set by the send before it hands the job to the recorder.
	routine bot.RoutineSpec // the routine sent, recorded with the delivery
	msgID   string          // the platform's message id
	msgAt   time.Time       // when the platform answered
	sent    *bot.Sent       // for the deliverer's follow-up only
}

// occurrence is the occurrence j delivers, held by owner.
func (j *job) occurrence(owner string) bot.Occurrence {
	if j.occ != nil {
		return *j.occ
	}
	return bot.Occurrence{Reminder: j.r.ID, Tenant: j.r.Tenant, At: j.at, Kind: bot.RunOccurrence, State: bot.Claimed,
		Owner: owner, LeaseUntil: j.lease, Attempts: int(j.attempts), Late: j.late, Routine: j.routine}
}

// jobs holds what waits for its time and what waits for a sender. Runs
// claimed ahead wait in groups, one per instant (schedules fall due on
// whole seconds, thousands at a time), behind one timer; when it fires,
// the group goes to a fixed number of senders, started when there is work
// and ending when there is none. A run then costs no goroutine and no
// timer of its own.
type jobs struct {
	mu      sync.Mutex
	timed   map[int64][]*job
	instant []int64 // the keys of timed, earliest first
	waiting bool    // a dispatcher waits for the earliest instant
	sooner  chan struct{}

	// spare are groups of timed kept from instants dispatched, for the
	// instants that come next (a group holds thousands of jobs).
	spare spares[*job]

	ready workQueue // sends waiting for a sender
	after workQueue // follow-ups waiting for a goroutine
}

// workQueue is a queue of jobs served by at most a fixed number of
// goroutines, started when work comes and ending when none is left. Call
// its methods with jobs.mu held.
type workQueue struct {
	items   []*job
	head    int // items[head:] wait
	serving int // goroutines serving the queue
	peak    int // the most waiting at once since the last trim
}

// push queues j and reports whether to start a goroutine for it: true
// while fewer than max serve the queue.
func (w *workQueue) push(j *job, max int) bool {
	w.items = append(w.items, j)
	if n := len(w.items) - w.head; n > w.peak {
		w.peak = n
	}
	if w.serving < max {
		w.serving++
		return true
	}
	return false
}

// pop takes the next job; false when none is left, and then the calling
// goroutine no longer serves the queue and must end.
func (w *workQueue) pop() (*job, bool) {
	if w.head == len(w.items) {
		w.items, w.head = w.items[:0], 0
		w.serving--
		return nil, false
	}
	j := w.items[w.head]
	w.items[w.head] = nil
	w.head++
	return j, true
}

// trim gives back the room a burst left if nothing waits.
func (w *workQueue) trim() {
	if w.head == len(w.items) {
		w.items, w.head = shrunk(w.items[:0], w.peak), 0
	}
	w.peak = 0
}

// start queues j to be sent once its time comes and a sender is free.
// Work started is finished even during shutdown, never early: a run
// claimed ahead still waiting for its time when the engine stops is handed
// back to the store (see handBack) or, failing that, delivered at its
// time. Its key stays in flight until it is done; the retry it may leave
// is queued then.
//
// A job due now takes one of the slots that bound the deliveries under way
// (a burst is claimed no faster than it is delivered); one claimed ahead
// waits for its time without one, up to maxAhead such jobs, and takes its
// slot when its time comes. So every run due at the next instant can be
// claimed before it, however many share it.
//
// now is the clock's time, read once for a batch of jobs: a job whose time
// came since waits behind a timer already due.
func (e *Engine) start(ctx context.Context, j *job, now time.Time) {
	e.wg.Add(1)
	q := &e.jobs
	if j.at.IsZero() || !j.at.After(now) {
		e.slots <- struct{}{}
		q.mu.Lock()
		e.readyLocked(ctx, j)
		q.mu.Unlock()
		return
	}
	e.ahead <- struct{}{}
	e.await(ctx, j)
}

// await queues j, which holds a place in e.ahead, to wait for its time.
func (e *Engine) await(ctx context.Context, j *job) {
	q := &e.jobs
	at := j.at.UnixNano()
	q.mu.Lock()
	if q.timed == nil {
		q.timed = map[int64][]*job{}
	}
	g, ok := q.timed[at]
	if !ok {
		g = q.spare.take()
	}
	q.timed[at] = append(g, j)
	earliest := false
	if !ok {
		i, _ := slices.BinarySearch(q.instant, at)
		q.instant = slices.Insert(q.instant, i, at)
		earliest = i == 0
	}
	spawn := !q.waiting
	q.waiting = true
	q.mu.Unlock()
	if spawn {
		go e.dispatch(ctx)
	} else if earliest {
		q.wakeDispatch()
	}
}

// wakeDispatch has the dispatcher look at the earliest instant again.
func (q *jobs) wakeDispatch() {
	select {
	case q.sooner <- struct{}{}:
	default:
	}
}

// takeAfter takes out the jobs waiting for an instant after t, earliest
// first.
func (q *jobs) takeAfter(t time.Time) []*job {
	at := t.UnixNano()
	q.mu.Lock()
	i, _ := slices.BinarySearch(q.instant, at+1)
	var out []*job
	for _, k := range q.instant[i:] {
		out = append(out, q.timed[k]...)
		delete(q.timed, k)
	}
	q.instant = q.instant[:i]
	q.mu.Unlock()
	if len(out) > 0 {
		q.wakeDispatch() // it may be waiting for one of them
	}
	return out
}

// dispatch hands each group of timed jobs to the senders at its instant,
// also after ctx ends: nothing goes out before its time. It returns when
// none is left.
func (e *Engine) dispatch(ctx context.Context) {
	q := &e.jobs
	for {
		q.mu.Lock()
		if len(q.instant) == 0 {
			q.waiting = false
			q.mu.Unlock()
			return
		}
		at := q.instant[0]
		d := time.Duration(at - e.clock.Now().UnixNano())
		if d <= 0 {
			g := q.timed[at]
			delete(q.timed, at)
			q.instant = q.instant[1:]
			q.mu.Unlock()
			for _, j := range g {
				e.slots <- struct{}{}
				<-e.ahead
				q.mu.Lock()
				e.readyLocked(ctx, j)
				q.mu.Unlock()
			}
			clear(g)
			q.mu.Lock()
			q.spare.put(g)
			q.mu.Unlock()
			continue
		}
		q.mu.Unlock()
		t := e.clock.NewTimer(d)
		select {
		case <-t.C():
		case <-q.sooner:
			t.Stop()
		}
	}
}

// readyLocked queues j for a sender, starting one if fewer than the
// engine's workers are busy. Call with e.jobs.mu held.
func (e *Engine) readyLocked(ctx context.Context, j *job) {
	if e.jobs.ready.push(j, e.workers) {
		go e.sender(context.WithoutCancel(ctx))
	}
}

// sender sends ready jobs until none is left.
func (e *Engine) sender(ctx context.Context) {
	q := &e.jobs
	var sc sendCtx
	defer sc.end()
	for {
		q.mu.Lock()
		j, ok := q.ready.pop()
		q.mu.Unlock()
		if !ok {
			return
		}
		e.run(ctx, &sc, j)
	}
}

// sendReuse is how much shorter than its due a send's time limit may be,
// so that one context serves a sender's sends for that long.
const sendReuse = time.Second

// sendCtx is a sender's context for its sends: one with a deadline, kept
// for the sends that follow while its deadline stays within sendReuse of
// theirs, rather than a context and a timer per send.
type sendCtx struct {
	ctx      context.Context
	cancel   context.CancelFunc
	deadline time.Time
	// handed is set once the send under way handed its job to the
	// recorder, which finishes it: from then on the job is not the
	// sender's to read (its batch may be reused, see jobBatch).
	handed bool
}

// get returns a context ending d after now (the real time), give or take
// sendReuse.
func (s *sendCtx) get(parent context.Context, now time.Time, d time.Duration) context.Context {
	want := now.Add(d)
	if s.ctx == nil || s.ctx.Err() != nil || s.deadline.After(want) || s.deadline.Before(want.Add(-sendReuse)) {
		s.end()
		s.deadline = want
		s.ctx, s.cancel = context.WithDeadline(parent, want)
	}
	return s.ctx
}

func (s *sendCtx) end() {
	if s.cancel != nil {
		s.cancel()
		s.ctx, s.cancel = nil, nil
	}
}

// run sends j, recovering from a panic so that its keys, slot and wait
// group are given back.
func (e *Engine) run(ctx context.Context, sc *sendCtx, j *job) {
	var next *item
	sc.handed = false
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("panic in scheduler job", "panic", fmt.Sprint(r))
			next = nil
		}
		if !sc.handed {
			e.done(j, next)
		}
	}()
	if j.takeover {
		next = e.runOccurrence(ctx, sc, j)
		return
	}
	if e.dropChanged(ctx, j) {
		return
	}
	next = e.send(ctx, sc, j)
}

// done ends j: its key leaves flight, the retry it leaves (if any) is
// queued, and its slot is free.
func (e *Engine) done(j *job, next *item) {
	b := j.batch
	e.finish(next, j.key)
	<-e.slots
	e.wg.Done()
	b.release() // last: the job may be reused at once
}

// jobBatch is the jobs of one claim batch, allocated together and used
// again by a later batch once every job started from it is done. With a
// million schedules spread over the minute the engine starts some 17 000
// jobs a second: a fresh array for every batch was memory the collector
// had to sweep and the system to map again, and writing each job into it
// cost as much as the rest of starting it.
type jobBatch struct {
	jobs []job
	// The batch's claims, whether each could be made, and their outcomes
	// (jobs point into claimed): reused with the jobs.
	claims    []Claim
	claimable []bool
	claimed   []Claimed
	// refs counts the jobs started from it and not done, plus one while
	// claimRuns starts them.
	refs atomic.Int32
}

var jobBatches = sync.Pool{New: func() any {
	return &jobBatch{jobs: make([]job, claimChunk), claims: make([]Claim, claimChunk), claimable: make([]bool, claimChunk),
		claimed: make([]Claimed, claimChunk)}
}}

// newJobBatch returns a batch of n jobs, held once.
func newJobBatch(n int) *jobBatch {
	b := jobBatches.Get().(*jobBatch)
	if cap(b.jobs) < n {
		b.jobs = make([]job, n)
		b.claims, b.claimable, b.claimed = make([]Claim, n), make([]bool, n), make([]Claimed, n)
	}
	b.jobs, b.claims, b.claimable, b.claimed = b.jobs[:n], b.claims[:n], b.claimable[:n], b.claimed[:n]
	b.refs.Store(1)
	return b
}

// hold counts one more job started from b.
func (b *jobBatch) hold() { b.refs.Add(1) }

// release counts one job of b done, or claimRuns done starting them; after
// the last, b is cleared (it then keeps no reminder alive) and reused. A
// job that never ends (a run handed back to the store) only keeps its
// batch from being reused.
func (b *jobBatch) release() {
	if b == nil || b.refs.Add(-1) != 0 {
		return
	}
	clear(b.jobs[:cap(b.jobs)])
	clear(b.claims[:cap(b.claims)])
	clear(b.claimed[:cap(b.claimed)])
	jobBatches.Put(b)
}

// followUp runs the deliverer's follow-up of a recorded job on a goroutine
// of its own pool (it may write and call the platform), then ends the job.
func (e *Engine) followUp(ctx context.Context, f FollowUp, j *job) {
	q := &e.jobs
	q.mu.Lock()
	spawn := q.after.push(j, e.workers)
	q.mu.Unlock()
	if !spawn {
		return
	}
	go func() {
		for {
			q.mu.Lock()
			j, ok := q.after.pop()
			q.mu.Unlock()
			if !ok {
				return
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						e.log.Error("panic in delivery follow-up", "panic", fmt.Sprint(r))
					}
					e.done(j, nil)
				}()
				f.Delivered(ctx, *j.r, j.occurrence(e.owner), *j.sent)
			}()
		}
	}()
}
