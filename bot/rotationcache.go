package bot

import (
	"context"
	"slices"
	"sync"
	"time"
)

// rotationCache keeps the exercises each scope has had, so that a break
// need not read them back from the store: every write to a rotation goes
// through the Bot, which updates or drops the cached copy. Like the user
// cache it is on only with WithUserCache. Another instance's writes drop
// the copy when the store reports them (RotationChangeNotifier, which
// FollowRotationChanges follows), and in any case once the entry is ttl
// old.
type rotationCache struct {
	ttl time.Duration

	mu  sync.Mutex
	m   map[rotationKey]cachedRotation
	gen uint64
}

type rotationKey struct {
	tenant TenantID
	scope  string
}

type cachedRotation struct {
	used    []string // never changed in place
	expires time.Time
}

// rotation reads scope's rotation through the cache.
func (b *Bot) rotation(ctx context.Context, tenant TenantID, scope string) ([]string, error) {
	c := b.rotations
	if c == nil {
		return b.store.Rotation(ctx, tenant, scope)
	}
	k, now := rotationKey{tenant, scope}, b.clock.Now()
	c.mu.Lock()
	e, ok := c.m[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return slices.Clone(e.used), nil
	}
	used, err := b.store.Rotation(ctx, tenant, scope)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.put(k, slices.Clone(used), now)
	}
	return used, nil
}

// saved records that used was just stored for k, in write order.
func (c *rotationCache) saved(k rotationKey, used []string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(used) == 0 {
		used = nil // as the stores give it back
	}
	c.put(k, slices.Clone(used), now)
}

// forget drops k after a write whose order with others is not known.
func (c *rotationCache) forget(k rotationKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, k)
}

// put stores used for k, keeping an existing entry's expiry so that the
// store is read again within ttl. A full cache drops expired entries,
// then everything.
func (c *rotationCache) put(k rotationKey, used []string, now time.Time) {
	e, ok := c.m[k]
	if !ok || !now.Before(e.expires) {
		makeRoom(c.m, k, now, func(e cachedRotation) time.Time { return e.expires })
		e.expires = now.Add(c.ttl)
	}
	e.used = used
	c.m[k] = e
}

// forgetAll drops the rotations named, or every one if none is. A
// rotation whose copy is what the store says was written stays: the
// write was this instance's own, which it keeps already, or one it has
// read since. Reports come in the order of the writes, so a later write
// comes with a later report.
func (c *rotationCache) forgetAll(rs []RotationRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(rs) == 0 {
		c.gen++
		clear(c.m)
		return
	}
	for _, r := range rs {
		k := rotationKey{r.Tenant, r.Scope}
		if e, ok := c.m[k]; ok && r.Told && slices.Equal(e.used, r.Used) {
			continue
		}
		// Also when nothing is kept: a read of the store under way may
		// have read it before the write.
		c.gen++
		delete(c.m, k)
	}
}

// RotationsChanged tells the Bot that rotations changed in the store,
// through this instance or another: what it keeps of them is read again.
// With none named, every one is.
func (b *Bot) RotationsChanged(rotations ...RotationRef) {
	if c := b.rotations; c != nil {
		c.forgetAll(rotations)
	}
}

// FollowRotationChanges listens to the store's reports of rotations
// written by any instance sharing it (RotationChangeNotifier) and drops
// them from the rotation cache, until ctx ends; it then returns nil. It
// listens again after a failure, as FollowUserChanges does, and the
// store's report on starting drops every cached rotation, for the writes
// it may have missed. It returns at once when the cache is off or the
// store cannot report rotations.
func (b *Bot) FollowRotationChanges(ctx context.Context) error {
	n, ok := b.store.(RotationChangeNotifier)
	if !ok || b.rotations == nil {
		return nil
	}
	return b.followFeed(ctx, "rotation", func(ctx context.Context) error {
		return n.NotifyRotationChanges(ctx, b.RotationsChanged)
	})
}
