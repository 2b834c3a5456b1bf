package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

const occurrenceColumns = `reminder, tenant, at, kind, state, owner, lease_until, attempts, late, message_id, delivered_at, last_error`

// DueReminders returns unpaused, unfinished reminders with NextRun not after
// until, earliest first, at most limit. It is a range scan of the
// reminders_due partial index.
func (s *DB) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	rs, err := s.queryReminders(ctx, `SELECT `+reminderColumns+` FROM reminders
		WHERE next_run > 0 AND NOT paused AND next_run <= $1 ORDER BY next_run, id LIMIT $2`, nanos(until), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: due reminders: %w", err)
	}
	return rs, nil
}

// OpenOccurrences returns Pending and Claimed occurrences whose LeaseUntil is
// not after until, earliest LeaseUntil first, at most limit.
func (s *DB) OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error) {
	rows, err := s.rows(ctx, `SELECT `+occurrenceColumns+` FROM occurrences
		WHERE state IN ('pending', 'claimed') AND lease_until <= $1 ORDER BY lease_until, reminder, at, kind LIMIT $2`,
		nanos(until), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: open occurrences: %w", err)
	}
	defer rows.Close()
	var out []bot.Occurrence
	for rows.Next() {
		var o bot.Occurrence
		var at, lease, delivered int64
		if err := rows.Scan(&o.Reminder, &o.Tenant, &at, &o.Kind, &o.State, &o.Owner, &lease, &o.Attempts, &o.Late,
			&o.MessageID, &delivered, &o.LastError); err != nil {
			return nil, fmt.Errorf("postgres: open occurrences: %w", err)
		}
		o.At, o.LeaseUntil, o.DeliveredAt = fromNanos(at), fromNanos(lease), fromNanos(delivered)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: open occurrences: %w", err)
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n, err := affected(tx.Exec(ctx, `UPDATE reminders SET next_run = $1 WHERE id = $2 AND next_run = $3 AND NOT paused`,
			nanos(c.Next), c.Reminder, nanos(c.Expect)))
		if err != nil {
			return err
		}
		if n == 0 {
			return errRollback
		}
		n, err = affected(tx.Exec(ctx, `INSERT INTO occurrences (`+occurrenceColumns+`)
			SELECT id, tenant, $1::bigint, $2::text, $3::text, $4::text, $5::bigint, 1, $6::boolean, '', 0, '' FROM reminders WHERE id = $7
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
		return false, fmt.Errorf("postgres: claim %s: %w", c.Reminder, err)
	}
	return true, nil
}

// Acquire takes over an open occurrence if its State, Owner and LeaseUntil
// are still those in o.
func (s *DB) Acquire(ctx context.Context, o bot.Occurrence, owner string, leaseUntil time.Time) (bool, error) {
	n, err := affected(s.execTag(ctx, `UPDATE occurrences SET state = $1, owner = $2, lease_until = $3, attempts = attempts + 1
		WHERE reminder = $4 AND at = $5 AND kind = $6 AND state IN ('pending', 'claimed') AND state = $7 AND owner = $8 AND lease_until = $9`,
		bot.Claimed, owner, nanos(leaseUntil), o.Reminder, nanos(o.At), o.Kind, o.State, o.Owner, nanos(o.LeaseUntil)))
	if err != nil {
		return false, fmt.Errorf("postgres: acquire %s: %w", o.Reminder, err)
	}
	return n == 1, nil
}

// Delivered marks the occurrence Delivered if owner still holds it and
// records LastRun/LastMessage on the reminder unless a later run is already
// recorded.
func (s *DB) Delivered(ctx context.Context, o bot.Occurrence, owner, messageID string, at time.Time) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n, err := affected(tx.Exec(ctx, `UPDATE occurrences SET state = $1, message_id = $2, delivered_at = $3
			WHERE reminder = $4 AND at = $5 AND kind = $6 AND state = $7 AND owner = $8`,
			bot.Delivered, messageID, nanos(at), o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict
		}
		_, err = tx.Exec(ctx, `UPDATE reminders SET last_run = $1, last_message = $2 WHERE id = $3 AND last_run <= $4`,
			nanos(o.At), messageID, o.Reminder, nanos(o.At))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delivered %s: %w", o.Reminder, err)
	}
	return nil
}

// Retry keeps the occurrence Claimed with LeaseUntil = at and LastError, if
// owner still holds it.
func (s *DB) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	n, err := affected(s.execTag(ctx, `UPDATE occurrences SET lease_until = $1, last_error = $2
		WHERE reminder = $3 AND at = $4 AND kind = $5 AND state = $6 AND owner = $7`,
		nanos(at), lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
	if err != nil {
		return fmt.Errorf("postgres: retry %s: %w", o.Reminder, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: retry %s: %w", o.Reminder, bot.ErrConflict)
	}
	return nil
}

// Fail marks the occurrence Failed and pauses its reminder, in one
// transaction, if owner still holds it.
func (s *DB) Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n, err := affected(tx.Exec(ctx, `UPDATE occurrences SET state = $1, last_error = $2
			WHERE reminder = $3 AND at = $4 AND kind = $5 AND state = $6 AND owner = $7`,
			bot.Failed, lastErr, o.Reminder, nanos(o.At), o.Kind, bot.Claimed, owner))
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict
		}
		_, err = tx.Exec(ctx, `UPDATE reminders SET paused = TRUE WHERE id = $1`, o.Reminder)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: fail %s: %w", o.Reminder, err)
	}
	return nil
}
