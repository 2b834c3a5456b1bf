package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// listCache keeps what `list` read from the store, per tenant, owner and
// channel, so that asking again does not read the same rows. It holds rows,
// not answers: the answer is written for each request (times are relative
// to now, in the caller's zone).
//
// An entry is dropped, with every other one, whenever reminders change:
//   - at once after any change this Bot makes (every command that is not
//     pure, and every wake of the scheduler);
//   - when the store reports a change made by any instance
//     (RemindersChanged, which the scheduler's change listener calls);
//   - at the latest ttl after it was read, for the changes no store
//     reports (a run skipped or a timed pause shortened on another
//     instance), and a few seconds before the first run it shows, since the
//     scheduler moves next runs without a report.
//
// gen counts the drops, so that a read that raced a change does not put
// back what the change replaced.
type listCache struct {
	ttl time.Duration

	mu  sync.Mutex
	m   map[ReminderFilter]cachedList
	gen uint64
}

type cachedList struct {
	rs      []Reminder // never changed once cached
	expires time.Time
}

// listRunMargin is how long before a reminder's next run its cached row
// is read again: the scheduler claims a run up to a few seconds early and
// moves its next run then, without a change report.
const listRunMargin = 10 * time.Second

// WithListCache keeps the rows `list` reads for up to ttl (0, the default:
// off). Changes made by this Bot drop them at once, as do the changes the
// store reports from any instance when the scheduler runs with the Bot's
// RemindersChanged as its change listener; ttl bounds how long a change no
// store reports (another instance skipping a run) can go unseen.
func WithListCache(ttl time.Duration) Option {
	return func(b *Bot) error {
		if ttl < 0 {
			return errors.New("bot: negative list cache TTL")
		}
		if ttl > 0 {
			b.lists = &listCache{ttl: ttl, m: map[ReminderFilter]cachedList{}}
		}
		return nil
	}
}

// RemindersChanged tells the Bot that reminders changed in the store,
// through this instance or another: what it keeps of them in memory is
// read again. ids may name them; it does not matter which.
func (b *Bot) RemindersChanged(...ReminderID) {
	if c := b.lists; c != nil {
		c.drop()
	}
}

// drop forgets every entry, after a change.
func (c *listCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}

// listed reads the reminders `list` shows through the cache. The slice is
// shared: callers must not change it.
func (b *Bot) listed(ctx context.Context, f ReminderFilter) ([]Reminder, error) {
	c := b.lists
	if c == nil {
		return b.store.Reminders(ctx, f)
	}
	now := b.clock.Now()
	c.mu.Lock()
	e, ok := c.m[f]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.rs, nil
	}
	rs, err := b.store.Reminders(ctx, f)
	if err != nil {
		return nil, err
	}
	expires := now.Add(c.ttl)
	for _, r := range rs {
		if !r.NextRun.IsZero() {
			if t := r.NextRun.Add(-listRunMargin); t.Before(expires) {
				expires = t
			}
		}
	}
	if !now.Before(expires) {
		return rs, nil // a run is near: read again next time
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		makeRoom(c.m, f, now, func(e cachedList) time.Time { return e.expires })
		c.m[f] = cachedList{rs: rs, expires: expires}
	}
	return rs, nil
}
