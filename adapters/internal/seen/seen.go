// Package seen remembers keys for a while: event ids whose retries must be
// dropped, and request signatures that must not be replayed. A Set does it
// for one process; a Guard adds a Store shared by every instance, so a
// request refused by one instance is refused by all.
package seen

import (
	"sync"
	"time"
)

// Set remembers keys for ttl, at most max of them; entries expire in
// insertion order, so a FIFO queue bounds it cheaply.
type Set struct {
	ttl time.Duration
	max int

	mu    sync.Mutex
	at    map[string]time.Time
	order []entry // oldest first
}

// entry is one First that remembered key at at.
type entry struct {
	key string
	at  time.Time
}

// New returns a Set that forgets keys after ttl or beyond max.
func New(ttl time.Duration, max int) *Set {
	return &Set{ttl: ttl, max: max, at: map[string]time.Time{}}
}

// First reports whether key is new at now, and remembers it. The empty key
// is always new.
func (s *Set) First(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.order) > 0 {
		oldest := s.order[0]
		if len(s.order) < s.max && now.Sub(oldest.at) < s.ttl {
			break
		}
		// A key forgotten and remembered again has a newer entry.
		if at, ok := s.at[oldest.key]; ok && at.Equal(oldest.at) {
			delete(s.at, oldest.key)
		}
		s.order = s.order[1:]
	}
	if _, dup := s.at[key]; dup {
		return false
	}
	s.at[key] = now
	s.order = append(s.order, entry{key, now})
	return true
}

// Forget drops key, so that it is new again: for a request whose handling
// did not happen after all.
func (s *Set) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Its entry in order ages out as usual and then removes nothing.
	delete(s.at, key)
}
