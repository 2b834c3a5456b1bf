package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A new file takes pageSize; a file created with another page size keeps
// it (a WAL database cannot change it) and opens as before.
func TestPageSize(t *testing.T) {
	ctx := t.Context()
	fresh := filepath.Join(t.TempDir(), "new.db")
	if got := pageSizeOf(t, ctx, fresh); got != pageSize {
		t.Errorf("new file: page_size %d, want %d", got, pageSize)
	}
	// Reopened, the file answers with the page size it was made with.
	if got := pageSizeOf(t, ctx, fresh); got != pageSize {
		t.Errorf("reopened: page_size %d, want %d", got, pageSize)
	}

	// A file as an earlier build made it: SQLite's default page size,
	// already in WAL mode, with a table.
	old := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+old+"?_pragma=page_size(4096)&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE keep (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if got := pageSizeOf(t, ctx, old); got != 4096 {
		t.Errorf("existing file: page_size %d, want the 4096 it was created with", got)
	}
}

// pageSizeOf opens path with Open, migrated, and returns its page size.
func pageSizeOf(t *testing.T, ctx context.Context, path string) int {
	t.Helper()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v; want wal", mode, err)
	}
	return n
}
