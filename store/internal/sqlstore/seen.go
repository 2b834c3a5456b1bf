package sqlstore

import (
	"context"
	"hash/fnv"
	"strings"
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

// Recorded reports, for each of keys in the order given, whether it has
// a row that has not expired by now, without writing: a reader that
// records its keys later, in groups, asks this first. Up to seenRows keys
// take one statement.
func (s *DB) Recorded(ctx context.Context, keys []string, now time.Time) ([]bool, error) {
	out := make([]bool, len(keys))
	for start := 0; start < len(keys); start += seenRows {
		part := keys[start:min(start+seenRows, len(keys))]
		q := recordedQueries[len(part)]
		args := make([]any, 0, len(part)+1)
		for _, k := range part {
			args = append(args, k)
		}
		found, err := query(ctx, s, q, append(args, nanos(now)), func(row scanner) (string, error) {
			var k string
			return k, row.Scan(&k)
		})
		if err != nil {
			return nil, s.errf("recorded: %w", err)
		}
		for _, f := range found {
			for i, k := range part {
				if k == f {
					out[start+i] = true
				}
			}
		}
	}
	return out, nil
}

// recordedQueries[n] is Recorded's statement for n keys.
var recordedQueries = func() [seenRows + 1]string {
	var qs [seenRows + 1]string
	for n := 1; n <= seenRows; n++ {
		qs[n] = "SELECT key FROM seen WHERE key IN (?" + strings.Repeat(", ?", n-1) + ") AND expires_at > ?"
	}
	return qs
}()
