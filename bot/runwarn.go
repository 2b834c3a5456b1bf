package bot

import (
	"sync"
	"time"
)

// runWarnEvery is how often the warnings of the scheduler's per-run path
// (settings and rotations that could not be read or written while a run is
// delivered or passed over) reach the log. They come from the store, and
// when it fails they would come once per run: a backlog of a thousand runs
// would write a thousand lines, where the scheduler already said once that
// the store is failing.
const runWarnEvery = time.Minute

// runWarnings throttles those warnings: the first is logged, the next ones
// within runWarnEvery are counted and their number given with the next
// line logged.
type runWarnings struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// runWarn logs a warning of the per-run path, at most one per runWarnEvery.
func (b *Bot) runWarn(msg string, args ...any) {
	now := b.clock.Now()
	w := &b.runWarnings
	w.mu.Lock()
	if d := now.Sub(w.last); !w.last.IsZero() && d >= 0 && d < runWarnEvery {
		w.suppressed++
		w.mu.Unlock()
		return
	}
	n := w.suppressed
	w.last, w.suppressed = now, 0
	w.mu.Unlock()
	if n > 0 {
		args = append(args, "suppressed_since_last", n)
	}
	b.log.Warn(msg, args...)
}
