package main

import (
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
)

// fakeTimers collects what memoryReturner schedules, for the test to run
// on a clock of its own.
type fakeTimers struct {
	now     time.Duration
	pending []func()
	after   []time.Duration
}

func (f *fakeTimers) afterFunc(d time.Duration, fn func()) {
	f.pending = append(f.pending, fn)
	f.after = append(f.after, f.now+d)
}

func (f *fakeTimers) clock() int64 { return int64(f.now) }

// fire moves the clock to the latest time scheduled and runs the
// functions scheduled so far.
func (f *fakeTimers) fire() {
	fns, after := f.pending, f.after
	f.pending, f.after = nil, nil
	for _, at := range after {
		f.now = max(f.now, at)
	}
	for _, fn := range fns {
		fn()
	}
}

func TestMemoryReturnedAfterABurst(t *testing.T) {
	timers := &fakeTimers{}
	surplus, frees := uint64(64<<20), 0
	m := &memoryReturner{quiet: time.Second, afterFunc: timers.afterFunc, clock: timers.clock,
		surplus: func() uint64 { return surplus }, free: func() { frees++ }}
	h := m.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve := func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)) }

	if len(timers.pending) != 0 {
		t.Fatal("a timer runs before any request")
	}
	for range 100 {
		serve()
	}
	if len(timers.pending) != 1 {
		t.Fatalf("%d checks scheduled for a burst, want one", len(timers.pending))
	}
	// A request came 300 ms into the quiet period: wait the rest of a
	// period after it, not a whole one after the check.
	timers.now += 300 * time.Millisecond
	serve()
	timers.fire()
	if frees != 0 || len(timers.pending) != 1 {
		t.Fatalf("frees = %d, pending = %d while requests still arrive; want 0 and one more check", frees, len(timers.pending))
	}
	if got, want := timers.after[0]-timers.now, 300*time.Millisecond; got != want {
		t.Errorf("the next check is %s after the first, want %s (a quiet period after the last request)", got, want)
	}
	timers.fire()
	if frees != 1 || len(timers.pending) != 0 {
		t.Fatalf("after a quiet period: frees = %d, pending = %d; want 1 and no timer at rest", frees, len(timers.pending))
	}
	// A later burst that leaves little surplus frees nothing.
	surplus = 1 << 20
	serve()
	timers.fire()
	if frees != 1 {
		t.Errorf("freed with %d bytes of surplus", surplus)
	}
	if len(timers.pending) != 0 {
		t.Error("a timer left running at rest")
	}
}

func TestHeapSurplusMetricsExist(t *testing.T) {
	known := map[string]bool{}
	for _, d := range metrics.All() {
		known[d.Name] = true
	}
	for _, n := range surplusMetrics {
		if !known[n] {
			t.Errorf("the runtime has no metric %s: heapSurplus would always be 0", n)
		}
	}
}

// The returner built for the process schedules on the process's clock:
// advancing a fake clock past the quiet period returns memory, without
// waiting for the wall clock.
func TestMemoryReturnerFollowsTheClock(t *testing.T) {
	clock := bottest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	m := newMemoryReturner(clock)
	freed := make(chan struct{}, 1)
	m.surplus = func() uint64 { return minSurplus }
	m.free = func() { freed <- struct{}{} }
	h := m.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	clock.Advance(quietBeforeReturn - time.Millisecond)
	select {
	case <-freed:
		t.Fatal("memory returned before a quiet period passed")
	default:
	}
	clock.Advance(time.Millisecond)
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("memory not returned after a quiet period on the clock")
	}
}
