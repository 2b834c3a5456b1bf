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

// RecordedStore is a SeenStore that can also tell, without writing,
// whether a key is recorded: the adapters ask it before answering and
// record their keys behind the answer, in groups.
type RecordedStore interface {
	SeenStore
	Recorded(ctx context.Context, keys []string, now time.Time) ([]bool, error)
}

func testRecorded(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs, ok := s.(RecordedStore)
	if !ok {
		t.Fatalf("%T has no Recorded: every answer would wait for its replay record's commit", s)
	}
	ttl := 10 * time.Minute
	recorded := func(key string, now time.Time) bool {
		t.Helper()
		ok, err := rs.Recorded(ctx, []string{key}, now)
		if err != nil || len(ok) != 1 {
			t.Fatalf("Recorded(%q) = %v, %v", key, ok, err)
		}
		return ok[0]
	}
	if recorded("sig 1", T0) {
		t.Error("a key never recorded is reported recorded")
	}
	if recorded("sig 1", T0) {
		t.Error("Recorded recorded the key it was asked about")
	}
	if ok, err := rs.FirstSeen(ctx, "sig 1", T0, T0.Add(ttl)); err != nil || !ok {
		t.Fatalf("FirstSeen = %v, %v", ok, err)
	}
	if !recorded("sig 1", T0) || !recorded("sig 1", T0.Add(ttl-time.Nanosecond)) {
		t.Error("a recorded key is not reported before it expires")
	}
	if recorded("sig 1", T0.Add(ttl)) {
		t.Error("a key is still reported at its expiry")
	}
	if recorded("sig 2", T0) {
		t.Error("another key is reported recorded")
	}
	// Many keys at once, in the order given, more than one statement's.
	var keys []string
	var want []bool
	for i := range 20 {
		k := fmt.Sprint("batch ", i)
		if i%3 == 0 {
			if _, err := rs.FirstSeen(ctx, k, T0, T0.Add(ttl)); err != nil {
				t.Fatal(err)
			}
		}
		keys, want = append(keys, k), append(want, i%3 == 0)
	}
	keys, want = append(keys, "sig 1"), append(want, true)
	got, err := rs.Recorded(ctx, keys, T0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Recorded(%q) = %v, want %v", keys, got, want)
	}
}
