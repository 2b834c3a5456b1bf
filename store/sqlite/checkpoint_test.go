package sqlite

import (
	"os"
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

// A WAL grown by a burst of writes is cut back once the writes slow down,
// rather than kept at the burst's size for as long as the process runs;
// under a steady pace it keeps the room that pace needs.
func TestWALShrinksAfterABurst(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "wal.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The test takes the checkpointer's turns itself.
	db.stop()
	<-db.done
	c, err := newCheckpointer(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	walSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	write := func(pages int) {
		t.Helper()
		if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS filler (b BLOB)`); err != nil {
			t.Fatal(err)
		}
		tx, err := db.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range pages {
			if _, err := tx.ExecContext(ctx, `INSERT INTO filler VALUES (randomblob(4000))`); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}

	// A burst: the WAL grows past 30 MiB in one go.
	write(8_000)
	c.turn(ctx)
	burst := walSize()
	if burst < 30<<20 {
		t.Fatalf("the burst grew the WAL to %d bytes; the test no longer measures a large WAL", burst)
	}
	// A slower pace after it: a few pages a turn.
	for range 3 {
		write(10)
		c.turn(ctx)
	}
	after := walSize()
	t.Logf("WAL after the burst %.1f MiB, after three slower turns %.2f MiB", float64(burst)/(1<<20), float64(after)/(1<<20))
	if after > walKeep {
		t.Errorf("WAL %d bytes after the burst ended (%d during it), want at most %d", after, burst, walKeep)
	}
	// Idle: nothing left in it.
	c.turn(ctx)
	if got := walSize(); got != 0 {
		t.Errorf("WAL %d bytes when idle, want 0", got)
	}

	// A steady pace keeps its WAL: no turn cuts it while each turn's
	// writes need about what it holds.
	var cut int
	for range 5 {
		write(2_000)
		before := walSize()
		c.turn(ctx)
		if walSize() < before {
			cut++
		}
	}
	if cut > 0 {
		t.Errorf("a steady pace had its WAL cut in %d of 5 turns", cut)
	}
}
