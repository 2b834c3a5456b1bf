package schedule_test

import (
	"context"
	"testing"

	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// Two instances share a PostgreSQL schema. A run is claimed ahead by
// either; a third process pauses or cancels the reminder in the last
// second, without telling the engines itself. The store's notification
// reaches them and the run is held back: nothing is posted and no
// occurrence stays open.
func TestChangeByAnotherInstanceStopsAClaimedRun(t *testing.T) {
	testChangeStopsAClaimedRun(t, "pgz", func(ctx context.Context, t *testing.T) func() sharedStore {
		url := pgtest.Schema(t)
		return func() sharedStore {
			db, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	})
}

// Two instances share a PostgreSQL schema: one claims a burst seconds
// ahead and stops; the other hears through LISTEN/NOTIFY that the runs
// were handed back, claims them before their time and delivers each at
// its time, once.
func TestStoppedInstanceHandsABurstToAnother(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Schema(t)
	testStoppedInstanceHandsABurstToAnother(t, func() sharedStore {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
