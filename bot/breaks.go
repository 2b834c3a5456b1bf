package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

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

// BreaksBehind is how long at most a break waits, with the caches on,
// before its last break and rotation are written to the store; breaks
// arriving meanwhile share that write. A crash loses at most the breaks of
// this window plus the write's own time (a few ms): the next break may then
// repeat their exercises, and `done` on one of them is refused. A clean
// shutdown loses none (Flush).
const BreaksBehind = 10 * time.Millisecond

// breaksBehind queues breaks whose records follow the answer. The caches
// hold them from the moment they are queued, and every read or write of a
// user or rotation in the store first writes the queue (settle), so the
// store is never read behind, or written ahead of, a queued break.
type breaksBehind struct {
	store     BreakStore
	users     *userCache
	rotations *rotationCache
	delay     time.Duration

	n       atomic.Int64 // len(queue), read without the lock
	mu      sync.Mutex
	queue   []BreakRecord
	timer   *time.Timer
	writing sync.Mutex // one write at a time, in queue order
}

// add queues r after the caches took it, arming the write.
func (w *breaksBehind) add(r BreakRecord, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.users.saved(r.User)
	w.rotations.saved(rotationKey{r.User.Tenant, r.Scope}, r.Used, now)
	w.queue = append(w.queue, r)
	w.n.Store(int64(len(w.queue)))
	if w.timer == nil {
		w.timer = time.AfterFunc(w.delay, w.fire)
	}
}

// fire writes the queue (the timer's callback), trying again a second
// later if the store fails.
func (w *breaksBehind) fire() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.flush(ctx); err != nil {
		w.mu.Lock()
		if w.timer == nil && len(w.queue) > 0 {
			w.timer = time.AfterFunc(time.Second, w.fire)
		}
		w.mu.Unlock()
	}
}

// flush writes every queued break, in order, in one transaction. On
// failure the breaks stay queued, ahead of later ones, for the next write.
func (w *breaksBehind) flush(ctx context.Context) error {
	w.writing.Lock()
	defer w.writing.Unlock()
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	rs := w.queue
	w.queue = nil
	w.mu.Unlock()
	if len(rs) == 0 {
		return nil
	}
	err := w.store.SaveBreaks(ctx, rs)
	w.mu.Lock()
	if err != nil {
		w.queue = append(rs, w.queue...)
	}
	w.n.Store(int64(len(w.queue)))
	w.mu.Unlock()
	return err
}

// settle writes the queued breaks, if any, before the store is read or
// written for a user or rotation.
func (b *Bot) settle(ctx context.Context) error {
	if b.behind == nil || b.behind.n.Load() == 0 {
		return nil
	}
	return b.behind.flush(ctx)
}

// Flush stores the breaks answered but not yet written: on shutdown, after
// the last request.
func (b *Bot) Flush(ctx context.Context) error {
	if b == nil || b.behind == nil {
		return nil
	}
	return b.behind.flush(ctx)
}

// saveBreak records a break: the user's last break and the rotation. With
// the caches on, the write follows the answer (see BreaksBehind);
// otherwise it returns once both are stored.
func (b *Bot) saveBreak(ctx context.Context, r BreakRecord) error {
	if b.behind != nil {
		b.behind.add(r, b.clock.Now())
		return nil
	}
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
	if err := b.settle(ctx); err != nil {
		return err
	}
	err := b.store.SaveRotation(ctx, tenant, scope, used)
	if b.rotations != nil {
		b.rotations.forget(rotationKey{tenant, scope})
	}
	return err
}
