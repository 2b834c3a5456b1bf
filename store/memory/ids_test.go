package memory

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

// The id index finds every id put and not deleted, however puts and
// deletes interleave (deletes move later entries back into the hole).
func TestIDIndex(t *testing.T) {
	tb := &tables{ids: newIDIndex()}
	want := map[bot.ReminderID]int32{}
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 20_000 {
		id := bot.ReminderID(fmt.Sprintf("r%d", rng.IntN(3000)))
		if i, ok := want[id]; ok && rng.IntN(2) == 0 {
			tb.del(id, i)
			tb.recs.drop(i)
			delete(want, id)
		} else if !ok {
			i := tb.recs.add(rec{id: id, live: true})
			tb.put(id, i)
			want[id] = i
		}
		if step%1000 == 0 || step == 19_999 {
			for id, i := range want {
				if got, ok := tb.get(id); !ok || got != i {
					t.Fatalf("step %d: get(%s) = %d, %v; want %d", step, id, got, ok, i)
				}
			}
			if _, ok := tb.get("absent"); ok {
				t.Fatalf("step %d: get(absent) found it", step)
			}
			if tb.ids.n != len(want) {
				t.Fatalf("step %d: %d ids, want %d", step, tb.ids.n, len(want))
			}
		}
	}
}

func TestOrderedFrom(t *testing.T) {
	o := newOrdered(func(a, b int) int { return a - b })
	for i := range 2000 {
		o.Insert(2 * i)
	}
	for _, from := range []int{-1, 0, 1, 511, 512, 3998, 3999, 5000} {
		want := max(0, (from+1)/2*2)
		n := 0
		for x := range o.From(from) {
			if x != want {
				t.Fatalf("From(%d): got %d, want %d", from, x, want)
			}
			want += 2
			n++
		}
		if want < 4000 {
			t.Errorf("From(%d) stopped at %d after %d items", from, want, n)
		}
	}
}
