package bot

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
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
	listing // never changed once cached
	expires time.Time
}

// listing is what `list` shows: the reminders, by creation, and when a
// snooze of any of them comes. page, set on a cached listing only, keeps
// the last page written from it (see writtenPage).
type listing struct {
	rs      []Reminder
	snoozed map[ReminderID]time.Time
	page    *atomic.Pointer[writtenPage]
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

// cached is the listing kept for f, if it is still valid at now.
func (c *listCache) cached(f ReminderFilter, now time.Time) (listing, bool) {
	c.mu.Lock()
	e, ok := c.m[f]
	c.mu.Unlock()
	if !ok || !now.Before(e.expires) {
		return listing{}, false
	}
	return e.listing, true
}

// listed reads what `list` shows through the cache. It is shared: callers
// must not change it.
func (b *Bot) listed(ctx context.Context, f ReminderFilter) (listing, error) {
	c := b.lists
	if c == nil {
		return b.readListing(ctx, f)
	}
	now := b.clock.Now()
	c.mu.Lock()
	e, ok := c.m[f]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.listing, nil
	}
	l, err := b.readListing(ctx, f)
	if err != nil {
		return listing{}, err
	}
	expires := now.Add(c.ttl)
	soon := func(at time.Time) {
		if t := at.Add(-listRunMargin); !at.IsZero() && t.Before(expires) {
			expires = t
		}
	}
	for _, r := range l.rs {
		soon(r.NextRun)
	}
	for _, at := range l.snoozed {
		soon(at) // gone once delivered, which another instance may do
	}
	if !now.Before(expires) {
		return l, nil // a run is near: read again next time
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		makeRoom(c.m, f, now, func(e cachedList) time.Time { return e.expires })
		l.page = new(atomic.Pointer[writtenPage])
		c.m[f] = cachedList{listing: l, expires: expires}
	}
	return l, nil
}

// readListing reads from the store what `list` shows for f: its reminders
// and, when the store keeps them apart (SnoozeLister), the snoozes still to
// come. A reminder that has run its course shows too while a snooze of it
// is to come (a one-off snoozed after it arrived), in its place by
// creation.
func (b *Bot) readListing(ctx context.Context, f ReminderFilter) (listing, error) {
	rs, err := b.store.Reminders(ctx, f)
	if err != nil {
		return listing{}, err
	}
	l := listing{rs: rs}
	sl, ok := b.store.(SnoozeLister)
	if !ok {
		return l, nil
	}
	os, err := sl.PendingSnoozes(ctx, f.Tenant)
	if err != nil || len(os) == 0 {
		return l, err
	}
	listed := make(map[ReminderID]bool, len(rs))
	for _, r := range rs {
		listed[r.ID] = true
	}
	added := false
	for _, o := range os {
		if _, had := l.snoozed[o.Reminder]; had {
			continue // the earliest of its snoozes came first
		}
		if !listed[o.Reminder] {
			r, err := b.store.Reminder(ctx, f.Tenant, o.Reminder)
			if ErrorCode(err) == ENOTFOUND {
				continue
			}
			if err != nil {
				return listing{}, err
			}
			// What the filter lists: the caller's own, and the channel's
			// team breaks.
			if r.Owner != f.Owner && (r.Kind != ChannelSchedule || r.Channel != f.Channel || f.Channel == "") {
				continue
			}
			l.rs, listed[r.ID], added = append(l.rs, r), true, true
		}
		if l.snoozed == nil {
			l.snoozed = map[ReminderID]time.Time{}
		}
		l.snoozed[o.Reminder] = o.At
	}
	if added {
		slices.SortStableFunc(l.rs, func(a, b Reminder) int {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		})
	}
	return l, nil
}
