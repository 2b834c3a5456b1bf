package when

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// The rule shapes, and the bound that ends a repeating one. Every rule is
// immutable after construction and safe for concurrent use; Next does not
// allocate.
var (
	_ bot.Rule = (*onceRule)(nil)
	_ bot.Rule = (*intervalRule)(nil)
	_ bot.Rule = (*wallRule)(nil)
	_ bot.Rule = (*boundedRule)(nil)
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
	// note says how the parse chose the time ("the default time, as none
	// was given"); only a parsed rule has it, so replies say it and lists
	// do not.
	note string
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

func (r *onceRule) Describe() string { return r.DescribeAt(time.Time{}) }

// DescribeAt says the rule with the date's year unless it is now's.
func (r *onceRule) DescribeAt(now time.Time) string {
	s := "once on " + dateWords(r.at, r.loc, now, true)
	if r.gap != "" {
		s += " (" + r.gap + " does not exist that day; clocks spring forward)"
	}
	return withNote(s, r.note)
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

// StartingFrom implements bot.StartableRule: the first run is at start.
func (r *intervalRule) StartingFrom(start time.Time) bot.Rule {
	c := *r
	c.anchor = start.Truncate(time.Second).Add(-r.every)
	return &c
}

// SkippedTimes implements bot.MovedRule: an interval counts elapsed time,
// so its runs are never moved by a change of the clocks.
func (r *intervalRule) SkippedTimes(time.Time) ([]int, bool) { return nil, true }

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

// DescribeAt is Describe: the rule names no date.
func (r *intervalRule) DescribeAt(time.Time) string { return r.Describe() }

// wallKind tells what a wallRule was made from, for Spec and Describe.
type wallKind uint8

const (
	kindDays    wallKind = iota // every <days> at <times>, or every N days or weeks
	kindWindow                  // every <interval> between <start> and <end>
	kindCron                    // a cron expression
	kindMonthly                 // on days of every month (or every N months)
	kindYearly                  // on one day of every year
)

// wallRule fires at local wall-clock times of day on the days a dateSet
// selects, with the daylight-saving policy of dst.go. Days-at-times,
// interval windows, monthly and yearly days and cron expressions are all
// wall rules.
type wallRule struct {
	loc   *time.Location
	kind  wallKind
	cal   dateSet
	clk   timesOfDay
	days  timewords.DaySet // kindDays, kindWindow
	every time.Duration    // kindWindow
	cron  string           // kindCron: canonical text, "CRON_TZ=Europe/Berlin 0 10 * * *"
	zone  string           // kindCron: the zone named in CRON_TZ, if any
	// lastDay says "the last day" for a month day of 31, which falls on
	// every month's last day either way.
	lastDay bool
	note    string // as onceRule.note
}

func (r *wallRule) Next(t time.Time) time.Time {
	day, sec := localClock(t, r.loc)
	y, m, d := day.date()
	wd := day.weekday()
	limit := day + horizonDays
	overnight := r.clk.overnight()
	for day <= limit {
		if !r.cal.monthOK(y, m) {
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
		if overnight && r.cal.dow.Has((wd+6)%7) {
			// The part after midnight of a window that began yesterday.
			for s := sec; ; {
				ts, ok := r.clk.tail(s)
				if !ok {
					break
				}
				if at := wallInstant(r.loc, day, ts); at.After(t) {
					return at
				}
				s = ts + 1
			}
		}
		if r.cal.match(y, m, d, day, wd) {
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

// StartingFrom implements bot.StartableRule: a cycle of days, weeks or
// months counts from the day, week or month of its first run at or after
// start, as it counts from the first run after now when it is set.
func (r *wallRule) StartingFrom(start time.Time) bot.Rule {
	if r.cal.cycle == cycleNone {
		return r
	}
	c := *r
	c.cal.cycle = cycleNone // every day, week or month the rest allows
	first := c.Next(start.Add(-time.Nanosecond))
	c.cal.cycle = r.cal.cycle
	if first.IsZero() {
		return r
	}
	day, _ := localClock(first, r.loc)
	switch r.cal.cycle {
	case cycleDays:
		c.cal.anchor = int64(day)
	case cycleWeeks:
		c.cal.anchor = int64(day) - int64((day.weekday()+6)%7)
	case cycleMonths:
		y, m, _ := day.date()
		c.cal.anchor = y*12 + int64(m-1)
	}
	return &c
}

// SkippedTimes implements bot.MovedRule: the times of day the rule sets on
// t's day (or, for a gap that starts before midnight, the evening before)
// that have no wall time of their own there and so come at t, the end of
// the gap; own says whether the rule also sets t's own reading.
func (r *wallRule) SkippedTimes(t time.Time) (skipped []int, own bool) {
	day, reading := localClock(t, r.loc)
	for back := 1; back >= 0; back-- {
		dd := day - civilDay(back)
		y, m, d := dd.date()
		wd := dd.weekday()
		if !r.cal.monthOK(y, m) {
			continue
		}
		collect := func(next func(int) (int, bool)) {
			for s, ok := next(0); ok; s, ok = next(s + 1) {
				at := wallInstant(r.loc, dd, s)
				if at.After(t) {
					return
				}
				switch {
				case !at.Equal(t):
				case back == 0 && s == reading:
					own = true
				default:
					skipped = append(skipped, s-back*secondsPerDay)
				}
			}
		}
		if r.clk.overnight() && r.cal.dow.Has((wd+6)%7) {
			collect(r.clk.tail)
		}
		if r.cal.match(y, m, d, dd, wd) {
			collect(r.clk.next)
		}
	}
	return skipped, own
}

func (r *wallRule) Spec() string {
	switch r.kind {
	case kindDays:
		switch r.cal.cycle {
		case cycleDays:
			return "days every " + strconv.FormatInt(r.cal.period, 10) + " from " + isoDate(civilDay(r.cal.anchor)) + " at " + r.clk.listSpec()
		case cycleWeeks:
			return "weeks every " + strconv.FormatInt(r.cal.period, 10) + " from " + isoDate(civilDay(r.cal.anchor)) +
				" on " + daysSpec(r.days) + " at " + r.clk.listSpec()
		}
		return "days " + daysSpec(r.days) + " at " + r.clk.listSpec()
	case kindWindow:
		s := "every " + r.every.String() + " between " + hhmm(int(r.clk.start)) + " and " + hhmm(int(r.clk.end))
		if r.days != timewords.AllDays {
			s += " on " + daysSpec(r.days)
		}
		return s
	case kindMonthly:
		s := "monthly "
		if r.cal.cycle == cycleMonths {
			y, m := floorDiv(r.cal.anchor, 12), int(floorMod(r.cal.anchor, 12))+1
			s += fmt.Sprintf("every %d from %04d-%02d ", r.cal.period, y, m)
		}
		return s + "on " + r.monthDaysSpec() + " at " + r.clk.listSpec()
	case kindYearly:
		return fmt.Sprintf("yearly on %02d-%02d at %s", bits.TrailingZeros16(r.cal.months), bits.TrailingZeros32(r.cal.dom), r.clk.listSpec())
	}
	return "cron " + r.cron
}

func (r *wallRule) Describe() string {
	switch r.kind {
	case kindDays:
		s := "every " + r.days.EveryPhrase()
		switch r.cal.cycle {
		case cycleDays:
			s = "every " + strconv.FormatInt(r.cal.period, 10) + " days"
		case cycleWeeks:
			names := r.days.Names(true)
			if len(names) > 1 {
				names = r.days.Names(false)
			}
			s = "every " + strconv.FormatInt(r.cal.period, 10) + " weeks on " + timewords.JoinAnd(names)
			if r.cal.period == 2 {
				s = "every other week on " + timewords.JoinAnd(names)
				if len(names) == 1 {
					s = "every other " + names[0]
				}
			}
		}
		return withNote(s+" at "+r.clk.listWords(), r.note)
	case kindWindow:
		s := "every " + timewords.FormatEvery(r.every) + " between " + hhmm(int(r.clk.start)) + " and " + hhmm(int(r.clk.end))
		if r.clk.overnight() {
			s += " (across midnight)"
		}
		return withNote(s+r.days.OnPhrase(), r.note)
	case kindMonthly:
		return withNote(r.monthWords()+" at "+r.clk.listWords(), r.note)
	case kindYearly:
		m, d := time.Month(bits.TrailingZeros16(r.cal.months)), bits.TrailingZeros32(r.cal.dom)
		s := fmt.Sprintf("every year on %d %s", d, m)
		if m == time.February && d == 29 {
			s += " (28 February in other years)"
		}
		return withNote(s+" at "+r.clk.listWords(), r.note)
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

// DescribeAt is Describe: the rule names no date.
func (r *wallRule) DescribeAt(time.Time) string { return r.Describe() }

// RunZone implements bot.ZonedRule: a cron rule's words name its zone, its
// CRON_TZ or else the zone it was read in; other rules' name none.
func (r *wallRule) RunZone() string {
	switch {
	case r.kind != kindCron:
		return ""
	case r.zone != "":
		return r.zone
	}
	return r.loc.String()
}

// cycleUnit is what a dateSet's cycle counts.
type cycleUnit uint8

const (
	cycleNone cycleUnit = iota
	cycleDays
	cycleWeeks // Monday to Sunday
	cycleMonths
)

// maxCycle is the longest cycle of each unit, a few years, well within the
// horizon Next searches.
var maxCycle = [...]int64{cycleDays: 1000, cycleWeeks: 150, cycleMonths: 120}

// dateSet selects local dates, cron style: a month set, a day-of-month
// set and a weekday set, the last two combined with AND when `and` is set
// (robfig's rule: either field written as a star) and OR otherwise. The
// grammar adds three things cron lacks: clamping days of the month to a
// short month's last day, the nth weekday of a month, and cycles of days,
// weeks or months.
type dateSet struct {
	months uint16 // bit m for month m (1-12)
	dom    uint32 // bit d for day d (1-31)
	dow    timewords.DaySet
	and    bool
	// clamp moves days past a month's end onto its last day: the 31st is
	// 30 April, 29 February is the 28th in common years.
	clamp bool
	// nth keeps, of the days in dow, only the nth (1-5) of the month, or the
	// last (-1); dom is then unused.
	nth int8
	// cycle keeps only every period-th day, week or month counted from
	// anchor: a civilDay (for weeks, a Monday) or a month number,
	// year*12 + month-1.
	cycle  cycleUnit
	period int64
	anchor int64
}

// everyDay selects the given days of the week of every month.
func everyDay(days timewords.DaySet) dateSet {
	return dateSet{months: 0x1ffe, dom: 0xfffffffe, dow: days, and: true}
}

// monthOK reports whether any day of month m of year y may match.
func (c *dateSet) monthOK(y int64, m int) bool {
	if c.months&(1<<m) == 0 {
		return false
	}
	return c.cycle != cycleMonths || floorMod(y*12+int64(m-1)-c.anchor, c.period) == 0
}

func (c *dateSet) match(y int64, m, d int, day civilDay, wd time.Weekday) bool {
	switch c.cycle {
	case cycleDays:
		if floorMod(int64(day)-c.anchor, c.period) != 0 {
			return false
		}
	case cycleWeeks:
		if floorMod(int64(day)-c.anchor, 7*c.period) >= 7 {
			return false
		}
	}
	var domOK bool
	switch {
	case c.nth > 0:
		domOK = (d-1)/7+1 == int(c.nth)
	case c.nth < 0:
		domOK = d+7 > daysIn(y, m)
	default:
		domOK = c.dom&(1<<d) != 0 || c.clamp && c.dom>>(d+1) != 0 && d == daysIn(y, m)
	}
	dowOK := c.dow.Has(wd)
	if c.and {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// timesOfDay is a set of times of day, in seconds after midnight, in one of
// three representations: a sorted list, an arithmetic progression
// start, start+step, … <= end (step > 0), or cron hour and minute bit sets.
// A progression whose end is before its start runs overnight: on past
// midnight until end the next day.
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
		if c.overnight() {
			return s, s < secondsPerDay
		}
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

// overnight reports whether a progression runs past midnight.
func (c *timesOfDay) overnight() bool { return c.step > 0 && c.end < c.start }

// tail returns the least time >= sec of the part of an overnight
// progression that falls after midnight, on the day after it started.
func (c *timesOfDay) tail(sec int) (int, bool) {
	start, step := int(c.start), int(c.step)
	s := start + (secondsPerDay-start+step-1)/step*step - secondsPerDay
	if sec > s {
		s += (sec - s + step - 1) / step * step
	}
	return s, s <= int(c.end)
}

// all lists every time of day in the set, for validation only.
func (c *timesOfDay) all() []int {
	var out []int
	for s, ok := c.next(0); ok; s, ok = c.next(s + 1) {
		out = append(out, s)
	}
	return out
}

func (c *timesOfDay) listSpec() string { return strings.Join(c.listTimes(), ",") }

// listWords says the listed times: "09:00, 12:00 and 15:00".
func (c *timesOfDay) listWords() string { return timewords.JoinAnd(c.listTimes()) }

func (c *timesOfDay) listTimes() []string {
	times := make([]string, len(c.list))
	for i, s := range c.list {
		times[i] = hhmm(int(s))
	}
	return times
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
