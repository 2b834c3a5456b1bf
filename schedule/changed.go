package schedule

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// changedKeep is how long the engine remembers that a reminder changed:
// long enough for every run claimed before the change to reach its time.
const changedKeep = maxLead + time.Second

// changes are the reminders changed lately. A run is
// claimed up to claimAhead before its time (maxLead in a burst); a pause or a cancel made in
// between would not stop it, since the claim already passed. So a run of a
// reminder named here is looked up again before it goes out. Runs of other
// reminders cost one atomic load.
type changes struct {
	n  atomic.Int32
	mu sync.Mutex
	at map[bot.ReminderID]time.Time
	// pruned is when at was last cleared of old changes: at most once per
	// changedKeep, so that an uninstall's thousands of notifications, one
	// reminder each, do not each scan the map.
	pruned time.Time
}

// Changed tells the engine that reminders were changed (paused, cancelled,
// moved), then wakes it as Wake does. A run of one of them that is already
// claimed is checked again before it is delivered, and dropped if the
// reminder is gone or paused over it. The bot calls it for changes made in
// this process; a store that is a ChangeNotifier calls it for changes made
// by other instances.
func (e *Engine) Changed(ids ...bot.ReminderID) {
	if len(ids) == 0 {
		e.Wake()
		return
	}
	now := e.clock.Now()
	c := &e.changes
	c.mu.Lock()
	if c.at == nil {
		c.at = map[bot.ReminderID]time.Time{}
	}
	if now.Sub(c.pruned) > changedKeep {
		for id, t := range c.at {
			if now.Sub(t) > changedKeep {
				delete(c.at, id)
			}
		}
		c.pruned = now
	}
	for _, id := range ids {
		c.at[id] = now
	}
	c.n.Store(int32(len(c.at)))
	c.mu.Unlock()
	e.Wake()
}

// changedLately reports whether the reminder was changed lately.
func (e *Engine) changedLately(id bot.ReminderID) bool {
	c := &e.changes
	if c.n.Load() == 0 {
		return false
	}
	c.mu.Lock()
	_, ok := c.at[id]
	c.mu.Unlock()
	return ok
}

// dropChanged reports whether the claimed run j must not be delivered: a
// timed pause covers it (the claim's own answer says so: the pause came
// after this instance loaded the run), or its reminder changed after the
// claim and is now deleted, or paused over the run. The run's occurrence
// is then closed as Skipped.
func (e *Engine) dropChanged(ctx context.Context, j *job) bool {
	if j.r == nil || !j.r.PausedUntil.After(j.at) {
		if !e.changedLately(j.key.id) {
			return false
		}
		r, err := e.store.ReminderByID(ctx, j.key.id)
		switch {
		case bot.ErrorCode(err) == bot.ENOTFOUND:
			// Cancelled: its occurrences went with it.
			e.metrics.Skipped()
			return true
		case err != nil:
			// Cannot tell: deliver, as the claim said.
			return false
		case !r.Paused && !r.PausedUntil.After(j.at):
			return false
		}
	}
	// Closed as a takeover closes an occurrence its reminder's pause
	// covers: the lease is brought back to the run's time, then acquired.
	o := j.occurrence(e.owner)
	if err := e.store.Retry(ctx, o, e.owner, o.At, "paused before its time"); err != nil {
		e.log.Warn("could not drop a run paused after its claim; its lease runs out instead", "reminder", o.Reminder, "at", o.At, "err", err)
		return true
	}
	o.LeaseUntil = o.At
	lease := e.clock.Now().Add(e.lease)
	if ok, err := e.store.Acquire(ctx, o, e.owner, lease); err != nil || ok {
		// ok: the pause ended in between; the run goes out after all.
		if err == nil {
			j.lease = lease
			j.attempts++
			return false
		}
		e.log.Warn("could not drop a run paused after its claim; its lease runs out instead", "reminder", o.Reminder, "at", o.At, "err", err)
	}
	e.metrics.Skipped()
	return true
}
