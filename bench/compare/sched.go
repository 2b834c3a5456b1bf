package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
	"github.com/stretchbot/stretchbot/internal/dburl"
)

// storeName is how the table names a store.
var storeName = map[string]string{harness.SQLite: "SQLite", harness.Postgres: "PostgreSQL", harness.Memory: "memory store"}

// target prepares an empty, migrated database of kind; done removes it.
// For PostgreSQL that is a fresh schema, so runs never see each other.
func target(ctx context.Context, kind, dir, name string) (t harness.Target, done func(), err error) {
	t.Kind = kind
	switch kind {
	case harness.SQLite:
		t.DSN = filepath.Join(dir, name+".db")
		done = func() {
			for _, s := range []string{"", "-wal", "-shm"} {
				removeFile(t.DSN + s)
			}
		}
	case harness.Postgres:
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		t.DSN, done, err = harness.NewSchema(cctx, harness.PostgresURL())
		if err != nil {
			return t, nil, fmt.Errorf("PostgreSQL unreachable (%s; set STRETCHBOT_TEST_POSTGRES_URL): %v", dburl.Redact(harness.PostgresURL()), err)
		}
	case harness.Memory:
		return t, func() {}, nil
	}
	if err := harness.Migrate(ctx, t); err != nil {
		done()
		return t, nil, err
	}
	return t, done, nil
}

// setUp is how long a child needs before the window opens: process start,
// opening the store, and what the side loads (its own seeding for the
// memory store, robfig's entries), with a margin.
func setUp(kind string, n int) time.Duration {
	per := map[string]time.Duration{"robfig": 4 * time.Microsecond, harness.Memory: 15 * time.Microsecond}[kind]
	return 1500*time.Millisecond + time.Duration(n)*per
}

// startAt is a whole second at least d from now.
func startAt(d time.Duration) time.Time {
	return time.Now().Add(d + time.Second).Truncate(time.Second)
}

// seedFor seeds a target and returns the instant its window opens. The
// runs are seeded for a window opening now, the machine is left to settle
// (the database server finishes writing), then a start is chosen and the
// runs are moved to it: minute schedules by whole minutes, which rewrites
// only the runs the seeding overtook; a burst's one-shots all. The memory
// store's child seeds itself.
func seedFor(ctx context.Context, t harness.Target, shape string, n int, head time.Duration) (time.Time, error) {
	if t.Kind == harness.Memory {
		harness.QuiesceSystem(1500 * time.Millisecond)
		return startAt(setUp(t.Kind, n)), nil
	}
	row, err := rows(shape, time.Now().Truncate(time.Second))
	if err != nil {
		return time.Time{}, err
	}
	t0 := time.Now()
	if err := harness.SeedSQL(ctx, t, n, row); err != nil {
		return time.Time{}, err
	}
	progress("seeded %s %s rows in %s", num(n), t.Kind, time.Since(t0).Round(time.Millisecond))
	harness.QuiesceSystem(1500 * time.Millisecond)
	move := time.Duration(n) * 2 * time.Microsecond
	if shape == shapeBurst {
		move = head + time.Duration(n)*50*time.Microsecond
	}
	// On a busy machine the move itself may overrun: then move again.
	for range 3 {
		start := startAt(setUp(t.Kind, n) + move)
		if err := moveRuns(ctx, t, shape, start); err != nil {
			return time.Time{}, err
		}
		need := setUp(t.Kind, n)
		if shape == shapeBurst {
			need += head
		}
		if time.Until(start) >= need {
			return start, nil
		}
		move *= 2
	}
	return time.Time{}, fmt.Errorf("moving the seeded runs kept taking longer than its budget")
}

// moveRuns moves the seeded runs to open at start: a minute schedule's
// next run forward by whole minutes to the first at or after start (it
// stays on its rule's grid), a burst's one-shot to start itself.
func moveRuns(ctx context.Context, t harness.Target, shape string, start time.Time) error {
	db, err := harness.OpenSQL(t)
	if err != nil {
		return err
	}
	defer db.Close()
	q := `UPDATE reminders SET next_run = next_run + ((? - next_run + ? - 1) / ?) * ? WHERE next_run > 0 AND next_run < ?`
	args := []any{start.UnixNano(), int64(time.Minute), int64(time.Minute), int64(time.Minute), start.UnixNano()}
	if shape == shapeBurst {
		q = `UPDATE reminders SET rule = ?, next_run = ?`
		args = []any{"once " + start.UTC().Format(time.RFC3339Nano), start.UnixNano()}
	}
	if t.Kind == harness.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	_, err = db.ExecContext(ctx, q, args...)
	return err
}

// runJobs runs one child per job and waits for them; with a want, once
// the children together delivered that many it gives them a second more
// (for late doubles), then stops them.
func runJobs(ctx context.Context, exe string, jobs []job, want int64) []result {
	var kids []*child
	out := make([]result, len(jobs))
	for i, j := range jobs {
		c, err := spawn(ctx, exe, j)
		if err != nil {
			out[i].Err = err.Error()
			continue
		}
		kids = append(kids, c)
	}
	if want > 0 && len(kids) > 0 {
		tick := time.NewTicker(100 * time.Millisecond)
		var reached time.Time
		for stopped := false; !stopped; {
			select {
			case <-ctx.Done():
				stopped = true
			case <-tick.C:
				var sum int64
				for _, c := range kids {
					sum += c.progress()
				}
				if sum >= want && reached.IsZero() {
					reached = time.Now()
				}
				if !reached.IsZero() && time.Since(reached) > time.Second || time.Now().After(jobs[0].deadline()) {
					stopped = true
				}
			}
		}
		tick.Stop()
		for _, c := range kids {
			c.stdin.Close()
		}
	}
	k := 0
	for i := range jobs {
		if out[i].Err != "" {
			continue
		}
		out[i] = <-kids[k].res
		k++
	}
	return out
}

// engineRows measures the engine against robfig/cron at each n, robfig
// once per n (it has no store), the engine on each store.
func engineRows(ctx context.Context, p plan, exe, dir string) []row {
	var rows []row
	var pgErr error
	for _, n := range p.engineN {
		rb := result{Err: "not measured (-no-robfig)"}
		rbCell := "–"
		if p.robfig {
			progress("robfig/cron, %s schedules, %s", num(n), p.engineDur)
			harness.QuiesceSystem(1500 * time.Millisecond)
			start := startAt(setUp("robfig", n))
			rj := job{Role: "robfig", Shape: shapeMinute, N: n, Start: start, Dur: p.engineDur}
			rb = runJobs(ctx, exe, []job{rj}, 0)[0]
			rbCell = minuteCell(rb, expectedRuns(n, start, p.engineDur))
		}
		for _, kind := range p.stores {
			if ctx.Err() != nil {
				return rows
			}
			pair := fmt.Sprintf("engine on %s vs robfig/cron: %s schedules every minute, %s window", storeName[kind], num(n), secs(p.engineDur))
			if kind == harness.Postgres && pgErr != nil {
				rows = append(rows, row{pair, "not measured: " + pgErr.Error(), rbCell, "–"})
				continue
			}
			progress("engine on %s, %s schedules, %s", kind, num(n), p.engineDur)
			t, done, err := target(ctx, kind, dir, fmt.Sprintf("engine-%d", n))
			if err != nil {
				if kind == harness.Postgres {
					pgErr = err
				}
				rows = append(rows, row{pair, "not measured: " + err.Error(), rbCell, "–"})
				continue
			}
			var res result
			start, err := seedFor(ctx, t, shapeMinute, n, 0)
			if err != nil {
				res.Err = err.Error()
			} else {
				ej := job{Role: "engine", Shape: shapeMinute, Store: t, N: n, Start: start, Dur: p.engineDur}
				if p.profiles != "" {
					ej.CPUProfile = filepath.Join(p.profiles, fmt.Sprintf("engine-%s-%d.pprof", kind, n))
				}
				res = runJobs(ctx, exe, []job{ej}, 0)[0]
			}
			done()
			ratio := "–"
			if res.Err == "" && rb.Err == "" {
				ratio = "CPU " + times(cpuPerSec(res), cpuPerSec(rb)) + ", p99 " + times(float64(res.P99), float64(rb.P99))
			}
			rows = append(rows, row{pair, minuteCell(res, expectedRuns(n, start, p.engineDur)), rbCell, ratio})
		}
	}
	return rows
}

// expectedRuns counts the runs of n minute-shape schedules in [start,
// start+dur): schedule i runs at second i mod 60.
func expectedRuns(n int, start time.Time, dur time.Duration) int {
	total := 0
	for k := time.Duration(0); k < dur; k += time.Second {
		s := start.Add(k).Second()
		total += n / 60
		if s < n%60 {
			total++
		}
	}
	return total
}

func cpuPerSec(r result) float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.CPU) / r.Wall.Seconds()
}

// minuteCell is one side of an engine row.
func minuteCell(r result, expected int) string {
	if r.Err != "" {
		return "failed: " + oneLine(r.Err)
	}
	return fmt.Sprintf("CPU %s/s · late p50 %s, p99 %s, max %s · missed %s · dup %d · heap %s · RSS %s",
		harness.Ms(time.Duration(cpuPerSec(r))), harness.Ms(r.P50), harness.Ms(r.P99), harness.Ms(r.Max),
		missed(expected-r.Delivered, expected), r.Dups, harness.MiB(r.PeakHeap), harness.MiB(r.PeakRSS))
}

func missed(m, of int) string {
	if m <= 0 || of == 0 {
		return "0"
	}
	return fmt.Sprintf("%s (%.1f %%)", num(m), 100*float64(m)/float64(of))
}

// burst is the merged measurement of one burst over its instances.
type burst struct {
	delivered, dups int
	rate            float64 // deliveries per second, from the due instant to the last
	p50, p99        time.Duration
	cpu             time.Duration
	dbCPU           time.Duration // the PostgreSQL server's, over the whole run
	busy            float64       // the machine's CPU in use, from the due instant to the last delivery
	err             string
}

// burstRows measures n one-shots due in the same second: on SQLite with
// one engine, on PostgreSQL with each instance count.
func burstRows(ctx context.Context, p plan, exe, dir string) []row {
	var rows []row
	for _, n := range p.burstN {
		configs := []struct {
			kind string
			k    int
		}{{harness.SQLite, 1}}
		for _, k := range p.instances {
			configs = append(configs, struct {
				kind string
				k    int
			}{harness.Postgres, k})
		}
		var one *burst // PostgreSQL with one instance, the others' baseline
		for _, c := range configs {
			if ctx.Err() != nil {
				return rows
			}
			pair := fmt.Sprintf("burst: %s one-shots due in one second, %s, %d engine process", num(n), storeName[c.kind], c.k)
			if c.k > 1 {
				pair += "es (baseline: 1)"
			}
			progress("burst of %s on %s with %d engine(s)", num(n), c.kind, c.k)
			b := runBurst(ctx, p, exe, dir, c.kind, c.k, n)
			cell := burstCell(b, n, p.burstMax)
			base, ratio := "–", "–"
			if c.kind == harness.Postgres && c.k == 1 {
				one = &b
			} else if c.kind == harness.Postgres && one != nil {
				base = burstCell(*one, n, p.burstMax)
				if b.err == "" && one.err == "" {
					ratio = "rate " + times(b.rate, one.rate) + ", p99 " + times(float64(b.p99), float64(one.p99))
				}
			}
			rows = append(rows, row{pair, cell, base, ratio})
			if b.err != "" && strings.HasPrefix(b.err, "PostgreSQL unreachable") {
				// One row says so; the other instance counts would too.
				break
			}
		}
	}
	return rows
}

func runBurst(ctx context.Context, p plan, exe, dir, kind string, k, n int) burst {
	t, done, err := target(ctx, kind, dir, fmt.Sprintf("burst-%d-%d", n, k))
	if err != nil {
		return burst{err: err.Error()}
	}
	defer done()
	start, err := seedFor(ctx, t, shapeBurst, n, p.burstHead)
	if err != nil {
		return burst{err: err.Error()}
	}
	var jobs []job
	for range k {
		jobs = append(jobs, job{Role: "engine", Shape: shapeBurst, Store: t, N: n, Start: start, Dur: p.burstMax, Head: p.burstHead})
	}
	// The machine is sampled while the burst runs: whether its cores were
	// all in use says whether more engine processes could have helped.
	samples := []harness.CPUSample{harness.SampleCPU()}
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				samples = append(samples, harness.SampleCPU())
			}
		}
	}()
	res := runJobs(ctx, exe, jobs, int64(n))
	close(stop)
	<-sampled
	samples = append(samples, harness.SampleCPU())
	var b burst
	counts := make([]uint32, n)
	var late []time.Duration
	var last time.Time
	for _, r := range res {
		if r.Err != "" {
			return burst{err: r.Err}
		}
		for i, c := range r.Counts {
			if i < n {
				counts[i] += c
			}
		}
		late = append(late, r.Late...)
		if r.Last.After(last) {
			last = r.Last
		}
		b.cpu += r.CPU
	}
	for _, c := range counts {
		if c > 0 {
			b.delivered++
		}
		if c > 1 {
			b.dups++
		}
	}
	slices.Sort(late)
	b.p50, b.p99 = harness.Quantile(late, .5), harness.Quantile(late, .99)
	if d := last.Sub(start); d > 0 {
		b.rate = float64(b.delivered) / d.Seconds()
	}
	b.dbCPU = harness.DBCPU(samples[0], samples[len(samples)-1])
	b.busy = harness.Busy(sampleAt(samples, start), sampleAt(samples, last))
	return b
}

// sampleAt is the last sample taken at or before t (the first if none).
func sampleAt(ss []harness.CPUSample, t time.Time) harness.CPUSample {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].At.After(t) })
	return ss[max(i-1, 0)]
}

func burstCell(b burst, n int, limit time.Duration) string {
	if b.err != "" {
		return "not measured: " + oneLine(b.err)
	}
	s := fmt.Sprintf("%s deliveries/s · late p50 %s, p99 %s · dup %d · CPU %s", num(int(b.rate+.5)), harness.Ms(b.p50), harness.Ms(b.p99), b.dups, secs(b.cpu))
	if b.dbCPU > 0 {
		s += fmt.Sprintf(", database %s", secs(b.dbCPU))
	}
	if b.busy > 0 {
		s += fmt.Sprintf(" · machine busy %.0f %%", 100*b.busy)
	}
	if b.delivered < n {
		s += fmt.Sprintf(" · **cut off after %s: %s of %s delivered**", secs(limit), num(b.delivered), num(n))
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "|", "/")), " ")
}
