package sqlite

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"modernc.org/libc"
)

// ReleaseMemory leaves the store's one connection open and answering.
func TestReleaseMemoryKeepsTheConnection(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "release.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.db.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	db.ReleaseMemory(t.Context())
	if n := db.db.Stats().OpenConnections; n != 1 {
		t.Errorf("%d connections open after ReleaseMemory, want the one", n)
	}
	if err := db.Ping(t.Context()); err != nil {
		t.Fatalf("the store after ReleaseMemory: %v", err)
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
