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
	if s.path == Memory {
		changed()
		<-ctx.Done()
		return nil
	}
	f, err := s.openFeed(ctx)
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

// feed reads the change log on a connection of its own: PRAGMA
// data_version changes only with commits by other connections, so it
// must be asked on the same one each time.
type feed struct {
	s    *DB
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
func (s *DB) openFeed(ctx context.Context) (*feed, error) {
	db, err := sql.Open("sqlite", dsn(s.path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	f := &feed{s: s, db: db}
	if f.conn, err = db.Conn(ctx); err == nil {
		f.read, err = f.conn.PrepareContext(ctx, `SELECT seq, reminder FROM reminder_changes WHERE seq > ? ORDER BY seq LIMIT ?`)
	}
	if err == nil {
		// The version first: a commit between the two is then read
		// again at the next poll, never missed.
		err = f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&f.version)
	}
	if err == nil {
		err = f.conn.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM reminder_changes`).Scan(&f.seq)
	}
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *feed) close() {
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
// read: with the reminders it names, or with none if it only made work
// due sooner.
func (f *feed) poll(ctx context.Context, changed func(ids ...bot.ReminderID)) error {
	var v int64
	if err := f.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return err
	}
	if v == f.version {
		return nil
	}
	f.version = v
	for {
		ids, n, err := f.next(ctx)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			changed(ids...)
		} else if n > 0 {
			changed()
		}
		if n < changeBatch {
			return nil
		}
	}
}

// next reads up to changeBatch changes after f.seq and moves f.seq past
// them. It returns the reminders they name (each once) and how many it
// read.
func (f *feed) next(ctx context.Context) (ids []bot.ReminderID, n int, err error) {
	rows, err := f.read.QueryContext(ctx, f.seq, changeBatch)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	seen := map[bot.ReminderID]bool{}
	for rows.Next() {
		var id bot.ReminderID
		if err := rows.Scan(&f.seq, &id); err != nil {
			return nil, 0, err
		}
		n++
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, n, rows.Err()
}

// prune deletes the changes logged before before, in this process's write
// turn.
func (f *feed) prune(ctx context.Context, before time.Time) error {
	f.pruned = time.Now()
	unlock, err := f.s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	// Changes are logged in time order, so the old ones are a prefix of
	// the sequence: the scan stops at the first change to keep instead of
	// reading the whole log every time.
	_, err = f.conn.ExecContext(ctx, `DELETE FROM reminder_changes WHERE seq < coalesce(
		(SELECT seq FROM reminder_changes WHERE at >= ? ORDER BY seq LIMIT 1),
		(SELECT max(seq) + 1 FROM reminder_changes))`, before.Unix())
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
