package memory

// slabPage is how many values a page of a slab holds.
const slabPage = 256

// slab holds values in fixed pages, and hands out their slots by number,
// reusing freed ones. Growing it never moves a value: a million reminders
// are not copied each time they outgrow a slice, and a million open
// occurrences (claims nobody recorded) not either.
type slab[T any] struct {
	pages [][]T
	n     int32 // slots handed out, free or not
	free  []int32
}

// at returns the value in slot i.
func (s *slab[T]) at(i int32) *T { return &s.pages[i/slabPage][i%slabPage] }

// add stores x in a free slot and returns it.
func (s *slab[T]) add(x T) int32 {
	var i int32
	if n := len(s.free); n > 0 {
		i, s.free = s.free[n-1], s.free[:n-1]
	} else {
		i = s.n
		s.n++
		if int(i/slabPage) == len(s.pages) {
			s.pages = append(s.pages, make([]T, slabPage))
		}
	}
	*s.at(i) = x
	return i
}

// drop clears slot i and frees it.
func (s *slab[T]) drop(i int32) {
	var zero T
	*s.at(i) = zero
	s.free = append(s.free, i)
}

// len is one more than the highest slot handed out.
func (s *slab[T]) len() int32 { return s.n }
