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
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

var (
	_ bot.Store      = (*DB)(nil)
	_ schedule.Store = (*DB)(nil)
)

//go:embed migrations/*.sql
var migrations embed.FS

// Memory is the path that opens a private in-memory database (for tests).
const Memory = ":memory:"

// DB is a stretchbot store in one SQLite file. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
	// writer admits one write at a time from this process. SQLite allows
	// one writer anyway; queuing here instead of in SQLite's busy handler
	// (which sleeps for milliseconds) keeps claims fast under load. Other
	// processes are still arbitrated by the busy timeout.
	writer chan struct{}
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
	db, err := sql.Open("sqlite", dsn(path, memory))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if memory {
		// Each connection to ":memory:" is its own database: keep exactly
		// one, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		// WAL lets readers run beside the one writer; more connections
		// than this only queue on the write lock.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	s := &DB{db: db, path: path, writer: make(chan struct{}, 1)}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string. The pragmas are in the DSN so that every
// pooled connection gets them, not just the first.
func dsn(path string, memory bool) string {
	q := []string{
		"_pragma=busy_timeout(5000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}
	if !memory {
		q = append(q, "_pragma=journal_mode(WAL)")
	}
	// The file: form is a URI for SQLite: escape what URIs give meaning to.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + strings.Join(q, "&")
}

// Ping reports whether the database answers.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *DB) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction. It is idempotent and safe
// to run from several processes at once (the write lock serializes them).
func (s *DB) Migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	files, err := migrationFiles()
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, m := range files {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.version, time.Now().UnixNano())
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrationFiles returns the embedded migrations in version order; a file is
// named NNNN_description.sql.
func migrationFiles() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a version number", e.Name())
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// lockWrite waits for this process's write turn.
func (s *DB) lockWrite(ctx context.Context) (unlock func(), err error) {
	select {
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// exec runs one writing statement in this process's write turn.
func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.db.ExecContext(ctx, query, args...)
}

// tx runs fn in a write (IMMEDIATE) transaction, committing if fn returns nil.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // no-op after Commit; frees the connection if fn panics
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// errRollback makes tx roll back without reporting an error.
var errRollback = errors.New("rollback")

// nanos converts t to the stored form: unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos; it returns UTC times.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// affected returns the number of rows res changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
