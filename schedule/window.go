package schedule

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// item is one entry in the window: a reminder's next run, or an open
// occurrence's lease expiry. It holds what a claim needs, not the reminder:
// with a hundred thousand schedules in the window, full copies cost a
// kilobyte each; the claim returns the reminder to deliver.
type item struct {
	due   time.Time
	index int    // in the heap; -1 once popped
	seq   uint64 // numbers the items as they are queued (see Less)
	id    bot.ReminderID

	// A reminder's run (occ nil): due is its NextRun.
	ref  uint64   // the store's hint (DueRun.Ref), for its claim
	rule bot.Rule // nil when the stored rule cannot be read
	odd  *runOdd  // nil for most runs
	// who is what a Skipper judges a repeating rule's runs by besides id
	// and due (nil without a Skipper).
	who *runOf

	// An open occurrence: due is its LeaseUntil.
	occ *bot.Occurrence
	// failures counts the occurrence's transient failures in a row for
	// which the platform named no time to wait (a retry this instance
	// queued): the engine's backoff doubles per failure. Waits the
	// platform named (rate limits) do not count, or a run held back by
	// its own pacing a few times would wait minutes after one error.
	failures int
}

// runOdd holds what few runs have: the error that kept a stored rule from
// being read, a pause until a time. Kept apart, it leaves a window of a
// million runs a quarter smaller, and each run's item that much less to
// write when the window is loaded.
type runOdd struct {
	ruleErr     error
	pausedUntil time.Time
	// lost are claims of this run whose batch failed with no answer: one
	// may have committed all the same (the connection broke during the
	// commit), leaving this instance a claim nobody delivers before its
	// lease ends. See Engine.takeLostClaims.
	lost []lostClaim
}

// lostClaim is a claim whose outcome the store never told: the run and the
// lease it asked for.
type lostClaim struct{ at, lease time.Time }

// maxLostClaims bounds what a run keeps of claims that failed: each later
// one asks for the same next run, so at most one of them committed.
const maxLostClaims = 4

// noteLostClaim keeps c, a claim of it whose batch failed, for the
// claim that comes after the store answers again.
func (it *item) noteLostClaim(c Claim) {
	var odd runOdd
	if it.odd != nil {
		odd = *it.odd
	}
	if len(odd.lost) >= maxLostClaims {
		return
	}
	odd.lost = append(slices.Clip(odd.lost), lostClaim{at: c.At, lease: c.LeaseUntil})
	it.odd = &odd
}

// lostClaims are claims of it whose outcome is unknown (see runOdd.lost).
func (it *item) lostClaims() []lostClaim {
	if it.odd == nil {
		return nil
	}
	return it.odd.lost
}

// oddRun returns the rare parts of a run, nil if it has none.
func oddRun(ruleErr error, pausedUntil time.Time) *runOdd {
	if ruleErr == nil && pausedUntil.IsZero() {
		return nil
	}
	return &runOdd{ruleErr: ruleErr, pausedUntil: pausedUntil}
}

// ruleErr is why the run's stored rule cannot be read (rule nil).
func (it *item) ruleErr() error {
	if it.odd == nil {
		return nil
	}
	return it.odd.ruleErr
}

// pausedUntil is when the run's reminder is paused until (zero: not).
func (it *item) pausedUntil() time.Time {
	if it.odd == nil {
		return time.Time{}
	}
	return it.odd.pausedUntil
}

// itemKey identifies an item without formatting anything: a reminder's
// run by (reminder, NextRun), an occurrence by (reminder, At, Kind).
type itemKey struct {
	id   bot.ReminderID
	at   int64
	kind uint8 // 0 for a reminder's run; see kindCode
}

func (it *item) key() itemKey {
	if it.occ != nil {
		return occKey(it.occ.Reminder, it.occ.At, it.occ.Kind)
	}
	return itemKey{id: it.id, at: it.due.UnixNano()}
}

func occKey(id bot.ReminderID, at time.Time, kind bot.OccurrenceKind) itemKey {
	return itemKey{id: id, at: at.UnixNano(), kind: kindCode(kind)}
}

// kindCode numbers an occurrence's kind for its key (a number hashes
// faster than a string): never 0, which is a reminder's run.
func kindCode(k bot.OccurrenceKind) uint8 {
	switch k {
	case bot.RunOccurrence:
		return 1
	case bot.SnoozeOccurrence:
		return 2
	}
	return 3
}

type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }

// Less orders by due, then by when each was queued: runs sharing an
// instant (thousands, with a million schedules) are claimed in the order
// the store listed them, its due index's. A store then takes them off
// that index's front and adds their next runs at its end, in order,
// rather than at places all over an instant's stretch of it.
func (h itemHeap) Less(i, j int) bool {
	if c := h[i].due.Compare(h[j].due); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h itemHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *itemHeap) Push(x any) {
	it := x.(*item)
	it.index = len(*h)
	*h = append(*h, it)
}
func (h *itemHeap) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	old[n-1] = nil
	it.index = -1
	*h = old[:n-1]
	return it
}

// add puts it in the window unless its key is already there or in flight.
// A queued item is refreshed instead (its reminder's pause, or its
// occurrence's lease, may have changed). Call with e.mu held.
func (e *Engine) add(it *item) bool { return e.addFrom(it, 0) }

// addFrom is add for an item the refill numbered epoch loaded (0: not a
// refill's).
func (e *Engine) addFrom(it *item, epoch uint64) bool {
	if it.occ == nil {
		return e.addRun(it, epoch)
	}
	k := it.key()
	cur, ok := e.known[k]
	if !ok {
		e.known[k] = it
		e.pushSeq(it)
		return true
	}
	if cur.index < 0 {
		return false // in flight
	}
	cur.rule, cur.odd, cur.who, cur.occ = it.rule, it.odd, it.who, it.occ
	if !cur.due.Equal(it.due) {
		cur.due = it.due
		heap.Fix(&e.queue, cur.index)
	}
	return false
}

// instant holds the reminders' runs queued for one instant, so that a
// refill finds those it loads again without hashing every reminder id it
// loads: a map keyed by id reads each id's bytes, a cache miss per run
// with a million reminders, and most refills load only runs not queued
// yet. An instant leaves the engine's map once its last run is taken out
// of the window: its runs are then claimed (the Run loop claims them
// before it refills again), and a won claim moves NextRun, so no refill
// returns them again.
type instant struct {
	runs   []*item // queued here, and some since taken out (index -1)
	queued int     // how many of runs are in the window
	// epoch is the refill that queued every run here, which loaded each
	// reminder once; 0 once another refill, or anything else, queued one.
	epoch uint64
	// byID indexes runs, built when a run comes to an instant that holds
	// runs of another refill.
	byID map[bot.ReminderID]*item
}

// addRun is add for a reminder's run (it.occ nil).
func (e *Engine) addRun(it *item, epoch uint64) bool {
	at := it.due.UnixNano()
	g := e.instants[at]
	switch {
	case g == nil:
		g = e.newInstant(epoch)
		e.instants[at] = g
	case epoch != 0 && g.epoch == epoch:
		// Only this refill's runs are here: it is not one of them.
	default:
		g.epoch = 0
		if g.byID == nil {
			g.byID = make(map[bot.ReminderID]*item, len(g.runs))
			for _, r := range g.runs {
				g.byID[r.id] = r
			}
		}
		if cur := g.byID[it.id]; cur != nil {
			if cur.index >= 0 {
				cur.ref, cur.rule, cur.odd, cur.who = it.ref, it.rule, it.odd, it.who
			}
			return false // queued, or being claimed
		}
	}
	e.queueRun(g, it)
	return true
}

// queueRun puts the run it in the window at instant g.
func (e *Engine) queueRun(g *instant, it *item) {
	g.runs = append(g.runs, it)
	g.queued++
	if g.byID != nil {
		g.byID[it.id] = it
	}
	e.pushSeq(it)
}

// pushSeq queues a new item in the heap, numbered after those before it.
// Call with e.mu held.
func (e *Engine) pushSeq(it *item) {
	e.seq++
	it.seq = e.seq
	heap.Push(&e.queue, it)
}

// requeueRuns puts back in the window runs taken out whose claim failed.
// Call with e.mu held.
func (e *Engine) requeueRuns(runs []*item) {
	for _, it := range runs {
		at := it.due.UnixNano()
		g := e.instants[at]
		if g == nil {
			g = e.newInstant(0)
			e.instants[at] = g
		}
		g.epoch = 0
		if g.byID != nil {
			if cur := g.byID[it.id]; cur != nil && cur != it {
				continue // loaded again meanwhile
			}
		}
		e.queueRun(g, it) // it may now be twice in g.runs: harmless
	}
}

// tookRun counts the run it out of the window: the last of its instant
// takes the instant with it. Call with e.mu held.
func (e *Engine) tookRun(it *item) {
	at := it.due.UnixNano()
	if g := e.instants[at]; g != nil {
		if g.queued--; g.queued <= 0 {
			delete(e.instants, at)
			clear(g.runs)
			e.spareRuns.put(g.runs)
		}
	}
}

// newInstant is an instant for the window, with the memory of one taken
// out if any is left: with a million schedules spread over the minute an
// instant holds some 17 000 runs, and a list grown again from nothing for
// every second was most of what the window allocated. Call with e.mu held.
func (e *Engine) newInstant(epoch uint64) *instant {
	return &instant{epoch: epoch, runs: e.spareRuns.take()}
}

// push adds an item to the window and re-arms the Run loop's timer.
func (e *Engine) push(it *item) {
	e.mu.Lock()
	added := e.add(it)
	e.mu.Unlock()
	if added {
		e.rearmNow()
	}
}

func (e *Engine) rearmNow() {
	select {
	case e.rearm <- struct{}{}:
	default:
	}
}

// finish forgets keys that were in flight, then queues next (a retry) if
// not nil. A reminder's run has no key to forget (see instant): its job
// ends without taking the lock.
func (e *Engine) finish(next *item, keys ...itemKey) {
	if next == nil && (len(keys) == 0 || len(keys) == 1 && keys[0].kind == 0) {
		return
	}
	e.mu.Lock()
	for _, k := range keys {
		if k.kind != 0 {
			delete(e.known, k)
		}
	}
	added := next != nil && e.add(next)
	e.mu.Unlock()
	if added {
		e.rearmNow()
	}
}

// refill adds to the window what the store says is due before now+window:
// reminders by NextRun, open occurrences by LeaseUntil. It costs what it
// loads: items already queued are found by key, and stale ones stay (a
// stale item costs one failed claim, no more).
func (e *Engine) refill(ctx context.Context, now time.Time) error {
	e.trimSpares(now)
	until := now.Add(e.window)
	items, rows, err := e.dueRuns(ctx, until)
	if err != nil {
		e.clearMore()
		return fmt.Errorf("schedule: due reminders: %w", err)
	}
	e.countBurst(ctx, rows)
	occs, err := e.store.OpenOccurrences(ctx, until, e.batch)
	if err != nil {
		e.clearMore()
		return fmt.Errorf("schedule: open occurrences: %w", err)
	}
	// Apart from the runs' items: appended to them, a refill would copy
	// every run's item again.
	occItems := make([]item, len(occs))
	for i := range occs {
		occItems[i] = item{due: occs[i].LeaseUntil, id: occs[i].Reminder, occ: &occs[i]}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.progress = 0
	e.epoch++
	for i := range len(items) + len(occItems) {
		var it *item
		if i < len(items) {
			it = &items[i]
		} else {
			it = &occItems[i-len(items)]
		}
		if o := it.occ; o != nil && o.State == bot.Claimed && o.Owner == e.owner && o.LeaseUntil.After(now) {
			// This instance holds it: a run being delivered (not in the
			// window: its key would cost a map entry per run), or a retry,
			// which is in the window already.
			if _, ok := e.known[it.key()]; !ok {
				continue
			}
		}
		if e.addFrom(it, e.epoch) {
			e.progress++
		}
	}
	// A full batch covers the window only up to its last item: beyond it
	// there may be runs not loaded yet, so the next refill must come no
	// later than that (with a million hourly schedules a batch of 1 000 is
	// four seconds of work). If even that item is due, refill at once.
	e.covered = until
	if rows.n == e.batch {
		e.covered = rows.last
	}
	if len(occs) == e.batch && occs[len(occs)-1].LeaseUntil.Before(e.covered) {
		e.covered = occs[len(occs)-1].LeaseUntil
	}
	e.more = !e.covered.After(now)
	e.full = rows.n == e.batch || len(occs) == e.batch
	e.metrics.Window(len(e.queue))
	return nil
}

// loaded describes the rows a refill's query for runs returned: how many,
// and the first and last one's NextRun.
type loaded struct {
	n           int
	first, last time.Time
}

// dueRuns loads the reminders' runs due by until, at most a batch, as
// window items (those of the platforms this engine serves). A store that
// lists compact runs (RunLister) is asked for those; another's reminders
// are read as such runs.
func (e *Engine) dueRuns(ctx context.Context, until time.Time) ([]item, loaded, error) {
	var rows loaded
	var runs []DueRun
	if l, ok := e.store.(RunLister); ok {
		e.runsMu.Lock()
		defer e.runsMu.Unlock()
		var err error
		if runs, err = l.DueRuns(ctx, until, e.batch, e.runsBuf); err != nil {
			return nil, rows, err
		}
		e.runsBuf = runs
		defer clear(runs) // the buffer keeps no strings alive
	} else {
		rs, err := e.store.DueReminders(ctx, until, e.batch)
		if err != nil {
			return nil, rows, err
		}
		runs = make([]DueRun, len(rs))
		for i, r := range rs {
			runs[i] = DueRun{Reminder: r.ID, Tenant: r.Tenant, Platform: r.Platform, Kind: r.Kind, Owner: r.Owner,
				Channel: r.Channel, Rule: r.Rule, Zone: r.Zone, NextRun: r.NextRun, PausedUntil: r.PausedUntil}
		}
	}
	if len(runs) > 0 {
		rows = loaded{len(runs), runs[0].NextRun, runs[len(runs)-1].NextRun}
	}
	// Rules are read outside the window's lock; most come from the cache.
	items := make([]item, 0, len(runs))
	// A Skipper's parts of the runs, in one allocation (the items share
	// theirs too).
	var whos []runOf
	if e.skips() {
		whos = make([]runOf, 0, len(runs))
	}
	// Runs listed together often share a rule (schedules at one instant):
	// the last one read is compared first, which costs less than hashing
	// its text for the cache.
	var last struct {
		read       bool
		zone, spec string
		rule       bot.Rule
		err        error
	}
	for i := range runs {
		r := &runs[i]
		if !e.serves(r.Platform) {
			continue
		}
		if !last.read || last.err != nil || r.Rule != last.spec || r.Zone != last.zone {
			last.read, last.zone, last.spec = true, r.Zone, r.Rule
			last.rule, last.err = e.rule(r.Reminder, r.Zone, r.Rule)
		}
		rule, err := last.rule, last.err
		it := item{due: r.NextRun, id: r.Reminder, ref: r.Ref, rule: rule, odd: oddRun(err, r.PausedUntil)}
		if whos != nil && rule != nil && rule.Repeats() {
			whos = append(whos, runOf{tenant: r.Tenant, platform: r.Platform, kind: r.Kind, owner: r.Owner,
				channel: r.Channel, rule: r.Rule, zone: r.Zone})
			it.who = &whos[len(whos)-1]
		}
		items = append(items, it)
	}
	return items, rows, nil
}

// skips reports whether the deliverer passes runs over (Skipper).
func (e *Engine) skips() bool {
	_, ok := e.deliver.(Skipper)
	return ok
}

// runOf is what a Skipper is told of a reminder besides its id and next
// run, which the window's item holds: the fields of bot.Reminder that a
// DueRun has too, so that runs listed compactly and reminders read whole
// are judged alike.
type runOf struct {
	tenant   bot.TenantID
	platform bot.Platform
	kind     bot.ReminderKind
	owner    bot.UserID
	channel  bot.ChannelID
	rule     string
	zone     string
}

// reminder is the reminder a Skipper judges the run of id at next by
// (see Skipper): nothing else of it is set.
func (w *runOf) reminder(id bot.ReminderID, next time.Time) bot.Reminder {
	return bot.Reminder{ID: id, Tenant: w.tenant, Platform: w.platform, Kind: w.kind, Owner: w.owner,
		Channel: w.channel, Rule: w.rule, Zone: w.zone, NextRun: next}
}

// forSkipper returns what of r a Skipper judges its runs by, or nil when
// there is no Skipper or r does not repeat. It is had when that is the
// same (a run's next run, as a rule rarely changes), so as to allocate
// nothing.
func (e *Engine) forSkipper(r *bot.Reminder, rule bot.Rule, had *runOf) *runOf {
	if !e.skips() || rule == nil || !rule.Repeats() {
		return nil
	}
	w := runOf{tenant: r.Tenant, platform: r.Platform, kind: r.Kind, owner: r.Owner, channel: r.Channel,
		rule: r.Rule, zone: r.Zone}
	if had != nil && *had == w {
		return had
	}
	return &w
}

// clearMore forgets that a refill left work to load: after a failed one,
// only the store's recovery may bring the next.
func (e *Engine) clearMore() {
	e.mu.Lock()
	e.more = false
	e.mu.Unlock()
}

// popDue takes out of the window up to max items, appended to runs and
// occs: reminders' runs due by horizon, open occurrences due by now (an
// occurrence's due time is when its lease ends: taking it earlier would
// take it from a live holder). It leaves the occurrences' keys known as in
// flight.
func (e *Engine) popDue(now, horizon time.Time, max int, runs, occs []*item) ([]*item, []*item) {
	e.mu.Lock()
	defer e.mu.Unlock()
	given := len(runs) + len(occs)
	var held []*item
	for len(e.queue) > 0 && !e.queue[0].due.After(horizon) && len(runs)+len(occs) < max {
		it := heap.Pop(&e.queue).(*item)
		switch {
		case it.occ == nil:
			e.tookRun(it)
			runs = append(runs, it)
		case !it.due.After(now):
			occs = append(occs, it)
		default:
			held = append(held, it)
		}
	}
	for _, it := range held {
		heap.Push(&e.queue, it)
	}
	if len(runs)+len(occs) > given {
		e.lastWork, e.trimmedIdle = now, false
	}
	e.progress += len(runs) + len(occs)
	return runs, occs
}

// nextWake is when the Run loop must next fire something: a run's claim
// ahead before it is due (half of it, so that each wake-up claims half a
// horizon's worth at once), an occurrence when its lease ends, and, after
// a full refill, when its last run comes within the burst lead. Zero when
// the window is empty.
func (e *Engine) nextWake() time.Time {
	long := e.longLead()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.queue) == 0 {
		return time.Time{}
	}
	head := e.queue[0]
	if head.occ != nil {
		return head.due
	}
	w := head.due.Add(-claimAhead / 2)
	// A burst's lead starts when it comes within longLead; once lead has
	// acted on it, its runs are claimed at their own wakes (a wake in the
	// past would make the loop spin).
	if b := e.burstAt.Add(-long); !e.burstSeen && !e.burstAt.IsZero() && b.Before(w) {
		w = b
	}
	return w
}

// rule returns the parsed rule spec in zone, of the reminder id.
func (e *Engine) rule(id bot.ReminderID, zone, spec string) (bot.Rule, error) {
	key := ruleKey{zone, spec}
	e.rulesMu.RLock()
	rule, ok := e.ruleMap[key]
	e.rulesMu.RUnlock()
	if ok {
		return rule, nil
	}
	loc, err := zones.Load(zone)
	if err != nil {
		return nil, fmt.Errorf("schedule: zone %q of #%s: %w", zone, id, err)
	}
	rule, err = e.rules.Load(spec, loc)
	if err != nil {
		return nil, fmt.Errorf("schedule: rule of #%s: %w", id, err)
	}
	e.rulesMu.Lock()
	if len(e.ruleMap) > 100_000 {
		e.ruleMap = map[ruleKey]bot.Rule{} // bounded: rebuilding is cheap
	}
	e.ruleMap[key] = rule
	e.rulesMu.Unlock()
	return rule, nil
}

// ruleKey names a parsed rule in the engine's cache.
type ruleKey struct{ zone, spec string }
