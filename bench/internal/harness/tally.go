package harness

import (
	"sync/atomic"
	"time"
)

// Tally counts deliveries of n numbered schedules whose runs fall on a grid
// of slots (a schedule runs at most once per slot): how many arrived, how
// late, and which arrived more than once. Add is lock-free, so the tally
// costs every benchmarked scheduler the same little.
type Tally struct {
	from, to time.Time
	slot     time.Duration
	n, slots int

	counts  []atomic.Uint32 // n × slots
	late    []time.Duration // first len(late) recorded lateness values
	next    atomic.Int64
	outside atomic.Int64
	last    atomic.Int64 // unix nanoseconds of the latest delivery
}

// NewTally counts runs due in [from, to) of n schedules, each running at
// most once per slot (one-shots: slot >= to-from).
func NewTally(n int, from, to time.Time, slot time.Duration) *Tally {
	slots := int((to.Sub(from) + slot - 1) / slot)
	slots = max(slots, 1)
	// Lateness of every expected run, plus room for a few extra.
	return &Tally{from: from, to: to, slot: slot, n: n, slots: slots,
		counts: make([]atomic.Uint32, n*slots), late: make([]time.Duration, n*slots+1024)}
}

// Add records schedule i's run due at due, delivered at now. Runs due
// outside the window are counted apart.
func (t *Tally) Add(i int, due, now time.Time) {
	t.last.Store(now.UnixNano())
	if i < 0 || i >= t.n || due.Before(t.from) || !due.Before(t.to) {
		t.outside.Add(1)
		return
	}
	t.counts[i*t.slots+int(due.Sub(t.from)/t.slot)].Add(1)
	if k := t.next.Add(1) - 1; k < int64(len(t.late)) {
		t.late[k] = now.Sub(due)
	}
}

// Summary is what a Tally saw.
type Summary struct {
	Delivered int             // distinct runs delivered in the window
	Dups      int             // runs delivered more than once
	Outside   int             // deliveries of runs outside the window
	Late      []time.Duration // lateness of each delivery in the window, sorted
	Last      time.Time       // the latest delivery
}

// Summary reads the tally; call it when no Add runs.
func (t *Tally) Summary() Summary {
	s := Summary{Outside: int(t.outside.Load())}
	for i := range t.counts {
		switch c := t.counts[i].Load(); {
		case c == 1:
			s.Delivered++
		case c > 1:
			s.Delivered++
			s.Dups++
		}
	}
	k := min(int(t.next.Load()), len(t.late))
	s.Late = Sorted(t.late[:k])
	if l := t.last.Load(); l != 0 {
		s.Last = time.Unix(0, l)
	}
	return s
}

// Count is how many deliveries were added so far, in the window or not.
func (t *Tally) Count() int64 { return t.next.Load() + t.outside.Load() }

// Counts is how many times each run was delivered, schedule by schedule
// and slot by slot: tallies of several processes add up.
func (t *Tally) Counts() []uint32 {
	c := make([]uint32, len(t.counts))
	for i := range t.counts {
		c[i] = t.counts[i].Load()
	}
	return c
}

// Late is the lateness of each delivery in the window, unsorted.
func (t *Tally) Late() []time.Duration {
	return append([]time.Duration(nil), t.late[:min(int(t.next.Load()), len(t.late))]...)
}
