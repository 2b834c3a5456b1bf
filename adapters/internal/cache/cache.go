// Package cache is a small bounded map whose entries expire: what the
// adapters remember about users and channels between API look-ups.
package cache

import (
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/internal/expiry"
)

// Cache maps keys to values for a time each. It holds at most max entries:
// when full, expired entries go first, then everything (a look-up costs one
// API call, so forgetting is cheap). The zero value is not usable; use New.
type Cache[V any] struct {
	max int

	mu sync.Mutex
	m  map[string]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

// New returns an empty cache of at most max entries.
func New[V any](max int) *Cache[V] {
	return &Cache[V]{max: max, m: map[string]entry[V]{}}
}

// Get returns the value for key if it has not expired at now.
func (c *Cache[V]) Get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put stores v for key until now+ttl.
func (c *Cache[V]) Put(key string, v V, ttl time.Duration, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		for k, e := range c.m {
			if !now.Before(e.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[key] = entry[V]{v: v, expires: now.Add(ttl)}
}

// Delete forgets key.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// Len is the number of entries held, expired ones included.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Sweep drops the entries expired at now, and gives back the room of the
// most entries the cache held once at most half of them are left.
func (c *Cache[V]) Sweep(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = expiry.Sweep(c.m, now, func(e entry[V]) time.Time { return e.expires })
}
