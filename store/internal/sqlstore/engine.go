package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

// DueReminders returns unpaused, unfinished reminders with NextRun not after
// until, earliest first, at most limit. It is a range scan of the
// reminders_due partial index.
func (s *DB) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	rs, err := writerQuery(ctx, s, s.dueQuery, []any{nanos(until), limit}, scanReminder)
	if err != nil {
		return nil, s.errf("due reminders: %w", err)
	}
	return rs, nil
}

// dueRunsQuery lists the runs DueReminders would return, with only what
// the engine's window keeps of each (schedule.DueRun). It reads no
// occurrence: DueReminders joins each reminder's delivered claimed run, which
// a refill never shows, and that lookup, with the reminder's texts, was
// most of a refill's work.
const dueRunsQuery = `SELECT id, tenant, platform, kind, owner, channel, rule, zone, next_run, paused_until
	FROM reminders WHERE next_run > 0 AND %s AND next_run <= ? ORDER BY next_run, id LIMIT ?`

// DueRuns is DueReminders as compact runs (schedule.RunLister), appended to
// buf[:0].
func (s *DB) DueRuns(ctx context.Context, until time.Time, limit int, buf []schedule.DueRun) ([]schedule.DueRun, error) {
	out, err := s.dueRuns(ctx, until, limit, buf[:0])
	if err != nil {
		return nil, s.errf("due runs: %w", err)
	}
	return out, nil
}

func (s *DB) dueRuns(ctx context.Context, until time.Time, limit int, out []schedule.DueRun) ([]schedule.DueRun, error) {
	st, err := s.stmt(ctx, s.dueRunsQuery)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, nanos(until), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r schedule.DueRun
		var next, pausedUntil int64
		if err := rows.Scan(&r.Reminder, &r.Tenant, &r.Platform, &r.Kind, &r.Owner, &r.Channel, &r.Rule, &r.Zone,
			&next, &pausedUntil); err != nil {
			return nil, err
		}
		r.NextRun, r.PausedUntil = fromNanos(next), fromNanos(pausedUntil)
		out = append(out, r)
	}
	return out, rows.Err()
}

// OpenOccurrences returns Pending and Claimed occurrences whose LeaseUntil is
// not after until, earliest LeaseUntil first, at most limit.
func (s *DB) OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error) {
	out, err := writerQuery(ctx, s, `SELECT `+OccurrenceColumns+`, `+SnoozeColumns+`, unsure FROM occurrences
		WHERE state IN ('pending', 'claimed') AND lease_until <= ? ORDER BY lease_until, reminder, at, kind LIMIT ?`,
		[]any{nanos(until), limit}, func(row scanner) (bot.Occurrence, error) {
			var o bot.Occurrence
			var at, lease, delivered, repeats int64
			err := row.Scan(&o.Reminder, &o.Tenant, &at, &o.Kind, &o.State, &o.Owner, &lease, &o.Attempts, &o.Late,
				&o.MessageID, &delivered, &o.LastError, &repeats, &o.Routine, &o.Unsure)
			o.At, o.LeaseUntil, o.DeliveredAt, o.Repeats = fromNanos(at), fromNanos(lease), fromNanos(delivered), fromNanos(repeats)
			return o, err
		})
	if err != nil {
		return nil, s.errf("open occurrences: %w", err)
	}
	return out, nil
}

// Claim takes one scheduled run: in one write transaction it moves NextRun
// from c.Expect to c.Next (only if the reminder exists, is not paused and
// NextRun is still c.Expect) and inserts the Claimed run occurrence. It
// reports false, changing nothing, if either step finds it lost. The
// conditional UPDATE takes the row's write lock, so a racing claim waits,
// then matches nothing.
func (s *DB) Claim(ctx context.Context, c schedule.Claim) (bool, error) {
	if c.Expect.IsZero() {
		return false, nil // a finished reminder has nothing to claim
	}
	s.claims.Add(1)
	s.shown.forget(c.Reminder, c.At)
	err := s.tx(ctx, func(tx tx) error {
		n, err := tx.exec(ctx, s.claimUpdate, nanos(c.Next), nanos(c.At), c.Reminder, nanos(c.Expect))
		if err != nil {
			return err
		}
		if n == 0 {
			return errRollback
		}
		n, err = tx.exec(ctx, claimInsert,
			nanos(c.At), bot.RunOccurrence, bot.Claimed, c.Owner, nanos(c.LeaseUntil), c.Late, c.Reminder)
		if err != nil {
			return err
		}
		if n == 0 {
			return errRollback
		}
		return nil
	})
	if err == errRollback {
		return false, nil
	}
	if err != nil {
		return false, s.errf("claim %s: %w", c.Reminder, err)
	}
	return true, nil
}

// claimInsert stores a claimed run. The CASTs type the parameters for
// PostgreSQL, which cannot infer them in a SELECT list; SQLite's column
// affinities make them no-ops.
const claimInsert = `INSERT INTO occurrences (` + OccurrenceColumns + `)
	SELECT id, tenant, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), 1,
		CAST(? AS BOOLEAN), '', 0, '' FROM reminders WHERE id = ?
	ON CONFLICT DO NOTHING`

// heldByPause matches an occurrence (in an UPDATE of occurrences) whose
// reminder is paused, or whose pause lasts beyond the moment it fell due.
const heldByPause = `EXISTS (SELECT 1 FROM reminders r WHERE r.id = occurrences.reminder
	AND (r.paused = TRUE OR r.paused_until > occurrences.lease_until))`

// Acquire takes over an open occurrence if its State, Owner and LeaseUntil
// are still those in o and its reminder is not paused. An occurrence held
// by a pause is closed as Skipped instead, in the same transaction, so it
// is neither delivered nor tried again.
func (s *DB) Acquire(ctx context.Context, o bot.Occurrence, owner string, leaseUntil time.Time) (bool, error) {
	const match = `WHERE reminder = ? AND at = ? AND kind = ? AND state IN ('pending', 'claimed') AND state = ? AND owner = ? AND lease_until = ?`
	key := []any{o.Reminder, nanos(o.At), o.Kind, o.State, o.Owner, nanos(o.LeaseUntil)}
	// Taken over, it is no longer the claim shownRuns knows of.
	s.shown.forget(o.Reminder, o.At)
	acquired := false
	err := s.tx(ctx, func(tx tx) error {
		n, err := tx.exec(ctx, `UPDATE occurrences SET state = ?, owner = ?, lease_until = ?, attempts = attempts + 1, unsure = TRUE `+match+` AND NOT `+heldByPause,
			append([]any{bot.Claimed, owner, nanos(leaseUntil)}, key...)...)
		if err != nil || n == 1 {
			acquired = n == 1
			return err
		}
		_, err = tx.exec(ctx, `UPDATE occurrences SET state = ? `+match+` AND `+heldByPause, append([]any{bot.Skipped}, key...)...)
		return err
	})
	if err != nil {
		return false, s.errf("acquire %s: %w", o.Reminder, err)
	}
	return acquired, nil
}

// Delivered marks the occurrence Delivered if owner still holds it and
// records LastRun (the run shown), LastMessage and LastRoutine on the
// reminder unless a later run is already recorded.
func (s *DB) Delivered(ctx context.Context, o bot.Occurrence, owner, messageID string, at time.Time) error {
	err := s.tx(ctx, func(tx tx) error {
		ok, err := s.delivered(ctx, tx, o, owner, messageID, at)
		if err == nil && !ok {
			err = bot.ErrConflict
		}
		return err
	})
	if err != nil {
		return s.errf("delivered %s: %w", o.Reminder, err)
	}
	s.shown.forget(o.Reminder, o.At)
	return nil
}

// delivered is Delivered within tx; false if owner lost the lease.
func (s *DB) delivered(ctx context.Context, tx tx, o bot.Occurrence, owner, messageID string, at time.Time) (bool, error) {
	n, err := tx.exec(ctx, `UPDATE occurrences SET state = ?, message_id = ?, delivered_at = ?, routine = ?
		WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`,
		bot.Delivered, messageID, nanos(at), o.Routine, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner)
	if err != nil || n == 0 {
		return false, err
	}
	// The reminder's claimed run shows through its occurrence
	// (ReminderFrom); any other delivery is written on the reminder.
	run := nanos(o.Run())
	_, err = tx.exec(ctx, `UPDATE reminders SET last_run = ?, last_message = ?, last_routine = ?
		WHERE id = ? AND last_run <= ? AND (CAST(? AS TEXT) <> 'run' OR claimed_run <> ?)`,
		run, messageID, o.Routine, o.Reminder, run, o.Kind, nanos(o.At))
	return err == nil, err
}

// Retry keeps the occurrence Claimed with LeaseUntil = at and LastError, if
// owner still holds it.
func (s *DB) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	n, err := s.exec(ctx, `UPDATE occurrences SET lease_until = ?, last_error = ?, unsure = ?
		WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`,
		nanos(at), lastErr, o.Unsure, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner)
	if err != nil {
		return s.errf("retry %s: %w", o.Reminder, err)
	}
	if n == 0 {
		return s.errf("retry %s: %w", o.Reminder, bot.ErrConflict)
	}
	return nil
}

// closeHeldSQL closes an occurrence its owner still holds as claimed, with
// a state and a last error (Fail, Abandon).
const closeHeldSQL = `UPDATE occurrences SET state = ?, last_error = ?
	WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`

// Fail marks the occurrence Failed and pauses its reminder, in one
// transaction, if owner still holds it.
func (s *DB) Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	err := s.tx(ctx, func(tx tx) error {
		n, err := tx.exec(ctx, closeHeldSQL, bot.Failed, lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict
		}
		// TRUE is 1 in SQLite and the boolean in PostgreSQL.
		_, err = tx.exec(ctx, `UPDATE reminders SET paused = TRUE WHERE id = ?`, o.Reminder)
		return err
	})
	if err != nil {
		return s.errf("fail %s: %w", o.Reminder, err)
	}
	s.shown.forget(o.Reminder, o.At)
	return nil
}

// Abandon marks the occurrence Skipped with LastError, if owner still
// holds it; its reminder goes on as it is.
func (s *DB) Abandon(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	n, err := s.exec(ctx, closeHeldSQL, bot.Skipped, lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner)
	if err != nil {
		return s.errf("abandon %s: %w", o.Reminder, err)
	}
	if n == 0 {
		return s.errf("abandon %s: %w", o.Reminder, bot.ErrConflict)
	}
	s.shown.forget(o.Reminder, o.At)
	return nil
}

// CountDueAt returns how many reminders, not paused, have their next run
// exactly at at, counting no further than limit: a range of the partial
// index the refills read, stopped early.
func (s *DB) CountDueAt(ctx context.Context, at time.Time, limit int) (int, error) {
	ns, err := writerQuery(ctx, s, `SELECT count(*) FROM (SELECT 1 FROM reminders
		WHERE next_run > 0 AND `+s.d.NotPaused+` AND next_run = ? LIMIT ?) AS due`,
		[]any{nanos(at), limit}, func(row scanner) (int, error) {
			var n int
			return n, row.Scan(&n)
		})
	if err != nil {
		return 0, s.errf("count due: %w", err)
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return ns[0], nil
}

// Release hands back, in one write transaction, each claimed run of cs
// that its owner still holds as claimed. A run whose reminder still has
// NextRun == c.Next loses its occurrence and NextRun goes back to
// c.Expect; one whose reminder changed since keeps its claim, its lease
// ending at c.At. Then Dialect.DueSooner tells the other instances.
//
// Two statements a run: it runs once, when an instance stops, for the runs
// it claimed ahead (seconds' worth at most).
func (s *DB) Release(ctx context.Context, cs []schedule.Claim) ([]bool, error) {
	out := make([]bool, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	for _, c := range cs {
		// Handed back, a run may be claimed again, by any instance.
		s.shown.forget(c.Reminder, c.At)
	}
	// The occurrence as the claim left it: anything since (a send's retry,
	// a takeover, a pause's drop) changed its lease.
	const held = `reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ? AND lease_until = ? AND attempts = 1`
	// In reminder order, as ClaimBatch takes its locks.
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(cs[a].Reminder, cs[b].Reminder) })
	err := s.tx(ctx, func(tx tx) error {
		clear(out)
		handed := false
		for _, i := range order {
			c := cs[i]
			key := []any{c.Reminder, nanos(c.At), bot.RunOccurrence, bot.Claimed, c.Owner, nanos(c.LeaseUntil)}
			// The reminder first, as a claim locks it first.
			n, err := tx.exec(ctx, `UPDATE reminders SET next_run = ? WHERE id = ? AND next_run = ?
				AND EXISTS (SELECT 1 FROM occurrences WHERE `+held+`)`,
				append([]any{nanos(c.Expect), c.Reminder, nanos(c.Next)}, key...)...)
			if err != nil {
				return err
			}
			if n == 1 {
				n, err = tx.exec(ctx, `DELETE FROM occurrences WHERE `+held, key...)
				if err == nil && n != 1 {
					err = fmt.Errorf("release %s: occurrence changed under the transaction", c.Reminder)
				}
			} else {
				n, err = tx.exec(ctx, `UPDATE occurrences SET lease_until = ?, unsure = FALSE WHERE `+held, append([]any{nanos(c.At)}, key...)...)
			}
			if err != nil {
				return err
			}
			out[i] = n == 1
			handed = handed || out[i]
		}
		if handed && s.d.DueSooner != "" {
			_, err := tx.exec(ctx, s.d.DueSooner)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, s.errf("release: %w", err)
	}
	return out, nil
}
