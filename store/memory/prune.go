package memory

import (
	"context"
	"slices"
	"sort"
	"time"
)

// PruneOccurrences deletes at most limit closed occurrences (delivered,
// skipped or failed) whose At is before before, and reports how many it
// deleted. Each reminder keeps its latest run, as the SQL stores keep the
// run a reminder's claimed_run names.
//
// Each call is one chunk of a walk over the reminders' slots: it looks at
// no more than limit of them, after where the last call stopped, and
// starts again from the first slot after the last. It holds the store's
// lock for that chunk only.
func (s *DB) PruneOccurrences(ctx context.Context, before time.Time, limit int) (int, error) {
	if err := s.lock(ctx); err != nil {
		return 0, errf("prune occurrences: %w", err)
	}
	defer s.mu.Unlock()
	cut := atKey(before)
	n := 0
	for range limit {
		if s.pruneAt >= s.recs.len() {
			s.pruneAt = 0
			if s.recs.len() == 0 {
				break
			}
		}
		if r := s.recs.at(s.pruneAt); r.live {
			n += pruneOccs(r, cut, limit-n)
		}
		if n == limit {
			break // this reminder may hold more: the next chunk looks again
		}
		s.pruneAt++
	}
	return n, nil
}

// pruneOccs deletes up to most of r's closed occurrences before cut, except
// its latest run, and reports how many it deleted.
func pruneOccs(r *rec, cut int64, most int) int {
	occs := r.occs
	latest := -1
	for j := len(occs) - 1; j >= 0; j-- {
		if occs[j].kind == codeRun {
			latest = j
			break
		}
	}
	// occs are ordered by At: only those before end are old enough.
	end := sort.Search(len(occs), func(j int) bool { return occs[j].at >= cut })
	n, w := 0, 0
	for j, o := range occs[:end] {
		if n < most && o.open == 0 && j != latest {
			n++
			continue
		}
		occs[w] = o
		w++
	}
	if n == 0 {
		return 0
	}
	w += copy(occs[w:], occs[end:])
	r.occs = occs[:w]
	if cap(r.occs) > 4*w+16 {
		// Most of the reminder's runs are gone (it stopped, or runs
		// less often): give their memory back.
		r.occs = slices.Clone(r.occs)
	}
	return n
}
