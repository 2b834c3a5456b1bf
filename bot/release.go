package bot

import (
	"context"
	"time"
)

// ReleaseMemory drops the cached users, rotations and lists expired by
// now, which the caches otherwise keep until they fill up, and gives back
// the room a burst of commands made their maps grow to. The program calls
// it once requests stop.
func (b *Bot) ReleaseMemory(context.Context) {
	now := b.clock.Now()
	if c := b.users; c != nil {
		c.mu.Lock()
		c.m = sweep(c.m, now, func(e cachedUser) time.Time { return e.expires })
		c.mu.Unlock()
	}
	if c := b.rotations; c != nil {
		c.mu.Lock()
		c.m = sweep(c.m, now, func(e cachedRotation) time.Time { return e.expires })
		c.mu.Unlock()
	}
	if c := b.lists; c != nil {
		c.mu.Lock()
		c.m = sweep(c.m, now, func(e cachedList) time.Time { return e.expires })
		c.mu.Unlock()
	}
}

// sweep deletes m's entries expired at now. A Go map keeps the room of
// the most entries it held, so when what is left is at most half of what
// it held before (or nothing), sweep returns the entries in a map of their
// size instead of m.
func sweep[K comparable, E any](m map[K]E, now time.Time, expires func(E) time.Time) map[K]E {
	held := len(m)
	for k, e := range m {
		if !now.Before(expires(e)) {
			delete(m, k)
		}
	}
	if len(m) > 0 && len(m) > held/2 {
		return m
	}
	fresh := make(map[K]E, len(m))
	for k, e := range m {
		fresh[k] = e
	}
	return fresh
}
