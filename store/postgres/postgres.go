// Package postgres is the shared store for several stretchbot instances:
// PostgreSQL through github.com/jackc/pgx/v5.
//
// Every time is stored as BIGINT unix nanoseconds in UTC, and the zero
// time.Time as 0, exactly as in store/sqlite: times round-trip exactly and
// compare-and-set on NextRun matches what was read back. (TIMESTAMPTZ keeps
// only microseconds.)
//
// Claims are safe across processes: the conditional UPDATE of the
// reminder's next_run takes its row lock, so a racing claim waits, then sees
// the new value and matches nothing; the occurrence insert is ON CONFLICT DO
// NOTHING; both run in one transaction that rolls back if either loses.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

var (
	_ bot.Store      = (*DB)(nil)
	_ schedule.Store = (*DB)(nil)
)

//go:embed migrations/*.sql
var migrations embed.FS

// DefaultMaxConns is the pool size unless the URL sets pool_max_conns.
const DefaultMaxConns = 8

// DB is a stretchbot store in a PostgreSQL database. It is safe for
// concurrent use.
type DB struct {
	pool *pool
}

// Open connects to the database at url (any libpq URL or keyword/value
// string; pool_max_conns=N sizes the pool) and applies pending migrations.
// Errors never contain the password.
func Open(ctx context.Context, url string) (*DB, error) {
	max := DefaultMaxConns
	cfg, err := pgx.ParseConfig(stripPoolParams(url, &max))
	if err != nil {
		// pgconn's ParseConfigError already redacts the password.
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db := &DB{pool: newPool(cfg, max)}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// stripPoolParams removes pool_max_conns from a URL's query (pgx would send
// it to the server as a run-time parameter) and stores its value in max.
func stripPoolParams(url string, max *int) string {
	base, query, ok := strings.Cut(url, "?")
	if !ok {
		return url
	}
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		if v, ok := strings.CutPrefix(kv, "pool_max_conns="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				*max = n
			}
			continue
		}
		keep = append(keep, kv)
	}
	if len(keep) == 0 {
		return base
	}
	return base + "?" + strings.Join(keep, "&")
}

// Ping reports whether the database answers.
func (s *DB) Ping(ctx context.Context) error {
	err := s.pool.with(ctx, func(c *pgx.Conn) error { return c.Ping(ctx) })
	if err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes every connection.
func (s *DB) Close() error {
	s.pool.close()
	return nil
}

// migrationLock is the pg_advisory_xact_lock key that serializes migrations
// of instances starting together.
var migrationLock = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("stretchbot schema_migrations"))
	return int64(h.Sum64())
}()

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction under an advisory lock, so
// several instances may start at once. It is idempotent.
func (s *DB) Migrate(ctx context.Context) error {
	files, err := migrationFiles()
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, m := range files {
		err := s.tx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.version)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migrate %s: %w", m.name, err)
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

// tx runs fn in a transaction, committing if fn returns nil.
func (s *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.pool.with(ctx, func(c *pgx.Conn) error { return pgx.BeginFunc(ctx, c, fn) })
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

// execTag runs one statement outside a transaction.
func (s *DB) execTag(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		var err error
		tag, err = c.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// affected returns the number of rows a statement changed.
func affected(tag pgconn.CommandTag, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// row is a deferred one-row query: Scan runs it on a pooled connection.
type row struct {
	s    *DB
	ctx  context.Context
	sql  string
	args []any
}

func (s *DB) row(ctx context.Context, sql string, args ...any) row {
	return row{s: s, ctx: ctx, sql: sql, args: args}
}

// Scan runs the query and scans its row; pgx.ErrNoRows if there is none.
func (r row) Scan(dest ...any) error {
	return r.s.pool.with(r.ctx, func(c *pgx.Conn) error { return c.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...) })
}

// pooledRows returns its connection to the pool when closed.
type pooledRows struct {
	pgx.Rows
	once    sync.Once
	release func()
}

func (r *pooledRows) Close() {
	r.Rows.Close()
	r.once.Do(r.release)
}

// rows runs a query on a pooled connection held until the rows are closed.
func (s *DB) rows(ctx context.Context, sql string, args ...any) (*pooledRows, error) {
	c, err := s.pool.acquire(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := c.Query(ctx, sql, args...)
	if err != nil {
		s.pool.release(c)
		return nil, err
	}
	return &pooledRows{Rows: rs, release: func() { s.pool.release(c) }}, nil
}
