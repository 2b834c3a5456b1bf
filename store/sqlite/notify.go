package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

var (
	_ schedule.Notifier       = (*DB)(nil)
	_ schedule.ChangeNotifier = (*DB)(nil)
	_ schedule.DueCounter     = (*DB)(nil)
	_ bot.UserChangeNotifier  = (*DB)(nil)
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
// The triggers of migration 0014 log every such change; on a connection of
// its own, this asks SQLite every pollEvery whether another connection
// committed anything since (PRAGMA data_version, which reads no table),
// and only then reads the log past the last change it saw. Changes this
// process made itself come back too: the engine was told of them already,
// and hearing them again costs it a refill, not a wrong delivery. (SQLite
// tells a trigger nothing that would say which process wrote.)
//
// An in-memory database has no other process: it only calls changed once.
func (s *DB) NotifyChanges(ctx context.Context, changed func(ids ...bot.ReminderID)) error {
	return follow(ctx, s, reminderLog, changed)
}

// NotifyUserChanges calls changed with the users any connection to the
// file wrote, read from the log the triggers of migration 0018 keep, as
// NotifyChanges reads reminders' (and at the same pace). This process's
// own writes come back too: hearing them costs its cache one read of the
// user.
func (s *DB) NotifyUserChanges(ctx context.Context, changed func(users ...bot.UserRef)) error {
	return follow(ctx, s, userLog, changed)
}

// changeLog is a table of changes, each row numbered by seq and naming
// a T (or, as T's zero value, nothing).
type changeLog[T comparable] struct {
	table string
	// read returns the changes after a sequence number, in order: seq,
	// then what scan reads.
	read string
	scan func(rows *sql.Rows, seq *int64) (T, error)
	// prune deletes the changes logged before a unix time, but never the
	// last one: some logs number their rows from the largest one left.
	prune string
}

// reminderLog is migration 0014's: the reminders paused or deleted, or
// none for work due sooner. Its seq is AUTOINCREMENT, so it may be
// emptied.
var reminderLog = changeLog[bot.ReminderID]{
	table: "reminder_changes",
	read:  `SELECT seq, reminder FROM reminder_changes WHERE seq > ? ORDER BY seq LIMIT ?`,
	scan: func(rows *sql.Rows, seq *int64) (id bot.ReminderID, err error) {
		err = rows.Scan(seq, &id)
		return id, err
	},
	// Changes are logged in time order, so the old ones are a prefix of
	// the sequence: the scan stops at the first change to keep instead of
	// reading the whole log every time.
	prune: `DELETE FROM reminder_changes WHERE seq < coalesce(
		(SELECT seq FROM reminder_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) + 1 FROM reminder_changes))`,
}

// userLog is migration 0018's: the users written. Its seq is a plain
// rowid (an insert then writes no sqlite_sequence row, on every break),
// so pruning keeps the last row, lest numbers be given again.
var userLog = changeLog[bot.UserRef]{
	table: "user_changes",
	read:  `SELECT seq, tenant, user_id FROM user_changes WHERE seq > ? ORDER BY seq LIMIT ?`,
	scan: func(rows *sql.Rows, seq *int64) (u bot.UserRef, err error) {
		err = rows.Scan(seq, &u.Tenant, &u.ID)
		return u, err
	},
	prune: `DELETE FROM user_changes WHERE seq < coalesce(
		(SELECT seq FROM user_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) FROM user_changes))`,
}

// follow calls changed once, then polls log for other connections'
// changes until ctx ends, pruning it now and then.
func follow[T comparable](ctx context.Context, s *DB, log changeLog[T], changed func(...T)) error {
	if s.path == Memory {
		changed()
		<-ctx.Done()
		return nil
	}
	f, err := openFeed(ctx, s, log)
	if err != nil {
		return fmt.Errorf("sqlite: listen: %w", err)
	}
	defer f.close()
	changed()
	// Real time on purpose: this waits for other processes' commits, not
	// for a schedule.
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := f.poll(ctx, changed); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("sqlite: listen: %w", err)
		}
		if time.Since(f.pruned) > pruneEvery {
			// A failure (the file busy for long) is retried next time.
			f.prune(ctx, time.Now().Add(-changeKeep))
		}
	}
}

// feed reads a change log on a connection of its own: PRAGMA
// data_version changes only with commits by other connections, so it
// must be asked on the same one each time.
type feed[T comparable] struct {
	s    *DB
	log  changeLog[T]
	db   *sql.DB
	conn *sql.Conn
	// read returns the changes after a sequence number, in order.
	read *sql.Stmt
	// version is data_version when the log was last read; seq is the
	// last change seen.
	version int64
	seq     int64
	pruned  time.Time
}

// openFeed opens the feed's connection and starts it after the last
// change logged so far.
func openFeed[T comparable](ctx context.Context, s *DB, log changeLog[T]) (*feed[T], error) {
	db, err := sql.Open("sqlite", dsn(s.path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	f := &feed[T]{s: s, log: log, db: db}
	if f.conn, err = db.Conn(ctx); err == nil {
		f.read, err = f.conn.PrepareContext(ctx, log.read)
	}
	if err == nil {
		// The version first: a commit between the two is then read
		// again at the next poll, never missed.
		err = f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&f.version)
	}
	if err == nil {
		err = f.conn.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+log.table).Scan(&f.seq)
	}
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *feed[T]) close() {
	if f.read != nil {
		f.read.Close()
	}
	if f.conn != nil {
		f.conn.Close()
	}
	f.db.Close()
}

// poll reads the changes logged since the last poll, if another
// connection committed anything, and calls changed once for each batch
// read: with what it names, or with nothing if it names nothing (work due
// sooner).
func (f *feed[T]) poll(ctx context.Context, changed func(...T)) error {
	var v int64
	if err := f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return err
	}
	if v == f.version {
		return nil
	}
	f.version = v
	for {
		named, n, err := f.next(ctx)
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

// next reads up to changeBatch changes after f.seq and moves f.seq past
// them. It returns what they name (each once) and how many it read.
func (f *feed[T]) next(ctx context.Context) (named []T, n int, err error) {
	rows, err := f.read.QueryContext(ctx, f.seq, changeBatch)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var zero T
	seen := map[T]bool{}
	for rows.Next() {
		x, err := f.log.scan(rows, &f.seq)
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

// prune deletes the changes logged before before, in this process's write
// turn.
func (f *feed[T]) prune(ctx context.Context, before time.Time) error {
	f.pruned = time.Now()
	unlock, err := f.s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = f.conn.ExecContext(ctx, f.log.prune, before.Unix())
	return err
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
