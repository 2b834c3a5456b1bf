package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// pruneWindow reads the reminders a chunk of PruneOccurrences covers: the
// last id of the next limit reminders after the cursor, and how many there
// are, from the reminders' primary key alone.
const pruneWindow = `SELECT MAX(id), COUNT(*) FROM (SELECT id FROM reminders WHERE id > ? ORDER BY id LIMIT ?) w`

// pruneDelete deletes at most limit closed occurrences older than a time,
// of the reminders in the id range (from, to]. The subquery walks those
// reminders by their primary key and, for each, seeks the occurrences'
// primary key (reminder, at, kind) to its runs before the time: it reads
// the old rows only, however many recent ones a reminder has, and each
// deleted row is found again by its key. No index is needed beyond the
// primary keys, so nothing is added to what a claim or a record writes.
// CROSS JOIN keeps SQLite to that order: with JOIN it read every
// occurrence of the reminders' id range and looked up each one's
// reminder. (PostgreSQL takes it as a plain join; batchPlans keeps it to
// the same plan.)
//
// The run the reminder's claimed_run names stays: its delivery shows as
// the reminder's last run until the next claim copies it onto the
// reminder (see ReminderFrom), however long ago it was. Open runs
// (pending, claimed) stay whatever their age.
const pruneDelete = `DELETE FROM occurrences WHERE (reminder, at, kind) IN (
	SELECT o.reminder, o.at, o.kind FROM reminders r CROSS JOIN occurrences o
	WHERE r.id > ? AND r.id <= ? AND o.reminder = r.id AND o.at < ? AND o.state IN ('delivered', 'skipped', 'failed')
	AND (o.kind <> 'run' OR o.at <> r.claimed_run)
	LIMIT ?)`

// pruneKept deletes at most limit of the runs kept for deleted reminders
// (DeliveredRun) whose time is before a time, oldest first, by their
// index on at.
const pruneKept = `DELETE FROM kept_deliveries WHERE (reminder, at) IN (
	SELECT reminder, at FROM kept_deliveries WHERE at < ? ORDER BY at LIMIT ?)`

// PruneOccurrences deletes at most limit closed occurrences (delivered,
// skipped or failed) whose At is before before, except the run a
// reminder's claimed_run names, and reports how many it deleted. The runs
// kept for deleted reminders go too, once they are as old: Done on their
// messages then says "no record", as on a live reminder's.
//
// Each call is one chunk of a walk over the reminders in id order: it
// covers the next limit reminders after where the last call stopped, and
// moves past them once a chunk deletes fewer than limit (so they hold no
// more to delete), starting again from the first reminder after the last.
// The walk's place is kept in this process: several instances each walk
// on their own, deleting the same rows at worst. A chunk is one short
// write transaction, which reads the reminders it covers too: SQLite has a
// single writer, which claims and records wait for, and a read of its own
// beside the engine's writes stalled for hundreds of milliseconds at times
// (holding back the WAL's checkpoints meanwhile). Each walk starts with
// the kept runs: chunks of them until none is old enough, then the
// reminders.
func (s *DB) PruneOccurrences(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	s.pruneMu.Lock()
	defer s.pruneMu.Unlock()
	var (
		last    sql.NullString
		n       int
		deleted int64
		kept    int64
	)
	from := s.pruneFrom
	err := s.tx(ctx, func(tx tx) error {
		// Keep PostgreSQL to the plan written for: reminders by key, their
		// old occurrences by key, never a scan of the table.
		if err := s.batchPlans(ctx, tx); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, pruneWindow, from, limit).Scan(&last, &n); err != nil {
			return err
		}
		if n == 0 && from != "" {
			// Past the last reminder: start again from the first.
			from = ""
			if err := tx.queryRow(ctx, pruneWindow, from, limit).Scan(&last, &n); err != nil {
				return err
			}
		}
		if from == "" {
			k, err := tx.exec(ctx, pruneKept, nanos(before), limit)
			if err != nil || k > 0 {
				kept = k
				return err
			}
		}
		if n == 0 {
			return nil
		}
		var err error
		deleted, err = tx.exec(ctx, pruneDelete, from, last.String, nanos(before), limit)
		return err
	})
	if err != nil {
		return 0, s.errf("prune occurrences: %w", err)
	}
	s.pruneFrom = from
	if kept > 0 {
		// The walk stays at its start until no kept run is old enough.
		return int(kept), nil
	}
	if deleted < int64(limit) {
		// Nothing left before before in these reminders.
		s.pruneFrom = last.String
		if n < limit {
			s.pruneFrom = "" // they were the last ones
		}
	}
	return int(deleted), nil
}

// PruneQueries returns the statements of PruneOccurrences, with ?
// placeholders, for drivers to check their query plans.
func PruneQueries() []string { return []string{pruneWindow, pruneDelete, pruneKept} }
