package bot

import (
	"context"

	"github.com/stretchbot/stretchbot/internal/groupcommit"
)

// BreakRecord is what `break` writes: the asker's new last break (with
// their settings, for a user not stored yet), and the rotation of exercises
// their routines draw from.
type BreakRecord struct {
	User  User
	Scope string // the rotation's scope, "user:U1"
	Used  []string
}

// BreakStore is an optional Store capability: recording the breaks of
// several requests in one transaction, so that concurrent `break`s share
// a commit instead of paying two writes each.
type BreakStore interface {
	// SaveBreaks saves, in order, all or nothing, each record's rotation
	// (as SaveRotation does) and its user's LastBreak and LastBreakKey. A
	// user not stored yet is saved whole, as SaveUser does; a stored one
	// keeps every other field as stored: the record's copy of the settings
	// may be older than a change another instance just made, which a
	// break must not undo.
	SaveBreaks(ctx context.Context, rs []BreakRecord) error
}

// newBreakBatcher groups concurrent breaks' writes when the store can
// record several at once; nil otherwise. After each write the user cache
// (when on) holds what was written, in the order it was written: writes
// follow one another, so the cache ends with the same break as the store.
func newBreakBatcher(store Store, users *userCache, rotations *rotationCache, clock Clock) *groupcommit.Batcher[BreakRecord, struct{}] {
	bs, ok := store.(BreakStore)
	if !ok {
		return nil
	}
	// Gather: the breaks under way join the write (see the replay
	// records' batcher, which does the same).
	return &groupcommit.Batcher[BreakRecord, struct{}]{Gather: 4, Flush: func(ctx context.Context, rs []BreakRecord) ([]struct{}, error) {
		err := bs.SaveBreaks(ctx, rs)
		now := clock.Now()
		for _, r := range rs {
			uk, rk := userKey{r.User.Tenant, r.User.ID}, rotationKey{r.User.Tenant, r.Scope}
			switch {
			case users == nil:
			case err != nil:
				// The store may hold any of them: read them again.
				users.forget(uk)
				rotations.forget(rk)
			default:
				users.saved(r.User)
				rotations.saved(rk, r.Used, now)
			}
		}
		if err != nil {
			return nil, err
		}
		return make([]struct{}, len(rs)), nil
	}}
}

// saveBreak records a break: the user's last break and the rotation. It
// returns once both are stored.
func (b *Bot) saveBreak(ctx context.Context, r BreakRecord) error {
	if b.breaks == nil {
		if err := b.saveRotation(ctx, r.User.Tenant, r.Scope, r.Used); err != nil {
			return err
		}
		return b.saveUser(ctx, r.User)
	}
	_, err := b.breaks.Do(ctx, r)
	return err
}

// saveRotation stores scope's rotation; the cache forgets it, so the next
// read sees what the store keeps whichever of two concurrent saves wins.
func (b *Bot) saveRotation(ctx context.Context, tenant TenantID, scope string, used []string) error {
	err := b.store.SaveRotation(ctx, tenant, scope, used)
	if b.rotations != nil {
		b.rotations.forget(rotationKey{tenant, scope})
	}
	return err
}
