package groupcommit

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
)

func TestAloneWritesAtOnce(t *testing.T) {
	var flushes [][]int
	b := &Batcher[int, int]{Flush: func(_ context.Context, items []int) ([]int, error) {
		flushes = append(flushes, append([]int(nil), items...))
		out := make([]int, len(items))
		for i, v := range items {
			out[i] = v * 10
		}
		return out, nil
	}}
	for i := range 3 {
		got, err := b.Do(t.Context(), i)
		if err != nil || got != i*10 {
			t.Fatalf("Do(%d) = %d, %v; want %d", i, got, err, i*10)
		}
	}
	if len(flushes) != 3 {
		t.Errorf("flushes = %v, want one per call when calls do not overlap", flushes)
	}
}

// TestConcurrentCallersShareWrites holds the first write until every other
// caller has queued, then checks that they all went out in one more write,
// each with its own result.
func TestConcurrentCallersShareWrites(t *testing.T) {
	const n = 20
	release := make(chan struct{})
	var (
		mu      sync.Mutex
		flushes [][]int
	)
	b := &Batcher[int, int]{Flush: func(_ context.Context, items []int) ([]int, error) {
		mu.Lock()
		first := len(flushes) == 0
		flushes = append(flushes, append([]int(nil), items...))
		mu.Unlock()
		if first {
			<-release
		}
		out := make([]int, len(items))
		for i, v := range items {
			out[i] = -v
		}
		return out, nil
	}}
	var wg sync.WaitGroup
	check := func(i int) {
		defer wg.Done()
		if got, err := b.Do(t.Context(), i); err != nil || got != -i {
			t.Errorf("Do(%d) = %d, %v; want %d", i, got, err, -i)
		}
	}
	wg.Add(1)
	go check(0)
	// Wait until the first write is in progress, then queue the rest.
	for {
		mu.Lock()
		started := len(flushes) == 1
		mu.Unlock()
		if started {
			break
		}
		runtime.Gosched()
	}
	for i := 1; i < n; i++ {
		wg.Add(1)
		go check(i)
	}
	for {
		b.mu.Lock()
		queued := len(b.queue)
		b.mu.Unlock()
		if queued == n-1 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if len(flushes) != 2 || len(flushes[1]) != n-1 {
		t.Errorf("flushes = %v, want the first alone and the other %d together", flushes, n-1)
	}
	if b.busy || len(b.queue) != 0 {
		t.Error("the batcher is still busy after every caller returned")
	}
}

func TestErrorFailsTheBatchOnly(t *testing.T) {
	fail := true
	b := &Batcher[string, bool]{Flush: func(_ context.Context, items []string) ([]bool, error) {
		if fail {
			return nil, errors.New("database down")
		}
		return make([]bool, len(items)), nil
	}}
	if _, err := b.Do(t.Context(), "a"); err == nil {
		t.Fatal("a failed write reported no error")
	}
	fail = false
	if _, err := b.Do(t.Context(), "b"); err != nil {
		t.Fatalf("the next write: %v", err)
	}
}

func TestPanicAndWrongCountAreErrors(t *testing.T) {
	b := &Batcher[int, int]{Flush: func(context.Context, []int) ([]int, error) { panic("boom") }}
	if _, err := b.Do(t.Context(), 1); err == nil {
		t.Error("a panicking flush reported no error")
	}
	b = &Batcher[int, int]{Flush: func(context.Context, []int) ([]int, error) { return nil, nil }}
	if _, err := b.Do(t.Context(), 1); err == nil {
		t.Error("a flush returning no results reported no error")
	}
}

func TestCancelledLeaderStillWrites(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b := &Batcher[int, int]{Flush: func(ctx context.Context, items []int) ([]int, error) {
		return make([]int, len(items)), ctx.Err()
	}}
	if _, err := b.Do(ctx, 1); err != nil {
		t.Errorf("Do with a cancelled context: %v; the shared write must not see the cancellation", err)
	}
}

func TestMaxBoundsABatch(t *testing.T) {
	release := make(chan struct{})
	var (
		mu    sync.Mutex
		sizes []int
	)
	b := &Batcher[int, int]{Max: 3, Flush: func(_ context.Context, items []int) ([]int, error) {
		mu.Lock()
		first := len(sizes) == 0
		sizes = append(sizes, len(items))
		mu.Unlock()
		if first {
			<-release
		}
		return make([]int, len(items)), nil
	}}
	var wg sync.WaitGroup
	wg.Go(func() { b.Do(t.Context(), 0) })
	for {
		mu.Lock()
		started := len(sizes) == 1
		mu.Unlock()
		if started {
			break
		}
		runtime.Gosched()
	}
	for i := 1; i <= 7; i++ {
		wg.Go(func() { b.Do(t.Context(), i) })
	}
	for {
		b.mu.Lock()
		queued := len(b.queue)
		b.mu.Unlock()
		if queued == 7 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if want := []int{1, 3, 3, 1}; len(sizes) != len(want) || sizes[1] != 3 || sizes[2] != 3 || sizes[3] != 1 {
		t.Errorf("batch sizes = %v, want %v", sizes, want)
	}
}

func BenchmarkDoParallel(b *testing.B) {
	bt := &Batcher[int, int]{Flush: func(_ context.Context, items []int) ([]int, error) {
		return make([]int, len(items)), nil
	}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			bt.Do(context.Background(), 1)
		}
	})
}

// TestGatherTakesCallersOnTheirWay: callers ready to run when a leader
// starts join its write when it lets them run first. On one processor
// they run when the leader yields (the race detector's scheduler sometimes
// runs them in another order: a few tries).
func TestGatherTakesCallersOnTheirWay(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var mu sync.Mutex
	var sizes []int
	b := &Batcher[int, int]{Gather: 4, Flush: func(_ context.Context, items []int) ([]int, error) {
		mu.Lock()
		sizes = append(sizes, len(items))
		mu.Unlock()
		return items, nil
	}}
	var got []int
	for range 10 {
		sizes = nil
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Go(func() {
				if got, err := b.Do(t.Context(), i+2); got != i+2 || err != nil {
					t.Errorf("Do(%d) = %d, %v", i+2, got, err)
				}
			})
		}
		// The three are runnable, not running: this goroutine leads.
		if got, err := b.Do(t.Context(), 1); got != 1 || err != nil {
			t.Errorf("Do(1) = %d, %v", got, err)
		}
		wg.Wait()
		if got = sizes; len(got) == 1 && got[0] == 4 {
			break
		}
	}
	if len(got) != 1 || got[0] != 4 {
		t.Errorf("writes of %v items, want one of 4", got)
	}
	// Alone, the leader yields once and writes.
	sizes = nil
	if got, err := b.Do(t.Context(), 5); got != 5 || err != nil || len(sizes) != 1 {
		t.Errorf("alone: Do = %d, %v; writes %v", got, err, sizes)
	}
}
