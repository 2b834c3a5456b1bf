package sqlite

import (
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPruneChunk measures one chunk of PruneOccurrences (500 rows at
// most) on a file of a million occurrences: 10 000 reminders with 100
// delivered runs each, an hour apart. "walk" deletes nothing (the cut is
// before every run) and measures only going past 500 reminders, the usual
// chunk once there is no backlog. In "backlog" 90 runs of each reminder
// are older than the cut: every 500 reminders take 90 full chunks, then one
// that finds nothing left and moves on.
func BenchmarkPruneChunk(b *testing.B) {
	b.Run("walk", func(b *testing.B) {
		db := seedPrune(b)
		for b.Loop() {
			if _, err := db.PruneOccurrences(b.Context(), time.Unix(0, 0), 500); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("backlog", func(b *testing.B) {
		db := seedPrune(b)
		cut := time.Unix(0, 91*int64(time.Hour))
		deleted, chunks := 0, 0
		for b.Loop() {
			n, err := db.PruneOccurrences(b.Context(), cut, 500)
			if err != nil {
				b.Fatal(err)
			}
			deleted += n
			chunks++
		}
		if deleted < 400*chunks {
			b.Fatalf("deleted %d occurrences in %d chunks: the backlog ran out", deleted, chunks)
		}
		b.ReportMetric(float64(deleted)/float64(chunks), "rows/chunk")
	})
}

// seedPrune returns a file of 10 000 reminders with 100 delivered runs
// each, at 1h … 100h after the epoch; each reminder's claimed_run is its
// last.
func seedPrune(b *testing.B) *DB {
	ctx := b.Context()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "prune.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 9999)
			INSERT INTO reminders (id, tenant, kind, owner, channel, next_run, claimed_run)
			SELECT printf('r%07d', n), 't', 'personal', 'u' || n, 'c', 101 * ?1, 100 * ?1 FROM i`,
		`WITH RECURSIVE j(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM j WHERE m < 100)
			INSERT INTO occurrences (reminder, tenant, at, kind, state, owner, delivered_at)
			SELECT r.id, 't', j.m * ?1, 'run', 'delivered', 'i1', j.m * ?1 FROM reminders r, j ORDER BY r.id, j.m`,
	} {
		if _, err := db.db.ExecContext(ctx, q, int64(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM occurrences`).Scan(&n); err != nil || n != 1_000_000 {
		b.Fatalf("seeded %d occurrences, %v", n, err)
	}
	b.ResetTimer()
	return db
}
