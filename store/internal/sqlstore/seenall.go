package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"
)

// FirstSeenAll is FirstSeen for several keys in one transaction: it
// records each until expires and reports, per key in the order given,
// whether it was new at now. A key given twice is new at most once.
// Concurrent requests share one commit this way instead of paying one
// each.
func (s *DB) FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error) {
	out := make([]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	// Rows are written in key order, so that two instances writing
	// overlapping batches lock them in the same order (PostgreSQL would
	// otherwise see a deadlock).
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	sweep := false
	err := s.tx(ctx, func(tx tx) error {
		for _, i := range order {
			n, err := tx.exec(ctx, `INSERT INTO seen (key, expires_at) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?`,
				keys[i], nanos(expires), nanos(now))
			if err != nil {
				return err
			}
			out[i] = n == 1
			sweep = sweep || sweepTurn(keys[i])
		}
		return nil
	})
	if err != nil {
		return nil, s.errf("first seen: %w", err)
	}
	if sweep {
		// Best effort, after the commit: a row left behind only waits for
		// the next sweep.
		_, _ = s.exec(ctx, `DELETE FROM seen WHERE expires_at <= ?`, nanos(now))
	}
	return out, nil
}
