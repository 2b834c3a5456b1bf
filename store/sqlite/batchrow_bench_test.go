package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// BenchmarkMinuteRunsOneRowPerBatch measures the floor of a design the
// store does not have: a claimed batch of runs written as one row naming
// its runs, and their deliveries as one update of that row, instead of an
// occurrence row per run inserted at the claim and updated at the record.
// What stays a write per run is moving each reminder's next run, which
// every design that keeps next runs in the reminders' rows needs. It runs
// the same work as BenchmarkMinuteRuns in the package's external tests (a
// minute of schedules, 1 000 due each second, claimed 500 and recorded 250
// at a time, on the same file layout and cache), with SQL of its own on
// the store's connection, so that the two can be compared in one run:
//
//	go test -run '^$' -bench 'MinuteRuns' ./store/sqlite
func BenchmarkMinuteRunsOneRowPerBatch(b *testing.B) {
	const perSecond, claimChunk, recordChunk = 1000, 500, 250
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "minute.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 60 * perSecond {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("m%07d", i)), Tenant: bot.TenantID(fmt.Sprintf("T%d", i%100)),
			Platform: bot.Slack, Kind: bot.Personal, Owner: bot.UserID(fmt.Sprintf("U%d", i)), Channel: "C1",
			ChannelName: "general", Rule: "every weekday at 10:00", Zone: "Europe/Paris", Note: "stand up",
			Routine: bot.RoutineOptions{Minutes: 5, Place: "desk", Category: "mobility"}, LastRoutine: "cat-cow:60 childs-pose:45",
			NextRun: t0.Add(time.Duration(i%60) * time.Second), CreatedAt: t0}
		if err := s.CreateReminder(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	conn := s.db // one connection: the writes' and the engine's reads'
	for _, q := range []string{
		`PRAGMA cache_size(-` + strconv.Itoa(busyCacheKiB) + `)`,
		`CREATE TABLE run_batches (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, lease_until INTEGER NOT NULL,
			at INTEGER NOT NULL, runs BLOB NOT NULL, delivered BLOB)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var move strings.Builder
	move.WriteString(`UPDATE reminders SET next_run = c.column2 FROM (VALUES `)
	for i := range claimChunk {
		if i > 0 {
			move.WriteString(", ")
		}
		move.WriteString("(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))")
	}
	move.WriteString(`) AS c WHERE reminders.id = c.column1 || '' AND reminders.next_run = c.column3 + 0 AND NOT paused RETURNING id`)
	moveStmt, err := conn.PrepareContext(ctx, move.String())
	if err != nil {
		b.Fatal(err)
	}
	insertStmt, err := conn.PrepareContext(ctx, `INSERT INTO run_batches (owner, lease_until, at, runs) VALUES (?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	recordStmt, err := conn.PrepareContext(ctx, `UPDATE run_batches SET delivered = coalesce(delivered, x'') || ? WHERE id = ?`)
	if err != nil {
		b.Fatal(err)
	}
	tx := func(body func(tx *sql.Tx) error) {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := body(tx); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}

	now := t0
	runs := 0
	args := make([]any, 0, 3*claimChunk)
	var cpu0 time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			cpu0 = cpuTimeInternal()
		}
		rs, err := s.DueReminders(ctx, now, 2*perSecond)
		if err != nil || len(rs) != perSecond {
			b.Fatalf("DueReminders(%s) = %d, %v", now, len(rs), err)
		}
		for len(rs) > 0 {
			batch := rs[:min(len(rs), claimChunk)]
			rs = rs[len(batch):]
			var id int64
			tx(func(tx *sql.Tx) error {
				args = args[:0]
				var names []byte
				for j := range claimChunk {
					r := batch[min(j, len(batch)-1)]
					args = append(args, string(r.ID), r.NextRun.Add(time.Minute).UnixNano(), r.NextRun.UnixNano())
					if j < len(batch) {
						names = append(append(names, r.ID...), 0)
					}
				}
				rows, err := tx.StmtContext(ctx, moveStmt).QueryContext(ctx, args...)
				if err != nil {
					return err
				}
				won := 0
				for rows.Next() {
					won++
				}
				if err := rows.Close(); err != nil {
					return err
				}
				if won != len(batch) {
					return fmt.Errorf("moved %d of %d", won, len(batch))
				}
				res, err := tx.StmtContext(ctx, insertStmt).ExecContext(ctx, "bench", now.Add(time.Minute).UnixNano(), now.UnixNano(), names)
				if err == nil {
					id, err = res.LastInsertId()
				}
				return err
			})
			for k := 0; k < len(batch); k += recordChunk {
				n := min(recordChunk, len(batch)-k)
				// A message id and a delivery time for each run delivered.
				msgs := make([]byte, 0, n*24)
				for range n {
					msgs = append(msgs, "1764662400.123456\x00"...)
					msgs = strconv.AppendInt(msgs, now.Unix(), 36)
				}
				tx(func(tx *sql.Tx) error {
					_, err := tx.StmtContext(ctx, recordStmt).ExecContext(ctx, msgs, id)
					return err
				})
			}
		}
		runs += perSecond
		now = now.Add(time.Second)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs), "ns/run")
	b.ReportMetric(float64(cpuTimeInternal()-cpu0)/float64(runs), "cpu-ns/run")
}

// cpuTimeInternal is the CPU time this process used so far, user and system.
func cpuTimeInternal() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
