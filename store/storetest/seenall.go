package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store"
)

// SeenBatchStore records many seen keys in one write, so that concurrent
// requests share a commit: every driver implements it.
type SeenBatchStore interface {
	FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error)
}

func testSeenAll(t *testing.T, s store.Store) {
	ctx := t.Context()
	sb, ok := s.(SeenBatchStore)
	if !ok {
		t.Fatalf("%T has no FirstSeenAll: every request would pay its own commit", s)
	}
	ss := mustSeenStore(t, s)
	ttl := 10 * time.Minute
	all := func(now time.Time, keys ...string) []bool {
		t.Helper()
		got, err := sb.FirstSeenAll(ctx, keys, now, now.Add(ttl))
		if err != nil {
			t.Fatalf("FirstSeenAll(%q): %v", keys, err)
		}
		if len(got) != len(keys) {
			t.Fatalf("FirstSeenAll(%q) = %v, want one answer per key", keys, got)
		}
		return got
	}
	if got := all(T0); len(got) != 0 {
		t.Errorf("no keys: %v", got)
	}
	if ok, _ := ss.FirstSeen(ctx, "b", T0, T0.Add(ttl)); !ok {
		t.Fatal("b not new")
	}
	// Answers come in the order given, whatever order the driver writes.
	if got, want := fmt.Sprint(all(T0, "c", "b", "a", "c")), "[true false true false]"; got != want {
		t.Errorf("FirstSeenAll(c, b, a, c) = %s, want %s", got, want)
	}
	if ok, _ := ss.FirstSeen(ctx, "a", T0.Add(time.Second), T0.Add(ttl)); ok {
		t.Error("a key recorded in a batch is new again for FirstSeen")
	}
	// Expired keys are taken over, like FirstSeen's.
	if got, want := fmt.Sprint(all(T0.Add(ttl), "a", "d")), "[true true]"; got != want {
		t.Errorf("after the TTL: %s, want %s", got, want)
	}
	// A batch larger than one statement takes (a burst of requests) is
	// answered the same, key by key.
	var many []string
	for i := range 100 {
		many = append(many, fmt.Sprintf("k%03d", i%70))
	}
	many = append(many, "d")
	got := all(T0.Add(ttl), many...)
	for i, k := range many {
		if want := i < 70; got[i] != want {
			t.Errorf("100 keys: %s (#%d) new = %v, want %v", k, i, got[i], want)
		}
	}
}

// RaceSeenAll makes 8 goroutines, spread over stores (which must share one
// database), record overlapping batches at once, and checks that every key
// was new exactly once.
func RaceSeenAll(t *testing.T, stores ...store.Store) {
	t.Helper()
	ctx := t.Context()
	const n = 8
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		firsts = map[string]int{}
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Each batch shares keys with its neighbours, in another order.
			keys := []string{fmt.Sprint("k", i), fmt.Sprint("k", (i+1)%n), "shared"}
			if i%2 == 1 {
				keys[0], keys[2] = keys[2], keys[0]
			}
			sb, ok := stores[i%len(stores)].(SeenBatchStore)
			if !ok {
				t.Errorf("%T has no FirstSeenAll", stores[i%len(stores)])
				return
			}
			got, err := sb.FirstSeenAll(ctx, keys, T0, T0.Add(time.Minute))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("FirstSeenAll: %v", err)
				return
			}
			for j, ok := range got {
				if ok {
					firsts[keys[j]]++
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(firsts) != n+1 {
		t.Errorf("%d keys found new, want %d", len(firsts), n+1)
	}
	for k, c := range firsts {
		if c != 1 {
			t.Errorf("key %s found new %d times, want exactly once", k, c)
		}
	}
}
