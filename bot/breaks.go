package bot

import (
	"context"

	"github.com/stretchbot/stretchbot/internal/groupcommit"
)

// BreakRecord is what `break` writes: the asker's settings with the new
// last break, and the rotation of exercises their routines draw from.
type BreakRecord struct {
	User  User
	Scope string // the rotation's scope, "user:U1"
	Used  []string
}

// BreakStore is an optional Store capability: recording the breaks of
// several requests in one transaction, so that concurrent `break`s share
// a commit instead of paying two writes each.
type BreakStore interface {
	// SaveBreaks saves each record's user (as SaveUser does) and rotation
	// (as SaveRotation does), in order, all or nothing.
	SaveBreaks(ctx context.Context, rs []BreakRecord) error
}

// newBreakBatcher groups concurrent breaks' writes when the store can
// record several at once; nil otherwise.
func newBreakBatcher(store Store) *groupcommit.Batcher[BreakRecord, struct{}] {
	bs, ok := store.(BreakStore)
	if !ok {
		return nil
	}
	return &groupcommit.Batcher[BreakRecord, struct{}]{Flush: func(ctx context.Context, rs []BreakRecord) ([]struct{}, error) {
		if err := bs.SaveBreaks(ctx, rs); err != nil {
			return nil, err
		}
		return make([]struct{}, len(rs)), nil
	}}
}

// saveBreak records a break: the user's last break and the rotation. It
// returns once both are stored.
func (b *Bot) saveBreak(ctx context.Context, r BreakRecord) error {
	if b.breaks == nil {
		if err := b.store.SaveRotation(ctx, r.User.Tenant, r.Scope, r.Used); err != nil {
			return err
		}
		return b.saveUser(ctx, r.User)
	}
	_, err := b.breaks.Do(ctx, r)
	b.userChanged(r.User.Tenant, r.User.ID)
	return err
}
