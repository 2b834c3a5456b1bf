package sqlite

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

// The writes' cache grows while the handle claims busyClaims runs a second
// and shrinks busyLinger after the last such second.
func TestWriteCacheFollowsClaims(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	size := func() int {
		t.Helper()
		var kib int
		if err := db.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
			t.Fatal(err)
		}
		return -kib
	}
	claim := func(n int) {
		t.Helper()
		cs := make([]schedule.Claim, n)
		at := time.Unix(1e9, 0)
		for i := range cs {
			// Reminders that do not exist: lost, but asked for.
			cs[i] = schedule.Claim{Reminder: bot.ReminderID(fmt.Sprintf("r%d", i)), Expect: at, At: at,
				Next: at.Add(time.Minute), Owner: "a", LeaseUntil: at.Add(time.Minute)}
		}
		if _, err := db.ClaimBatch(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	// Windows of a clock of the test's own, ahead of the one the write
	// turns use, which then find their window not yet over.
	now := time.Now().Add(time.Hour)
	step := func(d time.Duration, want int) {
		t.Helper()
		now = now.Add(d)
		db.sizeWriteCache(ctx, now)
		if got := size(); got != want {
			t.Fatalf("cache %d KiB, want %d", got, want)
		}
	}
	step(0, writeCacheKiB)
	claim(busyClaims / 2)
	step(busyWindow, writeCacheKiB)
	claim(busyClaims)
	step(busyWindow, busyCacheKiB)
	step(busyLinger-busyWindow, busyCacheKiB)
	step(busyWindow, writeCacheKiB)
	// Twice the window at half the pace is not busy.
	claim(busyClaims)
	step(2*busyWindow, writeCacheKiB)
}
