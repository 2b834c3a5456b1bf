package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// openShared opens two handles on one file, standing for two processes.
func openShared(t *testing.T) (a, b *DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shared.db")
	for _, db := range []**DB{&a, &b} {
		var err error
		if *db, err = Open(t.Context(), path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { (*db).Close() })
	}
	return a, b
}

// heard is a listener run in the background: what it is called with,
// and what it returns.
type heard[T any] struct {
	calls  chan []T
	cancel context.CancelFunc
	done   chan error
}

func listen[T any](t *testing.T, notify func(context.Context, func(...T)) error) *heard[T] {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	h := &heard[T]{calls: make(chan []T, 4096), cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- notify(ctx, func(xs ...T) { h.calls <- xs }) }()
	t.Cleanup(func() {
		cancel()
		<-h.done
	})
	h.want(t, "when listening starts")
	return h
}

// want waits for a call naming every x of xs.
func (h *heard[T]) want(t *testing.T, what string, xs ...T) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for first := true; first || len(xs) > 0; first = false {
		select {
		case got := <-h.calls:
			xs = slices.DeleteFunc(xs, func(x T) bool {
				return slices.ContainsFunc(got, func(g T) bool { return any(g) == any(x) })
			})
		case <-timeout:
			t.Fatalf("no call %s (missing %v)", what, xs)
		}
	}
}

// stop cancels the listener and returns what it returned.
func (h *heard[T]) stop(t *testing.T) error {
	t.Helper()
	h.cancel()
	select {
	case err := <-h.done:
		h.done <- err // for the cleanup
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("the listener did not return after its context ended")
		return nil
	}
}

// failed waits for the listener to return an error.
func (h *heard[T]) failed(t *testing.T, what string) {
	t.Helper()
	select {
	case err := <-h.done:
		h.done <- err
		if err == nil {
			t.Errorf("%s: the listener returned nil, want an error", what)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: the listener did not return", what)
	}
}

// feedOf returns the feed a runs and how many listen to it (nil, 0 if none
// runs).
func feedOf(a *DB) (*feed, int) {
	a.feedMu.Lock()
	defer a.feedMu.Unlock()
	if a.feed == nil {
		return nil, 0
	}
	return a.feed, len(a.feed.listeners)
}

// One connection follows both logs for the process: each listener hears
// its own log, one listener leaving leaves the other listening on that
// connection, and once the last has left the connection is closed, and a
// new listener opens another.
func TestOneFeedForBothLogs(t *testing.T) {
	ctx := t.Context()
	a, b := openShared(t)
	reminders := listen(t, a.NotifyChanges)
	users := listen(t, a.NotifyUserChanges)
	f, n := feedOf(a)
	if f == nil || n != 2 {
		t.Fatalf("feed %p with %d listeners, want one feed for both", f, n)
	}
	if open := f.db.Stats().OpenConnections; open != 1 {
		t.Errorf("the feed holds %d connections, want 1", open)
	}

	if _, err := b.db.ExecContext(ctx, `INSERT INTO reminder_changes (reminder, at) VALUES ('r1', unixepoch())`); err != nil {
		t.Fatal(err)
	}
	reminders.want(t, "for a reminder paused elsewhere", "r1")
	if err := b.SaveUser(ctx, bot.User{Tenant: "T1", ID: "U1", Zone: "Asia/Tokyo"}); err != nil {
		t.Fatal(err)
	}
	users.want(t, "for a user written elsewhere", bot.UserRef{Tenant: "T1", ID: "U1"})

	if err := reminders.stop(t); err != nil {
		t.Errorf("NotifyChanges after cancel = %v", err)
	}
	if g, n := feedOf(a); g != f || n != 1 {
		t.Fatalf("after one listener left: feed %p with %d listeners, want %p with 1", g, n, f)
	}
	if err := b.SaveUser(ctx, bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	users.want(t, "after the other listener left", bot.UserRef{Tenant: "T1", ID: "U1"})

	if err := users.stop(t); err != nil {
		t.Errorf("NotifyUserChanges after cancel = %v", err)
	}
	if g, _ := feedOf(a); g != nil {
		t.Errorf("a feed runs after every listener left")
	}
	if open := f.db.Stats().OpenConnections; open != 0 {
		t.Errorf("the feed holds %d connections after every listener left, want 0", open)
	}

	again := listen(t, a.NotifyChanges)
	if g, n := feedOf(a); g == nil || g == f || n != 1 {
		t.Fatalf("listening again: feed %p (the old one %p) with %d listeners, want a new one with 1", g, f, n)
	}
	if _, err := b.db.ExecContext(ctx, `INSERT INTO reminder_changes (reminder, at) VALUES ('r2', unixepoch())`); err != nil {
		t.Fatal(err)
	}
	again.want(t, "listening again", "r2")
}

// Two listeners of one log each hear every change past their start.
func TestFeedTwoListenersOfOneLog(t *testing.T) {
	ctx := t.Context()
	a, b := openShared(t)
	first, second := listen(t, a.NotifyUserChanges), listen(t, a.NotifyUserChanges)
	if _, n := feedOf(a); n != 2 {
		t.Fatalf("%d listeners on the feed, want 2", n)
	}
	u := bot.UserRef{Tenant: "T1", ID: "U1"}
	if err := b.SaveUser(ctx, bot.User{Tenant: u.Tenant, ID: u.ID, Zone: "Asia/Tokyo"}); err != nil {
		t.Fatal(err)
	}
	first.want(t, "by the first", u)
	second.want(t, "by the second", u)
}

// When the feed's connection fails, every listener returns an error, and
// the next to listen opens another connection.
func TestFeedBroken(t *testing.T) {
	ctx := t.Context()
	a, b := openShared(t)
	reminders := listen(t, a.NotifyChanges)
	users := listen(t, a.NotifyUserChanges)
	f, _ := feedOf(a)
	f.conn.Close()
	reminders.failed(t, "NotifyChanges")
	users.failed(t, "NotifyUserChanges")
	if g, _ := feedOf(a); g != nil {
		t.Errorf("a feed runs after its connection failed and every listener left")
	}

	again := listen(t, a.NotifyUserChanges)
	if err := b.SaveUser(ctx, bot.User{Tenant: "T1", ID: "U1", Zone: "Asia/Tokyo"}); err != nil {
		t.Fatal(err)
	}
	again.want(t, "listening again", bot.UserRef{Tenant: "T1", ID: "U1"})
}
