package schedule

import (
	"context"
	"log/slog"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// OccurrencePruner is an optional Store capability: deleting closed
// occurrences nobody reads any more. Every run of a reminder leaves one
// (its key is what stops a second claim of the run), so without it the
// table grows by a row per run for ever: 240 000 a day for 10 000 hourly
// reminders.
type OccurrencePruner interface {
	// PruneOccurrences deletes at most limit occurrences that are closed
	// (Delivered, Skipped or Failed, never Pending or Claimed) and whose
	// At is before before, and reports how many it deleted. It keeps an
	// occurrence the reminder still shows (the delivery of its latest
	// claimed run). The runs a store keeps of deleted reminders, for
	// Done on their messages (bot.DeliveryLog), go once they are as old,
	// and count in the chunk. Each call is a short chunk of a walk over
	// the whole store, which the store keeps its place in: calling it
	// again goes on from there, and round again after the end. A chunk
	// that deletes fewer than limit means the walk moved on past what it
	// looked at.
	PruneOccurrences(ctx context.Context, before time.Time, limit int) (int, error)
}

// Retention is how long closed occurrences are kept, counted from their
// At. Everything that reads a closed occurrence reads it within that time:
//
//   - Done and Join on a delivered message count only if its run is found
//     delivered (bot.DeliveryLog). People answer a message from the
//     weekend on Monday, or last week's after a holiday; a month covers
//     those, and a button older than that says "no record of that break"
//     and offers `done`, which counts anyway.
//   - A snooze repeats the reminder's LastRun (at most a day later, the
//     longest snooze), and Done on the snooze counts that run.
//   - A claim is refused when its run's occurrence exists. Claims take
//     runs no older than the catch-up window (at most a week), so a run
//     claimed once is never claimed again after its occurrence is gone.
//   - The reminder's LastRun, LastMessage and LastRoutine may still be
//     read from the occurrence of its latest claimed run, however old
//     (a monthly reminder's): stores keep that one (see OccurrencePruner).
//
// Summaries and stats read team runs and completions, not
// occurrences.
const Retention = 30 * 24 * time.Hour

// Pruner deletes closed occurrences older than its retention, a chunk at a
// time, paced on its clock so that claims and records, which share the
// store's writer with it, barely notice: a chunk every five seconds, and
// while chunks come back full (a backlog, say on the first start after an
// upgrade) one a second, or four times as long as a chunk took if that is
// longer.
//
// What a chunk costs the engine is mostly that it commits: on SQLite every
// other connection drops its page cache when one commits a change, and the
// engine's next claims read their pages again. Beside a saturated engine
// (runs claimed flat out in a file of two million occurrences) chunks of
// 500 rows, one or two a second, made each run half again to twice as
// slow and deleted some 700 rows a second; chunks of 5 000, about one a
// second, cost about as much and deleted 5 000 a second. So chunks are
// large and rare; a walk that finds nothing to delete commits nothing and
// cost nothing measurable.
type Pruner struct {
	store   OccurrencePruner
	clock   bot.Clock
	log     *slog.Logger
	metrics PruneMetrics
	keep    time.Duration
	chunk   int
	every   time.Duration
}

// PruneMetrics hears how many occurrences a Pruner deleted. Package
// schedule/prommetrics counts them.
type PruneMetrics interface {
	Pruned(n int)
}

// PruneOption configures a Pruner.
type PruneOption func(*Pruner)

// PruneWithClock sets the time source (default bot.SystemClock).
func PruneWithClock(c bot.Clock) PruneOption { return func(p *Pruner) { p.clock = c } }

// PruneWithLogger sets where failures (warn) and chunks (debug) are logged.
func PruneWithLogger(l *slog.Logger) PruneOption { return func(p *Pruner) { p.log = l } }

// PruneWithMetrics counts deleted occurrences into m.
func PruneWithMetrics(m PruneMetrics) PruneOption { return func(p *Pruner) { p.metrics = m } }

// PruneWithRetention keeps closed occurrences for d instead of Retention.
func PruneWithRetention(d time.Duration) PruneOption { return func(p *Pruner) { p.keep = d } }

// PruneWithChunk sets how many occurrences one chunk deletes at most
// (default 2 000), and every, the pause after a chunk that was not full
// (default five seconds; a fifth of it after a full one).
func PruneWithChunk(n int, every time.Duration) PruneOption {
	return func(p *Pruner) { p.chunk, p.every = n, every }
}

// NewPruner returns a Pruner of s's closed occurrences.
func NewPruner(s OccurrencePruner, opts ...PruneOption) *Pruner {
	// 2 000 rows is under 10 ms of writing on SQLite, and walking past
	// 2 000 reminders some 12 ms: claims and records queued behind it
	// wait about as long as behind one of their own batches. A chunk
	// every five seconds walks 10 000 hourly reminders in under half a
	// minute; full ones a second apart delete 2 000 rows a second, more
	// than 100 000 schedules firing every minute add.
	p := &Pruner{store: s, clock: bot.SystemClock{}, log: slog.Default(), keep: Retention, chunk: 2000, every: 5 * time.Second}
	for _, o := range opts {
		o(p)
	}
	if p.clock == nil {
		p.clock = bot.SystemClock{}
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	p.chunk, p.every = max(p.chunk, 1), max(p.every, time.Millisecond)
	return p
}

// warnFailures is how many chunks in a row must fail before a Pruner warns:
// with its back-off, about a minute's worth.
const warnFailures = 5

// Run prunes until ctx ends, then returns nil. After a store error it tries
// again later, backing off up to a minute (pruning can always wait); it
// warns once failures last, and says when they end.
func (p *Pruner) Run(ctx context.Context) error {
	wait, failures := p.every, 0
	for {
		t := p.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
		}
		start := p.clock.Now()
		n, err := p.store.PruneOccurrences(ctx, start.Add(-p.keep), p.chunk)
		took := p.clock.Now().Sub(start)
		if n > 0 {
			p.log.Debug("pruned old occurrences", "deleted", n, "took", took)
			if p.metrics != nil {
				p.metrics.Pruned(n)
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// The engine and /readyz already say when the store stops
			// answering: a warning here is for failures that last (a
			// minute of backing off) or are pruning's own.
			failures++
			p.log.Debug("pruning old occurrences failed", "err", err)
			if failures == warnFailures {
				p.log.Warn("pruning old occurrences keeps failing; trying again later", "err", err, "failed_chunks", failures)
			}
			wait = min(p.every<<min(failures, 6), time.Minute)
			continue
		}
		if failures >= warnFailures {
			p.log.Info("pruning old occurrences again", "failed_chunks", failures)
		}
		failures = 0
		wait = p.every
		if n >= p.chunk {
			// More is waiting: go on sooner, leaving the writer to
			// claims and records at least four fifths of the time.
			wait = max(4*took, p.every/5)
		}
	}
}
