package sqlstore

import "sync"

// shownRuns names the runs this process claimed whose claim made them
// their reminder's claimed_run, so that their records skip the statement
// that writes a delivery onto the reminder (lastRunQuery): for such a run
// it changes nothing, yet it looked each reminder up again, a random page
// read per run (at 100 000 schedules a minute, 0.63 s of 9.6 s of the
// engine's CPU sampled over a minute, a sixteenth).
//
// A run named here is still its reminder's claimed_run when its record
// succeeds: only a claim moves claimed_run, and never past a run still
// open (claimFold), and the record succeeds only on a run open since its
// claim (Claimed by the same owner; a closed run never opens again). A
// run claimed again after a hand-back or taken over is dropped from here
// first (Release, Acquire, Claim), so a name outlives no claim. A run not
// named here (another process's claim, a takeover, a batch whose record
// failed) runs the statement as before, so forgetting is always safe: the
// set is cleared if it ever holds maxShown runs, which only runs never
// recorded nor handed back could fill.
type shownRuns struct {
	mu   sync.Mutex
	runs map[itemKey]struct{}
}

// maxShown bounds shownRuns: more than the runs an engine holds claimed
// at once (schedule's maxAhead, 131 072).
const maxShown = 1 << 18

// set names the runs of keys whose show is true and forgets the others.
func (s *shownRuns) set(keys []itemKey, show []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, k := range keys {
		if !show[i] {
			delete(s.runs, k)
			continue
		}
		if s.runs == nil || len(s.runs) >= maxShown {
			s.runs = make(map[itemKey]struct{})
		}
		s.runs[k] = struct{}{}
	}
}

// has reports whether k is named.
func (s *shownRuns) has(k itemKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.runs[k]
	return ok
}

// forget drops keys.
func (s *shownRuns) forget(keys ...itemKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.runs, k)
	}
}
