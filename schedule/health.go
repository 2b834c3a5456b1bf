package schedule

import (
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// health follows whether the store answers. While it fails, the engine
// waits between attempts, longer each time, and logs only the change of
// state: an outage with a backlog would otherwise retry in a tight loop and
// log thousands of lines a second.
type health struct {
	mu         sync.Mutex
	failing    bool
	since      time.Time
	failures   int // in a row, for the backoff
	suppressed int // errors not logged since the outage began
	until      time.Time
}

const (
	storeBackoffMin = 100 * time.Millisecond
	storeBackoffMax = 30 * time.Second
	// probeEvery is how often a failing store is pinged, so that delivery
	// resumes soon after it answers, however long the backoff has grown.
	probeEvery = time.Second
)

// failed notes a failed store operation at now and returns the time before
// which the engine should not try again.
func (h *health) failed(log *slog.Logger, now time.Time, what string, err error) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	d := storeBackoffMin << min(h.failures-1, 20)
	d = min(d, storeBackoffMax)
	// ±20 % so that instances sharing a database do not retry in step.
	d += time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	h.until = now.Add(d)
	if !h.failing {
		h.failing, h.since, h.suppressed = true, now, 0
		log.Error("store failing; backing off until it answers", "op", what, "err", err)
	} else {
		h.suppressed++
	}
	return h.until
}

// ok notes a store operation, started at started, that succeeded. One
// that started before the store was seen failing says nothing about the
// store now: operations in flight when the database goes away finish on
// either side of the first failure, and taking a late success for a
// recovery would log the outage as over and begun again.
func (h *health) ok(log *slog.Logger, started time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failing && started.Before(h.since) {
		return
	}
	h.failures = 0
	h.until = time.Time{}
	if h.failing {
		h.failing = false
		log.Info("store recovered", "after", started.Sub(h.since), "suppressed_errors", h.suppressed)
	}
}

// state reports whether the store is failing and until when to wait.
func (h *health) state() (failing bool, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing, h.until
}

// answered notes that the store answered a ping: the backoff ends now,
// though the store counts as failing until an operation succeeds.
func (h *health) answered() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.until = time.Time{}
}
