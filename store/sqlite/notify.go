package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

var (
	_ schedule.Notifier          = (*DB)(nil)
	_ schedule.ChangeNotifier    = (*DB)(nil)
	_ schedule.DueCounter        = (*DB)(nil)
	_ bot.UserChangeNotifier     = (*DB)(nil)
	_ bot.RotationChangeNotifier = (*DB)(nil)
)

const (
	// pollEvery is how often NotifyChanges asks whether another
	// connection committed anything: a run is claimed up to a second
	// before its time, and a pause must reach the process holding it
	// well within that second. Asking costs one PRAGMA.
	pollEvery = 100 * time.Millisecond
	// changeKeep is how long a change stays in the log: far longer than
	// any listener takes to read it, and than a claimed run waits.
	changeKeep = time.Minute
	// pruneEvery is how often a listener deletes the changes older than
	// changeKeep.
	pruneEvery = 10 * time.Second
	// changeBatch is how many changes one read returns (an uninstall logs
	// one per reminder it pauses).
	changeBatch = 1000
	// feedCacheKiB is the feed's page cache. It reads each log's newest
	// rows, which another connection has just written (so its cache is
	// stale by then anyway), and prunes the oldest. A prune after a busy
	// minute (a rotation change for every break) touches thousands of
	// pages; with a reader's cache they would all stay cached, and
	// resident, until another connection writes, which at rest may be
	// never.
	feedCacheKiB = 512
)

// Notify calls changed whenever another connection to the file, in this
// process or another, made work due sooner or paused or deleted a
// reminder, and once when it starts, for whatever happened before. It
// returns nil when ctx ends and an error when the file can no longer be
// read.
func (s *DB) Notify(ctx context.Context, changed func()) error {
	return s.NotifyChanges(ctx, func(...bot.ReminderID) { changed() })
}

// NotifyChanges is Notify, also naming the reminders paused or deleted.
// The triggers of migration 0014 log every such change; the process's feed
// (see feed) asks SQLite every pollEvery whether another connection
// committed anything since (PRAGMA data_version, which reads no table),
// and only then is the log read past the last change this listener saw.
// Changes this process made itself come back too: the engine was told of
// them already, and hearing them again costs it a refill, not a wrong
// delivery. (SQLite tells a trigger nothing that would say which process
// wrote.)
//
// An in-memory database has no other process: it only calls changed once.
func (s *DB) NotifyChanges(ctx context.Context, changed func(ids ...bot.ReminderID)) error {
	return follow(ctx, s, reminderLog, changed)
}

// NotifyUserChanges calls changed with the users any connection to the
// file wrote, read from the log the triggers of migration 0018 keep, as
// NotifyChanges reads reminders' (on the same feed, at the same pace).
// This process's own writes come back too: hearing them costs its cache
// one read of the user.
func (s *DB) NotifyUserChanges(ctx context.Context, changed func(users ...bot.UserRef)) error {
	return follow(ctx, s, userLog, changed)
}

// NotifyRotationChanges calls changed with the rotations any connection
// to the file wrote, each with what was written, read from the log the
// triggers of migration 0023 keep, as NotifyUserChanges reads users'.
// This process's own writes come back too, and its cache keeps what it
// wrote (bot.RotationRef).
func (s *DB) NotifyRotationChanges(ctx context.Context, changed func(rotations ...bot.RotationRef)) error {
	return follow(ctx, s, rotationLog, func(rows ...rotationRow) {
		if len(rows) == 0 {
			changed()
			return
		}
		rs := make([]bot.RotationRef, len(rows))
		for i, row := range rows {
			rs[i] = bot.RotationRef{Tenant: row.tenant, Scope: row.scope}
			rs[i].Told = json.Unmarshal([]byte(row.used), &rs[i].Used) == nil
		}
		changed(rs...)
	})
}

// logTable is what the feed needs of a change log, whatever its rows
// name.
type logTable struct {
	table string
	// read returns the changes after a sequence number, in order: seq,
	// then what the log's scan reads.
	read string
	// prune deletes the changes logged before a unix time, but never the
	// last one: some logs number their rows from the largest one left.
	prune string
}

// changeLog is a table of changes, each row numbered by seq and naming
// a T (or, as T's zero value, nothing).
type changeLog[T comparable] struct {
	logTable
	scan func(rows *sql.Rows, seq *int64) (T, error)
}

// reminderLog is migration 0014's: the reminders paused or deleted, or
// none for work due sooner. Its seq is AUTOINCREMENT, so it may be
// emptied.
var reminderLog = changeLog[bot.ReminderID]{
	logTable: logTable{
		table: "reminder_changes",
		read:  `SELECT seq, reminder FROM reminder_changes WHERE seq > ? ORDER BY seq LIMIT ?`,
		// Changes are logged in time order, so the old ones are a prefix
		// of the sequence: the scan stops at the first change to keep
		// instead of reading the whole log every time.
		prune: `DELETE FROM reminder_changes WHERE seq < coalesce(
		(SELECT seq FROM reminder_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) + 1 FROM reminder_changes))`,
	},
	scan: func(rows *sql.Rows, seq *int64) (id bot.ReminderID, err error) {
		err = rows.Scan(seq, &id)
		return id, err
	},
}

// userLog is migration 0018's: the users written. Its seq is a plain
// rowid (an insert then writes no sqlite_sequence row, on every break),
// so pruning keeps the last row, lest numbers be given again.
var userLog = changeLog[bot.UserRef]{
	logTable: logTable{
		table: "user_changes",
		read:  `SELECT seq, tenant, user_id FROM user_changes WHERE seq > ? ORDER BY seq LIMIT ?`,
		prune: `DELETE FROM user_changes WHERE seq < coalesce(
		(SELECT seq FROM user_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) FROM user_changes))`,
	},
	scan: func(rows *sql.Rows, seq *int64) (u bot.UserRef, err error) {
		err = rows.Scan(seq, &u.Tenant, &u.ID)
		return u, err
	},
}

// rotationRow is a row of rotation_changes: the rotation of scope
// written, used being its JSON text.
type rotationRow struct {
	tenant      bot.TenantID
	scope, used string
}

// rotationLog is migration 0023's: the rotations written, in order. Its
// seq is a plain rowid, as userLog's is.
var rotationLog = changeLog[rotationRow]{
	logTable: logTable{
		table: "rotation_changes",
		read:  `SELECT seq, tenant, scope, used FROM rotation_changes WHERE seq > ? ORDER BY seq LIMIT ?`,
		prune: `DELETE FROM rotation_changes WHERE seq < coalesce(
		(SELECT seq FROM rotation_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) FROM rotation_changes))`,
	},
	scan: func(rows *sql.Rows, seq *int64) (r rotationRow, err error) {
		err = rows.Scan(seq, &r.tenant, &r.scope, &r.used)
		return r, err
	},
}

// follow calls changed once, then, until ctx ends, reads log past the
// last change it saw whenever the process's feed says another connection
// committed.
func follow[T comparable](ctx context.Context, s *DB, log changeLog[T], changed func(...T)) error {
	if s.path == Memory {
		changed()
		<-ctx.Done()
		return nil
	}
	// Joined before the reader starts: a commit after the reader's first
	// read of the log is then always followed by a wake (see feed).
	f, l, err := s.join(ctx, log.logTable)
	if err != nil {
		return fmt.Errorf("sqlite: listen: %w", err)
	}
	defer s.leave(f, l)
	r, err := newReader(ctx, f, log)
	if err != nil {
		return fmt.Errorf("sqlite: listen: %w", err)
	}
	changed()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-f.broken:
			return fmt.Errorf("sqlite: listen: %w", f.err)
		case <-l.wake:
		}
		if err := r.read(ctx, changed); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("sqlite: listen: %w", err)
		}
	}
}

// feed follows the file's change logs for every listener of this process
// (DB.join), on one connection of its own: PRAGMA data_version changes
// only with commits by other connections, so it must be asked on the same
// connection each time, and one connection asking for every listener
// costs one PRAGMA each pollEvery and one connection's memory, however
// many listen. Each listener reads its log past its own place, and only
// after data_version moved, so a listener slow to take its changes holds
// back no other.
//
// A commit after a listener's first read of its log is never missed: the
// listener joins before that read, and the feed read data_version once
// before it (on opening), so the first poll after the commit finds
// data_version moved since the poll before, which came before the
// commit, and wakes the listener, whose next read comes after the commit.
type feed struct {
	s  *DB
	db *sql.DB
	// conn is the feed's connection; turn admits one user of it at a
	// time (the poller, a reader, the pruner).
	conn *sql.Conn
	turn chan struct{}
	// reads holds each log's read statement, prepared when a first
	// listener starts reading it; version is data_version as last read.
	// Both are the turn holder's.
	reads   map[string]*sql.Stmt
	version int64

	// listeners are those following the logs, under s.feedMu.
	listeners map[*listener]struct{}
	// stop ends the poller; done closes when it has.
	stop context.CancelFunc
	done chan struct{}
	// broken closes when the connection failed, for good; err says how.
	broken chan struct{}
	err    error
}

// listener is one caller of follow: wake holds a poll's news that
// another connection committed until the listener reads its log.
type listener struct {
	log  logTable
	wake chan struct{}
}

// join adds a listener of log to the process's feed, opening the feed if
// none runs.
func (s *DB) join(ctx context.Context, log logTable) (*feed, *listener, error) {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	f := s.feed
	if f == nil {
		var err error
		if f, err = openFeed(ctx, s); err != nil {
			return nil, nil, err
		}
		// Not ctx: the poller serves every listener, until the last
		// leaves.
		pctx, stop := context.WithCancel(context.Background())
		f.stop, f.done = stop, make(chan struct{})
		go f.run(pctx)
		s.feed = f
	}
	l := &listener{log: log, wake: make(chan struct{}, 1)}
	f.listeners[l] = struct{}{}
	return f, l, nil
}

// leave removes a listener from f and, if it was the last, stops and
// closes f: a listener that joins later opens a feed again.
func (s *DB) leave(f *feed, l *listener) {
	s.feedMu.Lock()
	delete(f.listeners, l)
	last := len(f.listeners) == 0
	if last && s.feed == f {
		s.feed = nil
	}
	s.feedMu.Unlock()
	if last {
		f.stop()
		<-f.done
		f.close()
	}
}

// openFeed opens the feed's connection and reads data_version, without
// starting the poller.
func openFeed(ctx context.Context, s *DB) (*feed, error) {
	db, err := sql.Open("sqlite", dsn(s.path, false, feedCacheKiB))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	f := &feed{s: s, db: db, turn: make(chan struct{}, 1), reads: map[string]*sql.Stmt{},
		listeners: map[*listener]struct{}{}, stop: func() {}, broken: make(chan struct{})}
	if f.conn, err = db.Conn(ctx); err == nil {
		err = f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&f.version)
	}
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *feed) close() {
	for _, st := range f.reads {
		st.Close()
	}
	if f.conn != nil {
		f.conn.Close()
	}
	f.db.Close()
}

// with runs do in the connection's turn, once it comes, unless ctx ends
// first.
func (f *feed) with(ctx context.Context, do func() error) error {
	select {
	case f.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-f.turn }()
	return do()
}

// run polls every pollEvery until ctx ends, waking the listeners when
// another connection committed, and prunes each log followed now and
// then. If the connection fails it breaks the feed, which each listener
// then leaves with the error.
func (f *feed) run(ctx context.Context) {
	defer close(f.done)
	// Real time on purpose: this waits for other processes' commits, not
	// for a schedule.
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	pruned := map[string]time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		changed, err := f.poll(ctx)
		if err != nil {
			if ctx.Err() == nil {
				f.fail(err)
			}
			return
		}
		for _, log := range f.wake(changed) {
			if time.Since(pruned[log.table]) > pruneEvery {
				pruned[log.table] = time.Now()
				// A failure (the file busy for long) is retried next
				// time.
				f.prune(ctx, log, time.Now().Add(-changeKeep))
			}
		}
	}
}

// poll reports whether another connection committed anything since the
// last poll.
func (f *feed) poll(ctx context.Context) (changed bool, err error) {
	err = f.with(ctx, func() error {
		var v int64
		if err := f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
			return err
		}
		changed, f.version = v != f.version, v
		return nil
	})
	return changed, err
}

// wake wakes every listener if changed, and returns the logs followed.
func (f *feed) wake(changed bool) []logTable {
	f.s.feedMu.Lock()
	defer f.s.feedMu.Unlock()
	var logs []logTable
	for l := range f.listeners {
		if changed {
			select {
			case l.wake <- struct{}{}:
			default: // already woken, not yet read
			}
		}
		if !slices.ContainsFunc(logs, func(log logTable) bool { return log.table == l.log.table }) {
			logs = append(logs, l.log)
		}
	}
	return logs
}

// fail breaks the feed with err, and makes the next listener to join
// open another.
func (f *feed) fail(err error) {
	f.err = err
	close(f.broken)
	f.s.feedMu.Lock()
	if f.s.feed == f {
		f.s.feed = nil
	}
	f.s.feedMu.Unlock()
}

// prune deletes the changes to log logged before before, in this
// process's write turn.
func (f *feed) prune(ctx context.Context, log logTable, before time.Time) error {
	unlock, err := f.s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return f.with(ctx, func() error {
		_, err := f.conn.ExecContext(ctx, log.prune, before.Unix())
		return err
	})
}

// reader is a listener's place in its log.
type reader[T comparable] struct {
	f    *feed
	log  changeLog[T]
	stmt *sql.Stmt // the log's read
	// seq is the last change seen.
	seq int64
}

// newReader starts reading log on f after the last change logged so far.
//
// A reader's statements run without the listener's cancellation: a
// listener leaving only stops waiting for its turn, and never interrupts
// a statement on the connection the others share.
func newReader[T comparable](ctx context.Context, f *feed, log changeLog[T]) (*reader[T], error) {
	r := &reader[T]{f: f, log: log}
	err := f.with(ctx, func() error {
		ctx := context.WithoutCancel(ctx)
		if r.stmt = f.reads[log.table]; r.stmt == nil {
			st, err := f.conn.PrepareContext(ctx, log.read)
			if err != nil {
				return err
			}
			f.reads[log.table], r.stmt = st, st
		}
		return f.conn.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+log.table).Scan(&r.seq)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// read reads the changes logged past r.seq and calls changed once for
// each batch read: with what it names, or with nothing if it names
// nothing (work due sooner). changed runs outside the connection's turn.
func (r *reader[T]) read(ctx context.Context, changed func(...T)) error {
	for {
		var named []T
		var n int
		err := r.f.with(ctx, func() (err error) {
			named, n, err = r.next(context.WithoutCancel(ctx))
			return err
		})
		if err != nil {
			return err
		}
		if len(named) > 0 {
			changed(named...)
		} else if n > 0 {
			changed()
		}
		if n < changeBatch {
			return nil
		}
	}
}

// next reads up to changeBatch changes after r.seq and moves r.seq past
// them. It returns what they name (each once) and how many it read.
func (r *reader[T]) next(ctx context.Context) (named []T, n int, err error) {
	rows, err := r.stmt.QueryContext(ctx, r.seq, changeBatch)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var zero T
	seen := map[T]bool{}
	for rows.Next() {
		x, err := r.log.scan(rows, &r.seq)
		if err != nil {
			return nil, 0, err
		}
		n++
		if x != zero && !seen[x] {
			seen[x] = true
			named = append(named, x)
		}
	}
	return named, n, rows.Err()
}

// AdvanceReminder is the shared compare-and-set on NextRun, which also
// logs a run moved earlier (or a finished reminder given one again) for
// the other processes, as work due sooner. Only this writes next_run's
// moves to the log; the triggers never look at next_run, so that claims
// cost nothing more. A failure to log is not the advance's: the others
// then find the run at their next refill.
func (s *DB) AdvanceReminder(ctx context.Context, id bot.ReminderID, expect, next time.Time) error {
	if err := s.core.AdvanceReminder(ctx, id, expect, next); err != nil {
		return err
	}
	if next.IsZero() || (!expect.IsZero() && !next.Before(expect)) {
		return nil
	}
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return nil
	}
	defer unlock()
	s.db.ExecContext(ctx, `INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch())`)
	return nil
}
