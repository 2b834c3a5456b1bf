package memory

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrderedMatchesSortedSlice drives the set and a plain sorted slice with
// the same random inserts and deletes, enough to split, empty and merge
// chunks, and checks that they always agree.
func TestOrderedMatchesSortedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	set := newOrdered(cmp.Compare[int])
	var want []int
	for step := range 50_000 {
		x := rng.IntN(4000)
		i, found := slices.BinarySearch(want, x)
		if rng.IntN(3) == 0 || step > 40_000 { // mostly grow, then drain
			if got := set.Delete(x); got != found {
				t.Fatalf("step %d: Delete(%d) = %v, want %v", step, x, got, found)
			}
			if found {
				want = slices.Delete(want, i, i+1)
			}
		} else {
			if got := set.Insert(x); got == found {
				t.Fatalf("step %d: Insert(%d) = %v, want %v", step, x, got, !found)
			}
			if !found {
				want = slices.Insert(want, i, x)
			}
		}
		if step%997 == 0 || step == 49_999 {
			checkOrdered(t, set, want)
		}
	}
}

func checkOrdered(t *testing.T, set *ordered[int], want []int) {
	t.Helper()
	if got := slices.Collect(set.All()); !slices.Equal(got, want) && len(got)+len(want) > 0 {
		t.Fatalf("items = %v…, want %v…", got[:min(10, len(got))], want[:min(10, len(want))])
	}
	if set.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", set.Len(), len(want))
	}
	if len(set.lasts) != len(set.chunks) {
		t.Fatalf("%d lasts for %d chunks", len(set.lasts), len(set.chunks))
	}
	for i, c := range set.chunks {
		if len(c) == 0 || len(c) > chunkMax {
			t.Fatalf("chunk of %d items", len(c))
		}
		if set.lasts[i] != c[len(c)-1] {
			t.Fatalf("chunk %d ends with %d, its last says %d", i, c[len(c)-1], set.lasts[i])
		}
	}
}

// TestOrderedQueue uses the set as the engine uses its indexes: items
// appended at the end, in order, and taken from the front, with now and
// then one inserted or deleted elsewhere. Appended chunks are left full.
func TestOrderedQueue(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	set := newOrdered(cmp.Compare[int])
	var want []int
	next := 0
	for step := range 40_000 {
		switch k := rng.IntN(10); {
		case k < 5 || len(want) < 10:
			next += 1 + rng.IntN(3)
			set.Insert(next)
			want = append(want, next)
		case k < 9:
			if !set.Delete(want[0]) {
				t.Fatalf("step %d: Delete(%d) of the first item failed", step, want[0])
			}
			want = want[1:]
		default:
			x := want[0] + rng.IntN(next-want[0]+1)
			i, found := slices.BinarySearch(want, x)
			if found {
				set.Delete(x)
				want = slices.Delete(want, i, i+1)
			} else {
				set.Insert(x)
				want = slices.Insert(want, i, x)
			}
		}
		if step%499 == 0 {
			checkOrdered(t, set, want)
		}
	}
	checkOrdered(t, set, want)

	appended := newOrdered(cmp.Compare[int])
	for i := range 10 * chunkMax {
		appended.Insert(i)
	}
	for i, c := range appended.chunks {
		if len(c) != chunkMax {
			t.Errorf("appended chunk %d of %d holds %d items, want %d", i, len(appended.chunks), len(c), chunkMax)
		}
	}
}

func TestOrderedEarlyStop(t *testing.T) {
	set := newOrdered(cmp.Compare[int])
	for i := range 1000 {
		set.Insert(999 - i)
	}
	var got []int
	for x := range set.All() {
		if x == 3 {
			break
		}
		got = append(got, x)
	}
	if !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("walk = %v, want [0 1 2]", got)
	}
}

func TestDeleteAtEitherSide(t *testing.T) {
	for i := range 7 {
		s := []int{0, 1, 2, 3, 4, 5, 6}
		want := slices.Delete(slices.Clone(s), i, i+1)
		if got := deleteAt(s, i); !slices.Equal(got, want) {
			t.Errorf("deleteAt(%d) = %v, want %v", i, got, want)
		}
	}
}
