package backoff

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Sleep waits for d or until ctx is done, whichever comes first, and
// returns ctx.Err() in the second case. A d ≤ 0 returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Policy shapes the waits between attempts: the n-th wait (0-based) grows
// from Min by Factor up to Max, and Jitter randomly takes up to that
// fraction off it, so that many clients do not retry in step. With
// Jitter 0.5 the waits lie between half of and all of the nominal delay
// (the "equal jitter" of the AWS architecture blog), so Max is a true
// upper bound.
type Policy struct {
	Min, Max time.Duration
	// Factor multiplies the delay after each failure; values below 1 mean 2.
	Factor float64
	// Jitter is the fraction, in [0, 1], of a delay that may be taken off.
	Jitter float64
	// Healthy is how long a run must last for Loop to start again from
	// Min; 0 never resets.
	Healthy time.Duration
}

// Reconnect is the policy both adapters use between connection attempts:
// 0.5–1 s at first, doubling up to 1–2 min, reset after a minute of health.
var Reconnect = Policy{Min: time.Second, Max: 2 * time.Minute, Factor: 2, Jitter: 0.5, Healthy: time.Minute}

// Request is the policy both adapters use between retries of one API call
// that gave no Retry-After hint: 0.5–0.75 s, then 1–1.5 s, …, at most 8 s.
var Request = Policy{Min: 750 * time.Millisecond, Max: 8 * time.Second, Factor: 2, Jitter: 1.0 / 3}

// Delay returns the jittered wait before retry n (0-based).
func (p Policy) Delay(n int) time.Duration {
	return p.delay(n, rand.Float64())
}

// delay is Delay with the random draw r in [0, 1) supplied, for tests.
func (p Policy) delay(n int, r float64) time.Duration {
	d := p.nominal(n)
	j := min(max(p.Jitter, 0), 1)
	return d - time.Duration(j*r*float64(d))
}

// nominal is the n-th delay before jitter: Min·Factorⁿ capped at Max.
func (p Policy) nominal(n int) time.Duration {
	f := p.Factor
	if f < 1 {
		f = 2
	}
	d := float64(p.Min) * math.Pow(f, float64(max(n, 0)))
	if p.Max > 0 && d >= float64(p.Max) {
		return p.Max
	}
	if d >= math.MaxInt64 { // no Max and a huge n
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}
