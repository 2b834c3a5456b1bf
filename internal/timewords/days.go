package timewords

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// DaySet is a set of days of the week: bit i is time.Weekday(i).
type DaySet uint8

// Day sets with names of their own.
const (
	AllDays  DaySet = 0x7f // every day
	WorkDays DaySet = 0x3e // Monday to Friday, "weekdays"
	Weekend  DaySet = 0x41 // Saturday and Sunday
)

// Days returns the set of the given days.
func Days(ds ...time.Weekday) DaySet {
	var s DaySet
	for _, d := range ds {
		s |= 1 << d
	}
	return s
}

// Has reports whether d is in the set.
func (s DaySet) Has(d time.Weekday) bool { return s&(1<<d) != 0 }

// First returns the earliest day in the set, Sunday first (Sunday for an
// empty set).
func (s DaySet) First() time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if s.Has(d) {
			return d
		}
	}
	return time.Sunday
}

// Consecutive reports whether two adjacent days (Sunday follows Saturday)
// are both in the set, so that the last run of one day and the first of the
// next are neighbours.
func (s DaySet) Consecutive() bool {
	rot := (s>>1 | s<<6) & AllDays // day d+1 moved onto bit d
	return s&rot != 0
}

// mondayFirst is the order days are listed in.
var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Names lists the days in the set, Monday first, as "Mon" or, when long is
// set, "Monday".
func (s DaySet) Names(long bool) []string {
	var out []string
	for _, d := range mondayFirst {
		if s.Has(d) {
			name := d.String()
			if !long {
				name = name[:3]
			}
			out = append(out, name)
		}
	}
	return out
}

// EveryPhrase completes "every …": "day", "weekday", "Monday", "Mon, Wed
// and Fri".
func (s DaySet) EveryPhrase() string {
	switch s {
	case AllDays:
		return "day"
	case WorkDays:
		return "weekday"
	}
	if n := s.Names(true); len(n) == 1 {
		return n[0]
	}
	return JoinAnd(s.Names(false))
}

// OnPhrase is a suffix limiting something to the set: "" for every day,
// " on weekdays", " on weekends", " on Mondays", " on Mon, Wed and Fri".
func (s DaySet) OnPhrase() string {
	switch s {
	case AllDays:
		return ""
	case WorkDays:
		return " on weekdays"
	case Weekend:
		return " on weekends"
	}
	if n := s.Names(true); len(n) == 1 {
		return " on " + n[0] + "s"
	}
	return " on " + JoinAnd(s.Names(false))
}

// DayWord is what one word naming days of the week means.
type DayWord struct {
	Days   DaySet
	Plural bool // "mondays", "weekdays": clearly repeating
	Single bool // names exactly one day, as in "on friday"
}

var dayWords = func() map[string]DayWord {
	m := map[string]DayWord{
		"day": {Days: AllDays}, "days": {Days: AllDays, Plural: true}, "daily": {Days: AllDays},
		"weekday": {Days: WorkDays}, "weekdays": {Days: WorkDays, Plural: true},
		"weekend": {Days: Weekend}, "weekends": {Days: Weekend, Plural: true},
	}
	names := [7][]string{
		{"sun", "sunday"}, {"mon", "monday"}, {"tue", "tues", "tuesday"}, {"wed", "weds", "wednesday"},
		{"thu", "thur", "thurs", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
	}
	for d, words := range names {
		for _, w := range words {
			m[w] = DayWord{Days: 1 << d, Single: true}
		}
		m[words[len(words)-1]+"s"] = DayWord{Days: 1 << d, Plural: true}
	}
	return m
}()

// LookupDay returns what a lower-case word naming days means: "fri",
// "mondays", "weekday", "daily".
func LookupDay(word string) (DayWord, bool) {
	w, ok := dayWords[word]
	return w, ok
}

// DayWords lists every word LookupDay knows, sorted.
func DayWords() []string {
	return slices.Sorted(maps.Keys(dayWords))
}

// ParseDays reads a lower-case day word or a range of single days such as
// "mon-fri" (which may wrap: "fri-mon").
func ParseDays(word string) (DaySet, bool) {
	if w, ok := dayWords[word]; ok {
		return w.Days, true
	}
	a, b, ok := strings.Cut(word, "-")
	wa, okA := dayWords[a]
	wb, okB := dayWords[b]
	if !ok || !okA || !okB || !wa.Single || !wb.Single {
		return 0, false
	}
	from, to := wa.Days.First(), wb.Days.First()
	var set DaySet
	for d := from; ; d = (d + 1) % 7 {
		set |= 1 << d
		if d == to {
			return set, true
		}
	}
}
