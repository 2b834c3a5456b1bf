package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

const occurrenceColumns = `reminder, tenant, at, kind, state, owner, lease_until, attempts, late, message_id, delivered_at, last_error`

// DueReminders returns unpaused, unfinished reminders with NextRun not after
// until, earliest first, at most limit. It is a range scan of the
// reminders_due partial index.
func (s *DB) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	rs, err := s.queryReminders(ctx, `SELECT `+reminderColumns+` FROM reminders
		WHERE next_run > 0 AND paused = 0 AND next_run <= ? ORDER BY next_run, id LIMIT ?`, nanos(until), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due reminders: %w", err)
	}
	return rs, nil
}

// OpenOccurrences returns Pending and Claimed occurrences whose LeaseUntil is
// not after until, earliest LeaseUntil first, at most limit.
func (s *DB) OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+occurrenceColumns+` FROM occurrences
		WHERE state IN ('pending', 'claimed') AND lease_until <= ? ORDER BY lease_until, reminder, at, kind LIMIT ?`,
		nanos(until), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open occurrences: %w", err)
	}
	defer rows.Close()
	var out []bot.Occurrence
	for rows.Next() {
		var o bot.Occurrence
		var at, lease, delivered int64
		if err := rows.Scan(&o.Reminder, &o.Tenant, &at, &o.Kind, &o.State, &o.Owner, &lease, &o.Attempts, &o.Late,
			&o.MessageID, &delivered, &o.LastError); err != nil {
			return nil, fmt.Errorf("sqlite: open occurrences: %w", err)
		}
		o.At, o.LeaseUntil, o.DeliveredAt = fromNanos(at), fromNanos(lease), fromNanos(delivered)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: open occurrences: %w", err)
	}
	return out, nil
}

// Claim takes one scheduled run: in one IMMEDIATE transaction it moves
// NextRun from c.Expect to c.Next (only if the reminder exists, is not paused
// and NextRun is still c.Expect) and inserts the Claimed run occurrence. It
// reports false, changing nothing, if either step finds it lost.
func (s *DB) Claim(ctx context.Context, c schedule.Claim) (bool, error) {
	if c.Expect.IsZero() {
		return false, nil // a finished reminder has nothing to claim
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE reminders SET next_run = ? WHERE id = ? AND next_run = ? AND paused = 0`,
			nanos(c.Next), c.Reminder, nanos(c.Expect)))
		if err != nil {
			return err
		}
		if n == 0 {
			return errRollback
		}
		n, err = affected(tx.ExecContext(ctx, `INSERT INTO occurrences (`+occurrenceColumns+`)
			SELECT id, tenant, ?, ?, ?, ?, ?, 1, ?, '', 0, '' FROM reminders WHERE id = ?
			ON CONFLICT DO NOTHING`,
			nanos(c.At), bot.RunOccurrence, bot.Claimed, c.Owner, nanos(c.LeaseUntil), c.Late, c.Reminder))
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
		return false, fmt.Errorf("sqlite: claim %s: %w", c.Reminder, err)
	}
	return true, nil
}

// Acquire takes over an open occurrence if its State, Owner and LeaseUntil
// are still those in o.
func (s *DB) Acquire(ctx context.Context, o bot.Occurrence, owner string, leaseUntil time.Time) (bool, error) {
	n, err := affected(s.exec(ctx, `UPDATE occurrences SET state = ?, owner = ?, lease_until = ?, attempts = attempts + 1
		WHERE reminder = ? AND at = ? AND kind = ? AND state IN ('pending', 'claimed') AND state = ? AND owner = ? AND lease_until = ?`,
		bot.Claimed, owner, nanos(leaseUntil), o.Reminder, nanos(o.At), o.Kind, o.State, o.Owner, nanos(o.LeaseUntil)))
	if err != nil {
		return false, fmt.Errorf("sqlite: acquire %s: %w", o.Reminder, err)
	}
	return n == 1, nil
}

// Delivered marks the occurrence Delivered if owner still holds it and
// records LastRun/LastMessage on the reminder unless a later run is already
// recorded.
func (s *DB) Delivered(ctx context.Context, o bot.Occurrence, owner, messageID string, at time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE occurrences SET state = ?, message_id = ?, delivered_at = ?
			WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`,
			bot.Delivered, messageID, nanos(at), o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict
		}
		_, err = tx.ExecContext(ctx, `UPDATE reminders SET last_run = ?, last_message = ? WHERE id = ? AND last_run <= ?`,
			nanos(o.At), messageID, o.Reminder, nanos(o.At))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delivered %s: %w", o.Reminder, err)
	}
	return nil
}

// Retry keeps the occurrence Claimed with LeaseUntil = at and LastError, if
// owner still holds it.
func (s *DB) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	n, err := affected(s.exec(ctx, `UPDATE occurrences SET lease_until = ?, last_error = ?
		WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`,
		nanos(at), lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
	if err != nil {
		return fmt.Errorf("sqlite: retry %s: %w", o.Reminder, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: retry %s: %w", o.Reminder, bot.ErrConflict)
	}
	return nil
}

// Fail marks the occurrence Failed and pauses its reminder, in one
// transaction, if owner still holds it.
func (s *DB) Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE occurrences SET state = ?, last_error = ?
			WHERE reminder = ? AND at = ? AND kind = ? AND state = ? AND owner = ?`,
			bot.Failed, lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict
		}
		_, err = tx.ExecContext(ctx, `UPDATE reminders SET paused = 1 WHERE id = ?`, o.Reminder)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: fail %s: %w", o.Reminder, err)
	}
	return nil
}
