package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
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

func TestProbesAreNotLoad(t *testing.T) {
	timers := &fakeTimers{}
	m := &memoryReturner{quiet: time.Second, afterFunc: timers.afterFunc, clock: timers.clock,
		surplus: func() uint64 { return 0 }, free: func() {}}
	h := m.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	if len(timers.pending) != 0 {
		t.Fatalf("probes scheduled %d releases, want none", len(timers.pending))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/slack/commands", nil))
	if len(timers.pending) != 1 {
		t.Fatalf("a command scheduled %d releases, want one", len(timers.pending))
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

// releaserFunc is a memoryReleaser made of a function.
type releaserFunc func(context.Context)

func (f releaserFunc) ReleaseMemory(ctx context.Context) { f(ctx) }

// The parts release their memory once a burst is over, before the heap's
// surplus is weighed (what they drop from the heap is returned with the
// rest), and again after each later burst, whatever the surplus.
func TestPartsReleaseMemoryAfterABurst(t *testing.T) {
	timers := &fakeTimers{}
	var steps []string
	surplus := uint64(minSurplus)
	m := &memoryReturner{quiet: 3 * time.Second, afterFunc: timers.afterFunc, clock: timers.clock,
		surplus: func() uint64 { steps = append(steps, "surplus"); return surplus },
		free:    func() { steps = append(steps, "free") },
		releasers: []memoryReleaser{releaserFunc(func(ctx context.Context) {
			if _, ok := ctx.Deadline(); !ok || ctx.Err() != nil {
				t.Error("a release runs without a live, bounded context")
			}
			steps = append(steps, "release")
		})}}
	h := m.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve := func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/slack/commands", nil)) }

	for range 50 {
		serve()
	}
	timers.now += 2 * time.Second
	serve()
	timers.fire()
	if len(steps) != 0 {
		t.Fatalf("released %v while requests still arrive", steps)
	}
	timers.fire()
	if got, want := fmt.Sprint(steps), "[release surplus free]"; got != want {
		t.Fatalf("after a quiet period: %s, want %s", got, want)
	}
	steps, surplus = nil, 0
	serve()
	timers.fire()
	if got, want := fmt.Sprint(steps), "[release surplus]"; got != want {
		t.Errorf("after a burst leaving no heap surplus: %s, want %s", got, want)
	}
	if len(timers.pending) != 0 {
		t.Error("a timer left running at rest")
	}
}

// Once requests stop, the program has the core, the adapters and a SQLite
// file store release what they kept; the memory store keeps nothing for a
// burst.
func TestPartsReleasingMemoryAreWired(t *testing.T) {
	for _, c := range []struct {
		url        string
		platforms  bool
		want       int // the core, the adapters (if any) and the store (if it releases)
		storeTakes bool
	}{
		{"sqlite://" + filepath.Join(t.TempDir(), "r.db"), true, 4, true},
		{"sqlite://" + filepath.Join(t.TempDir(), "c.db"), false, 2, true},
		{"memory://", true, 3, false},
	} {
		cfg := config.Default()
		cfg.DatabaseURL = c.url
		cfg.HTTPAddr = "127.0.0.1:0"
		if c.platforms {
			cfg.Slack.SigningSecret, cfg.Slack.BotToken = slackSecret, "xoxb-test"
			cfg.Discord.PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
			cfg.Discord.Token, cfg.Discord.AppID = "test-token", "424242"
			off := false
			cfg.Discord.Gateway = &off
		}
		m := &Main{Config: cfg, Clock: bottest.NewClock(bottest.Start), Stdin: strings.NewReader(""), Stdout: io.Discard}
		if err := m.Open(t.Context()); err != nil {
			t.Fatal(err)
		}
		if m.returner == nil {
			t.Fatal("no memory returner on the HTTP server")
		}
		rs := m.returner.releasers
		if len(rs) != c.want {
			t.Errorf("%s: %d parts release memory, want %d", c.url, len(rs), c.want)
		}
		if len(rs) == 0 || rs[0] != memoryReleaser(m.Bot) {
			t.Errorf("%s: the core does not release memory first", c.url)
		}
		if got := len(rs) > 0 && rs[len(rs)-1] == m.Store.(any); got != c.storeTakes {
			t.Errorf("%s: the store releases memory last: %v, want %v", c.url, got, c.storeTakes)
		}
		m.Close()
	}
}
