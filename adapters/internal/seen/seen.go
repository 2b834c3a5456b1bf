// Package seen remembers keys for a while: event ids whose retries must be
// dropped, and request signatures that must not be replayed. A Set does it
// for one process; a Guard adds a Store shared by every instance, so a
// request refused by one instance is refused by all.
package seen

import (
	"hash/maphash"
	"sync"
	"time"
)

// Set remembers keys for ttl, at most max of them; entries expire in
// insertion order, so a FIFO queue bounds it cheaply. It keeps a 128-bit
// digest of each key rather than the key (signatures are 70 bytes and
// more; under load the set holds a hundred thousand of them), with seeds
// chosen at random per Set so nobody can make two keys collide on purpose.
type Set struct {
	ttl   time.Duration
	max   int
	seeds [2]maphash.Seed

	mu    sync.Mutex
	at    map[digest]int64 // when each key was remembered, in Unix nanoseconds
	order []entry          // oldest first
}

// digest stands for a key.
type digest [2]uint64

// entry is one First that remembered key at at.
type entry struct {
	key digest
	at  int64
}

// New returns a Set that forgets keys after ttl or beyond max.
func New(ttl time.Duration, max int) *Set {
	return &Set{ttl: ttl, max: max, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, at: map[digest]int64{}}
}

func (s *Set) digest(key string) digest {
	return digest{maphash.String(s.seeds[0], key), maphash.String(s.seeds[1], key)}
}

// First reports whether key is new at now, and remembers it. The empty key
// is always new.
func (s *Set) First(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	d, t := s.digest(key), now.UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.order) > 0 {
		oldest := s.order[0]
		if len(s.order) < s.max && time.Duration(t-oldest.at) < s.ttl {
			break
		}
		// A key forgotten and remembered again has a newer entry.
		if at, ok := s.at[oldest.key]; ok && at == oldest.at {
			delete(s.at, oldest.key)
		}
		s.order = s.order[1:]
	}
	if _, dup := s.at[d]; dup {
		return false
	}
	s.at[d] = t
	s.order = append(s.order, entry{d, t})
	return true
}

// Forget drops key, so that it is new again: for a request whose handling
// did not happen after all.
func (s *Set) Forget(key string) {
	d := s.digest(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	// Its entry in order ages out as usual and then removes nothing.
	delete(s.at, d)
}
