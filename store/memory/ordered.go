package memory

import (
	"iter"
	"slices"
	"sort"
)

// chunkMax bounds a chunk of an ordered set. Inserting or deleting moves at
// most this many pointers; a million items make about 8 000 chunks, whose
// list moves only when a chunk splits, empties or merges.
const chunkMax = 256

// ordered is a set kept sorted by cmp: a list of sorted chunks, each at most
// chunkMax long (a B-tree of height two). Finding, inserting and deleting
// cost O(log n + chunkMax); walking from the start in order costs O(1) per
// item. cmp must be a total order that tells distinct items apart, and an
// item's key must not change while it is in the set.
type ordered[T any] struct {
	cmp    func(a, b T) int
	chunks [][]T
	// lasts holds each chunk's last item, side by side: finding a chunk
	// then reads one small array rather than a dozen chunks scattered over
	// the heap (a cache miss each).
	lasts []T
	n     int
}

func newOrdered[T any](cmp func(a, b T) int) *ordered[T] {
	return &ordered[T]{cmp: cmp}
}

// Len returns the number of items.
func (o *ordered[T]) Len() int { return o.n }

// chunk returns the index of the first chunk whose last item is not before
// x; len(o.chunks) if there is none. The first chunk and the last are
// tried before the search: the engine takes runs from the front of the due
// index and puts their next runs at its end, and opens and closes
// occurrences likewise at the ends of the open index, so most lookups end
// there after one or two comparisons instead of a dozen.
func (o *ordered[T]) chunk(x T) int {
	n := len(o.lasts)
	if n == 0 || o.cmp(o.lasts[0], x) >= 0 {
		return 0
	}
	if n == 1 || o.cmp(o.lasts[n-2], x) < 0 {
		if o.cmp(o.lasts[n-1], x) >= 0 {
			return n - 1
		}
		return n
	}
	return sort.Search(n, func(i int) bool { return o.cmp(o.lasts[i], x) >= 0 })
}

// search returns the index of the first item of c not before x. Its ends
// are tried first, as in chunk.
func (o *ordered[T]) search(c []T, x T) int {
	n := len(c)
	if n == 0 || o.cmp(c[0], x) >= 0 {
		return 0
	}
	if o.cmp(c[n-1], x) < 0 {
		return n
	}
	return sort.Search(n, func(j int) bool { return o.cmp(c[j], x) >= 0 })
}

// Find returns the item probe reports 0 for. probe orders an item against
// the one sought, consistently with cmp, so that the sought one need not
// be an item itself.
func (o *ordered[T]) Find(probe func(T) int) (T, bool) {
	var zero T
	i := sort.Search(len(o.lasts), func(i int) bool { return probe(o.lasts[i]) >= 0 })
	if i == len(o.lasts) {
		return zero, false
	}
	c := o.chunks[i]
	j := sort.Search(len(c), func(j int) bool { return probe(c[j]) >= 0 })
	if j < len(c) && probe(c[j]) == 0 {
		return c[j], true
	}
	return zero, false
}

// Insert adds x; it reports false if an equal item is already there.
func (o *ordered[T]) Insert(x T) bool {
	if len(o.chunks) == 0 {
		o.chunks = append(o.chunks, append(make([]T, 0, 8), x))
		o.lasts = append(o.lasts, x)
		o.n++
		return true
	}
	i := o.chunk(x)
	if i == len(o.chunks) {
		i-- // after everything: the last chunk takes it
	}
	c := o.chunks[i]
	j := o.search(c, x)
	if j < len(c) && o.cmp(c[j], x) == 0 {
		return false
	}
	o.n++
	if len(c) < chunkMax {
		c = slices.Insert(c, j, x)
		o.chunks[i], o.lasts[i] = c, c[len(c)-1]
		return true
	}
	if i == len(o.chunks)-1 && j == len(c) {
		// After everything, into a full chunk: a new chunk of its own,
		// left full. The engine appends the runs it claims and the
		// occurrences it opens this way, in order: halves would leave
		// chunks half full, twice as many of them, each split copying
		// the chunk into a larger one first.
		o.chunks = append(o.chunks, append(make([]T, 0, chunkMax), x))
		o.lasts = append(o.lasts, x)
		return true
	}
	// Split in two halves, each with room to grow, then insert.
	half := len(c) / 2
	right := append(make([]T, 0, chunkMax), c[half:]...)
	clear(c[half:]) // drop references for the collector
	left := c[:half]
	if j <= half {
		left = slices.Insert(left, j, x)
	} else {
		right = slices.Insert(right, j-half, x)
	}
	o.chunks[i], o.lasts[i] = left, left[len(left)-1]
	o.chunks = slices.Insert(o.chunks, i+1, right)
	o.lasts = slices.Insert(o.lasts, i+1, right[len(right)-1])
	return true
}

// Delete removes the item equal to x; it reports whether there was one.
func (o *ordered[T]) Delete(x T) bool {
	i := o.chunk(x)
	if i == len(o.chunks) {
		return false
	}
	c := o.chunks[i]
	j := o.search(c, x)
	if j == len(c) || o.cmp(c[j], x) != 0 {
		return false
	}
	c = deleteAt(c, j)
	o.n--
	switch {
	case len(c) == 0:
		o.chunks = deleteAt(o.chunks, i)
		o.lasts = deleteAt(o.lasts, i)
	case len(c) < chunkMax/4 && i+1 < len(o.chunks) && len(c)+len(o.chunks[i+1]) <= chunkMax:
		// Merge a small chunk into its successor so that random deletes
		// do not leave a long list of tiny chunks.
		o.chunks[i], o.lasts[i] = append(c, o.chunks[i+1]...), o.lasts[i+1]
		o.chunks = deleteAt(o.chunks, i+1)
		o.lasts = deleteAt(o.lasts, i+1)
	default:
		o.chunks[i], o.lasts[i] = c, c[len(c)-1]
	}
	return true
}

// deleteAt removes s[i], moving whichever side of it is shorter: half as
// much to move, on average, for an item of a chunk. Runs are claimed from
// the front of the due index, so the chunks they empty are near the front
// of the list: moving the few chunks before one, rather than the thousands
// after it, makes that O(1) instead of a copy of the whole list. Space
// freed at the front is given back when an append reallocates.
func deleteAt[S ~[]E, E any](s S, i int) S {
	if i >= len(s)/2 {
		return slices.Delete(s, i, i+1)
	}
	copy(s[1:i+1], s[:i])
	var zero E
	s[0] = zero // drop the reference for the collector
	return s[1:]
}

// All yields the items in order. The set must not change during the walk.
func (o *ordered[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, c := range o.chunks {
			for _, x := range c {
				if !yield(x) {
					return
				}
			}
		}
	}
}

// From yields the items not before x, in order. The set must not change
// during the walk.
func (o *ordered[T]) From(x T) iter.Seq[T] {
	return func(yield func(T) bool) {
		i := o.chunk(x)
		if i == len(o.chunks) {
			return
		}
		for j, c := range o.chunks[i:] {
			if j == 0 {
				c = c[o.search(c, x):]
			}
			for _, y := range c {
				if !yield(y) {
					return
				}
			}
		}
	}
}
