// Command compare measures stretchbot side by side with baselines doing the
// same work, in one run, and prints one markdown table, one row per pair:
//
//   - the scheduler engine against robfig/cron v3 (WithSeconds), n schedules
//     "every minute at second s" spread evenly over the minute, on SQLite,
//     PostgreSQL and the memory store;
//   - bursts of one-shots all due in the same second, on SQLite and on
//     PostgreSQL with one, two and three engine processes;
//   - signed Slack slash commands and Discord interactions through the real
//     binary against bare net/http handlers that verify the same signature;
//   - the binary's resident memory at rest, under that load, and after it;
//   - the binary delivering a burst to a Slack that allows R posts a second
//     and refuses 30 % of them at random, against R.
//
// Usage, from the repository root:
//
//	go run ./bench/compare -quick   # under two minutes
//	go run ./bench/compare          # the full run, about 25 minutes
//
// Every scheduler runs in a child process of its own (this program again,
// with -role), so CPU time and memory are each side's alone. See
// bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
)

// plan is what one run measures.
type plan struct {
	quick      bool
	engineN    []int
	engineDur  time.Duration
	stores     []string
	burstN     []int
	burstMax   time.Duration // a burst not delivered by then is cut off
	burstHead  time.Duration // a burst's engines start this long before it
	instances  []int         // PostgreSQL engine processes per burst
	reqDur     time.Duration
	clients    int
	settle     time.Duration // idle time before reading resting memory
	after      time.Duration // time after the load before reading memory again
	faultRates []float64     // posts/s the faulty Slack allows
	faultDur   time.Duration // a burst is faultDur's worth of posts at the rate
	faultMax   time.Duration // a faults burst not delivered by then is cut off
	sections   string
	robfig     bool     // measure robfig/cron as the engine rows' baseline
	profiles   string   // directory for the engine children's CPU profiles; empty: none
	stretchbot string   // prebuilt binary (-binary, tests); empty: build it
	commands   []string // the requests section's commands, in order
}

func plans(quick bool) plan {
	p := plan{
		engineN: []int{10_000, 100_000, 1_000_000}, engineDur: 60 * time.Second,
		stores: []string{harness.SQLite, harness.Postgres, harness.Memory},
		burstN: []int{10_000, 100_000}, burstMax: 240 * time.Second, burstHead: burstHeadStart, instances: []int{1, 2, 3},
		reqDur: 10 * time.Second, clients: 8, settle: 10 * time.Second, after: time.Minute,
		faultRates: []float64{20, 100}, faultDur: 10 * time.Second, faultMax: 60 * time.Second,
		sections: "engine,burst,requests,memory,faults", robfig: true,
		commands: []string{"help", "break", "list"},
	}
	if quick {
		p.quick = true
		// 100 000 schedules only: the engine's rows cost six seconds
		// each (a child's start, its window and a grace second), and
		// 100 000 is where the targets lie.
		p.engineN, p.engineDur = []int{100_000}, 2*time.Second
		p.burstN, p.burstMax, p.burstHead, p.instances = []int{10_000}, 5*time.Second, quickBurstHeadStart, []int{1, 2}
		p.reqDur, p.settle, p.after = 1200*time.Millisecond, 1500*time.Millisecond, 4*time.Second
		p.faultRates, p.faultDur, p.faultMax = []float64{100}, 2*time.Second, 5*time.Second
	}
	return p
}

func main() {
	role := flag.String("role", "", "internal: run as a child process (engine, robfig, bare)")
	quick := flag.Bool("quick", false, "a reduced run, under two minutes")
	only := flag.String("only", "", "comma-separated sections to run (engine, burst, requests, memory, faults); default all")
	faultRates := flag.String("fault-rates", "", "comma-separated posts/s the faulty Slack allows (faults section); default the plan's")
	engineN := flag.String("engine-n", "", "comma-separated numbers of schedules for the engine section (example: -engine-n 100000,1000000); default the plan's")
	stores := flag.String("stores", "", "comma-separated stores for the engine section (sqlite, postgres, memory); default all")
	noRobfig := flag.Bool("no-robfig", false, "engine section: skip the robfig/cron baseline (its cells and ratios show –)")
	binary := flag.String("binary", "", "requests, memory and faults sections: run this prebuilt stretchbot binary instead of building ./cmd/stretchbot (to compare builds)")
	commands := flag.String("commands", "", "requests section: comma-separated commands to measure (help, break, list); default all")
	profiles := flag.String("engine-profiles", "", "engine section: directory where each engine child writes a CPU profile of its window (engine-STORE-N.pprof) and its allocations (engine-STORE-N.pprof.allocs, less .allocs-start)")
	var j job
	var startNs int64
	flag.StringVar(&j.Shape, "shape", shapeMinute, "internal")
	flag.StringVar(&j.Store.Kind, "store", "", "internal")
	flag.StringVar(&j.Store.DSN, "dsn", "", "internal")
	flag.IntVar(&j.N, "n", 0, "internal")
	flag.Int64Var(&startNs, "start", 0, "internal")
	flag.DurationVar(&j.Dur, "dur", 0, "internal")
	flag.StringVar(&j.CPUProfile, "cpuprofile", "", "internal: a scheduler child writes a CPU profile of its window to this file")
	flag.DurationVar(&j.Head, "head", 0, "internal")
	var bare bareConfig
	flag.StringVar(&bare.addr, "addr", "127.0.0.1:0", "internal")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch *role {
	case "":
		p := plans(*quick)
		if *only != "" {
			p.sections = *only
		}
		if *faultRates != "" {
			if p.faultRates, err = parseRates(*faultRates); err != nil {
				break
			}
		}
		if *engineN != "" {
			if p.engineN, err = parseCounts(*engineN); err != nil {
				break
			}
		}
		if *stores != "" {
			if p.stores, err = parseStores(*stores); err != nil {
				break
			}
		}
		if *commands != "" {
			if p.commands, err = parseCommands(*commands); err != nil {
				break
			}
		}
		p.robfig = !*noRobfig
		if *binary != "" {
			if p.stretchbot, err = filepath.Abs(*binary); err != nil {
				break
			}
		}
		if *profiles != "" {
			if p.profiles, err = filepath.Abs(*profiles); err == nil {
				err = os.MkdirAll(p.profiles, 0o755)
			}
			if err != nil {
				break
			}
		}
		err = run(ctx, p, os.Stdout)
	case "engine", "robfig":
		j.Role, j.Start = *role, time.Unix(0, startNs)
		// The parent closes stdin to stop a child early (bursts).
		halt := make(chan struct{})
		go func() { io.Copy(io.Discard, os.Stdin); close(halt) }()
		err = runChild(ctx, j, os.Stdout, halt)
	case "bare":
		err = serveBare(ctx, bare, os.Stdout)
	default:
		err = fmt.Errorf("unknown -role %q", *role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// parseRates reads -fault-rates: positive numbers separated by commas.
func parseRates(s string) ([]float64, error) {
	return parseList(s, "-fault-rates: %q is not a positive number of posts a second (example: -fault-rates 20,100)",
		func(f string) (float64, bool) {
			r, err := strconv.ParseFloat(f, 64)
			return r, err == nil && r > 0
		})
}

// parseCounts reads -engine-n: positive whole numbers separated by commas.
func parseCounts(s string) ([]int, error) {
	return parseList(s, "-engine-n: %q is not a positive number of schedules (example: -engine-n 100000,1000000)",
		func(f string) (int, bool) {
			n, err := strconv.Atoi(f)
			return n, err == nil && n > 0
		})
}

// parseStores reads -stores: store names separated by commas.
func parseStores(s string) ([]string, error) {
	return parseList(s, "-stores: %q is not a store (sqlite, postgres or memory; example: -stores sqlite,postgres)",
		func(f string) (string, bool) {
			_, ok := storeName[f]
			return f, ok
		})
}

// parseCommands reads -commands: request commands separated by commas.
func parseCommands(s string) ([]string, error) {
	return parseList(s, "-commands: %q is not a measured command (help, break or list; example: -commands break)",
		func(f string) (string, bool) {
			return f, slices.Contains(plans(false).commands, f)
		})
}

// parseList reads a flag's values separated by commas, each trimmed and
// read by one, which reports false for one it refuses; refused names the
// value wanted, with a %q for the one refused.
func parseList[T any](s, refused string, one func(string) (T, bool)) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, ok := one(strings.TrimSpace(f))
		if !ok {
			return nil, fmt.Errorf(refused, f)
		}
		out = append(out, v)
	}
	return out, nil
}

// row is one line of the table: a pair measured in the same run.
type row struct {
	pair, us, base, ratio string
}

// run measures p's sections and prints the table to w.
func run(ctx context.Context, p plan, w io.Writer) error {
	began := time.Now()
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "stretchbot-compare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmdline := "go run ./bench/compare"
	if p.quick {
		cmdline += " -quick"
	}
	if p.sections != plans(false).sections {
		cmdline += " -only " + p.sections
	}
	if rates := fmt.Sprint(p.faultRates); rates != fmt.Sprint(plans(p.quick).faultRates) {
		cmdline += " -fault-rates " + strings.Join(strings.Fields(strings.Trim(rates, "[]")), ",")
	}
	if ns := fmt.Sprint(p.engineN); ns != fmt.Sprint(plans(p.quick).engineN) {
		cmdline += " -engine-n " + strings.Join(strings.Fields(strings.Trim(ns, "[]")), ",")
	}
	if ss := strings.Join(p.stores, ","); ss != strings.Join(plans(p.quick).stores, ",") {
		cmdline += " -stores " + ss
	}
	if cs := strings.Join(p.commands, ","); cs != strings.Join(plans(p.quick).commands, ",") {
		cmdline += " -commands " + cs
	}
	if !p.robfig {
		cmdline += " -no-robfig"
	}
	fmt.Fprintf(w, "machine: %s\n\ncommand: `%s` (%s)\n\n", harness.Machine(), cmdline, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	loadBefore := harness.LoadAverage()

	var rows []row
	has := func(s string) bool { return strings.Contains(","+p.sections+",", ","+s+",") }
	section := func(name string, f func() []row) {
		t0 := time.Now()
		rows = append(rows, f()...)
		progress("%s took %s", name, time.Since(t0).Round(time.Second))
	}
	if has("engine") {
		section("engine", func() []row { return engineRows(ctx, p, exe, tmp) })
	}
	if has("burst") {
		section("bursts", func() []row { return burstRows(ctx, p, exe, tmp) })
	}
	if has("requests") || has("memory") {
		section("requests and memory", func() []row { return requestRows(ctx, p, exe, tmp, has("requests"), has("memory")) })
	}
	if has("faults") {
		section("faults", func() []row { return faultRows(ctx, p, tmp) })
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	fmt.Fprintln(w, "| pair | stretchbot | baseline | stretchbot ÷ baseline |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.pair, r.us, r.base, r.ratio)
	}
	loadAfter := harness.LoadAverage()
	fmt.Fprintf(w, "\ntook %s; load average (1 min) %s at the start, %s at the end", time.Since(began).Round(time.Second), loadBefore, loadAfter)
	if busy(loadBefore) || busy(loadAfter) {
		fmt.Fprint(w, ": **other work shared the machine during this run; the figures are noisy**")
	}
	fmt.Fprintln(w)
	return nil
}

// busy reports whether a load average says that more than this run
// (about one core's worth) competed for the cores.
func busy(load string) bool {
	v, err := strconv.ParseFloat(load, 64)
	return err == nil && v > 1.5
}

// progress notes what runs now, on stderr.
func progress(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "compare: "+format+"\n", a...)
}

// execCommand is exec.CommandContext that interrupts rather than kills, so
// a child can report and clean up.
func execCommand(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// repoRoot is the module root (where go.mod is), for building the binary.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run from inside the stretchbot module")
	}
	return filepath.Dir(mod), nil
}

// num writes n with thin groups: 100 000.
func num(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

// secs writes a duration in seconds: "60 s", "1.2 s".
func secs(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// times is a ratio as "3.2×".
func times(a, b float64) string {
	if b == 0 {
		return "–"
	}
	r := a / b
	if r < 10 {
		return fmt.Sprintf("%.2f×", r)
	}
	return fmt.Sprintf("%.0f×", r)
}
