package seen

import (
	"context"
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
}

// pending is one key waiting for a shared write, with the time it was
// asked at.
type pending struct {
	key string
	now time.Time
}

// gather is how many times a record's write lets the requests already
// under way catch up with it (groupcommit.Batcher.Gather). Under a load of
// eight concurrent requests on SQLite a commit then carries about three
// keys; without it, about 1.3, and a Slack break took half as much CPU
// again. Yielding more often, or a set number of times, carried no more:
// the other requests are elsewhere in their way.
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

// Release gives back the memory this process's keys take once requests
// stop. Without a Store it forgets the keys expired at now (Set.Sweep).
// With one it forgets them all: the Store refuses every key First let
// through, so the copy here only spared it the repeats of a busy while,
// and the keys FirstLocal alone remembers are of requests whose replay
// does no harm. Under a request load that copy is tens of thousands of
// keys, which would otherwise stay for the whole ttl.
func (g *Guard) Release(now time.Time) {
	if g.store != nil {
		g.local.Clear()
		return
	}
	g.local.Sweep(now)
}
