package memory

import (
	"context"
	"time"
)

// sweepAbove is the number of keys below which expired ones are left.
const sweepAbove = 1024

// seenKeys are the keys FirstSeen recorded, with their expiry.
type seenKeys struct {
	expires map[string]time.Time
	// sweepAt is the size at which expired keys are next deleted: twice
	// what was live after the last sweep, so sweeps cost O(1) a call.
	sweepAt int
}

// FirstSeen records key until expires and reports whether it was new at
// now: false when it was recorded before and has not expired by now.
func (s *DB) FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	if err := s.lock(ctx); err != nil {
		return false, errf("first seen: %w", err)
	}
	defer s.mu.Unlock()
	k := &s.seen
	if len(k.expires) >= max(k.sweepAt, sweepAbove) {
		for key, exp := range k.expires {
			if !exp.After(now) {
				delete(k.expires, key)
			}
		}
		k.sweepAt = 2 * len(k.expires)
	}
	if exp, ok := k.expires[key]; ok && exp.After(now) {
		return false, nil
	}
	k.expires[key] = utc(expires)
	return true, nil
}
