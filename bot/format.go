package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FormatTime shows an instant in loc the way replies do: "Mon 30 Nov 10:30
// CET", with the year when it is not the current one relative to now.
func FormatTime(t, now time.Time, loc *time.Location) string {
	t = t.In(loc)
	clock := "15:04"
	if t.Second() != 0 {
		clock = "15:04:05" // sub-minute schedules need the seconds
	}
	layout := "Mon 2 Jan " + clock + " MST"
	if t.Year() != now.In(loc).Year() {
		layout = "Mon 2 Jan 2006 " + clock + " MST"
	}
	return t.Format(layout)
}

// FormatDuration says a duration in words: "4 min 30 s", "2 h", "1 h 15 min".
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return "0 s"
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d d", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if s > 0 {
		parts = append(parts, fmt.Sprintf("%d s", s))
	}
	return strings.Join(parts, " ")
}

// joinWords joins "a", "b" and "c" the English way.
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// parseDuration reads "10m", "10 min", "1 hour 30 minutes", "90 seconds",
// "2h30m", "a day". It returns false when s is not a duration.
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(strings.ReplaceAll(s, " ", "")); err == nil {
		return d, true
	}
	fields := strings.Fields(strings.NewReplacer(",", " ", " and ", " ").Replace(s))
	var total time.Duration
	for i := 0; i < len(fields); i++ {
		num, unit := fields[i], ""
		// "30min" style: split digits from the unit.
		j := 0
		for j < len(num) && num[j] >= '0' && num[j] <= '9' {
			j++
		}
		if j > 0 && j < len(num) {
			num, unit = num[:j], num[j:]
		} else if i+1 < len(fields) {
			unit = fields[i+1]
			i++
		} else {
			return 0, false
		}
		var n int
		switch num {
		case "a", "an", "one":
			n = 1
		default:
			v, err := strconv.Atoi(num)
			if err != nil || v < 0 || v > 100000 {
				return 0, false
			}
			n = v
		}
		u, ok := unitDurations[unit]
		if !ok {
			return 0, false
		}
		total += time.Duration(n) * u
	}
	return total, true
}

// FormatDurationShort keeps the two largest units: "6 d 10 h", "4 min 30 s".
func FormatDurationShort(d time.Duration) string {
	parts := strings.Fields(FormatDuration(d))
	if len(parts) > 4 {
		parts = parts[:4]
	}
	return strings.Join(parts, " ")
}

var unitDurations = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
}
