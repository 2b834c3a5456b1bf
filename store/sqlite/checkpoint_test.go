package sqlite

import (
	"path/filepath"
	"testing"
	"time"
)

// Commits leave checkpoints to the checkpointer, which Close stops.
func TestCheckpointer(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "wal.db"))
	if err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := db.db.QueryRowContext(t.Context(), `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != walPages {
		t.Errorf("wal_autocheckpoint = %d, %v; want %d", pages, err, walPages)
	}
	var temp int
	if err := db.db.QueryRowContext(t.Context(), `PRAGMA temp_store`).Scan(&temp); err != nil || temp != 2 {
		t.Errorf("temp_store = %d, %v; want 2 (memory)", temp, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.done:
	default:
		t.Error("checkpointer still running after Close")
	}

	mem, err := Open(t.Context(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	if err := mem.Close(); err != nil {
		t.Fatal(err)
	}
}

// The checkpointer waits checkpointEvery at a steady pace, less when the
// WAL grows faster, never less than checkpointSoonest.
func TestNextCheckpoint(t *testing.T) {
	for _, c := range []struct {
		wait         time.Duration
		last, frames int
		want         time.Duration
	}{
		{checkpointEvery, 0, 0, checkpointEvery},                            // idle
		{checkpointEvery, 500, 500, checkpointEvery},                        // nothing new
		{checkpointEvery, 1000, 9000, checkpointEvery},                      // 8 000 new in 2 s
		{checkpointEvery, 0, 20_000, checkpointEvery / 2},                   // 20 000 new in 2 s
		{time.Second, 15_000, 10_000, time.Second},                          // started over: 10 000 new in 1 s
		{checkpointSoonest, 0, 1_000_000, checkpointSoonest},                // far faster
		{checkpointSoonest, 0, checkpointFrames / 4, checkpointSoonest * 4}, // a quarter of the target
	} {
		if got := nextCheckpoint(c.wait, c.last, c.frames); got != c.want {
			t.Errorf("nextCheckpoint(%v, %d, %d) = %v, want %v", c.wait, c.last, c.frames, got, c.want)
		}
	}
}
