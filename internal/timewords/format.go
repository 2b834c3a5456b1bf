package timewords

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// wholeUnits are the units FormatDuration and FormatEvery say, largest
// first.
var wholeUnits = []struct {
	size time.Duration
	name string
}{{Year, "year"}, {Week, "week"}, {Day, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}}

// FormatDuration says d in the largest unit that divides it exactly: "45
// minutes", "90 minutes", "2 hours", "1 week". Anything else (not positive,
// or not whole seconds) is Go's form, "1.5s". ParseDuration reads back
// whatever has whole seconds.
func FormatDuration(d time.Duration) string { return formatWhole(d, false) }

// FormatEvery is FormatDuration for what follows "every": one of a unit is
// the unit alone ("every hour"), more is the same as FormatDuration
// ("every 45 minutes").
func FormatEvery(d time.Duration) string { return formatWhole(d, true) }

func formatWhole(d time.Duration, bare bool) string {
	for _, u := range wholeUnits {
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

// FormatShort says d rounded to the second in abbreviated units, largest
// first: "4 min 30 s", "2 h", "1 d 2 h 15 min"; "0 s" below a second.
func FormatShort(d time.Duration) string { return strings.Join(shortParts(d), " ") }

// FormatRough is FormatShort kept to its two largest units: "6 d 10 h",
// "4 min 30 s"; from 60 days on, months or years: "about 3 months",
// "about 5 years".
func FormatRough(d time.Duration) string {
	if days := float64(d) / float64(Day); days >= 60 {
		if months := math.Round(days / 30.44); months < 12 {
			return fmt.Sprintf("about %d months", int(months))
		}
		if years := int(math.Round(days / 365.25)); years > 1 {
			return fmt.Sprintf("about %d years", years)
		}
		return "about 1 year"
	}
	parts := shortParts(d)
	return strings.Join(parts[:min(len(parts), 2)], " ")
}

func shortParts(d time.Duration) []string {
	if d < time.Second {
		return []string{"0 s"}
	}
	d = d.Round(time.Second)
	var parts []string
	for _, u := range []struct {
		size time.Duration
		abbr string
	}{{Day, "d"}, {time.Hour, "h"}, {time.Minute, "min"}, {time.Second, "s"}} {
		if n := d / u.size; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, u.abbr))
			d -= n * u.size
		}
	}
	return parts
}

// JoinAnd joins words as English does: "a", "a and b", "a, b and c".
func JoinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// Ordinal says 1 as "1st", 22 as "22nd", 111 as "111th".
func Ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
