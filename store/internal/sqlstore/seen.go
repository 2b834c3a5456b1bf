package sqlstore

import (
	"context"
	"hash/fnv"
	"time"
)

// sweepOneIn is how many FirstSeen calls there are, on average, per
// deletion of expired keys.
const sweepOneIn = 64

// FirstSeen records key until expires and reports whether it was new at
// now: false when a row for it exists that has not expired by now. A
// unique key arbitrates between instances; an expired row is taken over.
func (s *DB) FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	n, err := s.exec(ctx, `INSERT INTO seen (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?`,
		key, nanos(expires), nanos(now))
	if err != nil {
		return false, s.errf("first seen: %w", err)
	}
	if sweepTurn(key) {
		// Best effort: a row left behind only waits for the next sweep.
		_, _ = s.exec(ctx, `DELETE FROM seen WHERE expires_at <= ?`, nanos(now))
	}
	return n == 1, nil
}

// sweepTurn picks one key in sweepOneIn, by hash, to sweep after: a second
// write on every request would double their cost, and the choice needs no
// state shared between calls or instances.
func sweepTurn(key string) bool {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()%sweepOneIn == 0
}
