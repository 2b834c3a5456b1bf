package sqlstore

import (
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// shownRuns names the runs this process claimed whose claim made them
// their reminder's claimed_run, so that their records skip the statement
// that writes a delivery onto the reminder (lastRunQuery): for such a run
// it changes nothing, yet it looked each reminder up again, a random page
// read per run: at 100 000 schedules a minute on SQLite, 0.63-0.80 s of
// the 9.6-13.3 s of the engine's CPU sampled over a minute (four runs),
// gone with this; the whole record (DeliveredBatch) took 2.5-2.6 s in
// two runs with it, against 2.5-3.2 s in five without. The claims took
// 6.4-6.8 s in those two runs against 4.6-6.4 s in three runs of the
// baseline: part of the saving may go to the claims' extra column and
// bookkeeping, or to the runs' spread.
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
	runs map[runKey]struct{}
}

// runKey is a scheduled run's occurrence key (its kind is always run):
// 24 bytes, as the map holds one per run claimed and not yet recorded, up
// to a whole burst's.
type runKey struct {
	id bot.ReminderID
	at int64
}

// maxShown bounds shownRuns: more than the runs an engine holds claimed
// at once (schedule's maxAhead, 131 072).
const maxShown = 1 << 18

// set names the runs of keys whose show is true and forgets the others.
func (s *shownRuns) set(keys []runKey, show []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, k := range keys {
		if !show[i] {
			delete(s.runs, k)
			continue
		}
		if s.runs == nil || len(s.runs) >= maxShown {
			s.runs = make(map[runKey]struct{})
		}
		s.runs[k] = struct{}{}
	}
}

// has reports whether o is a named run.
func (s *shownRuns) has(o bot.Occurrence) bool {
	if o.Kind != bot.RunOccurrence {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.runs[runKey{o.Reminder, nanos(o.At)}]
	return ok
}

// forget drops the run of reminder id at at.
func (s *shownRuns) forget(id bot.ReminderID, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.runs, runKey{id, nanos(at)})
}
