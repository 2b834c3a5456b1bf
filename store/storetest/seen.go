package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store"
)

// SeenStore is what the adapters ask of a store to refuse replays across
// instances (their seen.Store): every driver implements it.
type SeenStore interface {
	FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error)
}

// mustSeenStore returns s as a SeenStore, failing t if it is not one.
func mustSeenStore(t *testing.T, s any) SeenStore {
	t.Helper()
	ss, ok := s.(SeenStore)
	if !ok {
		t.Fatalf("%T has no FirstSeen: replays could not be refused across instances", s)
	}
	return ss
}

func testSeen(t *testing.T, s store.Store) {
	ctx := t.Context()
	ss := mustSeenStore(t, s)
	ttl := 10 * time.Minute
	first := func(key string, now time.Time) bool {
		t.Helper()
		ok, err := ss.FirstSeen(ctx, key, now, now.Add(ttl))
		if err != nil {
			t.Fatalf("FirstSeen(%q): %v", key, err)
		}
		return ok
	}
	if !first("slack sig v0=1", T0) {
		t.Fatal("a new key is not new")
	}
	if first("slack sig v0=1", T0) || first("slack sig v0=1", T0.Add(ttl-time.Nanosecond)) {
		t.Error("a key is new again before it expires")
	}
	if !first("slack sig v0=2", T0) || !first("discord sig 1", T0) {
		t.Error("another key is not new")
	}
	// At its expiry a key is new again, and is then kept for a new TTL.
	if !first("slack sig v0=1", T0.Add(ttl)) {
		t.Error("a key is still refused at its expiry")
	}
	if first("slack sig v0=1", T0.Add(ttl+time.Minute)) {
		t.Error("a key taken over after expiry is not kept")
	}
	// Many keys expire; all of them are new again afterwards, whatever
	// the driver deletes meanwhile.
	for i := range 300 {
		if !first(fmt.Sprint("event ", i), T0) {
			t.Fatalf("event %d not new", i)
		}
	}
	later := T0.Add(2 * ttl)
	for i := range 300 {
		if !first(fmt.Sprint("event ", i), later) {
			t.Fatalf("event %d still refused after it expired", i)
		}
	}
	if first("event 7", later) {
		t.Error("a key recorded again is not refused")
	}
}

// RaceSeen makes 8 goroutines, spread over stores (which must share one
// database), record the same key at once, and checks that exactly one
// finds it new: the same request sent to several instances runs once.
func RaceSeen(t *testing.T, stores ...store.Store) {
	t.Helper()
	ctx := t.Context()
	const n = 8
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		firsts int
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := mustSeenStore(t, stores[i%len(stores)]).FirstSeen(ctx, "race", T0, T0.Add(time.Minute))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("FirstSeen: %v", err)
			}
			if ok {
				firsts++
			}
		}()
	}
	close(start)
	wg.Wait()
	if firsts != 1 {
		t.Errorf("%d instances found the key new, want exactly one", firsts)
	}
}
