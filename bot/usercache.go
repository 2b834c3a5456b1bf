package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// maxCachedUsers bounds the user cache; when it is full, expired entries
// go first, then everything (a miss costs one store read).
const maxCachedUsers = 50000

// WithUserCache keeps callers' settings, and the exercises their breaks
// have had, in memory for up to ttl, so that a command does not read the
// store for them each time. Every change the Bot makes to a user drops
// or replaces the cached copy at once. Changes made by another process
// sharing the store drop it when the store reports them (UsersChanged,
// which FollowUserChanges calls for a store that is a
// UserChangeNotifier), and in any case once the entry is ttl old: ttl
// bounds how long a change goes unseen while the store cannot report it,
// and what stores do not report (a count of runs passed over). Rotations
// are dropped alike when the store reports them (RotationsChanged, which
// FollowRotationChanges calls for a RotationChangeNotifier). The last
// break, which stores need not report, is read from the store where it
// matters (storedUser). 0, the default, leaves the cache off.
func WithUserCache(ttl time.Duration) Option {
	return func(b *Bot) error {
		if ttl < 0 {
			return errors.New("bot: negative user cache TTL")
		}
		if ttl > 0 {
			b.users = &userCache{ttl: ttl, m: map[userKey]cachedUser{}}
			b.rotations = &rotationCache{ttl: ttl, m: map[rotationKey]cachedRotation{}}
		}
		return nil
	}
}

// makeRoom keeps a cache map within maxCachedUsers entries before k is
// added to it: when it is full, expired entries go, then, if that is not
// enough, all of them.
func makeRoom[K comparable, E any](m map[K]E, k K, now time.Time, expires func(E) time.Time) {
	if _, ok := m[k]; ok || len(m) < maxCachedUsers {
		return
	}
	for k, e := range m {
		if !now.Before(expires(e)) {
			delete(m, k)
		}
	}
	if len(m) >= maxCachedUsers {
		clear(m)
	}
}

type userKey struct {
	tenant TenantID
	id     UserID
}

type cachedUser struct {
	u       User
	found   bool // false: the store has no such user yet
	expires time.Time
}

// userCache is a bounded map of users with an expiry each. gen counts
// changes, so that a read that raced a change does not put back what the
// change replaced.
type userCache struct {
	ttl time.Duration

	mu  sync.Mutex
	m   map[userKey]cachedUser
	gen uint64
}

// get returns the cached user, if any and fresh at now.
func (c *userCache) get(k userKey, now time.Time) (cachedUser, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || !now.Before(e.expires) {
		return cachedUser{}, c.gen, false
	}
	return e, c.gen, true
}

// put remembers what the store answered, unless a change came in since
// the read began at generation gen.
func (c *userCache) put(k userKey, e cachedUser, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.store(k, e, now)
}

// forget drops k after a write: the next read goes to the store, which
// alone knows the whole row (a save does not write every field: the skip
// count is CountSkip's). Reads in flight do not put back the old copy.
func (c *userCache) forget(k userKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, k)
}

// saved replaces the cached copy of u, if there is one, with u as just
// stored by SaveUser or SaveBreaks, so the next command need not read it
// back. The store keeps its own skip count, which the cached copy already
// has; the entry keeps its expiry, so changes made elsewhere are still
// seen within ttl. Reads in flight do not put back the old copy.
func (c *userCache) saved(u User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	k := userKey{u.Tenant, u.ID}
	e, ok := c.m[k]
	if !ok {
		return
	}
	u.Skipped = 0 // a user the store did not have starts with none
	if e.found {
		u.Skipped = e.u.Skipped
	}
	// As the stores give times back: UTC, without a monotonic reading.
	for _, t := range []*time.Time{&u.LastBreak, &u.AwayUntil, &u.LevelSince, &u.LevelOffered} {
		if !t.IsZero() {
			*t = t.UTC().Round(0)
		}
	}
	c.m[k] = cachedUser{u: u, found: true, expires: e.expires}
}

func (c *userCache) store(k userKey, e cachedUser, now time.Time) {
	makeRoom(c.m, k, now, func(e cachedUser) time.Time { return e.expires })
	e.expires = now.Add(c.ttl)
	c.m[k] = e
}

// user reads a user's settings through the cache: ErrNotFound (an
// ENOTFOUND error) when the store has none.
func (b *Bot) user(ctx context.Context, tenant TenantID, id UserID) (User, error) {
	c := b.users
	if c == nil {
		return b.store.User(ctx, tenant, id)
	}
	k := userKey{tenant, id}
	now := b.clock.Now()
	e, gen, ok := c.get(k, now)
	if !ok {
		u, err := b.store.User(ctx, tenant, id)
		switch {
		case err == nil:
			e = cachedUser{u: u, found: true}
		case ErrorCode(err) == ENOTFOUND:
			e = cachedUser{}
		default:
			return User{}, err
		}
		c.put(k, e, gen, now)
	}
	if !e.found {
		return User{}, ErrNotFound
	}
	return e.u, nil
}

// storedUser reads a user's settings from the store, not the cache: with
// the last break, which stores do not report to other instances (see
// UserChangeNotifier), so a cached copy may hold an older one. Commands
// read it so where the last break matters: `done` credits it, and a
// settings change writes it back. A user the store does not have yet
// comes back with only its ids.
func (b *Bot) storedUser(ctx context.Context, tenant TenantID, id UserID) (User, error) {
	u, err := b.store.User(ctx, tenant, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return User{Tenant: tenant, ID: id}, nil
	case err != nil:
		return User{}, fmt.Errorf("bot: load user: %w", err)
	}
	return u, nil
}

// saveUser stores u; the cache forgets the user, so the next read sees
// what the store keeps.
func (b *Bot) saveUser(ctx context.Context, u User) error {
	err := b.store.SaveUser(ctx, u)
	b.userChanged(u.Tenant, u.ID)
	return err
}

// userChanged drops a user from the cache after any write to it.
func (b *Bot) userChanged(tenant TenantID, id UserID) {
	if c := b.users; c != nil {
		c.forget(userKey{tenant, id})
	}
}

// UsersChanged tells the Bot that users changed in the store, through
// this instance or another: what it keeps of their settings is read
// again. With no users named, everyone's is.
func (b *Bot) UsersChanged(users ...UserRef) {
	if c := b.users; c != nil {
		c.forgetAll(users)
	}
}

// forgetAll drops the users named, or every user if none is.
func (c *userCache) forgetAll(users []UserRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(users) == 0 {
		clear(c.m)
		return
	}
	for _, u := range users {
		delete(c.m, userKey{u.Tenant, u.ID})
	}
}

// userFeedBackoffMax bounds the wait before listening again after one of
// the store's change feeds (users, rotations) failed.
const userFeedBackoffMax = 30 * time.Second

// FollowUserChanges listens to the store's reports of users changed by
// any instance sharing it (UserChangeNotifier) and drops them from the
// user cache, until ctx ends; it then returns nil. When the feed fails it
// listens again after a pause, and the store's report on starting drops
// every cached user, for the changes it may have missed. It returns at
// once when the cache is off or the store cannot report changes.
func (b *Bot) FollowUserChanges(ctx context.Context) error {
	n, ok := b.store.(UserChangeNotifier)
	if !ok || b.users == nil {
		return nil
	}
	return b.followFeed(ctx, "user", func(ctx context.Context) error {
		return n.NotifyUserChanges(ctx, b.UsersChanged)
	})
}

// followFeed runs listen, one of the store's change feeds (what names
// it), until ctx ends, and again after a pause whenever it fails.
func (b *Bot) followFeed(ctx context.Context, what string, listen func(context.Context) error) error {
	wait := time.Second
	for {
		started := time.Now()
		err := listen(ctx)
		if ctx.Err() != nil {
			return nil
		}
		b.log.Debug("store "+what+" change notifications interrupted", "err", err)
		if time.Since(started) > time.Minute {
			wait = time.Second
		}
		// Real time on purpose: this waits for the database, not for a
		// schedule.
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
		wait = min(2*wait, userFeedBackoffMax)
	}
}
