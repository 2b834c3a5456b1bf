package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Column lists, in the order the scan functions expect.
const (
	CompletionColumns = `tenant, user_id, channel, key, kind, reminder, at`
	ReminderColumns   = `id, tenant, platform, kind, owner, channel, channel_name, rule, zone, note,
	routine_minutes, routine_place, routine_category, paused, paused_until, next_run, last_run, last_message, last_routine, created_at`
	OccurrenceColumns = `reminder, tenant, at, kind, state, owner, lease_until, attempts, late, message_id, delivered_at, last_error`
	// SnoozeColumns are the occurrence columns only snoozes set; a run's
	// claim leaves them at their defaults.
	SnoozeColumns = `repeats, routine`

	// ReminderRead and ReminderFrom read reminders (as r) in the order of
	// ReminderColumns. A run's record writes only its occurrence: while
	// that run is the reminder's claimed_run and later than the LastRun
	// stored on the reminder, the delivered occurrence is the reminder's
	// LastRun, LastMessage and LastRoutine (the next claim copies it onto
	// the reminder, see claimFold). Columns both tables have (tenant, kind,
	// owner) must be named r.… in a query's conditions.
	ReminderRead = `r.id, r.tenant, r.platform, r.kind, r.owner, r.channel, r.channel_name, r.rule, r.zone, r.note,
	r.routine_minutes, r.routine_place, r.routine_category, r.paused, r.paused_until, r.next_run,
	COALESCE(l.at, r.last_run), COALESCE(l.message_id, r.last_message), COALESCE(l.routine, r.last_routine), r.created_at`
	ReminderFrom = `reminders r LEFT JOIN occurrences l ON l.reminder = r.id AND l.at = r.claimed_run
	AND l.kind = 'run' AND l.state = 'delivered' AND l.at > r.last_run`
)

// claimFold returns the SET clause by which a claim of a reminder copies
// the delivery of its previous claimed run onto it (as ReminderFrom reads
// it) and names the run it takes, given as next, in claimed_run. It reads
// one occurrence by key, beside the one the claim inserts; the aggregates
// make it one row whether or not there is one (there is at most one).
//
// While the previous claimed run is still open (its record not yet
// committed, or its delivery retried), claimed_run keeps naming it: its
// record, writing only the occurrence, may commit at any time after this
// claim read it, even with row locks and several instances (PostgreSQL),
// and its delivery shows through once it does. The run claimed now is then
// not the reminder's claimed run, so its record writes the reminder
// (lastRunQuery). Once a run is no longer open nothing records it again,
// so no record can race with the claim that moves claimed_run past it.
func claimFold(next string) string {
	const shown = `l.state = 'delivered' AND l.at > reminders.last_run`
	return `(last_run, last_message, last_routine, claimed_run) = (SELECT
	COALESCE(MAX(CASE WHEN ` + shown + ` THEN l.at END), reminders.last_run),
	COALESCE(MAX(CASE WHEN ` + shown + ` THEN l.message_id END), reminders.last_message),
	COALESCE(MAX(CASE WHEN ` + shown + ` THEN l.routine END), reminders.last_routine),
	CASE WHEN MAX(CASE WHEN l.state IN ('pending', 'claimed') THEN 1 END) = 1 THEN reminders.claimed_run ELSE ` + next + ` END
	FROM occurrences l WHERE l.reminder = reminders.id AND l.at = reminders.claimed_run AND l.kind = 'run')`
}

// User returns the user, or bot.ErrNotFound.
func (s *DB) User(ctx context.Context, tenant bot.TenantID, id bot.UserID) (bot.User, error) {
	u := bot.User{Tenant: tenant, ID: id}
	var last, away, since, offered, skipped int64
	err := s.queryRow(ctx, `SELECT zone, last_break, last_break_key, hours, quiet, away_until, level, level_since, level_offered, prefer, skipped
		FROM users WHERE tenant = ? AND id = ?`,
		tenant, id).Scan(&u.Zone, &last, &u.LastBreakKey, &u.Hours, &u.Quiet, &away, &u.Level, &since, &offered, &u.Prefer, &skipped)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.User{}, s.errf("user %s: %w", id, bot.ErrNotFound)
	}
	if err != nil {
		return bot.User{}, s.errf("user: %w", err)
	}
	u.LastBreak = fromNanos(last)
	u.AwayUntil, u.LevelSince, u.LevelOffered = fromNanos(away), fromNanos(since), fromNanos(offered)
	u.Skipped = int(skipped)
	return u, nil
}

// SaveUser inserts or replaces the user's settings; the skip count is
// CountSkip's alone.
func (s *DB) SaveUser(ctx context.Context, u bot.User) error {
	_, err := s.exec(ctx, `INSERT INTO users (tenant, id, zone, last_break, last_break_key, hours, quiet, away_until, level, level_since, level_offered, prefer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET zone = excluded.zone, last_break = excluded.last_break, last_break_key = excluded.last_break_key,
		hours = excluded.hours, quiet = excluded.quiet, away_until = excluded.away_until, level = excluded.level,
		level_since = excluded.level_since, level_offered = excluded.level_offered, prefer = excluded.prefer`,
		u.Tenant, u.ID, u.Zone, nanos(u.LastBreak), u.LastBreakKey, u.Hours, u.Quiet, nanos(u.AwayUntil), u.Level,
		nanos(u.LevelSince), nanos(u.LevelOffered), u.Prefer)
	if err != nil {
		return s.errf("save user: %w", err)
	}
	return nil
}

// CountSkip adds one to the user's count of runs passed over.
func (s *DB) CountSkip(ctx context.Context, tenant bot.TenantID, id bot.UserID) error {
	_, err := s.exec(ctx, `INSERT INTO users (tenant, id, skipped) VALUES (?, ?, 1)
		ON CONFLICT (tenant, id) DO UPDATE SET skipped = users.skipped + 1`, tenant, id)
	if err != nil {
		return s.errf("count skip: %w", err)
	}
	return nil
}

// AddCompletion records c; false when the user already has one with the
// same Key and Kind.
func (s *DB) AddCompletion(ctx context.Context, c bot.Completion) (bool, error) {
	n, err := s.exec(ctx, `INSERT INTO completions (`+CompletionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, key, kind, user_id) DO NOTHING`,
		c.Tenant, c.User, c.Channel, c.Key, c.Kind, c.Reminder, nanos(c.At))
	if err != nil {
		return false, s.errf("add completion: %w", err)
	}
	return n == 1, nil
}

// CountCompletions counts users with a completion of kind for key.
func (s *DB) CountCompletions(ctx context.Context, tenant bot.TenantID, key, kind string) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(DISTINCT user_id) FROM completions WHERE tenant = ? AND key = ? AND kind = ?`,
		tenant, key, kind).Scan(&n)
	if err != nil {
		return 0, s.errf("count completions: %w", err)
	}
	return n, nil
}

// Completions lists matching completions, oldest first (then in insertion
// order).
func (s *DB) Completions(ctx context.Context, f bot.CompletionFilter) ([]bot.Completion, error) {
	q := `SELECT ` + CompletionColumns + ` FROM completions WHERE tenant = ?`
	args := []any{f.Tenant}
	if f.User != "" {
		q += ` AND user_id = ?`
		args = append(args, f.User)
	}
	if f.Channel != "" {
		q += ` AND channel = ?`
		args = append(args, f.Channel)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, nanos(f.Since))
	}
	q += ` ORDER BY at, id`
	out, err := query(ctx, s, q, args, func(row scanner) (bot.Completion, error) {
		var c bot.Completion
		var at int64
		err := row.Scan(&c.Tenant, &c.User, &c.Channel, &c.Key, &c.Kind, &c.Reminder, &at)
		c.At = fromNanos(at)
		return c, err
	})
	if err != nil {
		return nil, s.errf("completions: %w", err)
	}
	return out, nil
}

// Rotation returns the used ids for scope; nil if none.
func (s *DB) Rotation(ctx context.Context, tenant bot.TenantID, scope string) ([]string, error) {
	var raw string
	err := s.queryRow(ctx, `SELECT used FROM rotations WHERE tenant = ? AND scope = ?`, tenant, scope).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.errf("rotation: %w", err)
	}
	var used []string
	if err := json.Unmarshal([]byte(raw), &used); err != nil {
		return nil, s.errf("rotation %s: %w", scope, err)
	}
	if len(used) == 0 {
		return nil, nil
	}
	return used, nil
}

// SaveRotation replaces the used ids for scope.
func (s *DB) SaveRotation(ctx context.Context, tenant bot.TenantID, scope string, used []string) error {
	if used == nil {
		used = []string{}
	}
	raw, err := json.Marshal(used)
	if err != nil {
		return s.errf("save rotation: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO rotations (tenant, scope, used) VALUES (?, ?, ?)
		ON CONFLICT (tenant, scope) DO UPDATE SET used = excluded.used`, tenant, scope, string(raw))
	if err != nil {
		return s.errf("save rotation: %w", err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

// query runs a SELECT outside any transaction and maps each row with scan.
func query[T any](ctx context.Context, s *DB, q string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	st, err := s.readStmt(ctx, s.q(q))
	if err != nil {
		return nil, err
	}
	return rowsOf(ctx, st, args, scan)
}

// writerQuery is query on the database the writes run on (SetReads): for
// the engine's reads, which would otherwise start on a connection the
// engine's last commit made drop its cache, and for writes returning rows.
func writerQuery[T any](ctx context.Context, s *DB, q string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	st, err := s.stmt(ctx, s.q(q))
	if err != nil {
		return nil, err
	}
	return rowsOf(ctx, st, args, scan)
}

func rowsOf[T any](ctx context.Context, st *sql.Stmt, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanReminder(row scanner) (bot.Reminder, error) { return scanReminderAnd(row) }

// scanReminderAnd is scanReminder for rows with more columns after
// ReminderColumns, scanned into more.
func scanReminderAnd(row scanner, more ...any) (bot.Reminder, error) {
	var r bot.Reminder
	var pausedUntil, next, last, created int64
	dest := [21]any{&r.ID, &r.Tenant, &r.Platform, &r.Kind, &r.Owner, &r.Channel, &r.ChannelName, &r.Rule, &r.Zone, &r.Note,
		&r.Routine.Minutes, &r.Routine.Place, &r.Routine.Category, &r.Paused, &pausedUntil, &next, &last, &r.LastMessage, &r.LastRoutine, &created}
	n := 20 + copy(dest[20:], more)
	err := row.Scan(dest[:n]...)
	if err != nil {
		return bot.Reminder{}, err
	}
	r.PausedUntil, r.NextRun, r.LastRun, r.CreatedAt = fromNanos(pausedUntil), fromNanos(next), fromNanos(last), fromNanos(created)
	return r, nil
}

// CreateReminder inserts r; bot.ErrConflict if r.ID is taken in any tenant.
func (s *DB) CreateReminder(ctx context.Context, r bot.Reminder) error {
	n, err := s.exec(ctx, `INSERT INTO reminders (`+ReminderColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		r.ID, r.Tenant, r.Platform, r.Kind, r.Owner, r.Channel, r.ChannelName, r.Rule, r.Zone, r.Note,
		r.Routine.Minutes, r.Routine.Place, r.Routine.Category, r.Paused, nanos(r.PausedUntil), nanos(r.NextRun),
		nanos(r.LastRun), r.LastMessage, r.LastRoutine, nanos(r.CreatedAt))
	if err != nil {
		return s.errf("create reminder: %w", err)
	}
	if n == 0 {
		return s.errf("create reminder %s: %w", r.ID, bot.ErrConflict)
	}
	return nil
}

// Reminder returns the reminder with id in tenant, or bot.ErrNotFound.
func (s *DB) Reminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) (bot.Reminder, error) {
	r, err := scanReminder(s.queryRow(ctx, `SELECT `+ReminderRead+` FROM `+s.from+` WHERE r.id = ? AND r.tenant = ?`, id, tenant))
	return r, s.reminderErr(id, err)
}

// ReminderByID returns a reminder in any tenant, or bot.ErrNotFound.
func (s *DB) ReminderByID(ctx context.Context, id bot.ReminderID) (bot.Reminder, error) {
	r, err := scanReminder(s.queryRow(ctx, `SELECT `+ReminderRead+` FROM `+s.from+` WHERE r.id = ?`, id))
	return r, s.reminderErr(id, err)
}

func (s *DB) reminderErr(id bot.ReminderID, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return s.errf("reminder %s: %w", id, bot.ErrNotFound)
	default:
		return s.errf("reminder %s: %w", id, err)
	}
}

// Reminders lists Owner's personal reminders and Channel's team schedules in
// the tenant, by creation time.
func (s *DB) Reminders(ctx context.Context, f bot.ReminderFilter) ([]bot.Reminder, error) {
	// A UNION ALL of two index scans rather than an OR, which would scan
	// the whole tenant. The second part excludes the owner's own rows so
	// the two are disjoint.
	var parts []string
	var args []any
	live := ""
	if !f.IncludeFinished {
		live = ` AND r.next_run <> 0`
	}
	if f.Owner != "" {
		parts = append(parts, `SELECT `+ReminderRead+` FROM `+s.from+` WHERE r.tenant = ? AND r.owner = ?`+live)
		args = append(args, f.Tenant, f.Owner)
	}
	if f.Channel != "" {
		// The kind is written out, not bound: PostgreSQL's reminders_channel
		// holds only channel schedules, and a generic plan uses a partial
		// index only for a predicate it can see.
		parts = append(parts, `SELECT `+ReminderRead+` FROM `+s.from+` WHERE r.tenant = ? AND r.kind = '`+string(bot.ChannelSchedule)+
			`' AND r.channel = ? AND r.owner <> ?`+live)
		args = append(args, f.Tenant, f.Channel, f.Owner)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rs, err := query(ctx, s, strings.Join(parts, " UNION ALL ")+` ORDER BY created_at, id`, args, scanReminder)
	if err != nil {
		return nil, s.errf("reminders: %w", err)
	}
	return rs, nil
}

// DeleteReminder deletes the reminder and its occurrences, first copying
// its delivered runs to kept_deliveries for DeliveredRun. The occurrences
// go after the reminder: deleting it waits for a claim or a snooze holding
// it, and the occurrences' delete then sees theirs (where no foreign key
// cascades, see the PostgreSQL schema).
func (s *DB) DeleteReminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) error {
	err := s.tx(ctx, func(tx tx) error {
		_, err := tx.exec(ctx, `INSERT INTO kept_deliveries (reminder, at, tenant, platform, kind, owner, channel)
			SELECT o.reminder, o.at, r.tenant, r.platform, r.kind, r.owner, r.channel
			FROM occurrences o JOIN reminders r ON r.id = o.reminder
			WHERE o.reminder = ? AND r.tenant = ? AND o.kind = ? AND o.state = ?
			ON CONFLICT DO NOTHING`, id, tenant, bot.RunOccurrence, bot.Delivered)
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `DELETE FROM reminders WHERE id = ? AND tenant = ?`, id, tenant)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrNotFound
		}
		_, err = tx.exec(ctx, `DELETE FROM occurrences WHERE reminder = ?`, id)
		return err
	})
	if err != nil {
		return s.errf("delete reminder %s: %w", id, err)
	}
	return nil
}

// DeliveredRun returns the run of reminder id delivered in [at, at+1s),
// from its occurrences or, once the reminder is deleted, kept_deliveries;
// bot.ErrNotFound if there is none.
func (s *DB) DeliveredRun(ctx context.Context, id bot.ReminderID, at time.Time) (bot.DeliveredRun, error) {
	d := bot.DeliveredRun{Reminder: id}
	from, to := nanos(at), nanos(at.Add(time.Second))
	var when int64
	err := s.queryRow(ctx, `SELECT o.at, r.tenant, r.platform, r.kind, r.owner, r.channel
		FROM occurrences o JOIN reminders r ON r.id = o.reminder
		WHERE o.reminder = ? AND o.at >= ? AND o.at < ? AND o.kind = ? AND o.state = ?
		UNION ALL
		SELECT at, tenant, platform, kind, owner, channel FROM kept_deliveries
		WHERE reminder = ? AND at >= ? AND at < ?
		LIMIT 1`, id, from, to, bot.RunOccurrence, bot.Delivered, id, from, to).
		Scan(&when, &d.Tenant, &d.Platform, &d.Kind, &d.Owner, &d.Channel)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.DeliveredRun{}, s.errf("delivered run %s: %w", id, bot.ErrNotFound)
	}
	if err != nil {
		return bot.DeliveredRun{}, s.errf("delivered run %s: %w", id, err)
	}
	d.At = fromNanos(when)
	return d, nil
}

// SetPaused sets Paused and PausedUntil; bot.ErrNotFound if the reminder is
// not in tenant.
func (s *DB) SetPaused(ctx context.Context, tenant bot.TenantID, id bot.ReminderID, paused bool, until time.Time) error {
	n, err := s.exec(ctx, `UPDATE reminders SET paused = ?, paused_until = ? WHERE id = ? AND tenant = ?`,
		paused, nanos(until), id, tenant)
	if err != nil {
		return s.errf("set paused %s: %w", id, err)
	}
	if n == 0 {
		return s.errf("set paused %s: %w", id, bot.ErrNotFound)
	}
	return nil
}

// AdvanceReminder sets NextRun to next if it is still expect;
// bot.ErrConflict if not, bot.ErrNotFound if the reminder is gone.
func (s *DB) AdvanceReminder(ctx context.Context, id bot.ReminderID, expect, next time.Time) error {
	err := s.tx(ctx, func(tx tx) error {
		n, err := tx.exec(ctx, `UPDATE reminders SET next_run = ? WHERE id = ? AND next_run = ?`,
			nanos(next), id, nanos(expect))
		if err != nil || n == 1 {
			return err
		}
		ok, err := tx.exists(ctx, id, "")
		switch {
		case err != nil:
			return err
		case !ok:
			return bot.ErrNotFound
		}
		return bot.ErrConflict
	})
	if err != nil {
		return s.errf("advance reminder %s: %w", id, err)
	}
	return nil
}

// PendingSnoozes returns tenant's open snoozes, earliest first: a range of
// the occurrences_snoozes partial index, which holds nothing else.
func (s *DB) PendingSnoozes(ctx context.Context, tenant bot.TenantID) ([]bot.Occurrence, error) {
	out, err := query(ctx, s, `SELECT reminder, tenant, at, kind, state, owner, lease_until FROM occurrences
		WHERE tenant = ? AND kind = 'snooze' AND state IN ('pending', 'claimed') ORDER BY at, reminder`,
		[]any{tenant}, func(row scanner) (bot.Occurrence, error) {
			var o bot.Occurrence
			var at, lease int64
			err := row.Scan(&o.Reminder, &o.Tenant, &at, &o.Kind, &o.State, &o.Owner, &lease)
			o.At, o.LeaseUntil = fromNanos(at), fromNanos(lease)
			return o, err
		})
	if err != nil {
		return nil, s.errf("pending snoozes: %w", err)
	}
	return out, nil
}

// AddOccurrence inserts o as a Pending occurrence (a snooze, due at
// o.LeaseUntil; Kind defaults to snooze). A snooze replaces the reminder's
// other open snoozes: they become Skipped. bot.ErrConflict if its key
// exists, bot.ErrNotFound if its reminder does not; then nothing changes.
func (s *DB) AddOccurrence(ctx context.Context, o bot.Occurrence) error {
	if o.Kind == "" {
		o.Kind = bot.SnoozeOccurrence
	}
	err := s.tx(ctx, func(tx tx) error {
		// Held until the commit, so that the reminder is not deleted
		// beside the insert (DeleteReminder).
		ok, err := tx.exists(ctx, o.Reminder, s.d.KeyShare)
		switch {
		case err != nil:
			return err
		case !ok:
			return bot.ErrNotFound
		}
		if o.Kind == bot.SnoozeOccurrence {
			_, err := tx.exec(ctx, `UPDATE occurrences SET state = ?
				WHERE reminder = ? AND kind = ? AND state IN ('pending', 'claimed')`,
				bot.Skipped, o.Reminder, bot.SnoozeOccurrence)
			if err != nil {
				return err
			}
		}
		// Never posted yet: unsure (whose default a claim keeps) is false.
		n, err := tx.exec(ctx, `INSERT INTO occurrences (`+OccurrenceColumns+`, `+SnoozeColumns+`, unsure)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE) ON CONFLICT DO NOTHING`,
			o.Reminder, o.Tenant, nanos(o.At), o.Kind, bot.Pending, o.Owner, nanos(o.LeaseUntil), o.Attempts,
			o.Late, o.MessageID, nanos(o.DeliveredAt), o.LastError, nanos(o.Repeats), o.Routine)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.ErrConflict // rolls back the replacement too
		}
		return nil
	})
	if err != nil {
		return s.errf("add occurrence %s: %w", o.Reminder, err)
	}
	return nil
}
