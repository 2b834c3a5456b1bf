// Package sqlstore implements store.Store once, over database/sql, for the
// sqlite and postgres drivers. A driver supplies the connection, a Dialect
// for the few SQL differences, a write lock if it wants one, and its
// migrations; every query and all row mapping live here.
//
// Every time is stored as integer unix nanoseconds in UTC and the zero
// time.Time as 0, so times round-trip exactly and compare-and-set on NextRun
// matches what was read back.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/groupcommit"
	"github.com/stretchbot/stretchbot/schedule"
)

// store/open.go checks that each driver, with Migrate, is a store.Store.
var (
	_ bot.Store          = (*DB)(nil)
	_ bot.DeliveryLog    = (*DB)(nil)
	_ bot.SnoozeLister   = (*DB)(nil)
	_ schedule.Store     = (*DB)(nil)
	_ schedule.Releaser  = (*DB)(nil)
	_ schedule.Abandoner = (*DB)(nil)
	_ schedule.RunLister = (*DB)(nil)

	_ schedule.OccurrencePruner = (*DB)(nil)
)

// Dialect is what differs between the SQL of the drivers.
type Dialect struct {
	// Name prefixes every error ("sqlite: claim: …").
	Name string
	// Numbered makes placeholders $1…$n instead of ?. Queries here are
	// written with ? and contain no ? inside literals.
	Numbered bool
	// NotPaused is the unpaused-reminder predicate written exactly as in the
	// schema's reminders_due partial index, so the planner can use it.
	NotPaused string
	// SkipLocked, if set, ends the SELECT of a batched claim so that it
	// passes over reminders another instance's claim has locked, rather
	// than waiting for that claim to commit and then losing the row:
	// instances sharing a burst then claim different runs.
	SkipLocked string
	// Counted makes the batched claims and records first run their
	// inserts and updates without RETURNING, and again with it only when
	// the count of rows changed falls short (a claim lost, a lease taken
	// over: rare with one instance; the few claim batches after one that
	// fell short return their rows at once). On SQLite the rows returned
	// cost a temporary table per statement, a tenth of a delivery's
	// writes; on PostgreSQL they come with the answer, and instances
	// sharing a burst lose claims to each other all the time.
	Counted bool
	// KeyShare, if set, ends a SELECT of a reminder so that the reminder
	// cannot be deleted until the transaction ends: where no foreign key
	// ties occurrences to their reminder (PostgreSQL), a snooze takes it
	// before inserting its occurrence.
	KeyShare string
	// BatchPlans, if set, is a statement run first in every transaction
	// of batched claims and records, to keep the planner to the plan
	// those statements are written for: each listed row looked up by key.
	BatchPlans string
	// Lateral reads a reminder's delivered claimed run (ReminderFrom)
	// through a LATERAL subquery, looked up per reminder: a planner
	// without statistics (a fresh PostgreSQL table) may otherwise hash
	// join the reminders read with every occurrence.
	Lateral bool
	// DueSooner, if set, is the statement that tells other instances that
	// work came due sooner than they knew, for changes no trigger reports:
	// Release runs it in its transaction when it hands a run back.
	DueSooner string
	// SelfBounded says that a statement outside a transaction ends
	// without its context's help once it holds this process's write turn:
	// it then waits only for the connection, which the other holders
	// (the engine's short reads) give back, and for another process's
	// lock, which SQLite's busy timeout bounds. The replay records then
	// run theirs on a context that cannot be cancelled: given one that
	// can, database/sql and the driver each start a goroutine per
	// statement to watch it, for every request. PostgreSQL may wait on a
	// row lock or the network for as long as it takes: not set there.
	SelfBounded bool
}

// DB implements every store.Store query method. Drivers embed it and add
// Open and Migrate.
type DB struct {
	db *sql.DB
	d  Dialect
	// lock admits a write; nil admits every write at once.
	lock func(ctx context.Context) (unlock func(), err error)
	// Queries that depend on the dialect, built once.
	dueQuery, dueRunsQuery, claimUpdate, claimReturning string
	// from is ReminderFrom, or its LATERAL form.
	from string
	// stmts caches prepared statements by query text: parsing SQL again on
	// every call was a quarter of the engine's CPU with SQLite.
	stmts sync.Map
	// reads, if set (SetReads), runs the reads outside transactions but
	// the engine's (refills, open occurrences), with its own statements;
	// db runs everything else.
	reads      *sql.DB
	readsStmts sync.Map
	// batches holds the multi-row statements' texts by batchKey.
	batches sync.Map
	// claimsReturning counts down the claim batches that run with
	// RETURNING after one fell short (Dialect.Counted).
	claimsReturning atomic.Int64
	// claims counts the runs ClaimBatch and Claim were asked to take (see
	// Claims).
	claims atomic.Int64
	// shown holds the runs this process claimed (ClaimBatch) that became
	// their reminder's claimed_run, until their record (see shownRuns).
	shown shownRuns
	// pruneFrom is where PruneOccurrences' walk over the reminders stands:
	// the last id of the reminders it is done with ("" before the first).
	pruneMu   sync.Mutex
	pruneFrom string
	// seenSweepFrom is the last key the sweep of expired replay records
	// looked at ("" to start at the first); see sweepSeen.
	seenSweepMu   sync.Mutex
	seenSweepFrom string
	// shared lets concurrent replay and break records share a commit;
	// nil without a write lock (see newSharedWrites).
	shared *groupcommit.Batcher[sharedItem, map[string]bool]
}

// New returns a DB over db. lock, if not nil, is taken around every write
// statement and write transaction (SQLite's in-process writer queue).
func New(db *sql.DB, d Dialect, lock func(ctx context.Context) (unlock func(), err error)) *DB {
	s := &DB{db: db, d: d, lock: lock, from: ReminderFrom}
	if lock != nil {
		s.shared = newSharedWrites(s)
	}
	if d.Lateral {
		s.from = `reminders r LEFT JOIN LATERAL (SELECT l.at, l.message_id, l.routine FROM occurrences l
			WHERE l.reminder = r.id AND l.at = r.claimed_run AND l.kind = 'run' AND l.state = 'delivered'
			AND l.at > r.last_run LIMIT 1) l ON TRUE`
	}
	s.dueQuery = s.q(`SELECT ` + ReminderRead + ` FROM ` + s.from + `
		WHERE r.next_run > 0 AND ` + d.NotPaused + ` AND r.next_run <= ? ORDER BY r.next_run, r.id LIMIT ?`)
	s.dueRunsQuery = s.q(fmt.Sprintf(dueRunsQuery, d.NotPaused))
	// A claim names the run it took and copies the delivery of the one
	// before onto the reminder (claimFold).
	s.claimUpdate = s.q(`UPDATE reminders SET next_run = ?, ` + claimFold(`CAST(? AS BIGINT)`) +
		` WHERE id = ? AND next_run = ? AND ` + d.NotPaused)
	s.claimReturning = `UPDATE reminders SET next_run = ?, ` + claimFold(`CAST(? AS BIGINT)`) +
		` WHERE id = ? AND next_run = ? AND ` + d.NotPaused + ` RETURNING ` + ReminderColumns
	return s
}

// Claims returns how many runs this handle has been asked to claim since
// it opened, won or lost: SQLite's store sizes the writes' page cache by
// how fast this grows.
func (s *DB) Claims() int64 { return s.claims.Load() }

// SetReads makes reads run on the pool rd, except the engine's and those
// within transactions, which stay on the database given to New with the
// writes: SQLite's store keeps one connection for writes, whose page cache
// its own commits keep, and reads beside it on a pool. Close closes rd.
func (s *DB) SetReads(rd *sql.DB) { s.reads = rd }

// Ping reports whether the database answers.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return s.errf("ping: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *DB) Close() error {
	for _, m := range []*sync.Map{&s.stmts, &s.readsStmts} {
		m.Range(func(k, v any) bool {
			v.(*sql.Stmt).Close()
			m.Delete(k)
			return true
		})
	}
	if s.reads != nil {
		s.reads.Close()
	}
	if err := s.db.Close(); err != nil {
		return s.errf("close: %w", err)
	}
	return nil
}

// errf formats an error prefixed with the driver's name.
func (s *DB) errf(format string, args ...any) error {
	return fmt.Errorf(s.d.Name+": "+format, args...)
}

// q rewrites query's ? placeholders for the dialect.
func (s *DB) q(query string) string {
	if !s.d.Numbered || !strings.Contains(query, "?") {
		return query // nothing to rebind, or rebound already
	}
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if p, ok := strings.CutSuffix(part, "?"); ok {
			n++
			b.WriteString(p)
			b.WriteString("$" + strconv.Itoa(n))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

// stmt returns the prepared statement for query (already rebound),
// preparing it on first use. database/sql re-prepares it per connection.
func (s *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	return prepared(ctx, s.db, &s.stmts, query)
}

// readStmt is stmt for a read outside transactions: prepared on the
// reads pool, if there is one (SetReads).
func (s *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s.reads == nil {
		return s.stmt(ctx, query)
	}
	return prepared(ctx, s.reads, &s.readsStmts, query)
}

// prepared returns query's statement on db from cache, preparing and
// keeping it on first use; of two preparing at once, one is kept.
func prepared(ctx context.Context, db *sql.DB, cache *sync.Map, query string) (*sql.Stmt, error) {
	if v, ok := cache.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, loaded := cache.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

// queryRow runs a single-row SELECT outside any transaction.
func (s *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := s.q(query)
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return s.db.QueryRowContext(ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// exec runs one writing statement in this process's write turn.
func (s *DB) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return s.execIn(ctx, ctx, query, args...)
}

// execIn is exec waiting for the write turn with ctx and running the
// statement with sctx (see statementContext).
func (s *DB) execIn(ctx, sctx context.Context, query string, args ...any) (int64, error) {
	if s.lock != nil {
		unlock, err := s.lock(ctx)
		if err != nil {
			return 0, err
		}
		defer unlock()
	}
	st, err := s.stmt(ctx, s.q(query))
	if err != nil {
		return 0, err
	}
	return affected(st.ExecContext(sctx, args...))
}

// tx runs fn in a write transaction, committing if fn returns nil. For
// SQLite the DSN makes BEGIN mean BEGIN IMMEDIATE.
func (s *DB) tx(ctx context.Context, fn func(tx) error) error {
	if s.lock != nil {
		unlock, err := s.lock(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback() // no-op after Commit; frees the connection if fn panics
	var local txStmts
	if err := fn(tx{t, s, &local}); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return err
	}
	// Prepare what this transaction ran unprepared, now that it no longer
	// holds a connection (an in-memory database has only one) nor changes
	// the schema (migrations).
	for _, q := range local.misses {
		s.stmt(ctx, q)
	}
	return nil
}

// tx is a transaction whose methods rebind placeholders and use prepared
// statements already in the cache.
type tx struct {
	t     *sql.Tx
	s     *DB
	local *txStmts
}

// txStmts is what a transaction ran that the cache did not hold: each
// query once, in misses, and those it ran again, prepared on the
// transaction in stmts (closed with it).
type txStmts struct {
	misses []string
	stmts  map[string]*sql.Stmt
}

// prepared returns the cached statement for q bound to this transaction,
// or nil (and notes q for preparing after the commit). A query run again
// in the same transaction is prepared on it: a loop over a chunk of runs
// (Release's, as a process stops, often its first write of those
// statements) would otherwise parse its SQL again at every run (with
// SQLite, 71-84 ms for 512 runs against about 10 ms prepared).
func (t tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if v, ok := t.s.stmts.Load(q); ok {
		return t.t.StmtContext(ctx, v.(*sql.Stmt))
	}
	l := t.local
	if st, ok := l.stmts[q]; ok {
		return st
	}
	if !slices.Contains(l.misses, q) {
		l.misses = append(l.misses, q)
		return nil
	}
	st, err := t.t.PrepareContext(ctx, q)
	if err != nil {
		return nil // run unprepared; an error shows there
	}
	if l.stmts == nil {
		l.stmts = map[string]*sql.Stmt{}
	}
	l.stmts[q] = st
	return st
}

func (t tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	q := t.s.q(query)
	if st := t.prepared(ctx, q); st != nil {
		return affected(st.ExecContext(ctx, args...))
	}
	return affected(t.t.ExecContext(ctx, q, args...))
}

func (t tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := t.s.q(query)
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.t.QueryRowContext(ctx, q, args...)
}

// exists reports whether reminder id exists; lock, if set, ends the
// SELECT (Dialect.KeyShare).
func (t tx) exists(ctx context.Context, id any, lock string) (bool, error) {
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM reminders WHERE id = ?`+lock, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// errRollback makes tx roll back without reporting an error.
var errRollback = errors.New("rollback")

// affected returns the number of rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

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

// Migrations describes a driver's schema history.
type Migrations struct {
	// FS holds files named migrations/NNNN_description.sql, applied in
	// version order.
	FS fs.FS
	// Setup runs first in every migration's transaction: creating
	// schema_migrations, taking a lock.
	Setup []string
	// Record inserts a row into schema_migrations; its arguments are the
	// version and the current time in unix nanoseconds.
	Record string
}

// Migrate applies the migrations in m not yet recorded in
// schema_migrations, each in its own write transaction.
func (s *DB) Migrate(ctx context.Context, m Migrations) error {
	files, err := migrationFiles(m.FS)
	if err != nil {
		return s.errf("migrate: %w", err)
	}
	for _, f := range files {
		err := s.tx(ctx, func(tx tx) error {
			for _, q := range m.Setup {
				if _, err := tx.exec(ctx, q); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, f.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			// Not exec: a migration is several statements and has no
			// placeholders to rebind.
			if _, err := tx.t.ExecContext(ctx, f.sql); err != nil {
				return err
			}
			_, err := tx.exec(ctx, m.Record, f.version, time.Now().UnixNano())
			return err
		})
		if err != nil {
			return s.errf("migrate %s: %w", f.name, err)
		}
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrationFiles returns the migrations in fsys in version order.
func migrationFiles(fsys fs.FS) ([]migration, error) {
	fsys, err := fs.Sub(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, ".")
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
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// dynamicQuery runs a query built by the caller (a multi-row statement),
// prepared like the others, and calls each for every row. Callers keep the
// number of distinct texts small.
func (t tx) dynamicQuery(ctx context.Context, query string, args []any, each func(*sql.Rows) error) error {
	q := t.s.q(query)
	var rows *sql.Rows
	var err error
	if st := t.prepared(ctx, q); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = t.t.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dynamicExec is dynamicQuery for a statement that returns no rows.
func (t tx) dynamicExec(ctx context.Context, query string, args []any) (int64, error) {
	return t.exec(ctx, query, args...)
}
