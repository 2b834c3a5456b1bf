package memory

import (
	"cmp"
	"context"
	"iter"
	"runtime"
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

// DueReminders returns unpaused, unfinished reminders with NextRun not after
// until, earliest first (then by id), at most limit: a walk from the start
// of the due index, O(log n + limit).
func (s *DB) DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("due reminders: %w", err)
	}
	defer s.mu.RUnlock()
	u := atKey(until)
	return collect(s.due.All(), limit,
		func(k dueKey) bool { return k.next <= u },
		func(k dueKey) bot.Reminder { return s.reminder(s.recs.at(k.i)) }), nil
}

// DueRuns returns the runs DueReminders would return, in the engine's
// compact form, appended to buf[:0]: the strings are the store's own
// (interned), so a run costs no allocation beyond its row. Ref is the
// reminder's slot plus one, which lets a claim skip the due index.
func (s *DB) DueRuns(ctx context.Context, until time.Time, limit int, buf []schedule.DueRun) ([]schedule.DueRun, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("due runs: %w", err)
	}
	defer s.mu.RUnlock()
	u := atKey(until)
	// The reminders are read first in a loop of their own (see warm), then
	// copied out.
	slots := make([]int32, 0, max(0, min(limit, s.due.Len())))
	for k := range s.due.All() {
		if len(slots) >= limit || k.next > u {
			break
		}
		slots = append(slots, k.i)
	}
	s.warm(slots, false)
	out := buf[:0]
	if cap(out) < len(slots) {
		out = make([]schedule.DueRun, 0, len(slots))
	}
	for _, i := range slots {
		r := s.recs.at(i)
		out = append(out, schedule.DueRun{Reminder: r.id, Tenant: bot.TenantID(s.syms.str(r.tenant)),
			Platform: bot.Platform(s.syms.str(r.platform)), Kind: bot.ReminderKind(s.syms.str(r.kind)), Owner: r.owner,
			Channel: bot.ChannelID(s.syms.str(r.channel)), Rule: s.syms.str(r.rule), Zone: s.syms.str(r.zone),
			NextRun: fromAtKey(r.next), PausedUntil: fromAtKey(r.pausedUntil), Ref: uint64(i) + 1})
	}
	return out, nil
}

// OpenOccurrences returns Pending and Claimed occurrences whose LeaseUntil is
// not after until, earliest LeaseUntil first, at most limit.
func (s *DB) OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("open occurrences: %w", err)
	}
	defer s.mu.RUnlock()
	return collect(s.open.All(), limit,
		func(k openKey) bool { return !s.opens.at(k.i).LeaseUntil.After(until) },
		func(k openKey) bot.Occurrence { return s.opens.at(k.i).Occurrence }), nil
}

// collect copies (with get) the leading items of seq that are in, at most
// limit. It counts them first so as to allocate once: on a heap of a
// million reminders, growing the slice as it went made DueReminders 1.7×
// slower.
func collect[P, T any](seq iter.Seq[P], limit int, in func(P) bool, get func(P) T) []T {
	n := 0
	for p := range seq {
		if n >= limit || !in(p) {
			break
		}
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for p := range seq {
		if len(out) == n {
			break
		}
		out = append(out, get(p))
	}
	return out
}

// Claim takes one scheduled run: if the reminder exists, is not paused, has
// NextRun == c.Expect and no occurrence at c.At yet, it moves NextRun to
// c.Next and stores the Claimed run occurrence. Otherwise it reports false
// and changes nothing.
func (s *DB) Claim(ctx context.Context, c schedule.Claim) (bool, error) {
	if c.Expect.IsZero() {
		return false, nil // a finished reminder has nothing to claim
	}
	if err := s.lock(ctx); err != nil {
		return false, errf("claim %s: %w", c.Reminder, err)
	}
	defer s.mu.Unlock()
	_, ok := s.claim(c)
	return ok, nil
}

// claim is Claim under the lock; it returns the reminder it changed.
func (t *tables) claim(c schedule.Claim) (*rec, bool) {
	if c.Expect.IsZero() {
		return nil, false
	}
	i, ok := t.claimable(c)
	if !ok {
		return nil, false
	}
	r := t.recs.at(i)
	if !t.addOcc(i, bot.Occurrence{Reminder: r.id, Tenant: bot.TenantID(t.syms.str(r.tenant)), At: c.At,
		Kind: bot.RunOccurrence, State: bot.Claimed, Owner: c.Owner, LeaseUntil: c.LeaseUntil, Attempts: 1, Late: c.Late, Unsure: true}) {
		return nil, false
	}
	t.update(i, func(r *rec) { r.next = atKey(c.Next) })
	return r, true
}

// warm reads the reminders in slots, the first two cache lines of each
// (see rec), or every line and the latest occurrence if all is set, before
// they are worked on. With a million reminders nearly every one a batch
// names is out of the cache, and the work on one waits for its misses
// before the next is read; in a loop that only reads, the processor waits
// for many misses at once.
func (t *tables) warm(slots []int32, all bool) {
	var sum int64
	for _, i := range slots {
		r := t.recs.at(i)
		sum += r.next + int64(r.kind)
		if all {
			sum += r.lastRun + int64(len(r.lastMessage))
			if n := len(r.occs); n > 0 {
				sum += r.occs[n-1].at
			}
		}
	}
	runtime.KeepAlive(sum) // the reads are the point: keep them
}

// claimable returns the slot of the reminder c claims, if it can be
// claimed: it is not paused and its NextRun is c.Expect.
func (t *tables) claimable(c schedule.Claim) (int32, bool) {
	next := atKey(c.Expect)
	if c.Ref > 0 && c.Ref <= uint64(t.recs.len()) {
		i := int32(c.Ref - 1)
		if r := t.recs.at(i); r.live && r.id == c.Reminder {
			// The slot DueRuns named still holds the reminder: no index
			// to search, and the id's bytes are not read when it is
			// the store's own string, as DueRuns handed it out.
			return i, r.isDue() && r.next == next
		}
	}
	// A reminder that can be claimed is in the due index under (Expect,
	// its id), and only then: finding it there finds its slot without
	// hashing its id.
	pre := idPrefix(c.Reminder)
	k, ok := t.due.Find(func(k dueKey) int {
		if k.next != next {
			return cmp.Compare(k.next, next)
		}
		if k.pre != pre {
			return cmp.Compare(k.pre, pre)
		}
		return compareStrings(t.recs.at(k.i).id, c.Reminder)
	})
	return k.i, ok
}

// ClaimBatch runs every claim as Claim would, under one lock.
func (s *DB) ClaimBatch(ctx context.Context, cs []schedule.Claim) ([]schedule.Claimed, error) {
	return schedule.ClaimBatchOf(ctx, s, cs)
}

// ClaimBatchInto is ClaimBatch writing its outcomes into out.
func (s *DB) ClaimBatchInto(ctx context.Context, cs []schedule.Claim, out []schedule.Claimed) error {
	if len(out) != len(cs) {
		return errf("claim batch: %d outcomes for %d claims", len(out), len(cs))
	}
	if err := s.lock(ctx); err != nil {
		return errf("claim batch: %w", err)
	}
	defer s.mu.Unlock()
	// The reminders the claims name by slot are read first in a loop of
	// their own (see warm), then claimed.
	slots := make([]int32, 0, len(cs))
	for _, c := range cs {
		if c.Ref > 0 && c.Ref <= uint64(s.recs.len()) {
			slots = append(slots, int32(c.Ref-1))
		}
	}
	s.warm(slots, true)
	for i, c := range cs {
		if r, ok := s.claim(c); ok {
			out[i] = schedule.Claimed{Won: true, Reminder: s.reminder(r)}
		} else {
			out[i] = schedule.Claimed{}
		}
	}
	return nil
}

// Acquire takes over an open occurrence if its State, Owner and LeaseUntil
// are still those in o and its reminder is not paused. An occurrence held
// by a pause (its reminder Paused, or PausedUntil after its LeaseUntil) is
// closed as Skipped instead, so it is neither delivered nor tried again.
func (s *DB) Acquire(ctx context.Context, o bot.Occurrence, owner string, leaseUntil time.Time) (bool, error) {
	if err := s.lock(ctx); err != nil {
		return false, errf("acquire %s: %w", o.Reminder, err)
	}
	defer s.mu.Unlock()
	r, k := s.occurrence(o.Reminder, o.At, o.Kind)
	if k < 0 {
		return false, nil
	}
	cur := &s.opens.at(k).Occurrence
	if !isOpen(cur) || cur.State != o.State || cur.Owner != o.Owner || !cur.LeaseUntil.Equal(o.LeaseUntil) {
		return false, nil
	}
	if r.paused || r.pausedUntil > atKey(cur.LeaseUntil) {
		s.updateOcc(r, k, func(cur *bot.Occurrence) { cur.State = bot.Skipped })
		return false, nil
	}
	s.updateOcc(r, k, func(cur *bot.Occurrence) {
		cur.State, cur.Owner, cur.LeaseUntil = bot.Claimed, owner, utc(leaseUntil)
		cur.Attempts++
		cur.Unsure = true
	})
	return true, nil
}

// held returns the slot in opens of the occurrence o names, and its
// reminder, if owner holds its claim; -1 otherwise. ref is the claim's Ref
// (zero: none).
func (t *tables) held(o bot.Occurrence, owner string, ref uint64) (*rec, int32) {
	var r *rec
	k, ok := t.bySlot(&o, ref)
	if !ok {
		k, ok = t.leased(&o)
	}
	if ok {
		r = t.recs.at(t.opens.at(k).rec)
	} else {
		r, k = t.occurrence(o.Reminder, o.At, o.Kind)
	}
	if k < 0 || t.opens.at(k).State != bot.Claimed || t.opens.at(k).Owner != owner {
		return nil, -1
	}
	return r, k
}

// bySlot returns the slot in opens of the open occurrence o names, found
// through its reminder's slot ref-1 (a claim's Ref) if that still holds
// the reminder: the reminder's own occurrences are searched, neither the
// open index nor the id's bytes (when o names the reminder by the store's
// own string, as a claim's result does), a cache miss with a million
// reminders.
func (t *tables) bySlot(o *bot.Occurrence, ref uint64) (int32, bool) {
	if ref == 0 || ref > uint64(t.recs.len()) {
		return -1, false
	}
	r := t.recs.at(int32(ref - 1))
	if !r.live || r.id != o.Reminder {
		return -1, false
	}
	j, found := t.findOcc(r, atKey(o.At), o.Kind)
	if !found || r.occs[j].open == 0 {
		return -1, false
	}
	return r.occs[j].open - 1, true
}

// leased returns the slot in opens of the occurrence o names if it is open
// with o's LeaseUntil, as it usually is when its holder records it: the
// open index then finds it without hashing the reminder's id.
func (t *tables) leased(o *bot.Occurrence) (int32, bool) {
	lease, pre := atKey(o.LeaseUntil), idPrefix(o.Reminder)
	k, ok := t.open.Find(func(k openKey) int {
		if k.lease != lease {
			return cmp.Compare(k.lease, lease)
		}
		if k.pre != pre {
			return cmp.Compare(k.pre, pre)
		}
		x := &t.opens.at(k.i).Occurrence
		if c := compareStrings(x.Reminder, o.Reminder); c != 0 {
			return c
		}
		if c := x.At.Compare(o.At); c != 0 {
			return c
		}
		return compareStrings(x.Kind, o.Kind)
	})
	return k.i, ok
}

// Delivered marks the occurrence Delivered if owner still holds it and
// records LastRun (the run shown), LastMessage and LastRoutine on the
// reminder unless a later run is already recorded.
func (s *DB) Delivered(ctx context.Context, o bot.Occurrence, owner, messageID string, at time.Time) error {
	if err := s.lock(ctx); err != nil {
		return errf("delivered %s: %w", o.Reminder, err)
	}
	defer s.mu.Unlock()
	return s.delivered(o, owner, messageID, at, 0)
}

// delivered is Delivered under the lock.
func (t *tables) delivered(o bot.Occurrence, owner, messageID string, at time.Time, ref uint64) error {
	r, k := t.held(o, owner, ref)
	if k < 0 {
		return errf("delivered %s: %w", o.Reminder, bot.ErrConflict)
	}
	var run time.Time
	t.updateOcc(r, k, func(cur *bot.Occurrence) {
		cur.State, cur.MessageID, cur.DeliveredAt = bot.Delivered, messageID, utc(at)
		run = cur.Run()
	})
	if run := atKey(run); r.lastRun <= run {
		// Not part of any index key.
		r.lastRun, r.lastMessage, r.lastRoutine = run, messageID, o.Routine
	}
	return nil
}

// DeliveredBatch records every delivery as Delivered would, under one lock.
func (s *DB) DeliveredBatch(ctx context.Context, ds []schedule.Delivery) ([]error, error) {
	if err := s.lock(ctx); err != nil {
		return nil, errf("delivered batch: %w", err)
	}
	defer s.mu.Unlock()
	errs := make([]error, len(ds))
	for i, d := range ds {
		errs[i] = s.delivered(d.Occurrence, d.Owner, d.MessageID, d.At, d.Ref)
	}
	return errs, nil
}

// Retry keeps the occurrence Claimed with LeaseUntil = at and LastError, if
// owner still holds it.
func (s *DB) Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error {
	if err := s.lock(ctx); err != nil {
		return errf("retry %s: %w", o.Reminder, err)
	}
	defer s.mu.Unlock()
	r, k := s.held(o, owner, 0)
	if k < 0 {
		return errf("retry %s: %w", o.Reminder, bot.ErrConflict)
	}
	s.updateOcc(r, k, func(cur *bot.Occurrence) { cur.LeaseUntil, cur.LastError, cur.Unsure = utc(at), lastErr, o.Unsure })
	return nil
}

// Fail marks the occurrence Failed and pauses its reminder, if owner still
// holds it.
func (s *DB) Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	return s.closeHeld(ctx, "fail", o, owner, bot.Failed, lastErr, true)
}

// Abandon marks the occurrence Skipped with LastError, if owner still
// holds it; its reminder goes on as it is.
func (s *DB) Abandon(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error {
	return s.closeHeld(ctx, "abandon", o, owner, bot.Skipped, lastErr, false)
}

// closeHeld closes the occurrence as state with LastError, and pauses its
// reminder if pause, when owner still holds it; op names it in errors.
func (s *DB) closeHeld(ctx context.Context, op string, o bot.Occurrence, owner string, state bot.OccurrenceState, lastErr string, pause bool) error {
	if err := s.lock(ctx); err != nil {
		return errf("%s %s: %w", op, o.Reminder, err)
	}
	defer s.mu.Unlock()
	r, k := s.held(o, owner, 0)
	if k < 0 {
		return errf("%s %s: %w", op, o.Reminder, bot.ErrConflict)
	}
	s.updateOcc(r, k, func(cur *bot.Occurrence) { cur.State, cur.LastError = state, lastErr })
	if pause {
		i, _ := s.find(o.Reminder)
		s.update(i, func(r *rec) { r.paused = true })
	}
	return nil
}

// Release hands back, under one lock, each claimed run of cs that its
// owner still holds as claimed: the run's occurrence goes and NextRun
// goes back to c.Expect if NextRun is still c.Next, else the claim stays
// with its lease ending at c.At.
func (s *DB) Release(ctx context.Context, cs []schedule.Claim) ([]bool, error) {
	if err := s.lock(ctx); err != nil {
		return nil, errf("release: %w", err)
	}
	defer s.mu.Unlock()
	out := make([]bool, len(cs))
	for i, c := range cs {
		out[i] = s.release(c)
	}
	return out, nil
}

// release is Release of one claim under the lock.
func (t *tables) release(c schedule.Claim) bool {
	ri, ok := t.find(c.Reminder)
	if !ok {
		return false
	}
	r := t.recs.at(ri)
	j, found := t.findOcc(r, atKey(c.At), bot.RunOccurrence)
	if !found || r.occs[j].open == 0 {
		return false
	}
	k := r.occs[j].open - 1
	o := &t.opens.at(k).Occurrence
	if o.State != bot.Claimed || o.Owner != c.Owner || !o.LeaseUntil.Equal(c.LeaseUntil) || o.Attempts != 1 {
		return false
	}
	if r.next != atKey(c.Next) {
		// Changed since the claim: the run stays claimed, for whoever
		// runs at its time to take over.
		// Never posted: nothing to look for.
		t.updateOcc(r, k, func(o *bot.Occurrence) { o.LeaseUntil, o.Unsure = utc(c.At), false })
		return true
	}
	t.open.Delete(t.openKey(k))
	t.opens.drop(k)
	r.occs = slices.Delete(r.occs, j, j+1)
	t.update(ri, func(r *rec) { r.next = atKey(c.Expect) })
	return true
}
