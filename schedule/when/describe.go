package when

import (
	"strings"

	"github.com/stretchbot/stretchbot/internal/timewords"
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
