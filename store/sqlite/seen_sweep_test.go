package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store/storetest"
)

// TestSeenSweep checks that expired replay records are deleted as new
// ones come in, without an index on their expiry, and that records still
// valid are kept.
func TestSeenSweep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seen.db")
	db := MustOpen(t, path)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	count := func(cond string, args ...any) int {
		t.Helper()
		var n int
		if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM seen WHERE `+cond, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	record := func(prefix string, n int, at time.Time, ttl time.Duration) {
		t.Helper()
		storetest.RecordSeen(t, db, prefix, n, at, ttl)
	}
	t0 := time.Unix(1_800_000_000, 0)
	// Old keys of two kinds, expired by t0+1h; then keys of both kinds
	// after them in key order and before them, valid for a day.
	record("slack sig", 3000, t0, time.Minute)
	record("discord sig", 3000, t0, time.Minute)
	later := t0.Add(time.Hour)
	record("slack sig", 20000, later, 24*time.Hour)
	record("a sig", 20000, later, 24*time.Hour)
	if n := count(`expires_at <= ?`, later.UnixNano()); n != 0 {
		t.Errorf("%d expired keys left after 40 000 new ones", n)
	}
	if n := count(`expires_at > ?`, later.UnixNano()); n != 40000 {
		t.Errorf("%d valid keys, want 40 000", n)
	}
	// Every valid key is still refused.
	first, err := db.FirstSeen(ctx, fmt.Sprintf("a sig %d %08d", later.Unix(), 7), later, later.Add(time.Hour))
	if err != nil || first {
		t.Errorf("a valid key recorded again: first %v, err %v", first, err)
	}
}
