// Package sqlite is the single-file store: modernc.org/sqlite (pure Go, no
// cgo) in WAL mode.
//
// Every time is stored as INTEGER unix nanoseconds in UTC, and the zero
// time.Time as 0, so times round-trip exactly (Equal) and compare-and-set on
// NextRun matches what was read back. Times are returned in UTC. Instants
// outside the years 1678–2262 cannot be represented.
//
// Every write that reads before it writes runs in a BEGIN IMMEDIATE
// transaction (the _txlock=immediate DSN option) with a 5 s busy timeout, so
// concurrent claims from goroutines or from several processes sharing the
// file serialize instead of failing with SQLITE_BUSY.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/stretchbot/stretchbot/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Memory is the path that opens a private in-memory database (for tests).
const Memory = ":memory:"

// dialect is SQLite's SQL: ? placeholders, 0/1 booleans.
var dialect = sqlstore.Dialect{Name: "sqlite", NotPaused: "paused = 0", Counted: true, SelfBounded: true,
	// A run handed back moves next_run earlier, which the triggers of
	// migration 0014 do not look at (see AdvanceReminder).
	DueSooner: `INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch())`}

// core is unexported so that embedding it adds its methods, not a field, to
// DB's API.
type core = sqlstore.DB

// DB is a stretchbot store in one SQLite file. It is safe for concurrent use.
// Its query methods are sqlstore's, run under this package's write policy.
type DB struct {
	*core
	// db runs the writes and the engine's reads, on one connection;
	// reads, the other reads (nil in memory: db runs them). See Open.
	db    *sql.DB
	reads *sql.DB
	// writer admits one write at a time from this process. SQLite allows
	// one writer anyway; queuing here instead of in SQLite's busy handler
	// (which sleeps for milliseconds) keeps claims fast under load. Other
	// processes are still arbitrated by the busy timeout.
	writer chan struct{}
	// cache sizes the writes' page cache by the engine's pace; it is
	// used only by the holder of the write turn (see sizeWriteCache).
	cache writeCache
	// stop ends the checkpointer; done closes when it has.
	stop context.CancelFunc
	done chan struct{}
	// path is the file, or Memory; the feed opens a connection of its
	// own to it.
	path string
	// feed follows the change logs for NotifyChanges and
	// NotifyUserChanges while any listens; nil when none does.
	feedMu sync.Mutex
	feed   *feed
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations. The parent directory must exist. path may be Memory.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: open: empty path")
	}
	memory := path == Memory
	if !memory {
		dir := filepath.Dir(path)
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open %s: directory %s: %w", path, dir, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("sqlite: open %s: %s is not a directory", path, dir)
		}
	}
	writeCache := readCacheKiB
	if !memory {
		writeCache = writeCacheKiB
	}
	db, err := sql.Open("sqlite", dsn(path, memory, writeCache))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One connection for the writes and the engine's reads, and a pool
	// beside it for the other reads (the checkpointer and the change feed
	// have connections of their own, which change nothing a cache holds).
	// Each connection keeps the pages it read in a cache of its own, and
	// in WAL mode a connection that starts a transaction after another one
	// committed drops its whole cache (SQLite cannot tell which pages
	// changed), freeing every page and reading each again as it is needed.
	// When the writes and the engine's reads took whichever connection of
	// one pool was free, nearly every claim, record and refill on a busy
	// machine started on a connection another had just written past: at
	// 100 000 schedules a minute, dropping caches was up to a sixth of the
	// engine's CPU, most of it in system calls by which the C library's
	// allocator handed the freed pages back. A connection that commits
	// keeps its cache, so the writes' connection drops it only for another
	// process's writes. The pool's connections still drop theirs, but the
	// reads of requests find most of what they need in the bot's memory,
	// and on one connection they waited for each other and for the engine
	// (a third fewer `list` requests a second at eight clients).
	//
	// A transaction's statements only use its own connection (see
	// sqlstore's tx), so none waits for the connection it holds.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	var reads *sql.DB
	if memory {
		// Each connection to ":memory:" is its own database: keep the
		// one forever, for the reads too.
		db.SetConnMaxIdleTime(0)
	} else {
		// Closing a connection once it sits idle gives its cache back
		// (up to cache_size); opening it again costs about a millisecond.
		db.SetConnMaxIdleTime(idleConnection)
		if reads, err = sql.Open("sqlite", dsn(path, memory, readCacheKiB)); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		// Each keeps the pages it read, and a burst of requests opens
		// them all. The pool hands out the connection returned last, so
		// once a burst is over the few that steady work needs stay warm
		// and the rest sit idle until they are closed.
		reads.SetMaxOpenConns(maxReads)
		reads.SetMaxIdleConns(maxReads)
		reads.SetConnMaxIdleTime(idleConnection)
	}
	s := &DB{db: db, reads: reads, writer: make(chan struct{}, 1), stop: func() {}, done: make(chan struct{}), path: path}
	s.core = sqlstore.New(db, dialect, s.lockWrite)
	if reads != nil {
		s.core.SetReads(reads)
	}
	if err := s.Migrate(ctx); err != nil {
		s.core.Close()
		return nil, err
	}
	if memory {
		close(s.done)
	} else {
		// Not ctx: the checkpointer lives until Close.
		cctx, stop := context.WithCancel(context.Background())
		s.stop = stop
		go s.checkpoint(cctx)
	}
	return s, nil
}

// idleConnection is how long a pooled connection may sit unused before it
// is closed.
const idleConnection = 20 * time.Second

// maxReads is the size of a file database's pool for reads.
const maxReads = 8

// The checkpointer's pace: it copies the WAL into the database file every
// checkpointEvery, sooner when the WAL grows faster than checkpointFrames
// in that time, and never more often than every checkpointSoonest.
//
// A checkpoint copies each page written since the last one once, however
// often it was written meanwhile, and syncs the WAL and the file. At
// 100 000 schedules a minute a run writes a reminder's page and an
// occurrence's page (twice: its claim, a second before it is due, and its
// record), pages spread over the whole file; copied every 250 ms, most of
// them were copied again within seconds, and the checkpointer was about a
// seventh of the engine's CPU (1.5-1.8 s of 9.6-13.3 s sampled in a
// minute, three runs). Every 2 s it was a twentieth (0.5-0.65 s of
// 10.6-11.5 s, three runs), and the WAL's frame writes cost what they did
// (1.0-1.4 s against 1.0-1.3). On a shared machine the whole moved less
// clearly than runs of one build differ: 181-197 ms/s against 166-230.
// Replayed in one process (claims and records of 1 667 runs a second,
// reminders of random ids), the bytes written per run were 21.1 kB every
// 250 ms, 21.0 every second, 19.2 every 2 s and 17.8 every 5 s: a page
// comes back about every 2.4 s (some 25 reminders a page, each once a
// minute), so a second saves next to nothing. The WAL then holds about
// 2 s of writes, some 8 000-11 000 pages (a file of 32-44 MiB, not
// memory) at that rate; 5 s came within reach of walPages, where the
// writer would checkpoint in its own commits. checkpointFrames keeps a
// faster writer (a burst, a million schedules) to about as many.
const (
	checkpointEvery   = 2 * time.Second
	checkpointSoonest = 250 * time.Millisecond
	checkpointFrames  = 10_000
)

// nextCheckpoint is how long to wait after a checkpoint that found frames
// pages in the WAL, when the one before it found last, wait earlier: long
// enough for about checkpointFrames new pages at the rate since, within
// [checkpointSoonest, checkpointEvery]. A WAL that started over since
// holds only new pages.
func nextCheckpoint(wait time.Duration, last, frames int) time.Duration {
	added := frames - last
	if added < 0 {
		added = frames
	}
	if added <= 0 {
		return checkpointEvery
	}
	next := time.Duration(float64(wait) * checkpointFrames / float64(added))
	return min(checkpointEvery, max(checkpointSoonest, next))
}

// checkpoint copies the WAL into the database file (see checkpointEvery)
// until Close, beside the writer rather than in its way. SQLite would
// otherwise checkpoint in the commit that fills the WAL to 1 000 pages,
// with two fsyncs (about 8 ms each on a cloud disk), holding the write
// lock: with a million schedules a minute that is dozens of times a
// second, and claims waited behind it. A PASSIVE checkpoint takes no write
// lock; the WAL starts over once a checkpoint has copied all of it. If
// this falls behind, the writer still checkpoints at walPages.
//
// It checkpoints on a connection of its own, so that copying the WAL and
// syncing the file never holds the writes' connection: claims and
// records go on meanwhile. A checkpoint changes no page a connection
// caches, nor what tells a connection that another one committed, so it
// drops no cache (see Open).
func (s *DB) checkpoint(ctx context.Context) {
	defer close(s.done)
	c, err := newCheckpointer(s.path)
	if err != nil {
		return
	}
	defer c.close()
	timer := time.NewTimer(c.wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		timer.Reset(c.turn(ctx))
	}
}

// checkpointer is the state of the checkpointer's turns.
type checkpointer struct {
	db   *sql.DB
	wal  string        // the WAL's file
	wait time.Duration // until the next turn
	last int           // pages in the WAL at the last turn
	// version is the database's data_version at the last turn: it
	// changes with every commit of another connection.
	version int64
}

// newCheckpointer opens the checkpointer's connection to the file at path
// (at its first turn: an error shows at every turn).
func newCheckpointer(path string) (*checkpointer, error) {
	// No busy timeout: a PASSIVE checkpoint never waits, and a TRUNCATE
	// one (see turn) waiting for a reader would hold the write lock, and
	// every claim, meanwhile. Busy, it is tried again at a later turn.
	db, err := sql.Open("sqlite", strings.Replace(dsn(path, false, readCacheKiB), "busy_timeout(5000)", "busy_timeout(0)", 1))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	return &checkpointer{db: db, wal: path + "-wal", wait: checkpointSoonest}, nil
}

func (c *checkpointer) close() { c.db.Close() }

// walKeep is the size of WAL file the checkpointer leaves whatever the
// pace (a thousand pages).
const walKeep = 4 << 20

// turn checkpoints once and returns how long to wait for the next turn.
//
// The WAL starts over from its beginning rather than shrinking, so a
// burst of writes (a hundred thousand team breaks at 10:00; 100 000
// schedules a minute fill 32-44 MiB between two checkpoints) would leave
// its file at the burst's size until the process stops. Once every page
// is copied and the writes since the last turn need less than half the
// file (or nothing was written since), a TRUNCATE checkpoint empties it.
// It runs on the checkpointer's connection, never in a commit, and never
// while the writes keep their pace: a steady writer's WAL keeps its size,
// so its commits do not grow the file again after each turn.
func (c *checkpointer) turn(ctx context.Context) time.Duration {
	// Errors (busy: another process checkpoints) are retried at the
	// next turn; a broken database shows in every query.
	var busy, frames, copied int
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		return c.wait
	}
	var version int64
	if err := c.db.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return c.wait
	}
	idle := version == c.version && frames > 0
	c.version = version
	c.wait = nextCheckpoint(c.wait, c.last, frames)
	c.last = frames
	if busy != 0 || copied != frames {
		return c.wait
	}
	need := int64(max(frames, 1)) * walFrameBytes
	if fi, err := os.Stat(c.wal); err == nil && (idle || fi.Size() > walKeep && fi.Size() > 2*need) {
		// Busy (a write or a read under way), it leaves the WAL as
		// it is.
		if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied); err == nil && busy == 0 {
			c.last = 0
		}
	}
	return c.wait
}

// walFrameBytes is the size of a page in the WAL: the page (SQLite's
// default 4 KiB) and its frame header.
const walFrameBytes = 4096 + 24

// Close stops the checkpointer and closes the database (whose last
// connection checkpoints what is left).
func (s *DB) Close() error {
	s.stop()
	<-s.done
	return s.core.Close()
}

// What a scheduled run writes: its claim changes the reminder's row and
// inserts the occurrence, its record updates the occurrence, each page
// written to the WAL at commit and copied back by the checkpointer. The
// runs of one second belong to reminders spread over the whole table, so
// these are pages placed at random. Keying occurrences by (at, reminder,
// kind) instead, with an index on (reminder, at) for the deletes, pruning
// and the foreign key, clusters a second's occurrences on a few pages: at
// 100 000 schedules a minute that cut the writes to the WAL and the file
// from 11 700 to 6 700 calls a second (31.8 to 18.2 MB/s), but the
// engine's CPU moved by less than runs of one build differ (167-194 ms/s
// against 178-202). The b-tree seeks and SQLite's interpreter cost more
// than the pages, and the change, a rebuild of the table, was not made.

// walPages is the size of the WAL, in pages, at which a commit checkpoints
// it itself (SQLite's default is 1 000).
const walPages = 20_000

// The page caches' limits, in KiB. A reading connection's cache rarely
// grows far: another connection's commit drops it (see Open). The writes'
// connection keeps its cache across its own commits, so it would grow to
// its limit with pages written once and never read again (a burst of
// requests appends thousands of replay records): at 32 MiB the peak
// resident memory under a request load went from about 45 to 65 MiB. Its
// limit grows to busyCacheKiB only while the engine claims many runs a
// second, whose claims and records come back to the same pages.
//
// A cached page costs more than the limit counts: SQLite allocates each
// page with its headers (4 KiB and about 300 bytes), and the C library's
// allocator (see trimCAllocator) serves that from an 8 KiB slot, 7 slots
// to a 64 KiB region, so a full cache is about 2.2 times its limit in
// resident memory. At 4 MiB the writes' connection filled its cache within
// seconds of a burst of requests (each records its signature in the
// replay table: thousands of records a second fill new pages, written
// once and not read again) and held 9 MiB of C memory, the largest part of the peak's growth
// over rest; at 2 MiB, about 470 pages, it holds about 4.5 MiB.
const (
	readCacheKiB  = 32 << 10
	writeCacheKiB = 2 << 10
)

// dsn builds the connection string, with a page cache of at most cacheKiB.
// The pragmas are in the DSN so that every pooled connection gets them, not
// just the first.
func dsn(path string, memory bool, cacheKiB int) string {
	q := []string{
		"_pragma=busy_timeout(5000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_pragma=cache_size(-" + strconv.Itoa(cacheKiB) + ")",
		// Statement journals in memory: a multi-row UPDATE or INSERT in a
		// transaction keeps the pages it changes in one, to undo the
		// statement alone, and in a temporary file that was a write call
		// per page changed (about a seventh of the CPU of a claimed and
		// recorded run).
		"_pragma=temp_store(MEMORY)",
		// The checkpointer copies the WAL back long before this; a
		// commit checkpoints only if it falls far behind.
		"_pragma=wal_autocheckpoint(" + strconv.Itoa(walPages) + ")",
		"_txlock=immediate",
	}
	if !memory {
		q = append(q, "_pragma=journal_mode(WAL)")
	}
	// The file: form is a URI for SQLite: escape what URIs give meaning to.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + strings.Join(q, "&")
}

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction. It is idempotent and safe
// to run from several processes at once (the write lock serializes them).
func (s *DB) Migrate(ctx context.Context) error {
	return s.core.Migrate(ctx, sqlstore.Migrations{
		FS: migrations,
		Setup: []string{`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`},
		Record: `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
	})
}

// lockWrite waits for this process's write turn.
func (s *DB) lockWrite(ctx context.Context) (unlock func(), err error) {
	select {
	case s.writer <- struct{}{}:
		s.sizeWriteCache(ctx, time.Now())
		return func() { <-s.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// The writes' cache while the engine is busy. Each run's claim and record
// touch a reminder's page and an occurrence's page placed at random, and
// the refill reads the reminder's again: at 100 000 schedules a minute the
// 2 MiB of writeCacheKiB (about 470 pages) lost them in between, and pages
// read again were a fifth of the engine's CPU, a full cache spilling in
// the middle of a transaction another 6 %. With 4 MiB the engine read
// about 4 and wrote 5.8 times a run (/proc/<pid>/io) against 6.4 and 6.9;
// with 8 MiB it read 2.8 times a run and took about 9 % less CPU, for
// about 8 MiB more resident at 100 000 runs a minute (16 and 32 MiB saved
// no more CPU than 8, for 24 and 43 MiB more).
// It is sized up only while this handle claims busyClaims runs a second
// or more, and down again busyLinger after the last such second, so a
// burst of requests, whose replay records fill a cache with pages written
// once (see writeCacheKiB), still meets the small cache.
const (
	busyCacheKiB = 8 << 10
	busyClaims   = 500
	busyLinger   = 10 * time.Second
	// busyWindow is how often the pace is measured.
	busyWindow = time.Second
)

// writeCache is the state of sizeWriteCache.
type writeCache struct {
	at     time.Time // start of the window
	claims int64     // Claims at its start
	until  time.Time // the cache is busyCacheKiB until then
	big    bool      // as last set
}

// sizeWriteCache measures, once a busyWindow at most, how fast this handle
// claims runs, and sizes the writes' cache to match (see busyCacheKiB).
// now is the wall clock: the pace of the machine's work, not of schedules.
// The caller holds the write turn, so no write of this process holds the
// connection; an engine's read may, briefly, and the pragma waits for it.
// A database in memory keeps its cache as it is: its pages are the data.
func (s *DB) sizeWriteCache(ctx context.Context, now time.Time) {
	c := &s.cache
	if s.path == Memory || now.Sub(c.at) < busyWindow {
		return
	}
	claims := s.core.Claims()
	if float64(claims-c.claims) >= busyClaims*now.Sub(c.at).Seconds() {
		c.until = now.Add(busyLinger)
	}
	c.at, c.claims = now, claims
	big := now.Before(c.until)
	// While big, set it again every window: a connection closed while idle
	// comes back with the DSN's size.
	if !big && !c.big {
		return
	}
	kib := writeCacheKiB
	if big {
		kib = busyCacheKiB
	}
	// An error (the database closing) leaves the size as it was; the next
	// window tries again.
	if _, err := s.db.ExecContext(ctx, `PRAGMA cache_size(-`+strconv.Itoa(kib)+`)`); err != nil {
		return
	}
	if c.big && !big {
		// Shrinking freed the pages beyond the limit; hand them back.
		trimCAllocator()
	}
	c.big = big
}
