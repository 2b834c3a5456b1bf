package schedule_test

import (
	"container/heap"
	"fmt"
	"sort"
	"testing"
	"time"
)

// The engine keeps only what is due soon, in a heap. robfig/cron, by
// contrast, re-sorts every entry on each wake-up. These benchmarks compare
// the cost of one wake-up that fires the few entries due, for n schedules
// held in memory, to show why the engine does not do that.

type entry struct {
	next  time.Time
	every time.Duration
}

type entryHeap []*entry

func (h entryHeap) Len() int           { return len(h) }
func (h entryHeap) Less(i, j int) bool { return h[i].next.Before(h[j].next) }
func (h entryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *entryHeap) Push(x any)        { *h = append(*h, x.(*entry)) }
func (h *entryHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func makeEntries(n int, start time.Time) []*entry {
	es := make([]*entry, n)
	for i := range es {
		es[i] = &entry{next: start.Add(time.Duration(i) * time.Hour / time.Duration(n)), every: time.Hour}
	}
	return es
}

func BenchmarkWakeup(b *testing.B) {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, n := range []int{10_000, 1_000_000} {
		step := time.Hour / time.Duration(n) * 20 // about 20 due per wake-up
		b.Run(fmt.Sprintf("heap/schedules=%d", n), func(b *testing.B) {
			h := entryHeap(makeEntries(n, start))
			heap.Init(&h)
			now := start
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				now = now.Add(step)
				for h[0].next.Before(now) || h[0].next.Equal(now) {
					e := h[0]
					e.next = e.next.Add(e.every)
					heap.Fix(&h, 0)
				}
			}
		})
		b.Run(fmt.Sprintf("resort-all/schedules=%d", n), func(b *testing.B) {
			es := makeEntries(n, start)
			now := start
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				now = now.Add(step)
				sort.Slice(es, func(i, j int) bool { return es[i].next.Before(es[j].next) })
				for _, e := range es {
					if e.next.After(now) {
						break
					}
					e.next = e.next.Add(e.every)
				}
			}
		})
	}
}
