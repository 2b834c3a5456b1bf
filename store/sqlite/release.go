package sqlite

import (
	"context"
	"sync"
	_ "unsafe" // go:linkname, below

	"modernc.org/memory"
)

// ReleaseMemory gives back what the store holds for a burst of work once
// the burst is over: every idle connection of the reads' pool but one is
// closed with its page cache (rather than one by one after
// idleConnection), the writes' connection drops the pages it cached, and
// the C library's allocator returns the memory they were in to the OS.
// The next query opens a connection again if it needs one (about a
// millisecond) and reads its pages from the file, which the OS still
// caches. It does nothing to a database in memory, whose single
// connection's pages are the database.
func (s *DB) ReleaseMemory(ctx context.Context) {
	if s.path == Memory {
		return
	}
	// Lowering the idle limit closes the idle connections beyond it at
	// once; connections in use are not touched and go back to the pool
	// under the full limit again.
	s.reads.SetMaxIdleConns(1)
	s.reads.SetMaxIdleConns(maxReads)
	// The unpinned pages of the connections left: the writes', the one
	// idle reader (which the pool closes only after idleConnection, when
	// nothing trims the allocator any more) and the feed's. An error (the
	// database closing) only means there is nothing to release.
	s.db.ExecContext(ctx, `PRAGMA shrink_memory`)
	s.reads.ExecContext(ctx, `PRAGMA shrink_memory`)
	s.feedMu.Lock()
	f := s.feed
	s.feedMu.Unlock()
	if f != nil {
		f.with(ctx, func() error {
			_, err := f.conn.ExecContext(ctx, `PRAGMA shrink_memory`)
			return err
		})
	}
	trimCAllocator()
}

// modernc.org/sqlite runs SQLite on a C library translated to Go, whose
// malloc and free share one process-wide allocator, modernc.org/memory's.
// That allocator keeps up to 4 MiB of freed pages per size class mapped
// and resident for reuse, so the page caches of connections closed after a
// burst stay in the resident set for good, and the library exports no way
// to hand them back. cAllocator and cAllocatorMu are its allocator and the
// lock its malloc and free take (modernc.org/libc's allocator and
// allocatorMu, at the version go.mod requires). Should a later version
// rename them, these would name variables of their own and trimming would
// do nothing: TestTrimCAllocator fails then.
//
//go:linkname cAllocator modernc.org/libc.allocator
var cAllocator memory.Allocator

//go:linkname cAllocatorMu modernc.org/libc.allocatorMu
var cAllocatorMu sync.Mutex

// trimCAllocator returns the C library's free pages to the OS. Pages that
// still hold a live allocation stay.
func trimCAllocator() {
	cAllocatorMu.Lock()
	defer cAllocatorMu.Unlock()
	cAllocator.Trim()
}
