package main

import (
	"context"
	"net/http"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// The Go runtime keeps the memory a burst of requests needed, up to its
// last heap goal, and hands it back to the OS only slowly. A process that
// answers a burst and then rests for hours would sit near its peak all
// that time; memoryReturner gives the surplus back once requests stop.
const (
	// quietBeforeReturn is how long no request may arrive before memory
	// is returned: a pause in a burst is not its end.
	quietBeforeReturn = 3 * time.Second
	// minSurplus is how much the runtime must hold beyond the live heap
	// for returning it to be worth a forced collection.
	minSurplus = 4 << 20
	// releaseTimeout bounds the parts' release of their memory.
	releaseTimeout = 5 * time.Second
)

// memoryReleaser is a part that keeps memory for a burst of work and can
// give it back once the burst is over: the SQLite store's connections and
// page caches (in the C library's allocator, outside the Go heap), the
// adapters' and the core's expired entries.
type memoryReleaser interface {
	ReleaseMemory(ctx context.Context)
}

// memoryReturner watches requests through wrap. Once quietBeforeReturn
// has passed since the last request, it has the parts release the memory
// they kept, then forces a collection and returns freed memory to the OS
// if the runtime holds at least minSurplus beyond the live heap. At rest
// it costs nothing: no timer runs until a request arrives, and under load
// one timer per quiet period.
type memoryReturner struct {
	quiet time.Duration
	// afterFunc runs a function once a duration has passed, and clock is
	// the time in nanoseconds; newMemoryReturner takes both from the
	// process's clock, so that tests advance a fake one instead of
	// sleeping.
	afterFunc func(time.Duration, func())
	clock     func() int64
	// surplus reports the bytes the runtime holds beyond the live heap.
	surplus func() uint64
	// free returns memory to the OS (debug.FreeOSMemory).
	free func()
	// releasers give back what the parts kept; they run first, so that
	// what they drop from the heap is returned with the rest.
	releasers []memoryReleaser

	last  atomic.Int64 // clock at the latest request
	armed atomic.Bool
}

func newMemoryReturner(clock bot.Clock) *memoryReturner {
	return &memoryReturner{
		quiet: quietBeforeReturn,
		afterFunc: func(d time.Duration, f func()) {
			t := clock.NewTimer(d)
			go func() {
				<-t.C()
				f()
			}()
		},
		clock:   func() int64 { return clock.Now().UnixNano() },
		surplus: heapSurplus,
		free:    debug.FreeOSMemory,
	}
}

// wrap notes the requests h serves. Health probes and metric scrapes
// are not load: they arrive every few seconds for as long as the process
// runs, and counting them would release (and so reopen) the parts' pools
// after every one.
func (m *memoryReturner) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !probePath(r.URL.Path) {
			m.touch()
		}
		h.ServeHTTP(w, r)
	})
}

// probePath reports whether path is one that orchestrators and Prometheus
// poll (routes' /healthz, /readyz and /metrics).
func probePath(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// touch notes a request and, if no check is pending, schedules one.
func (m *memoryReturner) touch() {
	m.last.Store(m.clock())
	if m.armed.Load() || !m.armed.CompareAndSwap(false, true) {
		return
	}
	m.afterFunc(m.quiet, m.check)
}

// check runs when a quiet period may have passed since the last request:
// if one came since, it waits for the rest of the period after it (not a
// whole new period, so memory goes back quiet after the last request, not
// up to twice that); otherwise the burst is over.
func (m *memoryReturner) check() {
	if idle := time.Duration(m.clock() - m.last.Load()); idle < m.quiet {
		m.afterFunc(m.quiet-idle, m.check)
		return
	}
	m.armed.Store(false)
	if len(m.releasers) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
		for _, r := range m.releasers {
			r.ReleaseMemory(ctx)
		}
		cancel()
	}
	if m.surplus() >= minSurplus {
		m.free()
	}
}

// surplusMetrics are what heapSurplus reads: the heap's three classes of
// mapped memory not returned to the OS, then the live heap.
var surplusMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/gc/heap/live:bytes",
}

// heapSurplus is the memory the runtime keeps mapped for the heap beyond
// what was live at the last collection: garbage not yet collected, and
// free spans not yet returned to the OS.
func heapSurplus() uint64 {
	s := make([]metrics.Sample, len(surplusMetrics))
	for i, n := range surplusMetrics {
		s[i].Name = n
	}
	metrics.Read(s)
	var held uint64
	for _, v := range s[:3] {
		if v.Value.Kind() == metrics.KindUint64 {
			held += v.Value.Uint64()
		}
	}
	var live uint64
	if s[3].Value.Kind() == metrics.KindUint64 {
		live = s[3].Value.Uint64()
	}
	if held <= live {
		return 0
	}
	return held - live
}
