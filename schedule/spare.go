package schedule

import "time"

// spares keeps a few emptied lists for reuse, so that what a second of
// work needs (some 17 000 runs a second with a million schedules spread
// over the minute) is not allocated again every second. A list grown for a
// burst (a hundred thousand team breaks at 10:00) would otherwise be kept
// until the next burst, however far off: trim drops every list with room
// for more than spareSlack times the longest put back since the trim
// before.
type spares[T any] struct {
	lists [][]T
	peak  int // the longest list put back since the last trim
}

const (
	// maxSpares bounds the lists kept.
	maxSpares = 4
	// spareSlack is how much more room than recent work needed a list
	// may keep: the work a second brings varies (records wait longer
	// when a commit is slow), and a list cut too short grows again.
	spareSlack = 4
	// keepSpare is the length up to which a list is kept whatever the
	// recent work: small lists cost little and come back often.
	keepSpare = 1024
)

// put keeps l, emptied by the caller (its elements cleared, so that they
// hold nothing alive), unless enough lists are kept.
func (s *spares[T]) put(l []T) {
	if cap(l) == 0 {
		return
	}
	s.peak = max(s.peak, len(l))
	if len(s.lists) < maxSpares {
		s.lists = append(s.lists, l[:0])
	}
}

// take is a kept list of length 0, or nil.
func (s *spares[T]) take() []T {
	n := len(s.lists)
	if n == 0 {
		return nil
	}
	l := s.lists[n-1]
	s.lists[n-1] = nil
	s.lists = s.lists[:n-1]
	return l
}

// trim drops the kept lists longer than the work since the last trim
// needs, and starts counting that work again.
func (s *spares[T]) trim() {
	limit := max(spareSlack*s.peak, keepSpare)
	kept := s.lists[:0]
	for _, l := range s.lists {
		if cap(l) <= limit {
			kept = append(kept, l)
		}
	}
	clear(s.lists[len(kept):])
	s.lists = kept
	s.peak = 0
}

// shrunk is l, copied into a shorter array if it keeps far more room
// than the work since the last trim needed (peak, the longest it has been
// since) and is long enough for that to matter.
func shrunk[T any](l []T, peak int) []T {
	if limit := max(spareSlack*peak, keepSpare); cap(l) > limit && cap(l) > spareSlack*len(l) {
		return append(make([]T, 0, max(len(l), peak)), l...)
	}
	return l
}

// trimEvery is how often refill trims what the engine keeps for the work
// to come: a burst's room is given back within two of these after it.
const trimEvery = 30 * time.Second

// trimSpares trims, once every trimEvery, the lists and queues the engine
// keeps from one second's work to the next to what the work since the
// last trim needed: the window's heap and spare lists of runs, the
// senders' queues and spare groups of jobs, and the records' queue. Once
// idleTrim has passed with no work, it trims them to what no work needs,
// once.
func (e *Engine) trimSpares(now time.Time) {
	e.mu.Lock()
	idle := e.idleAt(now)
	if now.Before(e.nextTrim) && !idle {
		e.mu.Unlock()
		return
	}
	e.nextTrim = now.Add(trimEvery)
	if idle {
		e.trimmedIdle = true
		e.spareRuns.peak = 0
	}
	e.spareRuns.trim()
	e.queue = shrunk(e.queue, len(e.queue))
	e.mu.Unlock()

	q := &e.jobs
	q.mu.Lock()
	if idle {
		q.spare.peak, q.ready.peak, q.after.peak = 0, 0, 0
	}
	q.spare.trim()
	q.ready.trim()
	q.after.trim()
	q.mu.Unlock()

	r := &e.rec
	r.mu.Lock()
	if idle {
		r.peak = 0
	}
	if r.head == len(r.pending) {
		r.pending, r.head = shrunk(r.pending[:0], r.peak), 0
	}
	r.peak = 0
	r.mu.Unlock()
}

// idleTrim is how long the engine waits with nothing taken out of its
// window before it gives back what it keeps for the work to come, whatever
// that work needed. Steady work comes every second or few (100 000
// schedules a minute, spread over it), and keeps its lists; work in
// bursts (team breaks at whole minutes, repeats of at least the minimum
// interval) is over well within it, and its room, often thousands of
// runs, need not wait for the trims at trimEvery.
const idleTrim = 5 * time.Second

// idleAt reports whether at now the engine has been idle for idleTrim
// since it last took work out of its window, and has not trimmed for it.
// Call it with e.mu held.
func (e *Engine) idleAt(now time.Time) bool {
	return !e.trimmedIdle && !e.lastWork.IsZero() && !now.Before(e.lastWork.Add(idleTrim))
}

// idleWake is when the Run loop must wake to trim for idleness, or zero.
func (e *Engine) idleWake() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.trimmedIdle || e.lastWork.IsZero() {
		return time.Time{}
	}
	return e.lastWork.Add(idleTrim)
}
