// Command scale is a manual benchmark: it seeds a SQLite store with a very
// large number of repeating schedules, runs the scheduler engine over it on
// the real wall clock, and prints a markdown table of deliveries, lateness,
// duplicates, memory and CPU.
//
//	go run ./bench/scale -n 1000000 -duration 60s -db /tmp/scale.db
//	go run ./bench/scale -n 1000000 -duration 60s -db /tmp/scale.db -reuse
//
// Every schedule is "every <period> from <anchor>", the anchors spread evenly
// over one period, so n/period runs fall due each second. Seeding uses
// multi-row INSERTs in large transactions (bench/internal/harness), about a
// million rows a minute here. After seeding (or on
// -reuse) one SQL UPDATE moves every next run forward by whole periods to the
// first run after a start instant a few seconds ahead: the runs stay on their
// rules' grids and stay evenly spread, and the measured window opens with no
// backlog.
//
// It is not run by CI or `go test`; it is package main so that `go vet ./...`
// still compiles it.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/prommetrics"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// lead is how long after the rebase the first run falls due, and
// rebaseCost the rebase's budget per row (it measured about 12 µs).
const (
	lead       = 3 * time.Second
	rebaseCost = 30 * time.Microsecond
)

type config struct {
	n          int
	duration   time.Duration
	period     time.Duration
	db         string
	reuse      bool
	cpuprofile string
	window     time.Duration
	batch      int
	workers    int
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 1_000_000, "number of schedules")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "length of the measured run")
	flag.DurationVar(&c.period, "period", time.Hour, "repeat of each schedule")
	flag.StringVar(&c.db, "db", "", "SQLite file (default: a temp file, removed at exit)")
	flag.BoolVar(&c.reuse, "reuse", false, "reuse the already seeded -db (same -n and -period)")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "write a pprof CPU profile of the measured run to this file")
	flag.DurationVar(&c.window, "window", 0, "engine look-ahead window (0: engine default)")
	flag.IntVar(&c.batch, "batch", 0, "engine refill batch (0: engine default; needs -window)")
	flag.IntVar(&c.workers, "workers", 0, "engine delivery workers (0: engine default)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, c)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// row is one line of the results table.
type row struct{ k, v string }

func run(ctx context.Context, c config) (err error) {
	switch {
	case c.n <= 0 || c.duration <= 0 || c.period <= 0:
		return errors.New("-n, -duration and -period must be positive")
	case c.reuse && c.db == "":
		return errors.New("-reuse needs -db")
	case c.batch > 0 && c.window <= 0:
		return errors.New("-batch needs -window")
	}
	path := c.db
	if path == "" {
		dir, err := os.MkdirTemp("", "stretchbot-scale-")
		if err != nil {
			return err
		}
		// Only what this program created goes; a -db path is the caller's.
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "scale.db")
	} else if !c.reuse {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s exists: remove it, or pass -reuse", path)
		}
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	// A second handle for the two statements outside the store's API (the
	// reuse check and the rebase); the store registered the driver.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	raw, err := sql.Open("sqlite", "file:"+esc+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer raw.Close()

	var out []row
	add := func(k, format string, a ...any) { out = append(out, row{k, fmt.Sprintf(format, a...)}) }
	add("schedules", "%d (every %s, spread evenly)", c.n, c.period)

	// 1. Seed.
	if c.reuse {
		if err := checkSeeded(ctx, raw, c); err != nil {
			return err
		}
		add("seed", "reused %s", path)
	} else {
		took, err := seed(ctx, path, c)
		if err != nil {
			return err
		}
		add("seed time", "%s", took.Round(time.Millisecond))
		add("seed rate", "%.0f reminders/s (%.0f µs each)", float64(c.n)/took.Seconds(), float64(took.Microseconds())/float64(c.n))
	}
	// The rebase rewrites every row: give it time, so that the window
	// opens with no backlog.
	start := time.Now().Add(lead + time.Duration(c.n)*rebaseCost)
	t0 := time.Now()
	moved, err := rebase(ctx, raw, c.period, start)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "rebased %d next runs in %s\n", moved, time.Since(t0).Round(time.Millisecond))
	add("rebase (1 UPDATE)", "%d rows in %s", moved, time.Since(t0).Round(time.Millisecond))
	add("db file size", "%s", harness.MiB(fileSize(path)))
	if time.Until(start) < time.Second {
		return fmt.Errorf("the rebase took %s, more than its budget: raise rebaseCost", time.Since(t0))
	}
	// Start the engine a second before the first run: its first refill is
	// then part of the measurement but no run waits for it.
	time.Sleep(time.Until(start) - time.Second)

	// 2. Before.
	runtime.GC()
	rssBefore, heapBefore := harness.RSS(), harness.HeapInuse()

	// 3. Run.
	reg := prometheus.NewRegistry()
	metrics := prommetrics.New(reg)
	tally := harness.NewTally(c.n, start, start.Add(c.duration), c.period)
	d := deliverer{tally}
	opts := []schedule.Option{schedule.WithClock(bot.SystemClock{}), schedule.WithMetrics(metrics),
		schedule.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))}
	if c.window > 0 {
		batch := c.batch
		if batch == 0 {
			batch = 1000
		}
		opts = append(opts, schedule.WithWindow(c.window, batch))
	}
	if c.workers > 0 {
		opts = append(opts, schedule.WithWorkers(c.workers))
	}
	eng, err := schedule.NewEngine(db, d, when.Parser{}, opts...)
	if err != nil {
		return err
	}
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var peakRSS, peakHeap uint64
	var peakWindow float64
	sample := func() {
		peakRSS, peakHeap = max(peakRSS, harness.RSS()), max(peakHeap, harness.HeapInuse())
		peakWindow = max(peakWindow, gauge(reg, "stretchbot_scheduler_window_items"))
	}
	sample()
	ruBefore, wallBefore := harness.CPU(), time.Now()
	runCtx, cancel := context.WithDeadline(ctx, start.Add(c.duration))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	fmt.Fprintf(os.Stderr, "running the engine until %s (%s)\n", start.Add(c.duration).Format(time.TimeOnly), time.Until(start.Add(c.duration)).Round(time.Second))
	tick := time.NewTicker(time.Second)
	var runErr error
loop:
	for i := 1; ; i++ {
		select {
		case runErr = <-done:
			break loop
		case now := <-tick.C:
			sample()
			if i%10 == 0 {
				due := 0.0
				if now.After(start) {
					due = float64(c.n) * float64(now.Sub(start)) / float64(c.period)
				}
				fmt.Fprintf(os.Stderr, "  %3ds  delivered %d of ~%.0f due  window %.0f  rss %s\n",
					i, tally.Count(), due, gauge(reg, "stretchbot_scheduler_window_items"), harness.MiB(harness.RSS()))
			}
		}
	}
	tick.Stop()
	wall := time.Since(wallBefore)
	ruAfter := harness.CPU()
	sample()
	if c.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if runErr != nil {
		return fmt.Errorf("engine: %w", runErr)
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	runtime.GC()
	rssAfter, heapAfter := harness.RSS(), harness.HeapInuse()

	// 4. Report.
	expected := float64(c.n) * float64(c.duration) / float64(c.period)
	res := tally.Summary()
	add("measured window", "%s (engine ran %s)", c.duration, wall.Round(time.Millisecond))
	add("runs delivered in window", "%d of %.0f expected (%.1f%%)", res.Delivered, expected, 100*float64(res.Delivered)/expected)
	if res.Outside > 0 {
		add("deliveries outside window", "%d", res.Outside)
	}
	add("deliveries per second", "%.1f (expected %.1f)", float64(res.Delivered)/c.duration.Seconds(), expected/c.duration.Seconds())
	add("lateness p50 / p95 / p99 / max", "%s / %s / %s / %s", harness.Ms(harness.Quantile(res.Late, .50)), harness.Ms(harness.Quantile(res.Late, .95)), harness.Ms(harness.Quantile(res.Late, .99)), harness.Ms(harness.Quantile(res.Late, 1)))
	add("duplicates (must be 0)", "%d", res.Dups)
	add("claims lost / skipped / retried / failed", "%.0f / %.0f / %.0f / %.0f",
		counter(reg, "stretchbot_scheduler_claims_lost_total"), counter(reg, "stretchbot_scheduler_skipped_total"),
		counter(reg, "stretchbot_scheduler_retried_total"), counter(reg, "stretchbot_scheduler_failed_total"))
	add("window items (peak)", "%.0f", peakWindow)
	add("RSS before / after / peak", "%s / %s / %s", harness.MiB(rssBefore), harness.MiB(rssAfter), harness.MiB(max(peakRSS, rssAfter)))
	add("Go heap in use before / after / peak", "%s / %s / %s", harness.MiB(heapBefore), harness.MiB(heapAfter), harness.MiB(max(peakHeap, heapAfter)))
	cpu := ruAfter - ruBefore
	add("CPU (user+sys)", "%s = %.1f%% of wall (%d cores)", cpu.Round(time.Millisecond), 100*cpu.Seconds()/wall.Seconds(), runtime.NumCPU())
	add("db file size after", "%s", harness.MiB(fileSize(path)))

	fmt.Printf("\nmachine: %s\n\n", harness.Machine())
	fmt.Println("| measure | value |")
	fmt.Println("| --- | --- |")
	for _, r := range out {
		fmt.Printf("| %s | %s |\n", r.k, r.v)
	}
	if res.Dups > 0 {
		return fmt.Errorf("%d occurrences were delivered more than once", res.Dups)
	}
	return nil
}

// seed creates c.n reminders with multi-row INSERTs (harness.SeedSQL),
// after checking that their rule loads back as written.
func seed(ctx context.Context, path string, c config) (time.Duration, error) {
	base := time.Now().UTC()
	anchor := func(i int) time.Time { return base.Add(spread(i, c.n, c.period) - c.period) }
	spec := func(i int) string {
		return "every " + c.period.String() + " from " + anchor(i).Format(time.RFC3339Nano)
	}
	rule, err := when.Parser{}.Load(spec(c.n-1), time.UTC)
	if err != nil {
		return 0, fmt.Errorf("load %q: %w", spec(c.n-1), err)
	}
	if rule.Spec() != spec(c.n-1) {
		return 0, fmt.Errorf("spec %q loads back as %q", spec(c.n-1), rule.Spec())
	}
	t0 := time.Now()
	fmt.Fprintf(os.Stderr, "seeding %d reminders\n", c.n)
	err = harness.SeedSQL(ctx, harness.Target{Kind: harness.SQLite, DSN: path}, c.n, func(i int) bot.Reminder {
		return bot.Reminder{
			ID:       harness.ID('s', i),
			Tenant:   bot.TenantID("t" + strconv.Itoa(i%100)),
			Platform: bot.Console, Kind: bot.Personal,
			Owner:   bot.UserID("u" + strconv.Itoa(i)),
			Channel: bot.ChannelID("c" + strconv.Itoa(i%1000)),
			Rule:    spec(i), Zone: "UTC",
			// A rule's first run is one period after its anchor; rebase
			// moves it to the measured window.
			NextRun:   anchor(i).Add(c.period),
			CreatedAt: base,
		}
	})
	return time.Since(t0), err
}

// spread is the offset of schedule i of n within one period.
func spread(i, n int, period time.Duration) time.Duration {
	// i*period overflows int64 past ~2.5 h × 1M; split it.
	q, r := period/time.Duration(n), period%time.Duration(n)
	return time.Duration(i)*q + time.Duration(i)*r/time.Duration(n)
}

// checkSeeded makes sure a reused database holds this benchmark's n
// schedules with this period.
func checkSeeded(ctx context.Context, raw *sql.DB, c config) error {
	var n int
	var rule string
	err := raw.QueryRowContext(ctx, `SELECT count(*), coalesce(min(rule), '') FROM reminders WHERE id LIKE 's%'`).Scan(&n, &rule)
	if err != nil {
		return fmt.Errorf("reuse: %w", err)
	}
	if n != c.n {
		return fmt.Errorf("reuse: the database holds %d schedules, not %d", n, c.n)
	}
	if want := "every " + c.period.String() + " from "; !strings.HasPrefix(rule, want) {
		return fmt.Errorf("reuse: the schedules are %q, not %q…", rule, want)
	}
	return nil
}

// rebase moves every next run forward by whole periods to the first run at
// or after start. next_run is anchor + k×period, so this keeps each run on
// its rule's grid (the engine's claims compute the same next run).
func rebase(ctx context.Context, raw *sql.DB, period time.Duration, start time.Time) (int64, error) {
	s, p := start.UnixNano(), int64(period)
	res, err := raw.ExecContext(ctx, `UPDATE reminders SET next_run = next_run + ((? - next_run + ? - 1) / ?) * ?
		WHERE id LIKE 's%' AND next_run > 0 AND next_run < ?`, s, p, p, p, s)
	if err != nil {
		return 0, fmt.Errorf("rebase: %w", err)
	}
	if _, err := raw.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, fmt.Errorf("rebase: checkpoint: %w", err)
	}
	return res.RowsAffected()
}

// deliverer counts deliveries and their lateness; it sends nothing.
type deliverer struct{ t *harness.Tally }

var _ schedule.Deliverer = deliverer{}

func (d deliverer) Deliver(_ context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	now := time.Now()
	d.t.Add(harness.Index(r.ID), o.At, now)
	return bot.Sent{ID: "m", Channel: r.Channel, At: now}, nil
}

func (deliverer) DeliveryPaused(context.Context, bot.Reminder, string) {}

// gauge and counter read one series from reg (the types of Gather's result
// come from client_model, which go.mod lists only indirectly).
func gauge(reg *prometheus.Registry, name string) float64 {
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	return 0
}

func counter(reg *prometheus.Registry, name string) float64 {
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

// fileSize is the database's size including its WAL.
func fileSize(path string) uint64 {
	var total uint64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += uint64(fi.Size())
		}
	}
	return total
}
