package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/zones"
)

// FormatTime shows an instant in loc the way replies do: "Mon 30 Nov 10:30
// CET", with the year when it is not the current one relative to now.
func FormatTime(t, now time.Time, loc *time.Location) string {
	t = t.In(loc)
	clock := "15:04"
	if t.Second() != 0 {
		clock = "15:04:05" // sub-minute schedules need the seconds
	}
	layout := "Mon 2 Jan " + clock
	if t.Year() != now.In(loc).Year() {
		layout = "Mon 2 Jan 2006 " + clock
	}
	return t.Format(layout) + " " + zones.Abbrev(t)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// joinOr joins choices as English does: "a", "a or b", "a, b or c".
func joinOr(choices []string) string {
	if len(choices) < 2 {
		return strings.Join(choices, "")
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
