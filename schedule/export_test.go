package schedule

import (
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// ChangedLately lets tests wait until the engine heard that a reminder
// changed, rather than for an arbitrary time.
func (e *Engine) ChangedLately(id bot.ReminderID) bool { return e.changedLately(id) }

// AssumeClaimCost sets the cost per claim the engine sizes bursts by, as
// if measured: a test's few thousand runs then make a burst.
func (e *Engine) AssumeClaimCost(d time.Duration) { e.claimNanos.Store(int64(d)) }

// KeptRoom is the room, in elements, of the lists and queues the engine
// keeps from one second's work to the next.
func (e *Engine) KeptRoom() int {
	e.mu.Lock()
	n := cap(e.queue)
	for _, l := range e.spareRuns.lists {
		n += cap(l)
	}
	e.mu.Unlock()
	q := &e.jobs
	q.mu.Lock()
	n += cap(q.ready.items) + cap(q.after.items)
	for _, l := range q.spare.lists {
		n += cap(l)
	}
	q.mu.Unlock()
	e.rec.mu.Lock()
	n += cap(e.rec.pending)
	e.rec.mu.Unlock()
	return n
}

// IdleTrim is how long the engine waits with no work before it gives back
// the room a burst left.
const IdleTrim = idleTrim

// WithReleaseTimeout bounds the hand-back as Run returns by d instead of
// releaseTimeout.
func WithReleaseTimeout(d time.Duration) Option {
	return func(e *Engine) error { e.releaseIn = d; return nil }
}
