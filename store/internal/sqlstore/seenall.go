package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// seenRows is the most keys one statement of FirstSeenAll records. Its
// text is prepared once per row count, on every pooled connection, so the
// counts stay few: concurrent requests rarely number more, and a larger
// batch takes several statements in one transaction.
const seenRows = 8

// FirstSeenAll is FirstSeen for several keys in one commit: it records
// each until expires and reports, per key in the order given, whether it
// was new at now. A key given twice is new at most once. Concurrent
// requests share one commit this way instead of paying one each.
//
// Up to seenRows distinct keys go in one INSERT … RETURNING, which commits
// by itself and names the rows it inserted or took over from an expired
// one: one statement costs far less than a transaction of one per key.
func (s *DB) FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error) {
	out := make([]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	// Rows are written in key order, so that two instances writing
	// overlapping batches lock them in the same order (PostgreSQL would
	// otherwise see a deadlock); each key once, since one statement may
	// not change a row twice.
	uniq := slices.Clone(keys)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	fresh, err := s.recordSeen(ctx, uniq, now, expires)
	if err != nil {
		return nil, s.errf("first seen: %w", err)
	}
	sweep := false
	for i, k := range keys {
		// The first of duplicates takes the answer.
		out[i] = fresh[k]
		delete(fresh, k)
		sweep = sweep || sweepTurn(k)
	}
	if sweep {
		// Best effort, after the commit: a row left behind only waits for
		// the next sweep.
		s.sweepSeen(ctx, now)
	}
	return out, nil
}

// writeSeen records keys (distinct, in order) in one commit and returns
// which it recorded: in one statement when they are few, else in a
// transaction.
func (s *DB) writeSeen(ctx context.Context, keys []string, now, expires time.Time) (map[string]bool, error) {
	if len(keys) == 1 {
		first, err := s.firstSeenOne(ctx, keys[0], now, expires)
		return map[string]bool{keys[0]: first}, err
	}
	if len(keys) <= seenRows {
		return s.seenInsert(ctx, keys, now, expires)
	}
	var fresh map[string]bool
	err := s.tx(ctx, func(tx tx) error {
		var err error
		fresh, err = seenIn(ctx, tx, keys, now, expires)
		return err
	})
	return fresh, err
}

// seenIn records keys (distinct, in order) within tx, seenRows to a
// statement, and returns those it recorded.
func seenIn(ctx context.Context, tx tx, keys []string, now, expires time.Time) (map[string]bool, error) {
	fresh := make(map[string]bool, len(keys))
	for part := range slices.Chunk(keys, seenRows) {
		q, args := seenStatement(part, now, expires)
		if err := tx.dynamicQuery(ctx, q, args, func(r *sql.Rows) error {
			var k string
			if err := r.Scan(&k); err != nil {
				return err
			}
			fresh[k] = true
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return fresh, nil
}

// seenInsert runs one INSERT for keys (distinct, at most seenRows) outside
// a transaction, in this process's write turn, and returns the keys it
// recorded.
func (s *DB) seenInsert(ctx context.Context, keys []string, now, expires time.Time) (map[string]bool, error) {
	if s.lock != nil {
		unlock, err := s.lock(ctx)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	q, args := seenStatement(keys, now, expires)
	inserted, err := writerQuery(s.statementContext(ctx), s, q, args, func(row scanner) (string, error) {
		var k string
		return k, row.Scan(&k)
	})
	if err != nil {
		return nil, err
	}
	fresh := make(map[string]bool, len(inserted))
	for _, k := range inserted {
		fresh[k] = true
	}
	return fresh, nil
}

// seenStatement is the INSERT recording keys, returning those it inserted
// or took over from an expired row (a row still valid is left alone, and
// not returned).
func seenStatement(keys []string, now, expires time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO seen (key, expires_at) VALUES `)
	args := make([]any, 0, 2*len(keys)+1)
	exp := nanos(expires)
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
		args = append(args, k, exp)
	}
	b.WriteString(` ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ? RETURNING key`)
	return b.String(), append(args, nanos(now))
}

// statementContext is the context for a statement outside a transaction
// run in this process's write turn: ctx, or without its cancellation
// where the dialect bounds the statement itself (Dialect.SelfBounded).
func (s *DB) statementContext(ctx context.Context) context.Context {
	if s.d.SelfBounded {
		return context.WithoutCancel(ctx)
	}
	return ctx
}
