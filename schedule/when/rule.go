package when

import (
	"math"
	"math/bits"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// The three rule shapes. Every rule is immutable after construction and safe
// for concurrent use; Next does not allocate.
var (
	_ bot.Rule = (*onceRule)(nil)
	_ bot.Rule = (*intervalRule)(nil)
	_ bot.Rule = (*wallRule)(nil)
)

// horizonDays bounds the search of a wall rule. Every satisfiable cron
// day pattern recurs well within it (29 February on a given weekday is the
// slowest, at most 40 years apart); beyond it Next reports no run.
const horizonDays = 366 * 50

// onceRule fires once, at an absolute instant.
type onceRule struct {
	at  time.Time
	loc *time.Location
	// gap is the wall time asked for ("02:30") when it did not exist that
	// day, so that at is the end of a spring-forward gap; "" otherwise.
	// Only the parse knows it, so the spec stores it.
	gap string
}

func (r *onceRule) Next(t time.Time) time.Time {
	if r.at.After(t) {
		return r.at
	}
	return time.Time{}
}

func (r *onceRule) Repeats() bool { return false }

// Spec is "once <instant>", followed by " gap <wall time>" when the time
// asked for did not exist; specs without it are the older form.
func (r *onceRule) Spec() string {
	s := "once " + r.at.UTC().Format(time.RFC3339Nano)
	if r.gap != "" {
		s += " gap " + r.gap
	}
	return s
}

func (r *onceRule) Describe() string {
	layout := "Mon 2 Jan at 15:04 MST"
	if r.at.Second() != 0 {
		layout = "Mon 2 Jan at 15:04:05 MST" // "in 90 seconds" lands mid-minute
	}
	s := "once on " + r.at.In(r.loc).Format(layout)
	if r.gap != "" {
		s += " (" + r.gap + " does not exist that day; clocks spring forward)"
	}
	return s
}

// intervalRule fires every `every` of elapsed time counted from anchor (the
// anchor itself is not a run), optionally only on some days of the week in
// loc. Counting elapsed time keeps it steady across daylight-saving changes.
type intervalRule struct {
	anchor time.Time
	every  time.Duration
	days   timewords.DaySet
	loc    *time.Location
}

func (r *intervalRule) Next(t time.Time) time.Time {
	from := t
	// Each round either finds a run on an allowed day or moves to the next
	// allowed day; the bound only matters for intervals that keep landing
	// on excluded days.
	for range 64 {
		c := r.after(from)
		if c.IsZero() || r.days == timewords.AllDays {
			return c
		}
		day, _ := localClock(c, r.loc)
		if r.days.Has(day.weekday()) {
			return c
		}
		next := day + 1
		for i := 0; i < 7 && !r.days.Has(next.weekday()); i++ {
			next++
		}
		midnight := wallInstant(r.loc, next, 0)
		if !midnight.After(c) {
			return time.Time{}
		}
		from = midnight.Add(-time.Nanosecond)
	}
	return time.Time{}
}

// after returns anchor + k*every for the least k >= 1 that is after t.
func (r *intervalRule) after(t time.Time) time.Time {
	d := t.Sub(r.anchor) // saturates far from the anchor
	k := int64(1)
	if d >= r.every {
		k = int64(d/r.every) + 1
	}
	if k > math.MaxInt64/int64(r.every) {
		return time.Time{}
	}
	c := r.anchor.Add(time.Duration(k) * r.every)
	if !c.After(t) {
		return time.Time{}
	}
	return c
}

func (r *intervalRule) Repeats() bool { return true }

func (r *intervalRule) Spec() string {
	s := "every " + r.every.String() + " from " + r.anchor.UTC().Format(time.RFC3339Nano)
	if r.days != timewords.AllDays {
		s += " on " + daysSpec(r.days)
	}
	return s
}

func (r *intervalRule) Describe() string {
	return "every " + timewords.FormatEvery(r.every) + r.days.OnPhrase()
}

// wallKind tells what a wallRule was made from, for Spec and Describe.
type wallKind uint8

const (
	kindDays   wallKind = iota // every <days> at <times>
	kindWindow                 // every <interval> between <start> and <end>
	kindCron                   // a cron expression
)

// wallRule fires at local wall-clock times of day on the days a dateSet
// selects, with the daylight-saving policy of dst.go. Days-at-times,
// interval windows and cron expressions are all wall rules.
type wallRule struct {
	loc   *time.Location
	kind  wallKind
	cal   dateSet
	clk   timesOfDay
	days  timewords.DaySet // kindDays, kindWindow
	every time.Duration    // kindWindow
	cron  string           // kindCron: canonical text, "CRON_TZ=Europe/Berlin 0 10 * * *"
	zone  string           // kindCron: the zone named in CRON_TZ, if any
}

func (r *wallRule) Next(t time.Time) time.Time {
	day, sec := localClock(t, r.loc)
	y, m, d := day.date()
	wd := day.weekday()
	limit := day + horizonDays
	for day <= limit {
		if r.cal.months&(1<<m) == 0 {
			// Skip the rest of the month in one step.
			skip := daysIn(y, m) - d + 1
			day += civilDay(skip)
			wd = (wd + time.Weekday(skip%7)) % 7
			d, sec = 1, 0
			if m++; m > 12 {
				m, y = 1, y+1
			}
			continue
		}
		if r.cal.match(d, wd) {
			for s := sec; ; {
				ts, ok := r.clk.next(s)
				if !ok {
					break
				}
				if at := wallInstant(r.loc, day, ts); at.After(t) {
					return at
				}
				s = ts + 1
			}
		}
		day++
		wd = (wd + 1) % 7
		sec = 0
		if d++; d > daysIn(y, m) {
			d = 1
			if m++; m > 12 {
				m, y = 1, y+1
			}
		}
	}
	return time.Time{}
}

func (r *wallRule) Repeats() bool { return true }

func (r *wallRule) Spec() string {
	switch r.kind {
	case kindDays:
		return "days " + daysSpec(r.days) + " at " + r.clk.listSpec()
	case kindWindow:
		s := "every " + r.every.String() + " between " + hhmm(int(r.clk.start)) + " and " + hhmm(int(r.clk.end))
		if r.days != timewords.AllDays {
			s += " on " + daysSpec(r.days)
		}
		return s
	}
	return "cron " + r.cron
}

func (r *wallRule) Describe() string {
	switch r.kind {
	case kindDays:
		times := make([]string, len(r.clk.list))
		for i, s := range r.clk.list {
			times[i] = hhmm(int(s))
		}
		return "every " + r.days.EveryPhrase() + " at " + timewords.JoinAnd(times)
	case kindWindow:
		return "every " + timewords.FormatEvery(r.every) + " between " + hhmm(int(r.clk.start)) +
			" and " + hhmm(int(r.clk.end)) + r.days.OnPhrase()
	}
	zone := r.zone
	if zone == "" {
		zone = r.loc.String()
	}
	fields := r.cron
	if r.zone != "" {
		fields = strings.TrimSpace(fields[strings.IndexByte(fields, ' ')+1:])
	}
	return "cron " + fields + " (" + zone + ")"
}

// dateSet selects local dates, cron style: a month set, a day-of-month
// set and a weekday set, the last two combined with AND when `and` is set
// (robfig's rule: either field written as a star) and OR otherwise.
type dateSet struct {
	months uint16 // bit m for month m (1-12)
	dom    uint32 // bit d for day d (1-31)
	dow    timewords.DaySet
	and    bool
}

// everyDay selects the given days of the week of every month.
func everyDay(days timewords.DaySet) dateSet {
	return dateSet{months: 0x1ffe, dom: 0xfffffffe, dow: days, and: true}
}

func (c *dateSet) match(d int, wd time.Weekday) bool {
	domOK := c.dom&(1<<d) != 0
	dowOK := c.dow.Has(wd)
	if c.and {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// timesOfDay is a set of times of day, in seconds after midnight, in one of
// three representations: a sorted list, an arithmetic progression
// start, start+step, … <= end (step > 0), or cron hour and minute bit sets.
type timesOfDay struct {
	list             []int32
	start, step, end int32
	hours            uint32
	minutes          uint64
}

// next returns the least time of day in the set that is >= sec.
func (c *timesOfDay) next(sec int) (int, bool) {
	switch {
	case c.list != nil:
		for _, s := range c.list {
			if int(s) >= sec {
				return int(s), true
			}
		}
		return 0, false
	case c.step > 0:
		start, step := int(c.start), int(c.step)
		if sec <= start {
			return start, true
		}
		s := start + (sec-start+step-1)/step*step
		return s, s <= int(c.end)
	}
	h, m := sec/3600, (sec%3600+59)/60 // round partial minutes up
	for ; h < 24; h, m = h+1, 0 {
		if c.hours&(1<<h) == 0 || m >= 60 {
			continue
		}
		if mm := c.minutes >> m << m; mm != 0 {
			return h*3600 + bits.TrailingZeros64(mm)*60, true
		}
	}
	return 0, false
}

// all lists every time of day in the set, for validation only.
func (c *timesOfDay) all() []int {
	var out []int
	for s, ok := c.next(0); ok; s, ok = c.next(s + 1) {
		out = append(out, s)
	}
	return out
}

func (c *timesOfDay) listSpec() string {
	times := make([]string, len(c.list))
	for i, s := range c.list {
		times[i] = hhmm(int(s))
	}
	return strings.Join(times, ",")
}

// minGap returns the shortest wall-clock gap between two runs of a rule with
// these times of day, counting the step from the last run of a day to the
// first of the next when wrap is set. It is 24h for a single daily run.
func minGap(times []int, wrap bool) time.Duration {
	gap := secondsPerDay
	for i := 1; i < len(times); i++ {
		gap = min(gap, times[i]-times[i-1])
	}
	if wrap && len(times) > 0 {
		gap = min(gap, secondsPerDay-times[len(times)-1]+times[0])
	}
	return time.Duration(gap) * time.Second
}

// NextN returns up to n runs of r strictly after t, earliest first; fewer
// when the rule ends. Replies use it to show the next runs.
func NextN(r bot.Rule, t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		next := r.Next(t)
		if next.IsZero() || !next.After(t) {
			break
		}
		out = append(out, next)
		t = next
	}
	return out
}
