package memory

import (
	"context"
	"time"
)

// FirstSeenAll is FirstSeen for several keys at once: it reports, per key
// in the order given, whether it was new at now. A key given twice is new
// at most once.
func (s *DB) FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error) {
	out := make([]bool, len(keys))
	for i, key := range keys {
		first, err := s.FirstSeen(ctx, key, now, expires)
		if err != nil {
			return nil, err
		}
		out[i] = first
	}
	return out, nil
}
