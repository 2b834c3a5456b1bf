// Package seen remembers keys for a while: event ids whose retries must be
// dropped, and request signatures that must not be replayed.
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
	order []string
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
		if len(s.order) < s.max && now.Sub(s.at[oldest]) < s.ttl {
			break
		}
		delete(s.at, oldest)
		s.order = s.order[1:]
	}
	if _, dup := s.at[key]; dup {
		return false
	}
	s.at[key] = now
	s.order = append(s.order, key)
	return true
}
