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
// more), with seeds chosen at random per Set so nobody can make two keys
// collide on purpose.
//
// Under load a Set holds tens of thousands of keys, and it keeps them
// after the load for up to ttl, so it is laid out compactly: the entries
// in a ring (24 bytes each), found through an open-addressing index of
// 4-byte ring positions, rather than a map beside a queue (about three
// times the memory, and more while a slice moved along its array).
type Set struct {
	ttl   time.Duration
	max   int
	seeds [2]maphash.Seed

	mu sync.Mutex
	// ring holds n entries, the oldest at head; it grows by doubling up
	// to max.
	ring    []entry
	head, n int
	// index is a linear-probing hash table of ring positions plus one (0
	// is an empty slot), over each remembered key's digest; its length
	// is a power of two, at least 4/3 of the ring's.
	index []uint32
}

// digest stands for a key.
type digest [2]uint64

// entry is one First that remembered key at at (Unix nanoseconds). An
// entry whose key was forgotten stays in the ring, unindexed, until it
// ages out.
type entry struct {
	key digest
	at  int64
}

// New returns a Set that forgets keys after ttl or beyond max.
func New(ttl time.Duration, max int) *Set {
	if max < 1 {
		max = 1 // a Set holds at least the latest key
	}
	return &Set{ttl: ttl, max: max, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
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
	s.expire(t, s.max)
	if _, dup := s.find(d); dup {
		return false
	}
	if s.n == len(s.ring) {
		s.resize(min(max(2*len(s.ring), minRing), s.max))
	}
	pos := (s.head + s.n) % len(s.ring)
	s.ring[pos] = entry{d, t}
	s.n++
	slot := s.home(d)
	for s.index[slot] != 0 {
		slot = (slot + 1) & (len(s.index) - 1)
	}
	s.index[slot] = uint32(pos + 1)
	return true
}

// expire drops the oldest entries while they are older than ttl at t
// (Unix nanoseconds) or the Set holds limit or more.
func (s *Set) expire(t int64, limit int) {
	for s.n > 0 {
		oldest := s.ring[s.head]
		if s.n < limit && time.Duration(t-oldest.at) < s.ttl {
			break
		}
		// A key forgotten, or forgotten and remembered again, is not
		// indexed at this position.
		if slot, ok := s.find(oldest.key); ok && int(s.index[slot]) == s.head+1 {
			s.unindex(slot)
		}
		s.head = (s.head + 1) % len(s.ring)
		s.n--
	}
}

// minRing is the smallest ring a Set allocates.
const minRing = 64

// Sweep forgets the keys expired at now, which First otherwise does only
// when a key arrives, and gives back the room a burst made the Set grow
// to once at most a quarter of it is used (to twice what is left, so
// that the next keys do not make it grow at once).
func (s *Set) Sweep(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now.UnixNano(), s.max)
	if len(s.ring) > minRing && s.n <= len(s.ring)/4 {
		s.resize(max(2*s.n, minRing))
	}
	if s.n == 0 {
		s.ring, s.index, s.head = nil, nil, 0
	}
}

// Clear forgets every key and gives back all the room.
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ring, s.index, s.head, s.n = nil, nil, 0, 0
}

// Forget drops key, so that it is new again: for a request whose handling
// did not happen after all.
func (s *Set) Forget(key string) {
	d := s.digest(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	// Its entry in the ring ages out as usual and then removes nothing.
	if slot, ok := s.find(d); ok {
		s.unindex(slot)
	}
}

// home is d's first slot in the index.
func (s *Set) home(d digest) int { return int(d[0] & uint64(len(s.index)-1)) }

// find returns the index slot of d, if d is remembered.
func (s *Set) find(d digest) (int, bool) {
	if len(s.index) == 0 {
		return 0, false
	}
	mask := len(s.index) - 1
	for slot := s.home(d); s.index[slot] != 0; slot = (slot + 1) & mask {
		if s.ring[s.index[slot]-1].key == d {
			return slot, true
		}
	}
	return 0, false
}

// unindex empties slot, moving later entries of its probe run back so
// that every entry stays reachable from its home slot.
func (s *Set) unindex(slot int) {
	mask := len(s.index) - 1
	hole := slot
	for next := (hole + 1) & mask; s.index[next] != 0; next = (next + 1) & mask {
		home := s.home(s.ring[s.index[next]-1].key)
		// The entry at next may fill the hole unless its home lies
		// cyclically after the hole, up to next.
		if (next > hole && (home <= hole || home > next)) || (next < hole && home <= hole && home > next) {
			s.index[hole] = s.index[next]
			hole = next
		}
	}
	s.index[hole] = 0
}

// resize moves the entries to a ring of size (at least s.n) and rebuilds
// the index for their new positions.
func (s *Set) resize(size int) {
	ring := make([]entry, size)
	for i := range s.n {
		ring[i] = s.ring[(s.head+i)%len(s.ring)]
	}
	slots := 1
	for slots <= size+size/3 { // always an empty slot, which ends every probe
		slots *= 2
	}
	old, oldLen, head := s.index, len(s.ring), s.head
	s.ring, s.head, s.index = ring, 0, make([]uint32, slots)
	mask := slots - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		pos := (int(v) - 1 - head + oldLen) % oldLen
		slot := s.home(ring[pos].key)
		for s.index[slot] != 0 {
			slot = (slot + 1) & mask
		}
		s.index[slot] = uint32(pos + 1)
	}
}

// len is how many keys are remembered (tests).
func (s *Set) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.index {
		if v != 0 {
			n++
		}
	}
	return n
}
