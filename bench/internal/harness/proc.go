// Package harness holds what stretchbot's manual benchmarks share: bulk
// seeding of a store, a lock-free tally of deliveries (lateness, doubles),
// and process measurements (CPU, resident memory, Go heap).
//
// It is used by bench/scale and bench/compare, which are package main and
// never run by CI beyond a smoke test.
package harness

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RSS is the resident set (VmRSS) of this process in bytes.
func RSS() uint64 { return procStatus("self", "VmRSS:") }

// PidRSS is the resident set of process pid, and PidHWM its peak so far
// (VmHWM); 0 when the process is gone.
func PidRSS(pid int) uint64 { return procStatus(strconv.Itoa(pid), "VmRSS:") }

// PidHWM is the peak resident set of process pid since it started.
func PidHWM(pid int) uint64 { return procStatus(strconv.Itoa(pid), "VmHWM:") }

func procStatus(pid, field string) uint64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// HeapInuse is the Go heap in use by this process.
func HeapInuse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// CPU is the CPU time (user + system) this process has used.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Machine describes this computer in one line: CPU model, cores, memory
// and the Go toolchain.
func Machine() string {
	return fmt.Sprintf("%s, %d cores, %s RAM; %s", cpuModel(), runtime.NumCPU(), memTotal(), goVersion())
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return fmt.Sprintf("%.1f GiB", kb/(1<<20))
		}
	}
	return "unknown"
}

// goVersion is the toolchain on PATH (what builds the binaries), else the
// one this program was built with.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v
	}
	return runtime.Version()
}

// LoadAverage is the machine's one-minute load average, as text.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// Quantile is the q-quantile (nearest rank) of sorted durations.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Sorted returns a sorted copy of ds.
func Sorted(ds []time.Duration) []time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s
}

// MiB formats bytes as mebibytes.
func MiB(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// Ms formats a duration in milliseconds, with a decimal below 10 ms.
func Ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 10 {
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// PidCPU is the CPU time (user + system) process pid has used, read from
// /proc in clock ticks (assumed 100 a second, as on every Linux build).
func PidCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it do not.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}

// Quiesce waits, at most limit, until process pid used at most one clock
// tick of CPU in a 150 ms span, so that work it finishes after one measurement
// (replies sent in the background, a WAL checkpoint) does not fall into the
// next.
func Quiesce(pid int, limit time.Duration) {
	end := time.Now().Add(limit)
	last := PidCPU(pid)
	for time.Now().Before(end) {
		time.Sleep(150 * time.Millisecond)
		now := PidCPU(pid)
		if now-last <= 10*time.Millisecond {
			return
		}
		last = now
	}
}

// QuiesceSystem waits, at most limit, until the whole machine was at least
// 90 % idle over 300 ms: the database server finishing a previous run's
// clean-up (dropping a schema, a checkpoint) must not count against the
// next run.
func QuiesceSystem(limit time.Duration) {
	end := time.Now().Add(limit)
	busy0, total0 := systemTicks()
	for time.Now().Before(end) {
		time.Sleep(300 * time.Millisecond)
		busy, total := systemTicks()
		if total > total0 && float64(busy-busy0) <= 0.1*float64(total-total0) {
			return
		}
		busy0, total0 = busy, total
	}
}

// systemTicks reads the machine's busy and total CPU ticks from /proc/stat.
func systemTicks() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// CPUSample is the machine's CPU ticks and the CPU time of the database
// server's processes at one moment, for shares over a span (Busy, DBCPU).
type CPUSample struct {
	At          time.Time
	busy, total uint64
	db          time.Duration
}

// SampleCPU reads the machine's ticks from /proc/stat and sums the CPU time
// of every process named "postgres…" (the database server and its
// backends; 0 without one).
func SampleCPU() CPUSample {
	s := CPUSample{At: time.Now()}
	s.busy, s.total = systemTicks()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/comm")
		if err == nil && strings.HasPrefix(string(b), "postgres") {
			s.db += PidCPU(pid)
		}
	}
	return s
}

// Busy is the share of the machine's CPU (all cores) in use from a to b.
func Busy(a, b CPUSample) float64 {
	if b.total <= a.total {
		return 0
	}
	return float64(b.busy-a.busy) / float64(b.total-a.total)
}

// DBCPU is the CPU time the database server's processes used from a to b.
func DBCPU(a, b CPUSample) time.Duration { return b.db - a.db }
