// Package groupcommit lets concurrent callers share one durable write.
//
// Each caller hands in its item and waits. The first caller to find no
// write in progress leads: it takes every item queued so far and writes
// them with one call to Flush (one transaction), then hands the lead to
// the oldest caller that queued meanwhile, so no caller writes for others
// more than once. Nothing waits on a timer: alone, a caller writes at once;
// under load, each write carries whatever queued while the previous one
// ran, and with Gather also the callers that reach the queue while the
// leader lets other goroutines run. A caller returns only once its own item has been written (or the
// write failed), so what it answers afterwards rests on a durable record.
package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Batcher groups items of type T into calls to Flush; each caller gets
// back its own item's result R. The zero value is not usable: set Flush.
type Batcher[T, R any] struct {
	// Flush writes items, all in one transaction, and returns one result
	// per item in the same order, or an error that then fails them all.
	Flush func(ctx context.Context, items []T) ([]R, error)
	// Max bounds how many items one Flush takes; 0 means 256.
	Max int
	// Gather is how many times a leader lets other goroutines run before
	// it takes its batch, as long as each time brought more items: the
	// callers already on their way then share its write. It costs no
	// timer and, alone, no wait. 0: the leader writes at once.
	Gather int
	// Limit bounds each Flush, which runs on behalf of several callers and
	// so is not ended by the leader's own cancellation; 0 means 10 s.
	Limit time.Duration

	mu    sync.Mutex
	queue []*call[T, R]
	busy  bool // a leader is flushing
}

// call is one caller's item, its result, and the signal that it is ready
// (or that the caller now leads).
type call[T, R any] struct {
	item T
	res  R
	err  error
	lead bool
	done chan struct{}
}

// Do queues item, waits until it is written, and returns its result.
// ctx's values reach Flush when this caller leads; its cancellation does
// not interrupt a write that carries other callers' items.
func (b *Batcher[T, R]) Do(ctx context.Context, item T) (R, error) {
	c := &call[T, R]{item: item, done: make(chan struct{}, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, c)
	lead := !b.busy
	b.busy, c.lead = true, lead
	b.mu.Unlock()
	if !lead {
		<-c.done
		if !c.lead {
			return c.res, c.err
		}
	}
	b.flush(ctx)
	return c.res, c.err
}

// flush writes a batch from the head of the queue (which holds the
// leader's own item), answers its callers, and passes the lead on.
func (b *Batcher[T, R]) flush(ctx context.Context) {
	most := b.Max
	if most <= 0 {
		most = 256
	}
	b.mu.Lock()
	for i, was := 0, len(b.queue); i < b.Gather && was < most; i++ {
		b.mu.Unlock()
		runtime.Gosched()
		b.mu.Lock()
		if len(b.queue) == was {
			break // nobody came
		}
		was = len(b.queue)
	}
	n := min(len(b.queue), most)
	batch := b.queue[:n:n]
	b.queue = b.queue[n:]
	if len(b.queue) == 0 {
		b.queue = nil // let the old backing array go
	}
	b.mu.Unlock()

	res, err := b.write(ctx, batch)
	for i, c := range batch {
		if err != nil {
			c.err = err
		} else {
			c.res = res[i]
		}
	}
	// Pass the lead before answering, so the next write starts while
	// this batch's callers go on with their requests.
	b.mu.Lock()
	if len(b.queue) > 0 {
		next := b.queue[0]
		next.lead = true
		next.done <- struct{}{}
	} else {
		b.busy = false
	}
	b.mu.Unlock()
	for _, c := range batch {
		if !c.lead {
			c.done <- struct{}{}
		}
	}
}

// write calls Flush for batch, bounded by Limit, turning a panic or a
// wrong number of results into an error for every caller in it.
func (b *Batcher[T, R]) write(ctx context.Context, batch []*call[T, R]) (res []R, err error) {
	limit := b.Limit
	if limit <= 0 {
		limit = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("groupcommit: flush panicked: %v", v)
		}
	}()
	items := make([]T, len(batch))
	for i, c := range batch {
		items[i] = c.item
	}
	res, err = b.Flush(ctx, items)
	if err == nil && len(res) != len(items) {
		return nil, errors.New("groupcommit: flush returned a result count unlike its items'")
	}
	return res, err
}
