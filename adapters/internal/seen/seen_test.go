package seen

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBoundedAndExpiring(t *testing.T) {
	s := New(time.Minute, 3)
	now := time.Unix(0, 0)
	for _, id := range []string{"a", "b", "c", "d"} {
		if !s.First(id, now) {
			t.Fatalf("%s reported as seen", id)
		}
	}
	if n := s.len(); n > 3 {
		t.Errorf("holds %d keys, max 3", n)
	}
	if s.First("d", now) {
		t.Error("d not remembered")
	}
	if !s.First("d", now.Add(2*time.Minute)) {
		t.Error("d still remembered after the TTL")
	}
	if !s.First("", now) || !s.First("", now) {
		t.Error("the empty key must always be new")
	}
}

func TestForgetAndRememberAgain(t *testing.T) {
	s := New(time.Minute, 10)
	now := time.Unix(0, 0)
	s.First("a", now)
	s.Forget("a")
	if !s.First("a", now.Add(30*time.Second)) {
		t.Fatal("a forgotten key is not new")
	}
	// a's first entry ages out at one minute; the second must stay.
	s.First("b", now.Add(61*time.Second))
	if s.First("a", now.Add(62*time.Second)) {
		t.Error("the old entry's expiry dropped the key remembered again")
	}
}

// sharedStore is a Store over a map, as several instances' database.
type sharedStore struct {
	keys map[string]time.Time
	err  error
}

func (s *sharedStore) FirstSeen(_ context.Context, key string, now, expires time.Time) (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	if exp, ok := s.keys[key]; ok && exp.After(now) {
		return false, nil
	}
	s.keys[key] = expires
	return true, nil
}

func TestGuardAcrossInstances(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(0, 0)
	db := &sharedStore{keys: map[string]time.Time{}}
	a, b := NewGuard(time.Minute, 100, db), NewGuard(time.Minute, 100, db)
	if first, err := a.First(ctx, "sig", now); !first || err != nil {
		t.Fatalf("A: First = %v, %v; want true", first, err)
	}
	if first, err := b.First(ctx, "sig", now); first || err != nil {
		t.Errorf("B: First = %v, %v; want the replay refused", first, err)
	}
	if first, _ := a.First(ctx, "sig", now); first {
		t.Error("A: replay accepted")
	}
	if first, _ := b.First(ctx, "sig", now.Add(2*time.Minute)); !first {
		t.Error("B: key still refused after it expired")
	}

	// A store that cannot answer fails closed, and the request may come
	// again once it can.
	db.err = errors.New("database down")
	if first, err := a.First(ctx, "event", now); first || err == nil {
		t.Errorf("store down: First = %v, %v; want false and the error", first, err)
	}
	db.err = nil
	if first, err := a.First(ctx, "event", now); !first || err != nil {
		t.Errorf("retry after the outage: First = %v, %v; want true", first, err)
	}
	if first, err := NewGuard(time.Minute, 10, nil).First(ctx, "", now); !first || err != nil {
		t.Errorf("empty key: First = %v, %v; want always new", first, err)
	}
}

// Memory per remembered key, for the report of what a busy request path
// keeps: go test -bench Set -benchmem.
func BenchmarkSetFirst(b *testing.B) {
	s := New(10*time.Minute, 100000)
	now := time.Unix(0, 0)
	keys := make([]string, 4096)
	for i := range keys {
		keys[i] = "slack sig v0=" + strings.Repeat("0", 56) + strconv.Itoa(100000+i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.First(keys[i%len(keys)]+strconv.Itoa(i), now)
		i++
	}
}

// batchStore is a sharedStore that also records keys in batches.
type batchStore struct {
	sharedStore
	mu sync.Mutex
}

func (s *batchStore) FirstSeen(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sharedStore.FirstSeen(ctx, key, now, expires)
}

func (s *batchStore) FirstSeenAll(ctx context.Context, keys []string, now, expires time.Time) ([]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		first, err := s.sharedStore.FirstSeen(ctx, k, now, expires)
		if err != nil {
			return nil, err
		}
		out[i] = first
	}
	return out, nil
}

func TestGuardBatchesConcurrentKeys(t *testing.T) {
	ctx := t.Context()
	now := time.Unix(0, 0)
	db := &batchStore{sharedStore: sharedStore{keys: map[string]time.Time{}}}
	a, b := NewGuard(time.Minute, 1000, db), NewGuard(time.Minute, 1000, db)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if first, err := a.First(ctx, "sig "+strconv.Itoa(i), now); !first || err != nil {
				t.Errorf("key %d: First = %v, %v; want new", i, first, err)
			}
		})
	}
	wg.Wait()
	if len(db.keys) != 50 {
		t.Errorf("the store holds %d keys, want 50", len(db.keys))
	}
	if first, err := b.First(ctx, "sig 7", now); first || err != nil {
		t.Errorf("another instance: First = %v, %v; want the replay refused", first, err)
	}
	db.err = errors.New("database down")
	if first, err := a.First(ctx, "event", now); first || err == nil {
		t.Errorf("store down: First = %v, %v; want false and the error", first, err)
	}
	db.err = nil
	if first, err := a.First(ctx, "event", now); !first || err != nil {
		t.Errorf("retry after the outage: First = %v, %v; want true", first, err)
	}
}

// model is the obvious Set: a map beside a queue. Each First's entry has
// its own number, so that the expiry of a key's entry forgotten and then
// remembered again within the same nanosecond leaves the new one.
type model struct {
	ttl   time.Duration
	max   int
	seq   int
	at    map[string]int // the entry that remembers each key
	order []struct {
		key    string
		at, id int64
	}
}

func (m *model) first(key string, t int64) bool {
	for len(m.order) > 0 {
		o := m.order[0]
		if len(m.order) < m.max && time.Duration(t-o.at) < m.ttl {
			break
		}
		if id, ok := m.at[o.key]; ok && int64(id) == o.id {
			delete(m.at, o.key)
		}
		m.order = m.order[1:]
	}
	if _, dup := m.at[key]; dup {
		return false
	}
	m.seq++
	m.at[key] = m.seq
	m.order = append(m.order, struct {
		key    string
		at, id int64
	}{key, t, int64(m.seq)})
	return true
}

// The ring and its index answer as a map beside a queue does, through
// growth, expiry, eviction at max and Forget, with keys that collide in
// the index often (few slots).
func TestSetMatchesModel(t *testing.T) {
	for _, max := range []int{1, 3, 50, 200} {
		s := New(time.Second, max)
		m := &model{ttl: time.Second, max: max, at: map[string]int{}}
		now := time.Unix(0, 0)
		seed := uint64(max)
		rnd := func(n int) int {
			seed = seed*6364136223846793005 + 1442695040888963407
			return int(seed>>33) % n
		}
		for i := range 20000 {
			key := "k" + strconv.Itoa(rnd(3*max+5))
			switch rnd(10) {
			case 0:
				now = now.Add(time.Duration(rnd(400)) * time.Millisecond)
			case 1:
				s.Forget(key)
				delete(m.at, key)
			default:
				if got, want := s.First(key, now), m.first(key, now.UnixNano()); got != want {
					t.Fatalf("max %d, op %d: First(%s) = %v, the model says %v", max, i, key, got, want)
				}
			}
		}
		if got, want := s.len(), len(m.at); got != want {
			t.Errorf("max %d: %d keys remembered, the model has %d", max, got, want)
		}
	}
}

// Sweep forgets expired keys without a new one arriving, and shrinks the
// Set once a burst's keys have expired.
func TestSweepShrinks(t *testing.T) {
	s := New(time.Minute, 20000)
	t0 := time.Unix(1000, 0)
	for i := range 5000 {
		s.First("burst"+strconv.Itoa(i), t0)
	}
	for i := range 100 {
		s.First("late"+strconv.Itoa(i), t0.Add(50*time.Second))
	}
	grown := len(s.ring)
	s.Sweep(t0.Add(30 * time.Second))
	if len(s.ring) != grown || s.len() != 5100 {
		t.Fatalf("a sweep before anything expired: ring %d (was %d), %d keys", len(s.ring), grown, s.len())
	}
	s.Sweep(t0.Add(70 * time.Second))
	if s.len() != 100 {
		t.Fatalf("%d keys remembered after the burst's expired, want 100", s.len())
	}
	if len(s.ring) > 256 || len(s.index) > 512 {
		t.Errorf("ring %d, index %d for 100 keys: the burst's room is kept", len(s.ring), len(s.index))
	}
	for i := range 100 {
		if s.First("late"+strconv.Itoa(i), t0.Add(70*time.Second)) {
			t.Fatalf("late%d is new again after the sweep", i)
		}
	}
	if !s.First("burst7", t0.Add(70*time.Second)) {
		t.Error("an expired key is still refused")
	}
	s.Sweep(t0.Add(5 * time.Minute))
	if s.len() != 0 || s.ring != nil || s.index != nil {
		t.Fatalf("after everything expired: %d keys, ring %d, index %d", s.len(), len(s.ring), len(s.index))
	}
	for i := range 200 { // grows again from nothing
		if !s.First("next"+strconv.Itoa(i), t0.Add(5*time.Minute)) {
			t.Fatalf("next%d refused", i)
		}
	}
	if s.First("next150", t0.Add(5*time.Minute)) {
		t.Error("a repeat after regrowing is not refused")
	}
}

// Once requests stop, a Guard with a Store gives back every key it holds,
// and the Store still refuses the replays; without one it keeps the keys
// that have not expired.
func TestGuardReleasesKeysTheStoreHolds(t *testing.T) {
	ctx := t.Context()
	now := time.Unix(1000, 0)
	db := &sharedStore{keys: map[string]time.Time{}}
	g := NewGuard(10*time.Minute, 20000, db)
	for i := range 3000 {
		if first, err := g.First(ctx, "sig"+strconv.Itoa(i), now); !first || err != nil {
			t.Fatalf("sig%d: First = %v, %v", i, first, err)
		}
	}
	g.FirstLocal("help", now)
	g.Release(now.Add(time.Second))
	if n := g.local.len(); n != 0 || g.local.ring != nil || g.local.index != nil {
		t.Fatalf("after Release: %d keys, ring %d, index %d", n, len(g.local.ring), len(g.local.index))
	}
	if first, err := g.First(ctx, "sig7", now.Add(2*time.Second)); first || err != nil {
		t.Errorf("replay after Release: First = %v, %v; want refused by the store", first, err)
	}

	alone := NewGuard(10*time.Minute, 20000, nil)
	alone.First(ctx, "sig", now)
	alone.Release(now.Add(time.Second))
	if first, _ := alone.First(ctx, "sig", now.Add(2*time.Second)); first {
		t.Error("without a store, Release forgot a key that had not expired")
	}
	alone.Release(now.Add(11 * time.Minute))
	if n := alone.local.len(); n != 0 {
		t.Errorf("without a store, %d expired keys kept", n)
	}
}
