package when

import (
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// Words for rules that only the grammar writes: times of day and the stored
// form of a set of days. Durations, lists and day names come from
// timewords, shared with the bot's commands.

// hhmm formats seconds after midnight as "09:05" (or "09:05:30").
func hhmm(sec int) string {
	h, m, s := sec/3600, sec%3600/60, sec%60
	b := []byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)}
	if s != 0 {
		b = append(b, ':', byte('0'+s/10), byte('0'+s%10))
	}
	return string(b)
}

// daysSpec is the stored form of a set of days: "mon,wed,fri".
func daysSpec(s timewords.DaySet) string { return strings.ToLower(strings.Join(s.Names(false), ",")) }

// dateWords says an instant as a day, with the year unless it is now's
// (a zero now always names it), and the time when withTime is set: "Fri
// 4 Dec at 15:30 CET", "Mon 4 Jan 2027".
func dateWords(t time.Time, loc *time.Location, now time.Time, withTime bool) string {
	t = t.In(loc)
	layout := "Mon 2 Jan"
	if now.IsZero() || now.In(loc).Year() != t.Year() {
		layout += " 2006"
	}
	if withTime {
		layout += " at 15:04"
		if t.Second() != 0 {
			layout += ":05" // "in 90 seconds" lands mid-minute
		}
		return t.Format(layout) + " " + zones.Abbrev(t)
	}
	return t.Format(layout)
}

// Notes a parse adds to a rule's words when it chose something the user
// did not say.
const (
	noteDefaultTime = "the default time, as none was given"
	noteHourly      = "hourly, as no interval was given"
	notePerDay      = "times picked for you; say them to choose"
	notePerWeek     = "days picked for you; say them to choose"
)

// withNote adds how the parse chose something to a rule's words.
func withNote(s, note string) string {
	if note == "" {
		return s
	}
	return s + " (" + note + ")"
}

// monthDaysSpec is the stored form of a monthly rule's days: "1,15",
// "last", "1,last", "last fri", "2nd tue".
func (r *wallRule) monthDaysSpec() string {
	switch {
	case r.cal.nth < 0:
		return "last " + daysSpec(r.cal.dow)
	case r.cal.nth > 0:
		return timewords.Ordinal(int(r.cal.nth)) + " " + daysSpec(r.cal.dow)
	case r.lastDay && r.cal.dom == 1<<31:
		return "last"
	}
	var days []string
	for d := 1; d <= 31; d++ {
		if r.cal.dom&(1<<d) != 0 {
			days = append(days, strconv.Itoa(d))
		}
	}
	if r.lastDay {
		// "the 1st and last day": "1,last" (the last day is kept as the
		// 31st, which falls back in shorter months).
		days[len(days)-1] = "last"
	}
	return strings.Join(days, ",")
}

// monthWords says a monthly rule's days: "on the 1st of every month",
// "every 2 months on the last Friday", with the rule for short months
// when a day may be missing from some.
func (r *wallRule) monthWords() string {
	var what string
	switch {
	case r.cal.nth != 0:
		n := [...]string{"last", "first", "second", "third", "fourth", "fifth"}[max(r.cal.nth, 0)]
		what = "the " + n + " " + r.cal.dow.Names(true)[0]
	default:
		var days []string
		for d := 1; d <= 31; d++ {
			// The last day is kept as the 31st, falling back in shorter
			// months; it is said as such.
			if r.cal.dom&(1<<d) != 0 && !(r.lastDay && d == 31) {
				days = append(days, timewords.Ordinal(d))
			}
		}
		// "the 1st and last day": the last day may come with others.
		if r.lastDay {
			days = append(days, "last day")
		}
		what = "the " + timewords.JoinAnd(days)
	}
	s := "on " + what + " of every month"
	if r.cal.cycle == cycleMonths {
		s = "every " + strconv.FormatInt(r.cal.period, 10) + " months on " + what
	}
	if r.cal.nth == 0 && !r.lastDay && r.cal.dom>>29 != 0 {
		s += " (the last day in shorter months)"
	}
	return s
}
