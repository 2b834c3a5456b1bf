package seen

import (
	"context"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/internal/groupcommit"
)

// Store remembers keys in the database every instance shares. The stores
// implement it with a table seen(key, expires_at).
type Store interface {
	// FirstSeen records key until expires and reports whether it was new
	// at now: false when any instance recorded it before and it has not
	// expired by now. Keys expired by now may be deleted.
	FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error)
}

// BatchStore is a Store that can also record several keys in one write.
// A Guard over one lets concurrent requests share that write (a group
// commit) instead of paying one transaction each.
type BatchStore interface {
	Store
	// FirstSeenAll is FirstSeen for each of keys, in one transaction,
	// answering in the order given.
	FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error)
}

// LookupStore is a BatchStore that can also tell, without writing,
// whether a key is recorded. A Guard over one answers after a read and
// records its keys behind the answer, in groups (see Guard.First).
type LookupStore interface {
	BatchStore
	// Recorded reports, for each of keys in the order given, whether it
	// is recorded and unexpired at now.
	Recorded(ctx context.Context, keys []string, now time.Time) ([]bool, error)
}

// Behind is how long at most a key a Guard answered waits before it is
// written to a LookupStore; together with the write itself (a few
// milliseconds), this is the window in which another instance can still
// accept the same request, or a crash can lose the record. Keys arriving
// meanwhile share that write.
const Behind = 10 * time.Millisecond

// behindMax is how many queued keys start their write at once, without
// waiting for Behind.
const behindMax = 512

// retryBehind is how long a failed write of queued keys waits before it
// is tried again.
const retryBehind = time.Second

// Guard refuses keys seen before: first by this process's Set, which
// costs no I/O and answers most repeats, then, with a Store, by every
// instance sharing it. It is safe for concurrent use.
type Guard struct {
	local *Set
	store Store
	ttl   time.Duration
	// batch groups concurrent store writes when the store is a
	// BatchStore; nil otherwise.
	batch *groupcommit.Batcher[pending, bool]
	// lookup is the store as a LookupStore, or nil: keys are then
	// written before the answer, through batch.
	lookup LookupStore
	// reads groups the concurrent reads of a LookupStore.
	reads *groupcommit.Batcher[pending, bool]
	// behind is Behind, longer in tests that flush themselves.
	behind time.Duration

	// The keys answered but not yet written to lookup, and the timer
	// that writes them.
	mu    sync.Mutex
	queue []pending
	timer *time.Timer
	// writing serialises the writes of queued keys, so Flush returns
	// only after every key queued before it is stored.
	writing sync.Mutex
}

// pending is one key waiting for a shared write, with the time it was
// asked at.
type pending struct {
	key string
	now time.Time
}

// gather is how many times a record's write lets the requests already
// under way catch up with it (groupcommit.Batcher.Gather).
const gather = 4

// NewGuard returns a Guard remembering keys for ttl (at most max in this
// process). store may be nil: this process only.
func NewGuard(ttl time.Duration, max int, store Store) *Guard {
	g := &Guard{local: New(ttl, max), store: store, ttl: ttl}
	if bs, ok := store.(BatchStore); ok {
		g.batch = &groupcommit.Batcher[pending, bool]{Gather: gather, Flush: func(ctx context.Context, ps []pending) ([]bool, error) {
			// One time for the batch: the latest asked, so that no key is
			// kept for less than ttl. The others were asked at most one
			// write earlier.
			keys, now := make([]string, len(ps)), ps[0].now
			for i, p := range ps {
				keys[i] = p.key
				if p.now.After(now) {
					now = p.now
				}
			}
			if len(keys) == 1 {
				// Alone, one statement commits by itself: cheaper than a
				// transaction around it.
				first, err := bs.FirstSeen(ctx, keys[0], now, now.Add(ttl))
				return []bool{first}, err
			}
			return bs.FirstSeenAll(ctx, keys, now, now.Add(ttl))
		}}
	}
	return g
}

// NewBehindGuard is NewGuard for keys whose record may follow the answer
// by a few milliseconds (request signatures): over a LookupStore, First
// answers after a read and writes its key behind the answer, in one write
// with the other keys of the next Behind; the caller must Flush on
// shutdown. Over another store it is NewGuard.
func NewBehindGuard(ttl time.Duration, max int, store Store) *Guard {
	g := NewGuard(ttl, max, store)
	if ls, ok := store.(LookupStore); ok {
		g.lookup, g.batch, g.behind = ls, nil, Behind
		g.reads = &groupcommit.Batcher[pending, bool]{Gather: gather, Flush: func(ctx context.Context, ps []pending) ([]bool, error) {
			// The earliest time asked: a key expiring in between is
			// refused (it was recorded within ttl of that request).
			keys, now := make([]string, len(ps)), ps[0].now
			for i, p := range ps {
				keys[i] = p.key
				if p.now.Before(now) {
					now = p.now
				}
			}
			return ls.Recorded(ctx, keys, now)
		}}
	}
	return g
}

// First reports whether key is new at now, and remembers it. The empty key
// is always new. An error means the Store could not tell: the caller must
// not act on the request (fail closed), and since the key is then not
// remembered, the platform's retry of the same request can succeed later.
func (g *Guard) First(ctx context.Context, key string, now time.Time) (bool, error) {
	if key == "" {
		return true, nil
	}
	if !g.local.First(key, now) {
		return false, nil
	}
	if g.store == nil {
		return true, nil
	}
	if g.lookup != nil {
		// Durable behind the answer: the key is checked against what
		// every instance recorded (a read, no commit) and queued for a
		// write shared with the keys of the next Behind. This instance
		// refuses the key from now on (its Set); another instance
		// refuses it once the write is done, at most Behind plus the
		// write's own time (a few ms) later, and a crash in that window
		// loses the record. Flush writes what is queued on shutdown.
		rec, err := g.reads.Do(ctx, pending{key, now})
		if err != nil {
			g.local.Forget(key)
			return false, err
		}
		if rec {
			return false, nil
		}
		g.enqueue(pending{key, now})
		return true, nil
	}
	var (
		first bool
		err   error
	)
	if g.batch != nil {
		// The answer comes once the key is committed, so another
		// instance refuses a replay from then on.
		first, err = g.batch.Do(ctx, pending{key, now})
	} else {
		first, err = g.store.FirstSeen(ctx, key, now, now.Add(g.ttl))
	}
	if err != nil {
		g.local.Forget(key)
		return false, err
	}
	return first, nil
}

// FirstLocal is First asking only this process: for a request whose replay
// would do no harm beyond what any caller may see, where the Store's write
// is not worth its cost. A key remembered here is also refused by First.
func (g *Guard) FirstLocal(key string, now time.Time) bool {
	return g.local.First(key, now)
}

// enqueue queues p for the next write behind the answers, arming the
// timer that starts it (or starting it now when many are queued).
func (g *Guard) enqueue(p pending) {
	g.mu.Lock()
	g.queue = append(g.queue, p)
	now := len(g.queue) >= behindMax
	if g.timer == nil {
		g.timer = time.AfterFunc(g.behind, g.writeBehind)
	} else if now {
		g.timer.Reset(0)
	}
	g.mu.Unlock()
}

// writeBehind writes the queued keys (the timer's callback).
func (g *Guard) writeBehind() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.Flush(ctx); err != nil {
		// Keep the keys and try again: this instance refuses them
		// meanwhile from its Set.
		g.mu.Lock()
		if g.timer == nil && len(g.queue) > 0 {
			g.timer = time.AfterFunc(retryBehind, g.writeBehind)
		}
		g.mu.Unlock()
	}
}

// Flush writes every key answered so far to the store and returns once
// they are stored: on shutdown, so that other instances refuse them. Keys
// whose write fails stay queued (and are tried again), unless they have
// outlived the Guard's ttl.
func (g *Guard) Flush(ctx context.Context) error {
	if g.lookup == nil {
		return nil
	}
	g.writing.Lock()
	defer g.writing.Unlock()
	g.mu.Lock()
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	ps := g.queue
	g.queue = nil
	g.mu.Unlock()
	if len(ps) == 0 {
		return nil
	}
	// One time for the batch: the latest asked, so that no key is kept
	// for less than ttl.
	keys, now := make([]string, len(ps)), ps[0].now
	for i, p := range ps {
		keys[i] = p.key
		if p.now.After(now) {
			now = p.now
		}
	}
	// A key another instance recorded meanwhile (a replay both accepted
	// within the window) gets false here; nothing is left to refuse.
	if _, err := g.lookup.FirstSeenAll(ctx, keys, now, now.Add(g.ttl)); err != nil {
		keep := ps[:0]
		for _, p := range ps {
			if now.Sub(p.now) < g.ttl {
				keep = append(keep, p)
			}
		}
		g.mu.Lock()
		g.queue = append(keep, g.queue...)
		g.mu.Unlock()
		return err
	}
	return nil
}
