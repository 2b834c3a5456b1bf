package ratelimit

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestSpreadTellsASharedLimit(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	// Refusals from two channels, however many, are theirs alone.
	for i := range 10 {
		if rec(s, "T1", fmt.Sprint("C", i%2), true, at(0), at(0)) {
			t.Fatalf("refusal %d from two channels counted as shared", i)
		}
	}
	// A third channel makes it shared.
	if !rec(s, "T1", "C2", true, at(0), at(0)) {
		t.Fatal("refusals from three channels, all refused, not shared")
	}
	// Calls sent before that say nothing more; later ones start over.
	for i := range 5 {
		if rec(s, "T1", fmt.Sprint("C", i), true, at(0), at(time.Millisecond)) {
			t.Fatal("a call in flight when the limit was found counted again")
		}
	}
	for i := range 2 {
		if rec(s, "T1", fmt.Sprint("C", i), true, at(time.Second), at(time.Second)) {
			t.Fatal("two refusals after starting over counted as shared")
		}
	}
	if !rec(s, "T1", "C2", true, at(time.Second), at(time.Second)) {
		t.Fatal("three refusals after starting over not shared")
	}
	// Another scope is apart.
	if rec(s, "T2", "C1", true, at(time.Second), at(time.Second)) {
		t.Fatal("scopes mixed")
	}
}

func TestSpreadNeedsHalfTheLatestAnswers(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	for i := range 12 {
		rec(s, "T1", fmt.Sprint("C", i), false, at(0), at(0))
	}
	// 9 refusals among the latest 20 answers: not yet.
	for i := range 9 {
		if rec(s, "T1", fmt.Sprint("R", i), true, at(0), at(0)) {
			t.Fatalf("shared after %d refusals among 20 answers", i+1)
		}
	}
	if !rec(s, "T1", "R9", true, at(0), at(0)) {
		t.Fatal("10 refusals among the latest 20 answers not shared")
	}
	// Answers older than the window are forgotten: refusals long apart
	// are not shared.
	for i := range 10 {
		now := at(time.Duration(i) * 2 * time.Second)
		if rec(s, "T3", fmt.Sprint("C", i), true, now, now) {
			t.Fatalf("refusals 2s apart counted as shared at %d", i)
		}
	}
}

// Random refusals of a sixth of the calls, at full speed, trip the
// shared limit rarely; a limit that refuses every call beyond it trips it
// within a few answers.
func TestSpreadRandomRefusals(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	trips := 0
	const n = 100_000
	for i := range n {
		now := at(time.Duration(i) * time.Millisecond) // 1 000 answers a second
		if rec(s, "T1", fmt.Sprint("C", i), rng.IntN(100) < 15, now, now) {
			trips++
		}
	}
	if trips > n/5000 {
		t.Errorf("random refusals tripped the shared limit %d times in %d answers", trips, n)
	}
	start := at(time.Hour)
	for i := range 40 {
		now := start.Add(time.Duration(i) * time.Millisecond)
		if rec(s, "T1", fmt.Sprint("D", i), rng.IntN(100) < 85, now, now) {
			if i > 25 {
				t.Errorf("a limit refusing 85 %% of calls found after %d answers", i+1)
			}
			return
		}
	}
	t.Error("a limit refusing 85 % of calls never found")
}

func TestSpreadForgetsIdleScopes(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	for i := range 100 {
		rec(s, fmt.Sprint("T", i), "C1", i%2 == 0, at(0), at(0))
	}
	rec(s, "T0", "C1", false, at(2*time.Minute), at(2*time.Minute))
	if n := s.scopesHeld(); n != 1 {
		t.Errorf("%d scopes held after two idle minutes, want 1", n)
	}
}

func rec(s *Spread, scope, key string, refused bool, sent, now time.Time) bool {
	limited, _ := s.Record(scope, key, answerOf(refused), sent, now)
	return limited
}

// answerOf is Refused or Taken.
func answerOf(refused bool) Answer {
	if refused {
		return Refused
	}
	return Taken
}

// The pace reported is the time the answers cover (from the first call
// sent) over the calls taken, and a Limiter blocked with it tells refused callers times that
// pace apart.
func TestSpreadPaceSpacesRefusedCallers(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	for i := range 100 {
		now := at(time.Duration(i) * 5 * time.Millisecond)
		s.Record("T1", fmt.Sprint("C", i), Taken, now, now)
	}
	var every time.Duration
	for i := range 20 {
		now := at(500*time.Millisecond + time.Duration(i)*time.Millisecond)
		var limited bool
		if limited, every = s.Record("T1", fmt.Sprint("R", i), Refused, now, now); limited {
			break
		}
	}
	// Limited at the tenth refusal, at 509 ms.
	if want := 509 * time.Millisecond / 100; every != want {
		t.Fatalf("pace = %v, want %v (100 taken over the 509ms the answers cover)", every, want)
	}
	l := New()
	l.BlockSpaced("T1/post", at(2*time.Second), every)
	key := Key{Name: "T1/post"}
	for i := range 3 {
		wait, ok := l.Take(at(time.Second), 0, key)
		if want := time.Second + time.Duration(i)*every; ok || wait != want {
			t.Errorf("refused caller %d told %v (%v), want %v", i, wait, ok, want)
		}
	}
}

// A burst's first answers weigh little: three refusals at random among
// them are not a shared limit, however they compare with the answers
// taken so far; refusals only, from three keys, still are.
func TestSpreadFewAnswersMustAllBeRefusals(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	rec(s, "T1", "C0", false, at(0), at(0))
	for i := 1; i <= 3; i++ {
		if rec(s, "T1", fmt.Sprint("C", i), true, at(0), at(time.Millisecond)) {
			t.Fatalf("one answer taken and %d refused counted as shared", i)
		}
	}
	var limited bool
	var every time.Duration
	for i := range 3 {
		limited, every = s.Record("T2", fmt.Sprint("C", i), Refused, at(0), at(time.Millisecond))
	}
	if !limited || every != 0 {
		t.Errorf("three refusals from three keys: limited %v, pace %v; want limited, no pace known", limited, every)
	}
}

// After starting over, the pace is what was taken over the time since
// the first call counted, not over the whole window: answers to calls
// sent since then are all there is.
func TestSpreadPaceAfterStartingOver(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	for i := range 3 {
		rec(s, "T1", fmt.Sprint("C", i), true, at(0), at(0))
	}
	// 10 taken, then 10 refused, sent from 10 ms to 200 ms.
	var limited bool
	var every time.Duration
	for i := range 20 {
		now := at(time.Duration(10*i+10) * time.Millisecond)
		if limited, every = s.Record("T1", fmt.Sprint("D", i), answerOf(i >= 10), now, now); limited {
			break
		}
	}
	if !limited || every != 19*time.Millisecond {
		t.Errorf("limited %v, pace %v; want limited, 19ms (10 taken in 190ms)", limited, every)
	}
}

// Only calls taken make the pace: a 500 is no refusal, but the platform
// took nothing from it.
func TestSpreadPaceCountsOnlyCallsTaken(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	for i := range 20 {
		now := at(time.Duration(i) * 10 * time.Millisecond)
		answer := Taken
		if i%2 == 1 {
			answer = Failed
		}
		s.Record("T1", fmt.Sprint("C", i), answer, now, now)
	}
	var limited bool
	var every time.Duration
	for i := range 20 {
		now := at(200*time.Millisecond + time.Duration(i)*10*time.Millisecond)
		if limited, every = s.Record("T1", fmt.Sprint("R", i), Refused, now, now); limited {
			break
		}
	}
	// Limited at the tenth refusal, sent at 290 ms: 10 taken since 0.
	if !limited || every != 29*time.Millisecond {
		t.Errorf("limited %v, pace %v; want limited, 29ms (10 taken, not 20, in 290ms)", limited, every)
	}
}

// At a burst's start, the pace is what was taken over the time the
// answers cover, not over a whole window they do not.
func TestSpreadPaceAtABurstsStart(t *testing.T) {
	s := NewSpread(time.Second, 20, 0.5, 3)
	start := at(time.Hour)
	var limited bool
	var every time.Duration
	for i := range 40 {
		now := start.Add(time.Duration(i) * 5 * time.Millisecond)
		if limited, every = s.Record("T1", fmt.Sprint("C", i), answerOf(i >= 20), now, now); limited {
			break
		}
	}
	// 20 taken, limited at the tenth refusal, sent 145 ms after the first.
	if want := 145 * time.Millisecond / 20; !limited || every != want {
		t.Errorf("limited %v, pace %v; want limited, %v (20 taken in 145ms)", limited, every, want)
	}
}
