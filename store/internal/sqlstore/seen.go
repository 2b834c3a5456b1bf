package sqlstore

import (
	"context"
	"database/sql"
	"hash/fnv"
	"strconv"
	"time"
)

// sweepOneIn is how many FirstSeen calls there are, on average, per
// deletion of expired keys.
const sweepOneIn = 64

// FirstSeen records key until expires and reports whether it was new at
// now: false when a row for it exists that has not expired by now. A
// unique key arbitrates between instances; an expired row is taken over.
func (s *DB) FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	fresh, err := s.recordSeen(ctx, []string{key}, now, expires)
	if err != nil {
		return false, s.errf("first seen: %w", err)
	}
	if sweepTurn(key) {
		// Best effort: a row left behind only waits for the next sweep.
		s.sweepSeen(ctx, now)
	}
	return fresh[key], nil
}

// firstSeenOne records one key by itself: one statement, which commits
// alone, costs less than a transaction around it. It reports whether the
// key was new.
func (s *DB) firstSeenOne(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	n, err := s.execIn(ctx, s.statementContext(ctx), `INSERT INTO seen (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?`,
		key, nanos(expires), nanos(now))
	return n == 1, err
}

// sweepTurn picks one key in sweepOneIn, by hash, to sweep after: a second
// write on every request would double their cost, and the choice needs no
// state shared between calls or instances.
func sweepTurn(key string) bool {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()%sweepOneIn == 0
}

// seenSweepRows is how many keys one sweep looks at. A sweep comes once
// in sweepOneIn keys recorded, so the walk passes over the table
// seenSweepRows/sweepOneIn times faster than it grows: an expired key is
// deleted within a quarter of the table's keys recorded after it expired.
// At eight times, the walk was a tenth of the replay records' CPU under a
// request load, on a table holding no expired key.
const seenSweepRows = 4 * sweepOneIn

// sweepSeen deletes the expired keys among the next seenSweepRows in key
// order after where this process's last sweep stopped, starting over at
// the first key once it has passed the last. The seen table has no index
// on expires_at (it would be written at nearly every commit of a replay
// record); a stretch of the primary key costs a few pages read, and the
// expired keys it deletes lie together (keys lead with their request's
// time). Errors are ignored: the stretch is swept again on the next lap.
func (s *DB) sweepSeen(ctx context.Context, now time.Time) {
	if !s.seenSweepMu.TryLock() {
		return // another request sweeps
	}
	defer s.seenSweepMu.Unlock()
	from := s.seenSweepFrom
	var to sql.NullString
	err := s.queryRow(ctx, `SELECT key FROM seen WHERE key > ? ORDER BY key LIMIT 1 OFFSET `+strconv.Itoa(seenSweepRows-1), from).Scan(&to)
	switch {
	case err == sql.ErrNoRows:
		// Fewer keys left than a stretch: sweep to the end, then start
		// over.
		if _, err := s.exec(ctx, `DELETE FROM seen WHERE key > ? AND expires_at <= ?`, from, nanos(now)); err == nil {
			s.seenSweepFrom = ""
		}
	case err == nil:
		if _, err := s.exec(ctx, `DELETE FROM seen WHERE key > ? AND key <= ? AND expires_at <= ?`, from, to.String, nanos(now)); err == nil {
			s.seenSweepFrom = to.String
		}
	}
}
