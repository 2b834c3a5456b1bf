package sqlite

import (
	"path/filepath"
	"testing"
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
