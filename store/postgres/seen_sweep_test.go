package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store/storetest"
)

// TestSeenSweep checks that expired replay records are deleted as new
// ones come in, walking the table in key order (it has no index on their
// expiry), and that records still valid are kept.
func TestSeenSweep(t *testing.T) {
	ctx := t.Context()
	db, conn := mustOpenWithConn(t)
	t0 := time.Unix(1_800_000_000, 0)
	storetest.RecordSeen(t, db, "slack sig", 1000, t0, time.Minute)
	later := t0.Add(time.Hour)
	storetest.RecordSeen(t, db, "slack sig", 8000, later, 24*time.Hour)
	var expired, valid int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE expires_at <= $1), count(*) FILTER (WHERE expires_at > $1) FROM seen`, later.UnixNano()).Scan(&expired, &valid); err != nil {
		t.Fatal(err)
	}
	if expired != 0 || valid != 8000 {
		t.Errorf("after 8 000 new keys: %d expired keys left, %d valid (want 0 and 8 000)", expired, valid)
	}
}
