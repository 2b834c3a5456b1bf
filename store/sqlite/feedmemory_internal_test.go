package sqlite

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cMemory is the process's anonymous resident memory once the Go heap
// and the C library's allocator have handed back their free pages: what
// is left of the C side is the page caches and what else SQLite holds.
func cMemory(t *testing.T) int {
	debug.FreeOSMemory()
	trimCAllocator()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status to read resident memory from")
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			kib, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return kib << 10
		}
	}
	t.Skip("no RssAnon in /proc/self/status")
	return 0
}

// The feed's connection reads each log's newest rows and prunes its
// oldest. Neither needs a large page cache, and a prune of a busy
// minute's log (a rotation change for every break) must not leave that
// log's pages cached on the feed's connection: nothing else would give
// them back until another connection writes.
func TestFeedPruneKeepsLittleMemory(t *testing.T) {
	if raceEnabled {
		// Its shadow memory doubles what the feed's pages add (4.2 MiB
		// for 1.9), so the resident figure says nothing of the cache.
		t.Skip("resident memory is not the page cache's under the race detector")
	}
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f, err := openFeed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()

	// A minute of breaks at a few thousand a second, each logging the
	// rotation it wrote.
	const rows = 60_000
	used := `["` + strings.Repeat("hamstring-stretch", 8) + `"]`
	old := time.Now().Add(-2 * changeKeep).Unix()
	if _, err := db.db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?)
		INSERT INTO rotation_changes (tenant, scope, used, at) SELECT 'T1', 'U' || i, ?, ? FROM n`, rows, used, old); err != nil {
		t.Fatal(err)
	}
	db.ReleaseMemory(ctx)
	before := cMemory(t)

	// The feed reads the log as it grows, then prunes it.
	r, err := newReader(ctx, f, rotationLog)
	if err != nil {
		t.Fatal(err)
	}
	r.seq = 0
	for {
		var n int
		err := f.with(ctx, func() error {
			rs, err := r.stmt.QueryContext(ctx, r.seq, changeBatch)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				if _, err := rotationLog.scan(rs, &r.seq); err != nil {
					return err
				}
				n++
			}
			return rs.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if err := f.prune(ctx, rotationLog.logTable, time.Now()); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM rotation_changes`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 1 {
		t.Fatalf("%d changes left after the prune, want the last one", left)
	}
	const limit = 4 << 20
	grew := cMemory(t) - before
	t.Logf("C memory %.1f MiB before, grew %.1f MiB", float64(before)/(1<<20), float64(grew)/(1<<20))
	if grew > limit {
		t.Errorf("the feed's connection holds %.1f MiB after reading and pruning %d changes, want at most %d MiB",
			float64(grew)/(1<<20), rows, limit>>20)
	}
}
