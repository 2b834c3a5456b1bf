package routines

import (
	"fmt"
	"strings"
)

// DoseKind says how an exercise is measured.
type DoseKind string

// The kinds of dose.
const (
	Holds  DoseKind = "hold"   // hold a position, once or several times
	Reps   DoseKind = "reps"   // slow repetitions
	Steady DoseKind = "steady" // continuous movement such as walking
)

// steadyStep is the granularity of a steady dose, so that times read well.
const steadyStep = 15

// DoseRule says how an exercise's dose grows or shrinks with the time it is
// given: the builder picks the holds or repetitions that fill an item's time
// without overrunning it.
type DoseRule struct {
	Kind DoseKind `json:"kind"`
	// Sides is 2 when the dose is done on each side (or leg) in turn; 1 (or
	// left out) otherwise.
	Sides int `json:"sides"`
	// Per names what is done in turn: "side" (the default), "leg", "direction".
	Per string `json:"per"`
	// Each is the shortest, usual and longest seconds of one hold (Holds;
	// multiples of 5, and of 15 from a minute up, so times read well), of
	// one repetition (Reps; all three equal), or of the whole exercise
	// (Steady; multiples of 15).
	Each [3]int `json:"each"`
	// Count is the fewest, usual and most holds or repetitions per side;
	// Steady leaves it out.
	Count [3]int `json:"count"`
	// Rest is the seconds between two holds and for changing sides.
	Rest int `json:"rest"`
	// Setup is the seconds it takes to get into position.
	Setup int `json:"setup"`
	// Noun is what one repetition is called ("slow tilts"); "slow reps" if
	// left out.
	Noun string `json:"noun"`
}

// Dose is a concrete amount of an exercise: how many holds or repetitions
// of how long, and the transitions between them.
type Dose struct {
	Kind  DoseKind
	Sides int // 1, or 2 when done on each side in turn
	Count int // holds or repetitions per side; 1 for Steady
	Each  int // seconds of one hold or repetition; for Steady, the whole time
	Rest  int // seconds between holds and for changing sides
	Setup int // seconds to get into position
	Per   string
	Noun  string
}

// Seconds is the time the dose takes, transitions included: the setup, the
// holds or repetitions on every side, a rest between consecutive holds and
// a change of sides.
func (d Dose) Seconds() int {
	switch d.Kind {
	case Steady:
		return d.Each
	case Reps:
		return d.Setup + d.Sides*d.Count*d.Each + (d.Sides-1)*d.Rest
	default:
		return d.Setup + d.Sides*d.Count*d.Each + (d.Sides*d.Count-1)*d.Rest
	}
}

// String describes the dose for people: "hold 30 s each leg", "3 holds of
// 10 s", "8 slow reps each side", "steady pace".
func (d Dose) String() string {
	var s string
	switch d.Kind {
	case Steady:
		return "steady pace"
	case Reps:
		s = fmt.Sprintf("%d %s", d.Count, d.Noun)
	default:
		if d.Count == 1 {
			s = "hold " + FormatSeconds(d.Each)
		} else {
			s = fmt.Sprintf("%d holds of %s", d.Count, FormatSeconds(d.Each))
		}
	}
	if d.Sides == 2 {
		s += " each " + d.Per
	}
	return s
}

// dose returns the rule's dose with count and each filled in.
func (r DoseRule) dose(count, each int) Dose {
	d := Dose{Kind: r.Kind, Sides: max(r.Sides, 1), Count: count, Each: each, Rest: r.Rest, Setup: r.Setup, Per: r.Per, Noun: r.Noun}
	if d.Per == "" {
		d.Per = "side"
	}
	if d.Noun == "" && r.Kind == Reps {
		d.Noun = "slow reps"
	}
	if r.Kind == Steady {
		d.Sides, d.Count, d.Rest, d.Setup = 1, 1, 0, 0
	}
	return d
}

// shortest, usual and longest are the rule's three reference doses.
func (r DoseRule) shortest() Dose { return r.dose(max(r.Count[0], 1), r.Each[0]) }
func (r DoseRule) usual() Dose    { return r.dose(max(r.Count[1], 1), r.Each[1]) }
func (r DoseRule) longest() Dose  { return r.dose(max(r.Count[2], 1), r.Each[2]) }

// choose returns the largest dose that takes at most limit seconds; among
// doses of equal length it prefers holds close to the usual length, then
// counts close to the usual count. It reports false when even the shortest
// dose does not fit.
func (r DoseRule) choose(limit int) (Dose, bool) {
	var best Dose
	found := false
	consider := func(d Dose) {
		if d.Seconds() > limit {
			return
		}
		if found {
			switch db, dd := best.Seconds(), d.Seconds(); {
			case dd < db:
				return
			case dd == db:
				u := r.usual()
				if dist(d.Each, u.Each) > dist(best.Each, u.Each) ||
					dist(d.Each, u.Each) == dist(best.Each, u.Each) && dist(d.Count, u.Count) >= dist(best.Count, u.Count) {
					return
				}
			}
		}
		best, found = d, true
	}
	r.each(consider)
	return best, found
}

// each calls f with every dose the rule allows, in the order choose
// considers them.
func (r DoseRule) each(f func(Dose)) {
	switch r.Kind {
	case Steady:
		for each := r.Each[0]; each <= r.Each[2]; each += steadyStep {
			f(r.dose(1, each))
		}
	case Reps:
		for c := r.Count[0]; c <= r.Count[2]; c++ {
			f(r.dose(c, r.Each[0]))
		}
	default:
		for c := r.Count[0]; c <= r.Count[2]; c++ {
			for each := r.Each[0]; each <= r.Each[2]; each += 5 {
				if each < 60 || each%steadyStep == 0 {
					f(r.dose(c, each))
				}
			}
		}
	}
}

// fit returns the dose for an item given seconds and the time shown for
// it: the dose rounded up to 5 s, which is never more than seconds when
// seconds is a multiple of 5.
func (r DoseRule) fit(seconds int) (int, Dose, bool) {
	d, ok := r.choose(seconds)
	return ceil5(d.Seconds()), d, ok
}

func dist(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// ceil5 rounds seconds up to a multiple of 5, the granularity of the times
// a routine shows.
func ceil5(s int) int { return (s + 4) / 5 * 5 }

// validate reports problems with the rule through bad.
func (r DoseRule) validate(bad func(format string, args ...any)) {
	ordered := func(name string, v [3]int) bool {
		if v[0] <= 0 || v[0] > v[1] || v[1] > v[2] {
			bad("dose %s %v must be positive and in order shortest ≤ usual ≤ longest", name, v)
			return false
		}
		return true
	}
	switch r.Kind {
	case Steady:
		if ordered("each", r.Each) {
			for _, e := range r.Each {
				if e%steadyStep != 0 {
					bad("steady dose each %v must be multiples of %d s", r.Each, steadyStep)
					break
				}
			}
		}
		if r.Sides > 1 || r.Count != [3]int{} || r.Rest != 0 || r.Setup != 0 || r.Per != "" || r.Noun != "" {
			bad("steady dose takes only each")
		}
		return
	case Reps:
		if ordered("each", r.Each) && r.Each[0] != r.Each[2] {
			bad("reps dose each %v must be one repetition time given three times", r.Each)
		}
		if ordered("count", r.Count) && r.Count[0] < 2 {
			bad("reps dose count %v must start at 2 or more", r.Count)
		}
	case Holds:
		if ordered("each", r.Each) {
			for _, e := range r.Each {
				if e%5 != 0 || e >= 60 && e%steadyStep != 0 {
					bad("hold dose each %v must be multiples of 5 s, and of %d s from a minute up", r.Each, steadyStep)
					break
				}
			}
		}
		ordered("count", r.Count)
		if r.Noun != "" {
			bad("hold dose takes no noun")
		}
	default:
		bad("dose kind %q is not one of hold, reps, steady", r.Kind)
		return
	}
	if r.Sides < 0 || r.Sides > 2 {
		bad("dose sides %d must be 1 or 2", r.Sides)
	}
	if r.Rest < 0 || r.Setup < 0 || r.Rest%5 != 0 || r.Setup%5 != 0 {
		bad("dose rest %d and setup %d must be multiples of 5 s", r.Rest, r.Setup)
	}
	if r.Per != "" && (r.Sides != 2 || strings.TrimSpace(r.Per) != r.Per) {
		bad("dose per %q needs sides 2", r.Per)
	}
}
