package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"modernc.org/libc"
)

// ReleaseMemory closes the idle connections of the reads' pool but one at once, and the pool
// keeps as many idle connections as before afterwards.
func TestReleaseMemoryClosesIdleConnections(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "release.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hold := func(n int) {
		conns := make([]*sql.Conn, n)
		for i := range conns {
			if conns[i], err = db.reads.Conn(t.Context()); err != nil {
				t.Fatal(err)
			}
			// Each reads a page into its cache.
			var v int
			if err := conns[i].QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&v); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
	hold(4)
	before := db.reads.Stats().MaxIdleClosed
	db.ReleaseMemory(t.Context())
	// The checkpointer may hold one of the four for a moment, and give it
	// back after.
	if closed := db.reads.Stats().MaxIdleClosed - before; closed < 2 {
		t.Errorf("%d idle connections closed, want at least 2 of 4", closed)
	}
	if err := db.Ping(t.Context()); err != nil {
		t.Fatalf("the store after ReleaseMemory: %v", err)
	}
	hold(4)
	if idle := db.reads.Stats().Idle; idle < 3 {
		t.Errorf("%d idle connections after a later burst of 4, want the pool to keep them again", idle)
	}
}

func TestReleaseMemoryInMemory(t *testing.T) {
	db, err := Open(t.Context(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.db.ExecContext(t.Context(), `CREATE TABLE kept (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.ReleaseMemory(t.Context())
	if _, err := db.db.ExecContext(t.Context(), `INSERT INTO kept VALUES (1)`); err != nil {
		t.Fatalf("the in-memory database lost its table: %v", err)
	}
}

// trimCAllocator reaches the allocator the C library's free returns
// memory to: a freed region it kept mapped is unmapped.
func TestTrimCAllocator(t *testing.T) {
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		t.Skip("no /proc/self/maps to see mappings in")
	}
	tls := libc.NewTLS()
	defer tls.Close()
	p := libc.Xmalloc(tls, 1<<20)
	if p == 0 {
		t.Fatal("malloc failed")
	}
	libc.Xfree(tls, p)
	if !mapped(t, p) {
		t.Fatal("the allocator unmapped a freed 1 MiB region at once; this test needs one it keeps")
	}
	trimCAllocator()
	if mapped(t, p) {
		t.Fatal("a freed region stays mapped after trimCAllocator: cAllocator is not modernc.org/libc's allocator")
	}
}

// mapped reports whether address p is in one of this process's mappings.
func mapped(t *testing.T, p uintptr) bool {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		r, _, _ := strings.Cut(l, " ")
		lo, hi, ok := strings.Cut(r, "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		z, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && uint64(p) >= a && uint64(p) < z {
			return true
		}
	}
	return false
}
