package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// BenchmarkMinuteRuns is the store's side of schedules firing every
// minute, 1 000 at each second of it, in a file: per iteration it loads
// one second's runs (DueReminders), claims them (ClaimBatch, 500 a call)
// and records their deliveries (DeliveredBatch, 250 a call), as the engine
// does. Each run touches rows far from the previous one's, unlike a burst
// of reminders created together. It reports the cost per run.
func BenchmarkMinuteRuns(b *testing.B) {
	const perSecond = 1000
	ctx := context.Background()
	db := MustOpen(b, filepath.Join(b.TempDir(), "minute.db"))
	for i := range 60 * perSecond {
		r := storetest.Reminder(bot.ReminderID(fmt.Sprintf("m%07d", i)), bot.TenantID(fmt.Sprintf("T%d", i%100)),
			bot.Personal, bot.UserID(fmt.Sprintf("U%d", i)), "C1", storetest.T0, storetest.T0.Add(time.Duration(i%60)*time.Second))
		storetest.MustCreate(b, db, r)
	}
	now := storetest.T0
	runs := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		rs, err := db.DueReminders(ctx, now, 2*perSecond)
		if err != nil || len(rs) != perSecond {
			b.Fatalf("DueReminders(%s) = %d, %v", now, len(rs), err)
		}
		var cs []schedule.Claim
		for _, r := range rs {
			cs = append(cs, schedule.Claim{Reminder: r.ID, Expect: r.NextRun, At: r.NextRun, Next: r.NextRun.Add(time.Minute),
				Owner: "bench", LeaseUntil: now.Add(time.Minute)})
		}
		var ds []schedule.Delivery
		for len(cs) > 0 {
			n := min(len(cs), 500)
			res, err := db.ClaimBatch(ctx, cs[:n])
			if err != nil {
				b.Fatal(err)
			}
			for i, c := range cs[:n] {
				if !res[i].Won {
					b.Fatalf("claim of %s lost", c.Reminder)
				}
				ds = append(ds, schedule.Delivery{Owner: "bench", MessageID: "m", At: now,
					Occurrence: bot.Occurrence{Reminder: c.Reminder, Tenant: res[i].Reminder.Tenant, At: c.At, Kind: bot.RunOccurrence}})
			}
			cs = cs[n:]
		}
		for len(ds) > 0 {
			n := min(len(ds), 250)
			errs, err := db.DeliveredBatch(ctx, ds[:n])
			if err != nil || errs[0] != nil {
				b.Fatal(err, errs[0])
			}
			ds = ds[n:]
		}
		runs += len(rs)
		now = now.Add(time.Second)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs), "ns/run")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(runs), "cpu-ns/run")
}

// cpuTime is the CPU time this process used so far (user and system): on
// a shared machine it moves less than wall time with the others' load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
