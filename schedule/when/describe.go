package when

import (
	"strconv"
	"strings"
	"time"
)

// Words for rules: durations, times of day and sets of weekdays, as they
// appear in Describe, in error messages and (for weekday sets) in specs.

var (
	dayShort = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	dayLong  = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	daySpec  = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

// mondayFirst is the order weekdays are listed in.
var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

const (
	unitDay  = 24 * time.Hour
	unitWeek = 7 * unitDay
	unitYear = 365 * unitDay
)

// durationWords says d in the largest unit that divides it exactly: "45
// minutes", "90 minutes", "2 hours". With bare set, one unit is said without
// a number ("hour"), as in "every hour".
func durationWords(d time.Duration, bare bool) string {
	units := []struct {
		size time.Duration
		name string
	}{{unitYear, "year"}, {unitWeek, "week"}, {unitDay, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}}
	for _, u := range units {
		if d <= 0 || d%u.size != 0 {
			continue
		}
		n := int64(d / u.size)
		switch {
		case n == 1 && bare:
			return u.name
		case n == 1:
			return "1 " + u.name
		}
		return strconv.FormatInt(n, 10) + " " + u.name + "s"
	}
	return d.String()
}

// hhmm formats seconds after midnight as "09:05" (or "09:05:30").
func hhmm(sec int) string {
	h, m, s := sec/3600, sec%3600/60, sec%60
	b := []byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)}
	if s != 0 {
		b = append(b, ':', byte('0'+s/10), byte('0'+s%10))
	}
	return string(b)
}

// joinAnd joins words as English does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// names lists the days in the set, Monday first, with the given spelling.
func (w weekdays) names(spelling *[7]string) []string {
	var out []string
	for _, d := range mondayFirst {
		if w.has(d) {
			out = append(out, spelling[d])
		}
	}
	return out
}

// spec is the stored form: "mon,wed,fri".
func (w weekdays) spec() string { return strings.Join(w.names(&daySpec), ",") }

// everyPhrase completes "every …": "day", "weekday", "Monday", "Mon, Wed and Fri".
func (w weekdays) everyPhrase() string {
	switch w {
	case allDays:
		return "day"
	case workDays:
		return "weekday"
	}
	if n := w.names(&dayLong); len(n) == 1 {
		return n[0]
	}
	return joinAnd(w.names(&dayShort))
}

// onPhrase is a suffix limiting a rule to the set: "", " on weekdays",
// " on weekends", " on Mondays", " on Mon, Wed and Fri".
func (w weekdays) onPhrase() string {
	switch w {
	case allDays:
		return ""
	case workDays:
		return " on weekdays"
	case weekendDays:
		return " on weekends"
	}
	if n := w.names(&dayLong); len(n) == 1 {
		return " on " + n[0] + "s"
	}
	return " on " + joinAnd(w.names(&dayShort))
}
