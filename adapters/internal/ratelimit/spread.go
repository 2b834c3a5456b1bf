package ratelimit

import (
	"sync"
	"time"
)

// Spread tells a limit shared by many keys apart from refusals that
// concern one key each. Slack limits posting twice: about one message a
// second per channel, and an unpublished limit for the whole workspace;
// both answer 429 with a Retry-After, and nothing in the answer says
// which. Blocking the whole workspace on every 429 lets a few channels,
// or a platform refusing some calls at random, stall every other channel;
// blocking only the channel lets a workspace limit be hit again by every
// other channel until each has had its own 429.
//
// Spread looks at the latest answers of a scope (the workspace's posts):
// a shared limit refuses nearly every call beyond it, from whatever key,
// whereas a channel's limit or a random refusal leaves most answers
// around it successful. So the scope counts as limited when, among its
// latest Last answers within Window, refusals come from at least MinKeys
// keys and make at least Share of them. While fewer than Last answers came
// within Window (a burst's first answers, the first after the scope
// started over), a share says little: a few refusals at random among the
// first answers are as likely as not to make half of them. Then every one
// of them must be a refusal, so that a shared limit refusing everything is
// still found within MinKeys answers.
//
// It is safe for concurrent use; its zero value is not usable, call
// NewSpread. It has no clock of its own.
type Spread struct {
	// Window bounds how old an answer still counts.
	Window time.Duration
	// Last is how many of the latest answers are weighed; fewer when fewer
	// came within Window.
	Last int
	// Share is the part of those answers that must be refusals.
	Share float64
	// MinKeys is how many keys the refusals must come from.
	MinKeys int

	mu     sync.Mutex
	scopes map[string]*spreadScope
	swept  time.Time
}

// NewSpread returns a Spread with the given parameters and no answers
// yet.
func NewSpread(window time.Duration, last int, share float64, minKeys int) *Spread {
	return &Spread{Window: window, Last: max(last, 1), Share: share, MinKeys: max(minKeys, 1), scopes: map[string]*spreadScope{}}
}

// Answer is what the platform made of one call, as a Spread weighs it.
type Answer int

const (
	// Taken: the platform did what was asked (a post posted).
	Taken Answer = iota
	// Failed: the platform answered, neither taking the call nor
	// refusing it for a rate limit (a 500, an error about the call). It
	// is no refusal, but it says nothing of the pace the platform takes.
	Failed
	// Refused: a 429.
	Refused
)

type spreadAnswer struct {
	at, sent time.Time
	key      string
	answer   Answer
}

type spreadScope struct {
	answers []spreadAnswer // oldest first, at most Last
	// since: answers to calls sent until then are not counted; set when
	// the scope was last found limited, since the calls then in flight
	// were sent before the limit was known.
	since time.Time
}

// Record notes the answer, at now, to a call of scope for key sent at
// sent, and reports whether scope now looks limited as a whole, and then
// the pace it took: the time its answers cover over the calls it took
// (0 when it took none). When it does, the scope starts over: the caller
// blocks the shared bucket, and answers to calls sent until now say
// nothing more about it.
func (s *Spread) Record(scope, key string, answer Answer, sent, now time.Time) (limited bool, every time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scopes[scope]
	if sc == nil {
		sc = &spreadScope{}
		s.scopes[scope] = sc
	}
	if !sc.since.IsZero() && !sent.After(sc.since) {
		return false, 0
	}
	sc.answers = append(sc.answers, spreadAnswer{at: now, sent: sent, key: key, answer: answer})
	// Forget what is too old (or, beyond a bound, the oldest).
	drop := max(0, len(sc.answers)-maxSpreadAnswers)
	for drop < len(sc.answers) && now.Sub(sc.answers[drop].at) > s.Window {
		drop++
	}
	sc.answers = append(sc.answers[:0], sc.answers[drop:]...)
	if s.idleSweep(now) {
		// Scopes whose answers all aged out are dropped now and then, so a
		// workspace that stopped posting holds nothing.
		for name, other := range s.scopes {
			if other != sc && other.idle(now, s.Window) {
				delete(s.scopes, name)
			}
		}
	}

	latest := sc.answers[max(0, len(sc.answers)-s.Last):]
	refusals := 0
	var keys []string
	for _, a := range latest {
		if a.answer != Refused {
			continue
		}
		refusals++
		if len(keys) < s.MinKeys && !contains(keys, a.key) {
			keys = append(keys, a.key)
		}
	}
	share := s.Share
	if len(latest) < s.Last {
		share = 1
	}
	if len(keys) < s.MinKeys || float64(refusals) < share*float64(len(latest)) {
		return false, 0
	}
	// The pace the scope took: the calls it took within the window, over
	// the time from the first of them sent (calls sent before the scope
	// started over are not counted) to now, at most the window. Only calls
	// taken count: a call the platform failed (a 500) used none of what it
	// allows, and counting it made a pace faster than the platform took.
	// Spread over the whole window instead of the time the calls cover, a
	// burst's first answers, or the few a scope gets soon after starting
	// over, made a pace much slower than the platform took.
	took := 0
	first := now
	for _, a := range sc.answers {
		if a.answer == Taken {
			took++
		}
		if a.sent.Before(first) {
			first = a.sent
		}
	}
	covered := min(now.Sub(first), s.Window)
	sc.answers, sc.since = sc.answers[:0], now
	if took == 0 || covered <= 0 {
		return true, 0 // nothing taken: no pace known
	}
	return true, covered / time.Duration(took)
}

// maxSpreadAnswers bounds the answers a scope holds within Window.
const maxSpreadAnswers = 10_000

// idle reports whether sc holds no answer within window of now and no
// call it may still hear about: one sent before since and answered more
// than a minute later is rare enough to be counted.
func (sc *spreadScope) idle(now time.Time, window time.Duration) bool {
	for _, a := range sc.answers {
		if now.Sub(a.at) <= window {
			return false
		}
	}
	return now.Sub(sc.since) > time.Minute
}

// idleSweep reports whether idle scopes are due to be dropped: once a
// minute.
func (s *Spread) idleSweep(now time.Time) bool {
	if now.Sub(s.swept) < time.Minute {
		return false
	}
	s.swept = now
	return true
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// scopesHeld reports how many scopes keep answers, for tests.
func (s *Spread) scopesHeld() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.scopes)
}
