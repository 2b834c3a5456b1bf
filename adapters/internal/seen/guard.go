package seen

import (
	"context"
	"time"
)

// Store remembers keys in the database every instance shares. The stores
// implement it with a table seen(key, expires_at).
type Store interface {
	// FirstSeen records key until expires and reports whether it was new
	// at now: false when any instance recorded it before and it has not
	// expired by now. Keys expired by now may be deleted.
	FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error)
}

// Guard refuses keys seen before: first by this process's Set, which
// costs no I/O and answers most repeats, then, with a Store, by every
// instance sharing it. It is safe for concurrent use.
type Guard struct {
	local *Set
	store Store
	ttl   time.Duration
}

// NewGuard returns a Guard remembering keys for ttl (at most max in this
// process). store may be nil: this process only.
func NewGuard(ttl time.Duration, max int, store Store) *Guard {
	return &Guard{local: New(ttl, max), store: store, ttl: ttl}
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
	first, err := g.store.FirstSeen(ctx, key, now, now.Add(g.ttl))
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
