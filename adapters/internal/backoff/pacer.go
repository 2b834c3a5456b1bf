package backoff

import (
	"sync"
	"time"
)

// forgetAbove is the number of keys above which a Pacer drops idle ones;
// an idle key imposes no wait, so forgetting it changes nothing.
const forgetAbove = 1000

// Pacer books slots per key (a channel) at least a gap apart, as chat
// platforms allow about one message per second per channel. It is safe for
// concurrent use.
type Pacer struct {
	gap time.Duration

	mu   sync.Mutex
	next map[string]time.Time // key → earliest next slot
}

// NewPacer returns a Pacer whose slots for one key are gap apart.
func NewPacer(gap time.Duration) *Pacer {
	return &Pacer{gap: gap, next: map[string]time.Time{}}
}

// Reserve books the next slot of key at now and returns how long to wait
// for it (0 when the key is idle).
func (p *Pacer) Reserve(key string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.next) > forgetAbove {
		for k, t := range p.next {
			if t.Before(now) {
				delete(p.next, k)
			}
		}
	}
	at := p.next[key]
	if at.Before(now) {
		at = now
	}
	p.next[key] = at.Add(p.gap)
	return at.Sub(now)
}

// size reports how many keys are remembered, for tests.
func (p *Pacer) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.next)
}
