package timewords

import (
	"maps"
	"slices"
	"time"
)

// Units longer than an hour, as the bot counts them where a length is
// needed: a day is 24 hours, a month 30 days and a year 365 days. Readers
// that step the calendar use Span's Months and Days instead.
const (
	Day         = 24 * time.Hour
	Week        = 7 * Day
	MonthLength = 30 * Day
	Year        = 365 * Day
)

// units maps every unit word, alone or glued to a number ("2h"), to its
// length.
var units = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": Day, "day": Day, "days": Day,
	"w": Week, "wk": Week, "wks": Week, "week": Week, "weeks": Week, "fortnight": 2 * Week, "fortnights": 2 * Week,
	"month": MonthLength, "months": MonthLength,
	"y": Year, "yr": Year, "yrs": Year, "year": Year, "years": Year,
}

// unitNames are the units spelt out, singular then plural, shortest first;
// a misspelt unit is compared with these.
var unitNames = []string{"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"}

// subSecond lists units shorter than a second, which nothing in the bot
// can use; readers name them to say so.
var subSecond = map[string]bool{
	"ms": true, "msec": true, "msecs": true, "millis": true, "milli": true, "millisecond": true, "milliseconds": true,
	"us": true, "µs": true, "microsecond": true, "microseconds": true, "ns": true, "nanosecond": true, "nanoseconds": true,
}

// Unit returns the length one of a unit word names: "wk" is a Week, "m" a
// minute. Words are lower case.
func Unit(word string) (time.Duration, bool) {
	u, ok := units[word]
	return u, ok
}

// UnitWords lists every unit word Unit knows, sorted.
func UnitWords() []string {
	return slices.Sorted(maps.Keys(units))
}

// UnitNames lists the units spelt out, "second", "seconds" … "years": the
// words to suggest for a misspelt unit.
func UnitNames() []string { return slices.Clone(unitNames) }

// SubSecond reports whether word names a unit shorter than a second
// ("ms", "microseconds").
func SubSecond(word string) bool { return subSecond[word] }
