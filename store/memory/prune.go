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
// run a reminder's claimed_run names. The runs kept for deleted reminders
// go too, once they are as old.
//
// Each call is one chunk of a walk over the reminders' slots: it looks at
// no more than limit of them, after where the last call stopped, and
// starts again from the first slot after the last, with the kept runs
// first, a chunk at a time until none is old enough. It holds the store's
// lock for that chunk only.
func (s *DB) PruneOccurrences(ctx context.Context, before time.Time, limit int) (int, error) {
	if err := s.lock(ctx); err != nil {
		return 0, errf("prune occurrences: %w", err)
	}
	defer s.mu.Unlock()
	cut := atKey(before)
	if s.pruneAt >= s.recs.len() {
		s.pruneAt = 0
	}
	if s.pruneAt == 0 {
		// Each walk starts with the kept runs, until none is old enough.
		if n := s.pruneKept(before, limit); n > 0 {
			return n, nil
		}
	}
	n := 0
	for range limit {
		if s.pruneAt >= s.recs.len() {
			// The walk starts again with the next chunk.
			s.pruneAt = 0
			break
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

// pruneKept deletes up to most of the runs kept for deleted reminders
// whose At is before before, and reports how many it deleted.
func (s *DB) pruneKept(before time.Time, most int) int {
	n := 0
	for id, runs := range s.kept {
		if n == most {
			break
		}
		// runs are ordered by At: the old ones come first.
		old := sort.Search(len(runs), func(j int) bool { return !runs[j].At.Before(before) })
		old = min(old, most-n)
		if old == 0 {
			continue
		}
		n += old
		if old == len(runs) {
			delete(s.kept, id)
		} else {
			s.kept[id] = slices.Clone(runs[old:])
		}
	}
	return n
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
