package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Unix(1_700_000_000, 0)

func at(d time.Duration) time.Time { return t0.Add(d) }

func TestTakePacesByRate(t *testing.T) {
	perSecond := Key{Name: "C1", Rate: Rate{Every: time.Second, Burst: 3}}
	type step struct {
		now    time.Duration
		within time.Duration
		wait   time.Duration
		ok     bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a burst goes at once, then one a pace", []step{
			{0, 0, 0, true}, {0, 0, 0, true}, {0, 0, 0, true},
			{0, 0, time.Second, false},
			{0, time.Second, time.Second, true},
			{time.Second, 0, time.Second, false},
		}},
		{"a wait within the allowance is booked", []step{
			{0, 0, 0, true}, {0, 0, 0, true}, {0, 0, 0, true},
			{0, 5 * time.Second, time.Second, true},
			{0, 5 * time.Second, 2 * time.Second, true},
		}},
		{"refusals are spread one pace apart", []step{
			{0, 0, 0, true}, {0, 0, 0, true}, {0, 0, 0, true},
			{0, 0, time.Second, false}, {0, 0, 2 * time.Second, false}, {0, 0, 3 * time.Second, false},
			// The first refused caller comes back when told and goes.
			{time.Second, 0, 0, true},
			// So does the second.
			{2 * time.Second, 0, 0, true},
		}},
		{"a quiet spell refills the burst", []step{
			{0, 0, 0, true}, {0, 0, 0, true}, {0, 0, 0, true},
			{time.Minute, 0, 0, true}, {time.Minute, 0, 0, true}, {time.Minute, 0, 0, true},
			{time.Minute, 0, time.Second, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New()
			for i, s := range tt.steps {
				wait, ok := l.Take(at(s.now), s.within, perSecond)
				if wait != s.wait || ok != s.ok {
					t.Errorf("step %d: Take(+%v, %v) = %v, %v; want %v, %v", i, s.now, s.within, wait, ok, s.wait, s.ok)
				}
			}
		})
	}
}

func TestBlockStopsOnlyItsBucket(t *testing.T) {
	l := New()
	l.Block("T1/chat.postMessage", at(30*time.Second))
	if wait, ok := l.Take(at(0), time.Second, Key{Name: "T1/chat.postMessage"}); ok || wait != 30*time.Second {
		t.Errorf("blocked bucket: Take = %v, %v; want 30s, false", wait, ok)
	}
	if wait, ok := l.Take(at(0), 0, Key{Name: "T1/users.info"}); !ok || wait != 0 {
		t.Errorf("other bucket: Take = %v, %v; want 0, true", wait, ok)
	}
	if wait, ok := l.Take(at(0), 0, Key{Name: "T2/chat.postMessage"}); !ok || wait != 0 {
		t.Errorf("other workspace: Take = %v, %v; want 0, true", wait, ok)
	}
	// An earlier block does not shorten the one in force.
	l.Block("T1/chat.postMessage", at(time.Second))
	if _, ok := l.Take(at(29*time.Second), 0, Key{Name: "T1/chat.postMessage"}); ok {
		t.Error("a shorter block lifted the longer one")
	}
	if _, ok := l.Take(at(30*time.Second), 0, Key{Name: "T1/chat.postMessage"}); !ok {
		t.Error("still blocked at the Retry-After")
	}
}

func TestTakeIsAllOrNothing(t *testing.T) {
	l := New()
	global := Key{Name: "global", Rate: Rate{Every: time.Second, Burst: 1}}
	l.Block("route", at(10*time.Second))
	if _, ok := l.Take(at(0), time.Second, global, Key{Name: "route"}); ok {
		t.Fatal("went through a blocked bucket")
	}
	// The refused call booked nothing in the global bucket.
	if wait, ok := l.Take(at(0), 0, global); !ok || wait != 0 {
		t.Errorf("global after a refusal elsewhere: Take = %v, %v; want 0, true", wait, ok)
	}
	// The longest wait of all the buckets counts.
	if wait, ok := l.Take(at(0), time.Minute, global, Key{Name: "other"}); !ok || wait != time.Second {
		t.Errorf("Take = %v, %v; want 1s, true", wait, ok)
	}
}

func TestObserveQuota(t *testing.T) {
	l := New()
	k := Key{Name: "bucket/C1"}
	l.Observe(k.Name, 2, at(5*time.Second), at(0))
	for i := range 2 {
		if _, ok := l.Take(at(0), 0, k); !ok {
			t.Fatalf("call %d within the quota refused", i)
		}
	}
	if wait, ok := l.Take(at(0), 0, k); ok || wait != 5*time.Second {
		t.Errorf("quota spent: Take = %v, %v; want 5s, false", wait, ok)
	}
	// A late answer from within the same window does not give back calls
	// booked since.
	l.Observe(k.Name, 1, at(5*time.Second), at(time.Second))
	if _, ok := l.Take(at(time.Second), 0, k); ok {
		t.Error("a stale remaining count reopened the bucket")
	}
	// After the reset the bucket is open again.
	if _, ok := l.Take(at(5*time.Second), 0, k); !ok {
		t.Error("still closed after the reset")
	}
	// A new window replaces the old one.
	l.Observe(k.Name, 0, at(20*time.Second), at(6*time.Second))
	if wait, ok := l.Take(at(6*time.Second), 0, k); ok || wait != 14*time.Second {
		t.Errorf("new window: Take = %v, %v; want 14s, false", wait, ok)
	}
}

// TestPerMinuteStaysUnder drives many callers as fast as the limiter lets
// them and counts calls in every minute-long window.
func TestPerMinuteStaysUnder(t *testing.T) {
	for _, n := range []int{1, 2, 20, 50, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			l := New()
			k := Key{Name: "m", Rate: PerMinute(n)}
			var calls []time.Time
			now := t0
			for len(calls) < 3*n+5 {
				wait, ok := l.Take(now, 0, k)
				if ok {
					calls = append(calls, now)
					continue
				}
				now = now.Add(wait)
			}
			for i, c := range calls {
				in := 0
				for _, d := range calls[i:] {
					if d.Sub(c) < time.Minute {
						in++
					}
				}
				if in > n {
					t.Fatalf("%d calls in the minute from %v, limit %d", in, c.Sub(t0), n)
				}
			}
			// Steady pace: at least 80 % of the limit.
			if span, most := calls[len(calls)-1].Sub(calls[0]), time.Duration(float64(len(calls))/(0.8*float64(n))*float64(time.Minute)); span > most {
				t.Errorf("%d calls took %v: paced far below the limit", len(calls), span)
			}
		})
	}
}

func TestIdleBucketsAreForgotten(t *testing.T) {
	l := New()
	for i := range sweepAbove + 1 {
		l.Take(t0, 0, Key{Name: fmt.Sprint("C", i), Rate: Rate{Every: time.Second, Burst: 1}})
	}
	l.Block("blocked", at(time.Hour))
	l.Take(at(time.Minute), 0, Key{Name: "busy", Rate: Rate{Every: time.Second, Burst: 1}})
	if n := l.size(); n != 2 {
		t.Errorf("holds %d buckets, want 2 (the busy and the blocked one)", n)
	}
	if _, ok := l.Take(at(time.Minute), 0, Key{Name: "blocked"}); ok {
		t.Error("a sweep forgot a block in force")
	}
}

// A learned pace speeds up while no new block comes: refused callers are
// told times closer together the later they are, so that calls held back
// at a pace far too slow still come back fast; calls go no faster than the
// pace at their time; and a new block falls back to the pace then taken.
func TestLearnedPaceRecovers(t *testing.T) {
	l := New()
	key := Key{Name: "T1/post"}
	l.BlockSpaced(key.Name, at(time.Second), time.Second)
	// 1 000 callers refused during the block.
	var told []time.Duration
	for range 1000 {
		wait, ok := l.Take(at(0), 0, key)
		if ok {
			t.Fatal("a call went during the block")
		}
		told = append(told, wait)
	}
	// 1 s apart from the block's end, halving each RecoverEvery (500 ms):
	// at 2 s, two have passed.
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 2250 * time.Millisecond, 2500 * time.Millisecond, 2625 * time.Millisecond} {
		if told[i] != want {
			t.Errorf("caller %d told %v, want %v", i, told[i], want)
		}
	}
	for i := 1; i < len(told); i++ {
		if told[i] <= told[i-1] {
			t.Fatalf("callers %d and %d told %v and %v", i-1, i, told[i-1], told[i])
		}
	}
	// At a second's pace, the last would wait 1 000 s; doubling each
	// half second, 1 000 go within 7 s.
	if last := told[len(told)-1]; last > 7*time.Second {
		t.Errorf("the 1000th caller told %v, want within 7s", last)
	}
	// The calls go at the times told; one before its turn does not.
	for i := range 3 {
		if _, ok := l.Take(at(told[i]), 0, key); !ok {
			t.Fatalf("caller %d refused at the time told", i)
		}
	}
	if _, ok := l.Take(at(told[3]-time.Millisecond), 0, key); ok {
		t.Error("a call before its turn went")
	}
	// A new block: from its end, the pace then taken, and the times told
	// before are no promise.
	l.BlockSpaced(key.Name, at(5*time.Second), 100*time.Millisecond)
	for i := range 3 {
		wait, ok := l.Take(at(4*time.Second), 0, key)
		if want := time.Second + time.Duration(i)*100*time.Millisecond; ok || wait != want {
			t.Errorf("after the new block, caller %d told %v (%v), want %v", i, wait, ok, want)
		}
	}
}

// A pace recovers within bounds: never faster than MaxSpeedup times the
// pace learned.
func TestLearnedPaceIsBounded(t *testing.T) {
	p := pace{spacing: time.Second, from: at(0)}
	if got, want := p.step(at(time.Hour)), time.Second/MaxSpeedup; got != want {
		t.Errorf("step after an hour: %v, want %v", got, want)
	}
	if got := p.step(at(-time.Second)); got != time.Second {
		t.Errorf("step before the pace holds: %v, want 1s", got)
	}
}
