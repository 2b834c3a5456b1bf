package postgres

import (
	"fmt"
	"testing"
	"time"
)

// TestSeenSweep checks that expired replay records are deleted as new
// ones come in, walking the table in key order (it has no index on their
// expiry), and that records still valid are kept.
func TestSeenSweep(t *testing.T) {
	ctx := t.Context()
	db, conn := planStore(t)
	record := func(prefix string, n int, at time.Time, ttl time.Duration) {
		t.Helper()
		for i := 0; i < n; i += 8 {
			keys := make([]string, 0, 8)
			for j := i; j < min(i+8, n); j++ {
				keys = append(keys, fmt.Sprintf("%s %d %08d", prefix, at.Unix(), j))
			}
			if _, err := db.FirstSeenAll(ctx, keys, at, at.Add(ttl)); err != nil {
				t.Fatal(err)
			}
		}
	}
	t0 := time.Unix(1_800_000_000, 0)
	record("slack sig", 1000, t0, time.Minute)
	later := t0.Add(time.Hour)
	record("slack sig", 8000, later, 24*time.Hour)
	var expired, valid int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE expires_at <= $1), count(*) FILTER (WHERE expires_at > $1) FROM seen`, later.UnixNano()).Scan(&expired, &valid); err != nil {
		t.Fatal(err)
	}
	if expired != 0 || valid != 8000 {
		t.Errorf("after 8 000 new keys: %d expired keys left, %d valid (want 0 and 8 000)", expired, valid)
	}
}
