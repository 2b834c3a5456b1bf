// Package memory is a store.Store kept in this process's memory, for demos
// (the database URL memory://) and for measuring the scheduler engine
// without a database. Nothing persists and no other process can share it;
// otherwise it behaves like the SQL drivers and passes the same conformance
// suite.
//
// One mutex guards everything, so each method is atomic, like a
// transaction, and racing claims serialize. Values are copied in and out, so
// callers never share state with the store, and times come back in UTC
// without a monotonic reading, exactly as the SQL drivers return them.
//
// The engine's queries read indexes rather than scanning: reminders that may
// fall due are kept ordered by NextRun, open occurrences by LeaseUntil (see
// ordered), so their cost follows what is due, not how much is stored.
//
// A reminder takes about 450 bytes of heap, most of it without pointers for
// the collector to follow (see rec). Each claimed run keeps its key and state
// (16 bytes, no pointer) after delivery, as the SQL stores keep its row,
// because its key is what refuses a second claim of the same run.
package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

var (
	_ bot.Store          = (*DB)(nil)
	_ bot.DeliveryLog    = (*DB)(nil)
	_ bot.SnoozeLister   = (*DB)(nil)
	_ schedule.Store     = (*DB)(nil)
	_ schedule.Releaser  = (*DB)(nil)
	_ schedule.Abandoner = (*DB)(nil)
	_ schedule.RunLister = (*DB)(nil)

	_ schedule.OccurrencePruner = (*DB)(nil)
)

// errClosed is returned by every method once the store is closed.
var errClosed = errors.New("store is closed")

// DB is an in-memory stretchbot store. It is safe for concurrent use. The
// zero value is not usable; call New.
type DB struct {
	mu sync.RWMutex
	// tables is nil once the store is closed.
	*tables
}

// tables is everything the store holds.
type tables struct {
	users       map[scoped]bot.User
	rotations   map[scoped][]string
	completions map[bot.TenantID]*completions
	// installations are the apps installed per tenant.
	installations map[installKey]bot.Installation

	// recs holds the reminders; ids finds a reminder's slot by id.
	recs      slab[rec]
	ids       idIndex
	byOwner   *ordered[nameKey] // (tenant, owner): everything the owner created
	byChannel *ordered[nameKey] // (tenant, channel): team schedules only
	syms      symtab            // the strings reminders share
	codes     codes             // occurrence kinds and states
	// due holds the reminders DueReminders may return (not paused, NextRun
	// set), by NextRun then ID.
	due *ordered[dueKey]
	// opens holds the Pending and Claimed occurrences; open orders them
	// by LeaseUntil, then reminder, At and Kind.
	opens slab[openOcc]
	open  *ordered[openKey]
	// kept holds the delivered runs of deleted reminders, for DeliveredRun,
	// by reminder, each by At.
	kept map[bot.ReminderID][]bot.DeliveredRun
	// seen holds request signatures and event ids (FirstSeen).
	seen seenKeys
	// team holds channel settings, team runs and public users (team.go).
	team teamTables
	// pruneAt is the slot of recs where PruneOccurrences' walk stands.
	pruneAt int32
}

// atKey is an occurrence's At as an integer that orders like it: unix
// nanoseconds, 0 for the zero time (the SQL stores' form and range).
func atKey(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromAtKey is the inverse of atKey, in UTC.
func fromAtKey(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// scoped is a name within a tenant: a user, owner, channel or rotation scope.
type scoped struct {
	tenant bot.TenantID
	name   string
}

// New returns an empty store.
func New() *DB {
	t := &tables{
		installations: map[installKey]bot.Installation{},

		users:       map[scoped]bot.User{},
		rotations:   map[scoped][]string{},
		completions: map[bot.TenantID]*completions{},
		ids:         newIDIndex(),
		byOwner:     newOrdered(compareNames),
		byChannel:   newOrdered(compareNames),
		syms:        newSymtab(),
		codes:       newCodes(),
		kept:        map[bot.ReminderID][]bot.DeliveredRun{},
		seen:        seenKeys{expires: map[string]time.Time{}},
	}
	t.due = newOrdered(t.compareDue)
	t.open = newOrdered(t.compareOpen)
	return &DB{tables: t}
}

// compareDue orders the due index: by NextRun, then ID.
func (t *tables) compareDue(a, b dueKey) int {
	if a.next != b.next {
		return cmp.Compare(a.next, b.next)
	}
	if a.pre != b.pre {
		return cmp.Compare(a.pre, b.pre)
	}
	if a.i == b.i {
		return 0
	}
	return compareStrings(t.recs.at(a.i).id, t.recs.at(b.i).id)
}

// compareOpen orders the open index: by LeaseUntil, then reminder, At and
// Kind.
func (t *tables) compareOpen(a, b openKey) int {
	if a.lease != b.lease {
		return cmp.Compare(a.lease, b.lease)
	}
	if a.pre != b.pre {
		return cmp.Compare(a.pre, b.pre)
	}
	if a.i == b.i {
		return 0
	}
	x, y := &t.opens.at(a.i).Occurrence, &t.opens.at(b.i).Occurrence
	if c := compareStrings(x.Reminder, y.Reminder); c != 0 {
		return c
	}
	if c := x.At.Compare(y.At); c != 0 {
		return c
	}
	return compareStrings(x.Kind, y.Kind)
}

func compareStrings[S ~string](a, b S) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Migrate does nothing: there is no schema.
func (s *DB) Migrate(ctx context.Context) error {
	if err := s.rlock(ctx); err != nil {
		return errf("migrate: %w", err)
	}
	s.mu.RUnlock()
	return nil
}

// Ping reports whether the store is still open.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.rlock(ctx); err != nil {
		return errf("ping: %w", err)
	}
	s.mu.RUnlock()
	return nil
}

// Close discards everything; later calls fail.
func (s *DB) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables = nil
	return nil
}

// lock takes the write lock unless ctx is done or the store closed; the
// caller unlocks.
func (s *DB) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.tables == nil {
		s.mu.Unlock()
		return errClosed
	}
	return nil
}

// rlock is lock for readers.
func (s *DB) rlock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	if s.tables == nil {
		s.mu.RUnlock()
		return errClosed
	}
	return nil
}

// errf formats an error prefixed with the driver's name.
func errf(format string, args ...any) error {
	return fmt.Errorf("memory: "+format, args...)
}

// utc is the stored form of t: UTC without a monotonic reading (so that ==
// and map keys work), and the zero time for every zero instant.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// User returns the user, or bot.ErrNotFound.
func (s *DB) User(ctx context.Context, tenant bot.TenantID, id bot.UserID) (bot.User, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.User{}, errf("user: %w", err)
	}
	defer s.mu.RUnlock()
	u, ok := s.users[scoped{tenant, string(id)}]
	if !ok {
		return bot.User{}, errf("user %s: %w", id, bot.ErrNotFound)
	}
	return u, nil
}

// SaveUser inserts or replaces the user.
func (s *DB) SaveUser(ctx context.Context, u bot.User) error {
	if err := s.lock(ctx); err != nil {
		return errf("save user: %w", err)
	}
	defer s.mu.Unlock()
	u.LastBreak, u.AwayUntil = utc(u.LastBreak), utc(u.AwayUntil)
	u.LevelSince, u.LevelOffered = utc(u.LevelSince), utc(u.LevelOffered)
	// The skip count is CountSkip's alone.
	k := scoped{u.Tenant, string(u.ID)}
	u.Skipped = s.users[k].Skipped
	s.users[k] = u
	return nil
}

// CountSkip adds one to the user's count of runs passed over.
func (s *DB) CountSkip(ctx context.Context, tenant bot.TenantID, id bot.UserID) error {
	if err := s.lock(ctx); err != nil {
		return errf("count skip: %w", err)
	}
	defer s.mu.Unlock()
	k := scoped{tenant, string(id)}
	u, ok := s.users[k]
	if !ok {
		u = bot.User{Tenant: tenant, ID: id}
	}
	u.Skipped++
	s.users[k] = u
	return nil
}

// Rotation returns the used ids for scope; nil if none.
func (s *DB) Rotation(ctx context.Context, tenant bot.TenantID, scope string) ([]string, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("rotation: %w", err)
	}
	defer s.mu.RUnlock()
	used := s.rotations[scoped{tenant, scope}]
	if len(used) == 0 {
		return nil, nil
	}
	return slices.Clone(used), nil
}

// SaveRotation replaces the used ids for scope.
func (s *DB) SaveRotation(ctx context.Context, tenant bot.TenantID, scope string, used []string) error {
	if err := s.lock(ctx); err != nil {
		return errf("save rotation: %w", err)
	}
	defer s.mu.Unlock()
	s.rotations[scoped{tenant, scope}] = slices.Clone(used)
	return nil
}

// completions are one tenant's completions.
type completions struct {
	list  []bot.Completion           // by At, then insertion
	seen  map[completionKey]struct{} // who completed what
	users map[completionKey]int      // per (Key, Kind), User empty: how many users
}

// completionKey is what makes a completion unique.
type completionKey struct {
	key, kind string
	user      bot.UserID
}

// AddCompletion records c; false when the user already has one with the
// same Key and Kind.
func (s *DB) AddCompletion(ctx context.Context, c bot.Completion) (bool, error) {
	if err := s.lock(ctx); err != nil {
		return false, errf("add completion: %w", err)
	}
	defer s.mu.Unlock()
	cs := s.completions[c.Tenant]
	if cs == nil {
		cs = &completions{seen: map[completionKey]struct{}{}, users: map[completionKey]int{}}
		s.completions[c.Tenant] = cs
	}
	k := completionKey{c.Key, c.Kind, c.User}
	if _, dup := cs.seen[k]; dup {
		return false, nil
	}
	cs.seen[k] = struct{}{}
	cs.users[completionKey{key: c.Key, kind: c.Kind}]++
	c.At = utc(c.At)
	// After every completion at the same instant, keeping insertion order;
	// usually at the end.
	i := sort.Search(len(cs.list), func(i int) bool { return cs.list[i].At.After(c.At) })
	cs.list = slices.Insert(cs.list, i, c)
	return true, nil
}

// CountCompletions counts users with a completion of kind for key.
func (s *DB) CountCompletions(ctx context.Context, tenant bot.TenantID, key, kind string) (int, error) {
	if err := s.rlock(ctx); err != nil {
		return 0, errf("count completions: %w", err)
	}
	defer s.mu.RUnlock()
	cs := s.completions[tenant]
	if cs == nil {
		return 0, nil
	}
	return cs.users[completionKey{key: key, kind: kind}], nil
}

// Completions lists matching completions, oldest first (then in insertion
// order).
func (s *DB) Completions(ctx context.Context, f bot.CompletionFilter) ([]bot.Completion, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("completions: %w", err)
	}
	defer s.mu.RUnlock()
	cs := s.completions[f.Tenant]
	if cs == nil {
		return nil, nil
	}
	i := 0
	if !f.Since.IsZero() {
		i = sort.Search(len(cs.list), func(i int) bool { return !cs.list[i].At.Before(f.Since) })
	}
	var out []bot.Completion
	for _, c := range cs.list[i:] {
		if (f.User == "" || c.User == f.User) && (f.Channel == "" || c.Channel == f.Channel) && (f.Kind == "" || c.Kind == f.Kind) {
			out = append(out, c)
		}
	}
	return out, nil
}
