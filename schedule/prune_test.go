package schedule_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
)

// timerClock is a fake clock that tells the test each wait asked of it,
// once the timer is set, so that the test advances time only then.
type timerClock struct {
	*bottest.Clock
	waits chan time.Duration
}

func (c timerClock) NewTimer(d time.Duration) bot.Timer {
	t := c.Clock.NewTimer(d)
	c.waits <- d
	return t
}

// pruneCall is one PruneOccurrences call, answered by the test.
type pruneCall struct {
	before time.Time
	limit  int
	reply  chan pruneReply
}

type pruneReply struct {
	n    int
	took time.Duration // the fake clock moves on this much during the call
	err  error
}

type fakePruner struct {
	clock *bottest.Clock
	calls chan pruneCall
}

func (f fakePruner) PruneOccurrences(ctx context.Context, before time.Time, limit int) (int, error) {
	c := pruneCall{before, limit, make(chan pruneReply)}
	f.calls <- c
	r := <-c.reply
	f.clock.Advance(r.took)
	return r.n, r.err
}

type prunedCount struct{ n chan int }

func (m prunedCount) Pruned(n int) { m.n <- n }

// TestPrunerPaces runs the loop on a fake clock: a chunk a second, chunks
// five times as often (or four times as long as one took) while they come
// back full, and backing off after errors.
func TestPrunerPaces(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := bottest.NewClock(start)
	tc := timerClock{clock, make(chan time.Duration)}
	store := fakePruner{clock, make(chan pruneCall)}
	metrics := prunedCount{make(chan int, 10)}
	var logged strings.Builder // the loop's own goroutine writes it; read once Run returned
	p := schedule.NewPruner(store, schedule.PruneWithClock(tc), schedule.PruneWithMetrics(metrics),
		schedule.PruneWithLogger(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelInfo}))),
		schedule.PruneWithRetention(48*time.Hour), schedule.PruneWithChunk(100, time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()

	errDown := errors.New("database is down")
	cases := []struct {
		reply    pruneReply
		wantWait time.Duration // before the next chunk
	}{
		{pruneReply{n: 3}, time.Second},                                             // not full: a second
		{pruneReply{n: 100, took: 300 * time.Millisecond}, 1200 * time.Millisecond}, // full and slow: four times the chunk
		{pruneReply{n: 100}, 200 * time.Millisecond},                                // full and instant: a fifth of the pause
		{pruneReply{err: errDown}, 2 * time.Second},                                 // failing: backing off
		{pruneReply{err: errDown}, 4 * time.Second},
		{pruneReply{err: errDown}, 8 * time.Second},
		{pruneReply{err: errDown}, 16 * time.Second},
		{pruneReply{err: errDown}, 32 * time.Second}, // a minute: warned
		{pruneReply{err: errDown}, time.Minute},      // at most a minute
		{pruneReply{n: 0}, time.Second},              // answering again
	}
	wait := <-tc.waits
	if wait != time.Second {
		t.Fatalf("first wait = %v, want 1s", wait)
	}
	for i, tt := range cases {
		clock.Advance(wait)
		c := <-store.calls
		if want := clock.Now().Add(-48 * time.Hour); !c.before.Equal(want) || c.limit != 100 {
			t.Errorf("chunk %d: PruneOccurrences(%v, %d), want (%v, 100)", i, c.before, c.limit, want)
		}
		c.reply <- tt.reply
		if wait = <-tc.waits; wait != tt.wantWait {
			t.Errorf("chunk %d (%+v): next wait %v, want %v", i, tt.reply, wait, tt.wantWait)
		}
		if tt.reply.n > 0 {
			if got := <-metrics.n; got != tt.reply.n {
				t.Errorf("chunk %d: Pruned(%d), want %d", i, got, tt.reply.n)
			}
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel, want nil", err)
	}
	// One line once failures last, one when they end.
	if got := logged.String(); strings.Count(got, "\n") != 2 || !strings.Contains(got, "level=WARN") ||
		!strings.Contains(got, "database is down") || !strings.Contains(got, "failed_chunks=6") {
		t.Errorf("logged:\n%s\nwant one warning for six failures and one line for the recovery", got)
	}
	select {
	case n := <-metrics.n:
		t.Errorf("Pruned(%d) counted more than the chunks deleted", n)
	default:
	}
}
