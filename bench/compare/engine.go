package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
)

// Shapes of work a scheduler child runs.
const (
	// Minute: n schedules "every minute at second s", s = i mod 60.
	shapeMinute = "minute"
	// Burst: n one-shots, all due at the start instant.
	shapeBurst = "burst"
)

// job is what the parent asks of a scheduler child (flags on its command
// line) and what the child answers (one JSON line).
type job struct {
	Role  string
	Shape string
	Store harness.Target
	N     int
	Start time.Time     // T: the window opens; every run falls due at or after it
	Dur   time.Duration // minute: the window [T, T+Dur); burst: the most it may take
	// CPUProfile, when set, is a file the child writes a CPU profile of
	// its measured span to (run by hand; the parent never sets it).
	CPUProfile string
	// Head is a burst's head start (zero: burstHeadStart).
	Head time.Duration
}

// result is a scheduler child's measurement.
type result struct {
	Wall, CPU          time.Duration
	Delivered, Dups    int
	Outside            int
	P50, P99, Max      time.Duration
	Last               time.Time
	PeakRSS, PeakHeap  uint64
	Counts             []uint32        `json:",omitempty"` // bursts: merged across instances
	Late               []time.Duration `json:",omitempty"`
	SeedTook, LeadLeft time.Duration
	Err                string `json:",omitempty"`
}

func (j job) args() []string {
	a := []string{"-role", j.Role, "-shape", j.Shape, "-store", j.Store.Kind, "-dsn", j.Store.DSN,
		"-n", strconv.Itoa(j.N), "-start", strconv.FormatInt(j.Start.UnixNano(), 10), "-dur", j.Dur.String()}
	if j.CPUProfile != "" {
		a = append(a, "-cpuprofile", j.CPUProfile)
	}
	if j.Head != 0 {
		a = append(a, "-head", j.Head.String())
	}
	return a
}

// minuteSpecs are the 60 rules of the minute shape and each one's first run
// at or after start. Their anchors lie in the past hour, on whole seconds.
func minuteSpecs(start time.Time) ([60]string, [60]time.Time, error) {
	var specs [60]string
	var next [60]time.Time
	base := start.UTC().Truncate(time.Minute).Add(-time.Hour)
	for s := range 60 {
		spec := "every 1m0s from " + base.Add(time.Duration(s)*time.Second).Format(time.RFC3339Nano)
		rule, err := when.Parser{}.Load(spec, time.UTC)
		if err != nil {
			return specs, next, err
		}
		if rule.Spec() != spec {
			return specs, next, fmt.Errorf("spec %q loads back as %q", spec, rule.Spec())
		}
		specs[s], next[s] = spec, rule.Next(start.Add(-time.Nanosecond))
	}
	return specs, next, nil
}

// rows is the reminder generator for a shape: schedule i of n. Its
// CreatedAt carries i (see createdAt).
func rows(shape string, start time.Time) (func(i int) bot.Reminder, error) {
	created := start.Add(-time.Hour).UTC().Truncate(time.Second)
	mk := func(i int, rule string, next time.Time) bot.Reminder {
		return bot.Reminder{
			ID: harness.ID('b', i), Tenant: bot.TenantID("t" + strconv.Itoa(i%100)),
			Platform: bot.Console, Kind: bot.Personal,
			Owner: bot.UserID("u" + strconv.Itoa(i)), Channel: bot.ChannelID("c" + strconv.Itoa(i%1000)),
			Rule: rule, Zone: "UTC", NextRun: next, CreatedAt: createdAt(created, i),
		}
	}
	switch shape {
	case shapeMinute:
		specs, next, err := minuteSpecs(start)
		if err != nil {
			return nil, err
		}
		return func(i int) bot.Reminder { return mk(i, specs[i%60], next[i%60]) }, nil
	case shapeBurst:
		spec := "once " + start.UTC().Format(time.RFC3339Nano)
		return func(i int) bot.Reminder { return mk(i, spec, start) }, nil
	}
	return nil, fmt.Errorf("unknown shape %q", shape)
}

// slot is the grid of a shape's runs, for the tally.
func (j job) slot() time.Duration {
	if j.Shape == shapeBurst {
		return j.Dur + time.Hour
	}
	return time.Minute
}

// headStart is how long before its window a scheduler starts. A burst's
// engines start six seconds before it, as a bot that has been running sees
// a burst coming (the engine claims one up to five seconds ahead); their
// CPU then counts those claims. A quick run's bursts of 10 000, which the
// engine claims less than a second ahead, start two seconds before.
func (j job) headStart() time.Duration {
	if j.Shape != shapeBurst {
		return time.Second
	}
	if j.Head != 0 {
		return j.Head
	}
	return burstHeadStart
}

const (
	burstHeadStart      = 6 * time.Second
	quickBurstHeadStart = 2 * time.Second
)

// window is the end of the counted window.
func (j job) windowEnd() time.Time {
	if j.Shape == shapeBurst {
		return j.Start.Add(time.Second)
	}
	return j.Start.Add(j.Dur)
}

// deadline is when the child stops on its own: a minute window plus a
// grace second for the last runs, or a burst's time limit.
func (j job) deadline() time.Time {
	if j.Shape == shapeBurst {
		return j.Start.Add(j.Dur)
	}
	return j.Start.Add(j.Dur + time.Second)
}

// createdAt is schedule i's creation time: a whole second, plus i
// nanoseconds (n stays below a billion), so that the deliverer reads the
// schedule's number off the reminder as robfig's job holds its own, rather
// than parsing the id's text, whose bytes nothing else reads on the
// engine's path: a cache miss per run with a million schedules, which the
// baseline does not pay (see scheduleIndex).
func createdAt(base time.Time, i int) time.Time { return base.Add(time.Duration(i)) }

// scheduleIndex is the number of the schedule r, as createdAt wrote it.
func scheduleIndex(r *bot.Reminder) int { return r.CreatedAt.Nanosecond() }

// tallyDeliverer is the engine's platform: it records and sends nothing.
type tallyDeliverer struct{ t *harness.Tally }

var _ schedule.Deliverer = tallyDeliverer{}

func (d tallyDeliverer) Deliver(_ context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	now := time.Now()
	d.t.Add(scheduleIndex(&r), o.At, now)
	return bot.Sent{ID: "m", Channel: r.Channel, At: now}, nil
}

func (tallyDeliverer) DeliveryPaused(context.Context, bot.Reminder, string) {}

// runChild runs one scheduler child's job: progress lines "P <count>" on
// out while it runs, then "R <json>". It stops at the job's deadline or
// when stop closes.
func runChild(ctx context.Context, j job, out io.Writer, stop <-chan struct{}) error {
	res, err := measure(ctx, j, out, stop)
	if err != nil {
		res.Err = err.Error()
	}
	b, _ := json.Marshal(res)
	fmt.Fprintf(out, "R %s\n", b)
	return err
}

// measure runs the scheduler of j.Role (engine or robfig) over the window.
func measure(ctx context.Context, j job, out io.Writer, stop <-chan struct{}) (result, error) {
	var res result
	tally := harness.NewTally(j.N, j.Start, j.windowEnd(), j.slot())
	var start func(ctx context.Context) (wait func() error)
	switch j.Role {
	case "engine":
		st, err := store.Open(ctx, j.Store.URL())
		if err != nil {
			return res, err
		}
		defer st.Close()
		if j.Store.Kind == harness.Memory {
			// The memory store lives in this process: it is seeded here.
			row, err := rows(j.Shape, j.Start)
			if err != nil {
				return res, err
			}
			t0 := time.Now()
			if err := harness.SeedStore(ctx, st, j.N, row); err != nil {
				return res, err
			}
			res.SeedTook = time.Since(t0)
		}
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		eng, err := schedule.NewEngine(st, tallyDeliverer{tally}, when.Parser{}, schedule.WithLogger(log))
		if err != nil {
			return res, err
		}
		start = func(ctx context.Context) func() error {
			done := make(chan error, 1)
			go func() { done <- eng.Run(ctx) }()
			return func() error { return <-done }
		}
	case "robfig":
		c, err := robfig(j.N, tally)
		if err != nil {
			return res, err
		}
		start = func(ctx context.Context) func() error {
			c.Start()
			return func() error { <-c.Stop().Done(); return nil }
		}
	default:
		return res, fmt.Errorf("unknown role %q", j.Role)
	}

	// Collect what setting up left behind (seeding a million rows into the
	// memory store, building robfig's entries), so neither side pays in its
	// window for garbage of the set-up.
	runtime.GC()
	// Start a second before the first run (a burst: headStart): the
	// scheduler's first load is measured, and no run waits for it.
	// (The parent leaves a burst its head start; a smoke test may not.)
	res.LeadLeft = time.Until(j.Start)
	if res.LeadLeft < time.Second {
		return res, fmt.Errorf("set-up ended %s before the window opened; it needs a second", res.LeadLeft.Round(time.Millisecond))
	}
	select {
	case <-time.After(time.Until(j.Start) - min(j.headStart(), res.LeadLeft)):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	sample := func() {
		res.PeakRSS, res.PeakHeap = max(res.PeakRSS, harness.RSS()), max(res.PeakHeap, harness.HeapInuse())
	}
	sample()
	if j.CPUProfile != "" {
		// With the CPU profile, the allocations of the window: the
		// profile at its end less the one at its start
		// (go tool pprof -diff_base PATH.allocs-start PATH.allocs).
		if err := writeAllocs(j.CPUProfile + ".allocs-start"); err != nil {
			return res, err
		}
		defer writeAllocs(j.CPUProfile + ".allocs")
		stopProfile, err := startCPUProfile(j.CPUProfile)
		if err != nil {
			return res, err
		}
		defer stopProfile()
	}
	cpu0, wall0 := harness.CPU(), time.Now()
	runCtx, cancel := context.WithDeadline(ctx, j.deadline())
	defer cancel()
	wait := start(runCtx)
	tick := time.NewTicker(200 * time.Millisecond)
loop:
	for {
		select {
		case <-runCtx.Done():
			break loop
		case <-stop:
			break loop
		case <-tick.C:
			sample()
			fmt.Fprintf(out, "P %d\n", tally.Count())
		}
	}
	tick.Stop()
	cancel()
	err := wait()
	res.Wall, res.CPU = time.Since(wall0), harness.CPU()-cpu0
	sample()
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return res, err
	}
	s := tally.Summary()
	res.Delivered, res.Dups, res.Outside, res.Last = s.Delivered, s.Dups, s.Outside, s.Last
	res.P50, res.P99, res.Max = harness.Quantile(s.Late, .5), harness.Quantile(s.Late, .99), harness.Quantile(s.Late, 1)
	if j.Shape == shapeBurst {
		res.Counts, res.Late = tally.Counts(), s.Late
	}
	return res, ctx.Err()
}

// writeAllocs writes the allocations made so far to path. The profile
// counts them as of the last collection, so it collects first.
func writeAllocs(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// startCPUProfile writes a CPU profile to path until the returned func is
// called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// robfig is robfig/cron with n jobs "every minute at second i mod 60",
// each recording its run in t.
func robfig(n int, t *harness.Tally) (*cron.Cron, error) {
	c := cron.New(cron.WithSeconds())
	p := cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	var specs [60]cron.Schedule
	for s := range 60 {
		var err error
		if specs[s], err = p.Parse(strconv.Itoa(s) + " * * * * *"); err != nil {
			return nil, err
		}
	}
	for i := range n {
		s := time.Duration(i%60) * time.Second
		c.Schedule(specs[i%60], cron.FuncJob(func() {
			// A job is not told its time: it is the latest instant at
			// second s, which is right while lateness stays under a minute.
			now := time.Now()
			due := now.Truncate(time.Minute).Add(s)
			if due.After(now) {
				due = due.Add(-time.Minute)
			}
			t.Add(i, due, now)
		}))
	}
	return c, nil
}

// child is a running scheduler process.
type child struct {
	stdin io.Closer
	count int64 // the latest progress line
	mu    sync.Mutex
	res   chan result
	pid   int
}

// spawn starts this program as a scheduler child for j.
func spawn(ctx context.Context, exe string, j job) (*child, error) {
	cmd := execCommand(ctx, exe, j.args()...)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outp, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{stdin: in, res: make(chan result, 1), pid: cmd.Process.Pid}
	go func() {
		var res result
		got := false
		sc := bufio.NewScanner(outp)
		sc.Buffer(make([]byte, 1<<20), 1<<30)
		for sc.Scan() {
			line := sc.Bytes()
			switch {
			case len(line) > 2 && line[0] == 'P':
				n, _ := strconv.ParseInt(string(line[2:]), 10, 64)
				c.mu.Lock()
				c.count = n
				c.mu.Unlock()
			case len(line) > 2 && line[0] == 'R':
				if err := json.Unmarshal(line[2:], &res); err != nil {
					res.Err = "bad result: " + err.Error()
				}
				got = true
			}
		}
		if err := cmd.Wait(); err != nil && res.Err == "" {
			res.Err = err.Error()
		}
		if !got && res.Err == "" {
			res.Err = "no result"
		}
		c.res <- res
	}()
	return c, nil
}

func (c *child) progress() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}
