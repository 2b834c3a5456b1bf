package bot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// countingStore counts user reads, and can fail saves.
type countingStore struct {
	*memory.DB
	reads    atomic.Int32
	failSave atomic.Bool
	failRead atomic.Bool
}

func (s *countingStore) User(ctx context.Context, t bot.TenantID, id bot.UserID) (bot.User, error) {
	s.reads.Add(1)
	if s.failRead.Load() {
		return bot.User{}, errors.New("database is locked")
	}
	return s.DB.User(ctx, t, id)
}

func (s *countingStore) SaveUser(ctx context.Context, u bot.User) error {
	if s.failSave.Load() {
		return errors.New("disk full")
	}
	return s.DB.SaveUser(ctx, u)
}

func cachedHarness(t *testing.T, ttl time.Duration) (*bottest.Harness, *countingStore) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &countingStore{DB: db}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}), bot.WithUserCache(ttl)))
	return h, st
}

func TestUserCache(t *testing.T) {
	h, st := cachedHarness(t, time.Minute)
	reads := func(cmd string) int32 {
		t.Helper()
		before := st.reads.Load()
		h.Send(cmd)
		return st.reads.Load() - before
	}
	reads("list")
	if n := reads("list") + reads("list"); n != 0 {
		t.Errorf("commands from a cached caller read the store %d times, want none", n)
	}
	// A change is seen by the next command.
	h.Send("timezone Europe/Berlin")
	bottest.MustContain(t, h.Send("timezone"), "Europe/Berlin", "your setting")
	if n := reads("list"); n != 0 {
		t.Errorf("read again after re-reading the change: %d", n)
	}
	// break records the last break; done credits exactly that one.
	h.Send("break")
	bottest.MustContain(t, h.Send("done"), "Nice work")
	bottest.MustContain(t, h.Send("done"), "already counted")
	// Another user is another entry.
	if n := reads("list"); n != 0 {
		t.Errorf("a cached caller read %d times", n)
	}
	if n := reads("stats"); n != 0 {
		t.Errorf("a cached caller read %d times", n)
	}
	h.SendAs("U2", "C1", "list")
	if n := reads("list"); n != 0 {
		t.Errorf("a second user pushed out the first: %d reads", n)
	}
	// Entries expire.
	h.Clock.Advance(2 * time.Minute)
	if n := reads("list"); n != 1 {
		t.Errorf("reads after expiry = %d, want 1", n)
	}
	bottest.MustContain(t, h.Send("timezone"), "Europe/Berlin")
}

// A failed save leaves no cached copy the store does not have.
func TestUserCacheFailedSave(t *testing.T) {
	h, st := cachedHarness(t, time.Hour)
	h.Send("timezone Europe/Berlin")
	st.failSave.Store(true)
	if r := h.Send("timezone Asia/Tokyo"); !r.Error {
		t.Fatalf("save failed but the reply is no error:\n%s", r.PlainText())
	}
	st.failSave.Store(false)
	bottest.MustContain(t, h.Send("timezone"), "Europe/Berlin")
}

func TestUserCacheOffByDefault(t *testing.T) {
	h, st := cachedHarness(t, 0)
	h.Send("list")
	h.Send("list")
	if n := st.reads.Load(); n != 2 {
		t.Errorf("reads without a cache = %d, want 2", n)
	}
	if _, err := bot.New(st, bot.WithUserCache(-time.Second)); err == nil {
		t.Error("a negative TTL was accepted")
	}
}

// failingBreaks is a countingStore whose SaveBreaks can fail.
type failingBreaks struct {
	*countingStore
	fail atomic.Bool
}

func (s *failingBreaks) SaveBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	if s.fail.Load() {
		return errors.New("disk full")
	}
	return s.DB.SaveBreaks(ctx, rs)
}

// A break keeps the cached caller up to date instead of dropping it: the
// next command reads nothing, and done credits that break.
func TestUserCacheKeepsBreak(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &failingBreaks{countingStore: &countingStore{DB: db}}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}), bot.WithUserCache(time.Hour)))
	h.Send("timezone Europe/Berlin")
	h.Send("list")
	before := st.reads.Load()
	h.Send("break")
	h.Send("break")
	if n := st.reads.Load() - before; n != 0 {
		t.Errorf("breaks from a cached caller read the user %d times, want none", n)
	}
	bottest.MustContain(t, h.Send("done"), "Nice work")
	bottest.MustContain(t, h.Send("done"), "already counted")
	bottest.MustContain(t, h.Send("timezone"), "Europe/Berlin")

	// A failed write drops the cached copy: the next command reads the
	// store, which still has the previous break.
	st.fail.Store(true)
	if r := h.Send("break"); !r.Error {
		t.Fatalf("the break was not stored but the reply is no error:\n%s", r.PlainText())
	}
	st.fail.Store(false)
	before = st.reads.Load()
	h.Send("list")
	if n := st.reads.Load() - before; n != 1 {
		t.Errorf("reads after a failed break = %d, want 1", n)
	}
	bottest.MustContain(t, h.Send("done"), "already counted")
}

// onlyStore hides every optional capability of the store it wraps.
type onlyStore struct{ bot.Store }

// Without SaveBreaks a break still records the rotation and the last break.
func TestBreakWithoutBatchStore(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	h := bottest.New(t, onlyStore{db}, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second})))
	h.Send("break")
	bottest.MustContain(t, h.Send("done"), "Nice work")
	if used, err := db.Rotation(t.Context(), h.Tenant, "user:"+string(h.User)); err != nil || len(used) == 0 {
		t.Errorf("rotation after a break = %q, %v; want the exercises given", used, err)
	}
}

// rotationCounting counts rotation reads.
type rotationCounting struct {
	*memory.DB
	reads atomic.Int32
}

func (s *rotationCounting) Rotation(ctx context.Context, t bot.TenantID, scope string) ([]string, error) {
	s.reads.Add(1)
	return s.DB.Rotation(ctx, t, scope)
}

// With the cache on, breaks read the rotation once, and still never
// repeat an exercise until the pool is used up.
func TestRotationCache(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &rotationCounting{DB: db}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}), bot.WithUserCache(time.Hour)))
	var prev []string
	for range 5 {
		h.Send("break")
		used, err := db.Rotation(t.Context(), h.Tenant, "user:"+string(h.User))
		if err != nil {
			t.Fatal(err)
		}
		if len(prev) > 0 && len(used) > len(prev) && !slices.Equal(used[:len(prev)], prev) {
			t.Errorf("rotation %q does not extend the previous %q", used, prev)
		}
		prev = used
	}
	if n := st.reads.Load(); n != 1 {
		t.Errorf("5 breaks read the rotation %d times, want 1", n)
	}
	h.Clock.Advance(2 * time.Hour)
	h.Send("break")
	if n := st.reads.Load(); n != 2 {
		t.Errorf("after the entry expired: %d reads, want 2", n)
	}
}

// UsersChanged drops the users named; with none named, everyone.
func TestUsersChanged(t *testing.T) {
	h, st := cachedHarness(t, time.Hour)
	zone := func(id bot.UserID) string { return bottest.Text(h.SendAs(id, "C1", "timezone")) }
	zone(h.User) // cached
	zone("U2")
	// Another instance changes both zones behind this one's back.
	for _, id := range []bot.UserID{h.User, "U2"} {
		if err := st.DB.SaveUser(t.Context(), bot.User{Tenant: h.Tenant, ID: id, Zone: "Asia/Tokyo"}); err != nil {
			t.Fatal(err)
		}
	}
	if z := zone(h.User); strings.Contains(z, "Asia/Tokyo") {
		t.Fatalf("the cache is not in the way; the test proves nothing:\n%s", z)
	}
	h.Bot.UsersChanged(bot.UserRef{Tenant: h.Tenant, ID: h.User})
	if z := zone(h.User); !strings.Contains(z, "Asia/Tokyo") {
		t.Errorf("after the user changed:\n%s", z)
	}
	if z := zone("U2"); strings.Contains(z, "Asia/Tokyo") {
		t.Errorf("another user was dropped too:\n%s", z)
	}
	h.Bot.UsersChanged()
	if z := zone("U2"); !strings.Contains(z, "Asia/Tokyo") {
		t.Errorf("after everyone changed:\n%s", z)
	}
}

// A break given by another instance is credited by done here, although
// this instance keeps an older copy of the caller: stores do not report
// breaks, so done reads the last break from the store, and so does a
// settings change, lest it write the older one back.
func TestDoneCreditsAnotherInstancesBreak(t *testing.T) {
	h, st := cachedHarness(t, time.Hour)
	other := bottest.New(t, st.DB, bottest.WithBotOptions(bot.WithUserCache(time.Hour)))
	h.Send("timezone Europe/Berlin")
	bottest.MustContain(t, h.Send("done"), "Nice work") // a break of the caller's own
	other.Send("break")
	bottest.MustContain(t, h.Send("done"), "Nice work")
	bottest.MustContain(t, other.Send("done"), "already counted")
	other.Clock.Advance(time.Minute)
	other.Send("break")
	h.Send("quiet 12:00-13:00")
	bottest.MustContain(t, h.Send("done"), "Nice work")
	bottest.MustContain(t, other.Send("done"), "already counted")
}

// userFeed is a store that reports the users written through it, as a
// store shared by several instances would, and fails its feed once.
type userFeed struct {
	*memory.DB
	changes chan bot.UserRef
	failed  atomic.Bool
}

func (s *userFeed) NotifyUserChanges(ctx context.Context, changed func(...bot.UserRef)) error {
	if !s.failed.Swap(true) {
		return errors.New("connection lost")
	}
	changed()
	for {
		select {
		case <-ctx.Done():
			return nil
		case u := <-s.changes:
			changed(u)
		}
	}
}

// FollowUserChanges drops what the store reports, listening again after
// a failure, and returns when ctx ends.
func TestFollowUserChanges(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &userFeed{DB: db, changes: make(chan bot.UserRef)}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithUserCache(time.Hour)))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- h.Bot.FollowUserChanges(ctx) }()
	for _, zone := range []string{"Asia/Tokyo", "Europe/Berlin"} {
		h.Send("timezone") // cached
		if err := db.SaveUser(t.Context(), bot.User{Tenant: h.Tenant, ID: h.User, Zone: zone}); err != nil {
			t.Fatal(err)
		}
		// The send returns once the feed took it: the first after the
		// feed listened again (real time: a second's pause).
		select {
		case st.changes <- bot.UserRef{Tenant: h.Tenant, ID: h.User}:
		case <-time.After(5 * time.Second):
			t.Fatal("the feed is not listened to")
		}
		// Dropped before the next report is taken: report again.
		st.changes <- bot.UserRef{Tenant: "other", ID: "U9"}
		bottest.MustContain(t, h.Send("timezone"), zone)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("FollowUserChanges = %v, want nil", err)
	}
	// Off without a cache or a feed.
	plain := bottest.New(t, db)
	if err := plain.Bot.FollowUserChanges(t.Context()); err != nil {
		t.Errorf("FollowUserChanges without a feed = %v", err)
	}
}

// A delivery whose owner cannot be read (a transient store error) leaves
// the owner's stored settings as they were, rather than saving a bare user
// over them.
func TestDeliveredKeepsSettingsWhenReadFails(t *testing.T) {
	h, st := cachedHarness(t, time.Minute)
	h.Send("timezone Europe/Berlin")
	r := bot.Reminder{ID: "r1", Tenant: h.Tenant, Platform: bot.Console, Kind: bot.Personal, Owner: h.User, Channel: h.Channel}
	o := bot.Occurrence{Reminder: r.ID, At: h.Clock.Now(), Kind: bot.RunOccurrence}
	st.failRead.Store(true)
	h.Bot.Delivered(context.Background(), r, o, bot.Sent{})
	st.failRead.Store(false)
	u, err := st.DB.User(context.Background(), h.Tenant, h.User)
	if err != nil {
		t.Fatal(err)
	}
	if u.Zone != "Europe/Berlin" {
		t.Errorf("after a delivery with a failed read the zone is %q, want Europe/Berlin kept", u.Zone)
	}
	// With the store back, a delivery records the last break and keeps
	// the settings.
	h.Bot.Delivered(context.Background(), r, o, bot.Sent{})
	u, err = st.DB.User(context.Background(), h.Tenant, h.User)
	if err != nil {
		t.Fatal(err)
	}
	if u.Zone != "Europe/Berlin" || u.LastBreakKey == "" {
		t.Errorf("after a delivery: zone %q, last break key %q; want Europe/Berlin and a key", u.Zone, u.LastBreakKey)
	}
}

// rotationFeed is a store that reports the rotations written to it, as a
// store shared by several instances would, and counts rotation reads.
type rotationFeed struct {
	*memory.DB
	changes chan bot.RotationRef
	reads   atomic.Int32
}

func (s *rotationFeed) Rotation(ctx context.Context, tenant bot.TenantID, scope string) ([]string, error) {
	s.reads.Add(1)
	return s.DB.Rotation(ctx, tenant, scope)
}

func (s *rotationFeed) NotifyRotationChanges(ctx context.Context, changed func(...bot.RotationRef)) error {
	changed()
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-s.changes:
			changed(r)
		}
	}
}

// FollowRotationChanges drops the rotations the store reports: a break
// after another instance's break draws from what that one wrote, not from
// what this one kept, and keeps its exercises in the rotation.
func TestFollowRotationChanges(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &rotationFeed{DB: db, changes: make(chan bot.RotationRef)}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithUserCache(time.Hour)))
	other := bottest.New(t, db) // another instance, keeping nothing
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- h.Bot.FollowRotationChanges(ctx) }()
	scope := "user:" + string(h.User)
	select {
	case st.changes <- bot.RotationRef{Tenant: "other", Scope: "user:U8"}: // listening, its first report made
	case <-time.After(5 * time.Second):
		t.Fatal("the feed is not listened to")
	}
	h.Send("break") // kept
	other.Send("break")
	afterOther, _ := db.Rotation(t.Context(), h.Tenant, scope)
	select {
	case st.changes <- bot.RotationRef{Tenant: h.Tenant, Scope: scope}:
	case <-time.After(5 * time.Second):
		t.Fatal("the feed is not listened to")
	}
	st.changes <- bot.RotationRef{Tenant: "other", Scope: "user:U9"} // taken once the first is dropped
	h.Send("break")
	used, _ := db.Rotation(t.Context(), h.Tenant, scope)
	for _, id := range afterOther {
		if !slices.Contains(used, id) {
			t.Fatalf("the break wrote %q out of the rotation: before it %v, after %v", id, afterOther, used)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("FollowRotationChanges = %v, want nil", err)
	}
	// Off without a cache or a feed.
	if err := other.Bot.FollowRotationChanges(t.Context()); err != nil {
		t.Errorf("FollowRotationChanges without a feed = %v", err)
	}
}

// A report of the rotation this instance wrote, telling what was written,
// leaves its copy: a break writes its rotation every time, and reading it
// back after each would make the copy useless. A report of another write
// drops it.
func TestRotationReportOfOwnWriteKeepsCopy(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st := &rotationFeed{DB: db, changes: make(chan bot.RotationRef)}
	h := bottest.New(t, st, bottest.WithBotOptions(bot.WithUserCache(time.Hour)))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go h.Bot.FollowRotationChanges(ctx)
	scope := "user:" + string(h.User)
	report := func(r bot.RotationRef) {
		t.Helper()
		select {
		case st.changes <- r:
		case <-time.After(5 * time.Second):
			t.Fatal("the feed is not listened to")
		}
		st.changes <- bot.RotationRef{Tenant: "other", Scope: "user:U9"} // taken once the first is handled
	}
	reads := func() int32 {
		t.Helper()
		before := st.reads.Load()
		h.Send("break")
		return st.reads.Load() - before
	}
	report(bot.RotationRef{Tenant: "other", Scope: "user:U8"}) // listening, its first report made
	reads()
	written, _ := db.Rotation(t.Context(), h.Tenant, scope)
	report(bot.RotationRef{Tenant: h.Tenant, Scope: scope, Used: written, Told: true})
	if n := reads(); n != 0 {
		t.Errorf("after the report of its own write, a break read the rotation %d times, want 0", n)
	}
	report(bot.RotationRef{Tenant: h.Tenant, Scope: scope, Used: []string{"cat-cow"}, Told: true})
	if n := reads(); n != 1 {
		t.Errorf("after another write, a break read the rotation %d times, want 1", n)
	}
	report(bot.RotationRef{Tenant: h.Tenant, Scope: scope})
	if n := reads(); n != 1 {
		t.Errorf("after a write not told, a break read the rotation %d times, want 1", n)
	}
}
