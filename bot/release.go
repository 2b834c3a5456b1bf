package bot

import (
	"context"
	"time"

	"github.com/stretchbot/stretchbot/internal/expiry"
)

// ReleaseMemory drops the cached users, rotations and lists expired by
// now, which the caches otherwise keep until they fill up, and gives back
// the room a burst of commands made their maps grow to. The program calls
// it once requests stop.
func (b *Bot) ReleaseMemory(context.Context) {
	now := b.clock.Now()
	if c := b.users; c != nil {
		c.mu.Lock()
		c.m = expiry.Sweep(c.m, now, func(e cachedUser) time.Time { return e.expires })
		c.mu.Unlock()
	}
	if c := b.rotations; c != nil {
		c.mu.Lock()
		c.m = expiry.Sweep(c.m, now, func(e cachedRotation) time.Time { return e.expires })
		c.mu.Unlock()
	}
	if c := b.lists; c != nil {
		c.mu.Lock()
		c.m = expiry.Sweep(c.m, now, func(e cachedList) time.Time { return e.expires })
		c.mu.Unlock()
	}
}
