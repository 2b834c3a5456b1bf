package schedule_test

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// shiftedClock is the wall clock moved by a fixed offset: a burst can be
// stored at leisure, then made due by shifting time rather than waiting.
type shiftedClock struct{ off time.Duration }

func (c shiftedClock) Now() time.Time                     { return time.Now().Add(c.off) }
func (c shiftedClock) NewTimer(d time.Duration) bot.Timer { return bot.SystemClock{}.NewTimer(d) }

// latenessDeliverer posts nothing and notes how late each occurrence came.
type latenessDeliverer struct {
	clock bot.Clock
	mu    sync.Mutex
	late  []time.Duration
	n     atomic.Int64
	done  chan struct{}
	want  int64
}

func (d *latenessDeliverer) Deliver(_ context.Context, r bot.Reminder, o bot.Occurrence) (bot.Sent, error) {
	l := d.clock.Now().Sub(o.At)
	d.mu.Lock()
	d.late = append(d.late, l)
	d.mu.Unlock()
	if d.n.Add(1) == d.want {
		close(d.done)
	}
	return bot.Sent{ID: "m"}, nil
}

func (d *latenessDeliverer) DeliveryPaused(context.Context, bot.Reminder, string) {}

// BenchmarkBurst stores n one-shot reminders due in the same second on
// SQLite, then runs the engine over the wall clock with a deliverer that
// posts nothing, and reports deliveries per second (from the due second to
// the last delivery), lateness p50/p99 and CPU per delivery. 100 000 runs
// only without -short.
func BenchmarkBurst(b *testing.B) {
	for _, n := range []int{10_000, 30_000, 100_000} {
		b.Run(fmt.Sprintf("due=%d", n), func(b *testing.B) {
			if n > 30_000 && testing.Short() {
				b.Skip("-short")
			}
			runBurst(b, n, 1, func() burstStore { return openDB(b) })
		})
	}
}

// burstHeadStart is how long before a burst's due second the engines start.
const burstHeadStart = 6 * time.Second

// burstStore is a store the burst benchmark can seed.
type burstStore interface {
	schedule.Store
	CreateReminder(ctx context.Context, r bot.Reminder) error
}

func runBurst(b *testing.B, n, instances int, open func() burstStore) {
	var rate, p50, p99, cpu float64
	for i := 0; i < b.N; i++ {
		r, a, c, u := burst(b, n, instances, open)
		rate, p50, p99, cpu = rate+r, p50+a, p99+c, cpu+u
	}
	b.ReportMetric(rate/float64(b.N), "deliveries/s")
	b.ReportMetric(p50/float64(b.N), "p50-ms")
	b.ReportMetric(p99/float64(b.N), "p99-ms")
	b.ReportMetric(cpu/float64(b.N), "cpu-µs/delivery")
}

// cpuTime is the CPU this process has used, user and system. On a busy
// machine it varies less than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func burst(b *testing.B, n, instances int, open func() burstStore) (rate, p50ms, p99ms, cpuUs float64) {
	b.StopTimer()
	ctx := context.Background()
	db := open()
	base := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
	p := when.Parser{MinInterval: time.Second}
	rule, err := p.Parse("in 1 hour", time.UTC, base.Add(-time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("burst%07d", i)), Tenant: "t", Platform: bot.Console, Kind: bot.Personal,
			Owner: "u", Channel: "c", Rule: rule.Spec(), Zone: "UTC", NextRun: base, CreatedAt: base.Add(-time.Hour)}
		if err := db.CreateReminder(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	// Six seconds before the burst, as a bot that has been running sees
	// one coming: it claims a burst up to five seconds ahead (maxLead), and
	// the CPU counted includes those claims.
	clock := shiftedClock{off: base.Add(-burstHeadStart).Sub(time.Now())}
	d := &latenessDeliverer{clock: clock, done: make(chan struct{}), want: int64(n)}
	rctx, cancel := context.WithCancel(ctx)
	var running sync.WaitGroup
	engines := make([]*schedule.Engine, instances)
	for i := range engines {
		st := schedule.Store(db)
		if i > 0 {
			st = open()
		}
		eng, err := schedule.NewEngine(st, d, p, schedule.WithClock(clock), schedule.WithOwner(fmt.Sprintf("e%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		engines[i] = eng
	}
	b.StartTimer()
	if f := os.Getenv("BURST_CPUPROFILE"); f != "" {
		// The engines' work alone, not the seeding (-cpuprofile has both).
		out, err := os.Create(fmt.Sprintf("%s.%d.%d", f, n, instances))
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			b.Fatal(err)
		}
		defer func() { pprof.StopCPUProfile(); out.Close() }()
	}
	cpu0 := cpuTime()
	for _, eng := range engines {
		running.Add(1)
		go func() { defer running.Done(); eng.Run(rctx) }()
	}
	select {
	case <-d.done:
	case <-time.After(10 * time.Minute):
		b.Fatalf("only %d of %d delivered in 10 minutes", d.n.Load(), n)
	}
	b.StopTimer()
	cancel()
	running.Wait()
	cpuUs = float64((cpuTime() - cpu0).Microseconds()) / float64(n)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.late) != n {
		b.Errorf("%d deliveries of %d reminders", len(d.late), n)
	}
	slices.Sort(d.late)
	last := d.late[len(d.late)-1]
	ms := func(q float64) float64 { return float64(d.late[int(q*float64(len(d.late)-1))]) / 1e6 }
	return float64(n) / last.Seconds(), ms(0.50), ms(0.99), cpuUs
}
