package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

// rowsPerStatement bounds the VALUES list of one multi-row statement:
// SQLite allows 32 766 parameters, PostgreSQL 65 535.
const rowsPerStatement = 256

// values writes a VALUES list of n rows, each of the given parameter
// casts, as a derived table named c. Both databases name its columns
// column1, column2, …; the CASTs type the parameters for PostgreSQL.
func values(b *strings.Builder, n int, casts ...string) {
	b.WriteString("(VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, c := range casts {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("CAST(? AS " + c + ")")
		}
		b.WriteByte(')')
	}
	b.WriteString(") AS c")
}

// padded is the number of rows a statement for n rows is written with: a
// power of two, so that a few statement texts serve every batch and stay
// prepared (preparing a statement of a few hundred rows costs more than
// running it).
func padded(n int) int {
	m := 1
	for m < n {
		m *= 2
	}
	return m
}

// statementRows is how many of n rows the next statement of a batch takes.
// Every row a statement is padded with is one more lookup of a reminder or
// an occurrence for nothing, and the engine's batches are seldom a power
// of two: padded whole, a batch of 390 ran as 256 and 134 padded to 256,
// wasting a quarter of its lookups. So the rest of a batch is taken whole
// when padding it wastes at most a quarter of its statement, else split at
// the largest power of two below it: 390 runs as 256, 128 and 6 padded to
// 8. A few more statements cost less than the lookups they save (below
// eight rows, padding is cheaper than another statement).
func statementRows(n int) int {
	if n <= rowsPerStatement {
		if m := padded(n); m-n <= max(m/4, 3) {
			return n
		}
	}
	p := 1
	for p*2 <= min(n, rowsPerStatement) {
		p *= 2
	}
	return p
}

// pad repeats the last of idx up to padded(len(idx)) rows. Every statement
// here treats a repeated row as the same row: an insert conflicts with
// itself and does nothing, an update changes its row once.
func pad(idx []int) []int {
	n := padded(len(idx))
	if n == len(idx) {
		return idx
	}
	out := make([]int, n)
	copy(out, idx)
	for i := len(idx); i < n; i++ {
		out[i] = idx[len(idx)-1]
	}
	return out
}

// ClaimBatch claims in one write transaction, with two multi-row
// statements per few hundred claims instead of two statements each: on
// SQLite the commit and the per-statement overhead, not the rows, are what
// a claim costs. First the occurrences are inserted for every claim whose
// reminder still has NextRun == Expect and is not paused (ON CONFLICT DO
// NOTHING drops runs already claimed); then NextRun moves for the claims
// that inserted, returning the reminders. On PostgreSQL a user's change
// may commit between the two; a claim whose UPDATE then matches nothing
// loses and its occurrence is deleted again. Rows are handled in reminder
// order, so two instances' batches take locks in the same order.
func (s *DB) ClaimBatch(ctx context.Context, cs []schedule.Claim) ([]schedule.Claimed, error) {
	return schedule.ClaimBatchOf(ctx, s, cs)
}

// ClaimBatchInto is ClaimBatch writing its outcomes into out.
func (s *DB) ClaimBatchInto(ctx context.Context, cs []schedule.Claim, out []schedule.Claimed) error {
	if len(out) != len(cs) {
		return s.errf("claim batch: %d outcomes for %d claims", len(out), len(cs))
	}
	clear(out)
	order := make([]int, 0, len(cs))
	seen := make(map[bot.ReminderID]bool, len(cs))
	for i, c := range cs {
		// A reminder claimed twice in one batch: the first claim moves
		// NextRun, so any other would lose.
		if !c.Expect.IsZero() && !seen[c.Reminder] {
			seen[c.Reminder] = true
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return nil
	}
	s.claims.Add(int64(len(order)))
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(cs[a].Reminder, cs[b].Reminder) })
	// After a batch fell short the next few return their rows at once:
	// when another process claims the same runs, most of them would.
	counted := s.d.Counted && s.claimsReturning.Add(-1) < 0
	// Whether each claim made its run the reminder's claimed_run.
	shown := make([]bool, len(cs))
	claim := func(tx tx, counted bool) error {
		if err := s.batchPlans(ctx, tx); err != nil {
			return err
		}
		for i := range out {
			out[i] = schedule.Claimed{}
		}
		clear(shown)
		for rest := order; len(rest) > 0; {
			n := statementRows(len(rest))
			if err := s.claimRows(ctx, tx, cs, rest[:n], out, shown, counted); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	}
	short, err := s.txCounted(ctx, counted, claim)
	if short {
		s.claimsReturning.Store(8)
	}
	if err != nil {
		return s.errf("claim batch: %w", err)
	}
	keys := make([]runKey, 0, len(order))
	show := make([]bool, 0, len(order))
	for _, i := range order {
		if out[i].Won {
			keys = append(keys, runKey{cs[i].Reminder, nanos(cs[i].At)})
			show = append(show, shown[i])
		}
	}
	s.shown.set(keys, show)
	return nil
}

// batchPlans applies Dialect.BatchPlans to tx, if the dialect has any.
func (s *DB) batchPlans(ctx context.Context, tx tx) error {
	if s.d.BatchPlans == "" {
		return nil
	}
	_, err := tx.exec(ctx, s.d.BatchPlans)
	return err
}

// errShort rolls back a batch whose counted statement changed fewer rows
// than it lists (Dialect.Counted), to run it again with RETURNING.
var errShort = errors.New("batch fell short")

// txCounted runs body in a transaction, its statements counted if asked;
// if one fell short, it runs body again with RETURNING and reports so.
func (s *DB) txCounted(ctx context.Context, counted bool, body func(tx tx, counted bool) error) (short bool, err error) {
	err = s.tx(ctx, func(tx tx) error { return body(tx, counted) })
	if counted && err == errShort {
		return true, s.tx(ctx, func(tx tx) error { return body(tx, false) })
	}
	return false, err
}

// execCounted runs a counted statement (one without RETURNING) and
// reports errShort unless it changed want rows.
func execCounted(ctx context.Context, tx tx, q string, args []any, want int) error {
	n, err := tx.dynamicExec(ctx, q, args)
	if err != nil {
		return err
	}
	if n != int64(want) {
		return errShort
	}
	return nil
}

// claimRows claims cs[i] for each i in idx, within tx, and notes in
// shown[i] whether the claim made its run the reminder's claimed_run. If
// counted, the insert returns no rows, and errShort unless every claim
// inserted.
func (s *DB) claimRows(ctx context.Context, tx tx, cs []schedule.Claim, idx []int, out []schedule.Claimed, shown []bool, counted bool) error {
	args := make([]any, 0, 2+6*padded(len(idx)))
	args = append(args, bot.RunOccurrence, bot.Claimed)
	for _, i := range pad(idx) {
		c := cs[i]
		args = append(args, c.Reminder, nanos(c.Expect), nanos(c.At), c.Owner, nanos(c.LeaseUntil), c.Late)
	}
	inserted := map[bot.ReminderID]bool{}
	if counted {
		if err := execCounted(ctx, tx, s.batchQuery(claimInsertCountedStmt, padded(len(idx))), args, len(idx)); err != nil {
			return err
		}
		for _, i := range idx {
			inserted[cs[i].Reminder] = true
		}
	} else if err := tx.dynamicQuery(ctx, s.batchQuery(claimInsertStmt, padded(len(idx))), args, func(rows *sql.Rows) error {
		var id bot.ReminderID
		if err := rows.Scan(&id); err != nil {
			return err
		}
		inserted[id] = true
		return nil
	}); err != nil {
		return err
	}
	if len(inserted) == 0 {
		return nil
	}

	won := make([]int, 0, len(inserted))
	for _, i := range idx {
		if inserted[cs[i].Reminder] {
			won = append(won, i)
		}
	}
	args = args[:0]
	byID := make(map[bot.ReminderID]int, len(won))
	for _, i := range pad(won) {
		c := cs[i]
		byID[c.Reminder] = i
		args = append(args, c.Reminder, nanos(c.Next), nanos(c.Expect), nanos(c.At))
	}
	if err := tx.dynamicQuery(ctx, s.batchQuery(claimUpdateStmt, padded(len(won))), args, func(rows *sql.Rows) error {
		var claimed int64
		r, err := scanReminderAnd(rows, &claimed)
		if err != nil {
			return err
		}
		i := byID[r.ID]
		out[i] = schedule.Claimed{Won: true, Reminder: r}
		shown[i] = claimed == nanos(cs[i].At)
		return nil
	}); err != nil {
		return err
	}
	for _, i := range won {
		if c := cs[i]; !out[i].Won {
			// Changed between the two statements (PostgreSQL only):
			// this claim lost, and leaves nothing behind.
			if _, err := tx.exec(ctx, `DELETE FROM occurrences WHERE reminder = ? AND at = ? AND kind = ?`,
				c.Reminder, nanos(c.At), bot.RunOccurrence); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeliveredBatch records in one write transaction, with two multi-row
// statements per few hundred deliveries: the occurrences still held by
// their owners become Delivered, then their reminders' LastRun moves on.
func (s *DB) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	errs := make([]error, len(ds))
	if len(ds) == 0 {
		return errs, nil
	}
	order := make([]int, len(ds))
	seen := make(map[itemKey]bool, len(ds))
	dup := false
	for i := range order {
		order[i] = i
		k := keyOf(ds[i].Occurrence)
		dup = dup || seen[k]
		seen[k] = true
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Compare(ds[a].Occurrence.Reminder, ds[b].Occurrence.Reminder)
	})
	record := func(tx tx, counted bool) error {
		if err := s.batchPlans(ctx, tx); err != nil {
			return err
		}
		if dup {
			// The same occurrence twice: only one statement per row
			// tells which of them recorded it.
			for _, i := range order {
				d := ds[i]
				ok, err := s.delivered(ctx, tx, d.Occurrence, d.Owner, d.MessageID, d.At)
				if err != nil {
					return err
				}
				errs[i] = nil
				if !ok {
					errs[i] = s.errf("delivered %s: %w", d.Occurrence.Reminder, bot.ErrConflict)
				}
			}
			return nil
		}
		for rest := order; len(rest) > 0; {
			n := statementRows(len(rest))
			if err := s.deliveredRows(ctx, tx, ds, rest[:n], errs, counted); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	}
	if _, err := s.txCounted(ctx, s.d.Counted, record); err != nil {
		return nil, s.errf("delivered batch: %w", err)
	}
	// Recorded, or lost to another owner: no longer this process's claim.
	for _, d := range ds {
		s.shown.forget(d.Occurrence.Reminder, d.Occurrence.At)
	}
	return errs, nil
}

// itemKey is an occurrence's primary key.
type itemKey struct {
	id   bot.ReminderID
	at   int64
	kind bot.OccurrenceKind
}

func keyOf(o bot.Occurrence) itemKey { return itemKey{o.Reminder, nanos(o.At), o.Kind} }

// deliveredRows records ds[i] for each i in idx, within tx. If counted,
// the update returns no rows, and errShort unless every delivery recorded.
func (s *DB) deliveredRows(ctx context.Context, tx tx, ds []schedule.Delivery, idx []int, errs []error, counted bool) error {
	args := make([]any, 0, 2+7*padded(len(idx)))
	args = append(args, bot.Delivered)
	for _, i := range pad(idx) {
		d := ds[i]
		args = append(args, d.Occurrence.Reminder, nanos(d.Occurrence.At), d.Occurrence.Kind, d.Owner, d.MessageID, nanos(d.At),
			d.Occurrence.Routine)
	}
	args = append(args, bot.Claimed)
	done := make(map[itemKey]bool, len(idx))
	if counted {
		if err := execCounted(ctx, tx, s.batchQuery(deliveredCountedStmt, padded(len(idx))), args, len(idx)); err != nil {
			return err
		}
		for _, i := range idx {
			done[keyOf(ds[i].Occurrence)] = true
		}
	} else if err := tx.dynamicQuery(ctx, s.batchQuery(deliveredStmt, padded(len(idx))), args, func(rows *sql.Rows) error {
		var k itemKey
		if err := rows.Scan(&k.id, &k.at, &k.kind); err != nil {
			return err
		}
		done[k] = true
		return nil
	}); err != nil {
		return err
	}
	// The latest run recorded per reminder (the later in the batch on a
	// tie, as one record after another would leave it).
	last := map[bot.ReminderID]int{}
	for _, i := range idx {
		d := ds[i]
		if !done[keyOf(d.Occurrence)] {
			errs[i] = s.errf("delivered %s: %w", d.Occurrence.Reminder, bot.ErrConflict)
			continue
		}
		errs[i] = nil
		if j, ok := last[d.Occurrence.Reminder]; !ok || !ds[j].Occurrence.Run().After(d.Occurrence.Run()) {
			last[d.Occurrence.Reminder] = i
		}
	}
	args = args[:0]
	rows := make([]int, 0, len(last))
	for _, i := range idx {
		o := ds[i].Occurrence
		// A run its claim made the claimed_run still is (shownRuns):
		// the statement would change nothing.
		if j, ok := last[o.Reminder]; ok && j == i && !s.shown.has(o) {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	for _, i := range pad(rows) {
		d := ds[i]
		args = append(args, d.Occurrence.Reminder, nanos(d.Occurrence.Run()), d.MessageID, d.Occurrence.Routine,
			d.Occurrence.Kind, nanos(d.Occurrence.At))
	}
	_, err := tx.dynamicExec(ctx, s.batchQuery(lastRunStmt, padded(len(rows))), args)
	return err
}

// batchStmt names one of the multi-row statements below.
type batchStmt uint8

const (
	claimInsertStmt batchStmt = iota
	claimInsertCountedStmt
	claimUpdateStmt
	deliveredStmt
	deliveredCountedStmt
	lastRunStmt
	breakUsersStmt     // SaveBreaks, at most breakRows rows
	breakRotationsStmt // SaveBreaks, at most breakRows rows
)

// batchKey names a built statement: which, and for how many rows.
type batchKey struct {
	stmt batchStmt
	n    int
}

// batchQuery returns statement st for n rows, rebound for the dialect,
// built once per statement and size: a statement of a few hundred rows is
// tens of kilobytes of text, and building it for every batch was a third
// of what the engine allocated in a burst.
func (s *DB) batchQuery(st batchStmt, n int) string {
	k := batchKey{st, n}
	if q, ok := s.batches.Load(k); ok {
		return q.(string)
	}
	var q string
	switch st {
	case claimInsertStmt:
		q = s.claimInsertQuery(n)
	case claimInsertCountedStmt:
		q, _, _ = strings.Cut(s.claimInsertQuery(n), " RETURNING")
	case claimUpdateStmt:
		q = s.claimUpdateQuery(n)
	case deliveredStmt:
		q = deliveredQuery(n)
	case deliveredCountedStmt:
		q, _, _ = strings.Cut(deliveredQuery(n), " RETURNING")
	case lastRunStmt:
		q = s.lastRunQuery(n)
	case breakUsersStmt:
		q = breakUsersQuery(n)
	case breakRotationsStmt:
		q = breakRotationsQuery(n)
	}
	q = s.q(q)
	s.batches.Store(k, q)
	return q
}

// The statements of a batch of n rows (n a power of two). The || '' and
// + 0 in their WHERE clauses hide the list's columns from SQLite's
// planner, which would otherwise scan the whole table and index the list;
// CROSS JOIN makes SQLite walk the list and look each reminder up by key
// (PostgreSQL plans it as any join).

// claimInsertQuery inserts the claimed occurrence of every listed claim
// whose reminder still has NextRun == Expect and is not paused.
func (s *DB) claimInsertQuery(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO occurrences (` + OccurrenceColumns + `)
		SELECT r.id, r.tenant, c.column3, CAST(? AS TEXT), CAST(? AS TEXT), c.column4, c.column5, 1, c.column6, '', 0, ''
		FROM `)
	values(&b, n, "TEXT", "BIGINT", "BIGINT", "TEXT", "BIGINT", "BOOLEAN")
	b.WriteString(` CROSS JOIN reminders r WHERE r.id = c.column1 AND r.next_run = c.column2 AND ` + s.d.NotPaused +
		s.d.SkipLocked + ` ON CONFLICT DO NOTHING RETURNING reminder`)
	return b.String()
}

// claimUpdateQuery moves NextRun for the listed claims and names the run
// each took (copying the delivery of the one before, claimFold),
// returning the reminders.
func (s *DB) claimUpdateQuery(n int) string {
	var b strings.Builder
	b.WriteString(`UPDATE reminders SET next_run = c.column2, ` + claimFold(`c.column4`) + ` FROM `)
	values(&b, n, "TEXT", "BIGINT", "BIGINT", "BIGINT")
	b.WriteString(` WHERE reminders.id = c.column1 || '' AND reminders.next_run = c.column3 + 0 AND ` + s.d.NotPaused +
		` RETURNING ` + ReminderColumns + `, claimed_run`)
	return b.String()
}

// deliveredQuery marks the listed occurrences Delivered where their owner
// still holds them, returning their keys.
func deliveredQuery(n int) string {
	var b strings.Builder
	b.WriteString(`UPDATE occurrences SET state = CAST(? AS TEXT), message_id = c.column5, delivered_at = c.column6,
		routine = c.column7 FROM `)
	values(&b, n, "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT")
	b.WriteString(` WHERE occurrences.reminder = c.column1 || '' AND occurrences.at = c.column2 + 0
		AND occurrences.kind = c.column3 || '' AND occurrences.owner = c.column4 || ''
		AND occurrences.state = CAST(? AS TEXT) RETURNING reminder, at, kind`)
	return b.String()
}

// lastRunQuery records the latest delivered run on the listed reminders,
// but not a reminder's claimed run: its occurrence, just marked Delivered,
// shows through (ReminderFrom), and the reminder's next claim copies it.
// So a scheduled run rewrites its reminder once, not twice. A claim moves
// claimed_run only past a run no longer open (claimFold), so the record
// of the claimed run cannot miss a claim committing beside it.
func (s *DB) lastRunQuery(n int) string {
	var b strings.Builder
	b.WriteString(`UPDATE reminders SET last_run = c.column2, last_message = c.column3, last_routine = c.column4 FROM `)
	values(&b, n, "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT")
	b.WriteString(` WHERE reminders.id = c.column1 || '' AND reminders.last_run <= c.column2 + 0
		AND (c.column5 || '' <> 'run' OR reminders.claimed_run <> c.column6 + 0)`)
	return b.String()
}

// BatchQueries returns the statements ClaimBatch and DeliveredBatch run
// for n rows, with ? placeholders, for drivers to check their query plans.
func (s *DB) BatchQueries(n int) []string {
	n = padded(n)
	return []string{s.claimInsertQuery(n), s.claimUpdateQuery(n), deliveredQuery(n), s.lastRunQuery(n)}
}
