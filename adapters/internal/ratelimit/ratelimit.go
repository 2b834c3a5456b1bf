package ratelimit

import (
	"sync"
	"time"
)

// Rate is a limit known in advance: on average one call per Every, with up
// to Burst calls at once after a quiet spell. The zero Rate does not pace.
type Rate struct {
	Every time.Duration
	Burst int
}

// PerMinute is a Rate that lets at most n calls into any minute: a tenth of
// them may go at once, the rest are spread evenly. Slack states its tiers
// this way ("50+ per minute").
func PerMinute(n int) Rate {
	n = max(n, 1)
	burst := max(1, n/10)
	// In a minute from a full bucket: burst at once, then n−burst more at
	// one per Every, the last just inside the minute. Rounding Every up
	// keeps the one after it out.
	slots := time.Duration(n - burst + 1)
	return Rate{Every: (time.Minute + slots - 1) / slots, Burst: burst}
}

// Key names a bucket a call counts against, with the Rate that bucket is
// known to allow (zero: only a learned quota and blocks apply). Names are
// compared exactly; callers prefix them with the platform and workspace.
type Key struct {
	Name string
	Rate Rate
}

// sweepAbove is the number of buckets above which idle ones are dropped;
// an idle bucket allows everything, so forgetting it changes nothing.
const sweepAbove = 1000

// Limiter holds the state of every bucket. It is safe for concurrent use;
// the zero value is not usable, call New.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	sweepAt int
}

// New returns a Limiter that knows nothing yet: every bucket is open.
func New() *Limiter {
	return &Limiter{buckets: map[string]*bucket{}, sweepAt: sweepAbove}
}

// bucket is the state of one named bucket.
type bucket struct {
	// tat is the token bucket's theoretical arrival time (the GCRA form of
	// a token bucket): a call may go at t when t ≥ tat − (Burst−1)·Every.
	tat time.Time
	// blocked: nothing goes before it (a 429's Retry-After).
	blocked time.Time
	// quota is set when the platform said how many calls remain until
	// reset.
	quota     bool
	remaining int
	reset     time.Time
	// advised is the latest time told to a refused caller; the next one is
	// told a pace later, so a queue does not come back all at once.
	advised time.Time
	// pace is, for a bucket with no Rate, the pace learned with its block
	// (BlockSpaced); zero when none was.
	pace pace
}

// pace is a Rate learned from a platform's answers rather than known in
// advance: the platform took about one call per spacing when it refused
// the next ones. It holds from from on, and speeds up while nothing says
// it is too fast: each RecoverEvery after from without a new block, the
// spacing halves, down to a MaxSpeedup-th of what was learned. A pace
// learned from too few answers, or while something else shared the limit,
// is slower than the platform takes; kept as it was, it held a burst of
// thousands of calls to it for as long as the burst lasted. Too fast, it
// meets the limit again, and the next block brings the pace then taken.
type pace struct {
	spacing time.Duration
	from    time.Time
}

const (
	// RecoverEvery is how long a learned pace holds before it is made
	// faster. Half a second brings a pace a hundred times too slow to the
	// platform's within about four seconds; at a pace close to the
	// platform's, it meets the limit again every few seconds, each time
	// to wait out a Retry-After, which a second would make rarer but a
	// pace too slow would take twice as long to leave.
	RecoverEvery = 500 * time.Millisecond
	// MaxSpeedup bounds how much faster than learned a pace gets.
	MaxSpeedup = 1024
)

// step is the spacing of the pace at t: the spacing learned, halved for
// each RecoverEvery from p.from to t.
func (p pace) step(t time.Time) time.Duration {
	if p.spacing <= 0 {
		return 0
	}
	step, floor := p.spacing, max(p.spacing/MaxSpeedup, 1)
	for d := t.Sub(p.from); d >= RecoverEvery && step > floor; d -= RecoverEvery {
		step /= 2
	}
	return max(step, floor)
}

// wait is how long from now until b lets one more call go under r.
func (b *bucket) wait(now time.Time, r Rate) time.Duration {
	var w time.Duration
	if b.blocked.After(now) {
		w = b.blocked.Sub(now)
	}
	if b.quota && b.remaining <= 0 && b.reset.After(now) {
		w = max(w, b.reset.Sub(now))
	}
	if r.Every > 0 {
		free := b.tat.Add(-time.Duration(max(r.Burst, 1)-1) * r.Every)
		if free.After(now) {
			w = max(w, free.Sub(now))
		}
	} else if b.pace.spacing > 0 && b.tat.After(now) {
		w = max(w, b.tat.Sub(now))
	}
	return w
}

// book counts a call going at at.
func (b *bucket) book(at time.Time, r Rate) {
	if r.Every > 0 {
		if b.tat.Before(at) {
			b.tat = at
		}
		b.tat = b.tat.Add(r.Every)
	} else if b.pace.spacing > 0 {
		// A learned pace holds every call, not only those told a time:
		// calls told times under a faster pace than the one learned since
		// are held back again rather than sent together.
		if b.tat.Before(at) {
			b.tat = at
		}
		b.tat = b.tat.Add(b.pace.step(b.tat))
	}
	if b.quota && at.Before(b.reset) {
		b.remaining--
	}
}

// idle reports whether b allows everything from now on, as a new bucket
// would.
func (b *bucket) idle(now time.Time) bool {
	return !b.tat.After(now) && !b.blocked.After(now) && !b.advised.After(now) && (!b.quota || !b.reset.After(now)) &&
		(b.pace.spacing == 0 || b.pace.step(now) <= max(b.pace.spacing/MaxSpeedup, 1))
}

// Take asks to make one call, counted against every key, at now. When all
// the buckets let it go within the given wait, it is booked in each and Take returns
// the wait before it may go and true: the caller sleeps that long, then
// calls. Otherwise nothing is booked and Take returns false with how long
// to wait before asking again; callers refused by the same bucket are told
// times one pace of that bucket apart.
func (l *Limiter) Take(now time.Time, within time.Duration, keys ...Key) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	var (
		wait     time.Duration
		bind     *bucket // the bucket that asks for the longest wait
		bindRate Rate
	)
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		b := l.buckets[k.Name]
		if b == nil {
			b = &bucket{}
			l.buckets[k.Name] = b
		}
		bs[i] = b
		if w := b.wait(now, k.Rate); bind == nil || w > wait {
			wait, bind, bindRate = w, b, k.Rate
		}
	}
	at := now.Add(wait)
	if wait <= within {
		for i, k := range keys {
			bs[i].book(at, k.Rate)
		}
		return wait, true
	}
	if bind.advised.After(now) {
		// The pace at the time told: as a learned pace speeds up, calls
		// told later times are told them closer together, so that calls
		// held back come back as fast as the platform is expected to take
		// them then, not at the pace it took when they were held back.
		step := bindRate.Every
		if step == 0 {
			step = bind.pace.step(bind.advised)
		}
		if next := bind.advised.Add(step); next.After(at) {
			at = next
		}
	}
	bind.advised = at
	return at.Sub(now), false
}

// Block stops every call to the bucket name until until; an earlier until
// than a block already in force changes nothing.
func (l *Limiter) Block(name string, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.block(name, until)
}

func (l *Limiter) block(name string, until time.Time) *bucket {
	b := l.buckets[name]
	if b == nil {
		b = &bucket{}
		l.buckets[name] = b
	}
	if until.After(b.blocked) {
		b.blocked = until
	}
	return b
}

// BlockSpaced is Block for a bucket with no Rate whose platform was seen
// to take about one call per every: from the block's end, calls go at
// that pace, and callers refused are told times that pace apart, so that
// they come back at the pace the platform took rather than all at its
// end, each to be refused again. The pace speeds up while no new block
// comes (see pace). every 0 (nothing was taken) keeps the pace learned
// before, as it was learned, from the new block's end.
func (l *Limiter) BlockSpaced(name string, until time.Time, every time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.block(name, until)
	if every > 0 {
		b.pace.spacing = every
	}
	if b.pace.spacing > 0 {
		// Times told under the pace before are no promise now: the next
		// caller refused is told the block's end, and those after it
		// times the new pace apart. Calls that come back at the times
		// told before meet the new pace, and are told times again.
		b.pace.from, b.advised = b.blocked, time.Time{}
	}
}

// Observe records what the platform said of the bucket name in an answer
// at now: remaining calls until reset. Within the window already known,
// the lower count wins, since calls booked since the answer was sent are
// not in it.
func (l *Limiter) Observe(name string, remaining int, reset, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[name]
	if b == nil {
		b = &bucket{}
		l.buckets[name] = b
	}
	sameWindow := b.quota && b.reset.After(now) && !reset.After(b.reset.Add(time.Second))
	if sameWindow && b.remaining < remaining {
		remaining = b.remaining
	}
	b.quota, b.remaining, b.reset = true, remaining, reset
}

// sweep drops idle buckets once there are many, at most once per doubling.
func (l *Limiter) sweep(now time.Time) {
	if len(l.buckets) <= l.sweepAt {
		return
	}
	for k, b := range l.buckets {
		if b.idle(now) {
			delete(l.buckets, k)
		}
	}
	l.sweepAt = max(sweepAbove, 2*len(l.buckets))
}

// size reports how many buckets are held, for tests.
func (l *Limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
