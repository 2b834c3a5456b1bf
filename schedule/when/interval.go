package when

import (
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// repeatKind is how a rule repeats.
type repeatKind uint8

const (
	repNone      repeatKind = iota
	repInterval             // every 45 minutes
	repDays                 // every monday, weekdays, daily
	repEveryDays            // every 2 days
	repWeeks                // every other wednesday, every 2 weeks on monday
	repMonthly              // every month on the 1st, the last friday of every month
	repYearly               // every year on 1 march
)

// repeat is a repeat clause as read.
type repeat struct {
	kind  repeatKind
	every time.Duration // repInterval
	n     int64         // the cycle of repEveryDays, repWeeks and repMonthly
	// defaulted is set when the interval was not said: a window alone
	// ("from 9 to 5") repeats hourly.
	defaulted bool
	from, to  int // its tokens, for mending
}

// cycle returns the unit a cycling repeat counts, and its plural.
func (r repeat) cycle() (cycleUnit, string) {
	switch r.kind {
	case repEveryDays:
		return cycleDays, "days"
	case repWeeks:
		return cycleWeeks, "weeks"
	case repMonthly:
		return cycleMonths, "months"
	}
	return cycleNone, ""
}

// setRepeat records a repeat clause read from token from. Days and an
// interval combine ("every weekday every 30 minutes from 9 to 5"); any
// other second repeat is refused.
func (ps *whenParser) setRepeat(ph *phrase, r repeat, from int) error {
	r.from, r.to = from, ps.i
	if unit, name := r.cycle(); unit != cycleNone && (r.n < 1 || r.n > maxCycle[unit]) {
		n := min(max(r.n, 2), maxCycle[unit])
		return ps.failWith([]string{ps.withTokens(from, ps.i, "every", strconv.FormatInt(n, 10), name)},
			"%d %s is the longest cycle", maxCycle[unit], name)
	}
	switch {
	case ph.rep.kind == repNone:
		ph.rep = r
	case ph.rep.kind == repDays && r.kind == repInterval:
		ph.rep = r // the days stay, as a filter
	case ph.rep.kind == repInterval && r.kind == repDays:
	case ph.rep.kind == repDays && r.kind == repDays && (ph.perDay > 0 || ph.perWeek > 1):
		// "twice a day every weekday": the days say which.
	default:
		return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say how often only once")
	}
	return nil
}

// every reads what follows "every": an interval ("45 minutes"), days of
// the week ("weekday", "mon and thu"), a cycle ("2 days", "other
// wednesday", "3 weeks"), "month", "year", a date ("march 1st"), days of
// the month ("1st of the month", "last friday") or a part of the day
// ("morning").
func (ps *whenParser) every(ph *phrase, from int) error {
	ps.ex = ps.exampleEvery()
	tok := ps.peek()
	switch {
	case tok == "":
		return ps.fail("Say how often")
	case tok == "at":
		return ps.failWith([]string{ps.withTokens(ps.i, ps.i, "day"), ps.withTokens(ps.i, ps.i, "weekday")},
			"Say which days before at, or how often")
	case tok == "other" || tok == "last":
		return ps.everyNth(ph, from)
	case tok == "month":
		ps.take()
		return ps.setRepeat(ph, repeat{kind: repMonthly, n: 1}, from)
	case tok == "year":
		ps.take()
		return ps.setRepeat(ph, repeat{kind: repYearly}, from)
	case tok == "week":
		ps.take()
		return ps.setRepeat(ph, repeat{kind: repWeeks, n: 1}, from)
	case isDayWord(tok):
		if err := ps.weekdays(ph, from); err != nil {
			return err
		}
		ph.weekOnce = false
		return ps.setRepeat(ph, repeat{kind: repDays}, from)
	}
	if p, ok := dayParts[tok]; ok {
		// "every morning"
		ps.take()
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.week = timewords.AllDays
		if err := ps.setPart(ph, p, from); err != nil {
			return err
		}
		return ps.setRepeat(ph, repeat{kind: repDays}, from)
	}
	if _, _, ok := timewords.ReadOrdinal(ps.toks, ps.i); ok && tok != "second" || tok == "second" && ps.cycleWordAt(ps.i+1) {
		return ps.everyNth(ph, from)
	}
	if d, ok, err := ps.date(); ok || err != nil {
		// "every march 1st"
		if err != nil {
			return err
		}
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.date, ph.hasDate = d, true
		return ps.setRepeat(ph, repeat{kind: repYearly}, from)
	}
	d, n, err := ps.duration(true)
	if err != nil {
		return err
	}
	if n == 0 {
		if err := ps.badUnit(); err != nil {
			return err
		}
		return ps.unexpected(ps.withTokens(ps.i, ps.i+1, "weekday"), ps.withTokens(ps.i, ps.i+1, "day"))
	}
	sp := ps.span
	if d > 0 && sp.Clock == 0 && (sp.Months == 0) != (sp.Days == 0) {
		// Whole days, weeks, months or years are calendar cycles: "every
		// 2 days at 9" fires at 9 every other day, whatever the clocks do.
		switch {
		case sp.Days > 0 && ps.durUnit == timewords.Week && sp.Days%7 == 0:
			return ps.setRepeat(ph, repeat{kind: repWeeks, n: sp.Days / 7}, from)
		case sp.Days > 0:
			return ps.setRepeat(ph, repeat{kind: repEveryDays, n: sp.Days}, from)
		case ps.durUnit == timewords.Year && sp.Months == 12:
			return ps.setRepeat(ph, repeat{kind: repYearly}, from)
		case ps.durUnit == timewords.Year:
			today, _ := localClock(ps.now, ps.loc)
			_, m, d := today.date()
			return ps.failWith([]string{ps.withTokens(ps.durFrom, ps.durTo, "year"), ps.withTokens(ps.durFrom, ps.durTo, "year", "on", dayMonth(m, d))},
				"Yearly is the longest repeat")
		default:
			return ps.setRepeat(ph, repeat{kind: repMonthly, n: sp.Months}, from)
		}
	}
	if sp.Months > 0 {
		return ps.failWith([]string{ps.withTokens(ps.durFrom, ps.durTo, "month")}, "Repeat in whole months, or in days or less")
	}
	return ps.setRepeat(ph, repeat{kind: repInterval, every: d}, from)
}

// cycleWordAt reports whether the token at k says what an ordinal after
// every counts: "every second wednesday", "every third week".
func (ps *whenParser) cycleWordAt(k int) bool {
	switch w := ps.peekAt(k - ps.i); w {
	case "day", "days", "week", "weeks", "month", "months":
		return true
	default:
		return isDayWord(w)
	}
}

// everyNth reads "every other …", "every 2nd …", "every last …": a cycle
// of days, weeks or months ("every other day", "every third week", "every
// second wednesday") or days of the month ("every 15th", "every first
// monday of the month", "every last friday").
func (ps *whenParser) everyNth(ph *phrase, from int) error {
	tok := ps.peek()
	n, used := int64(2), 1
	if tok != "other" && tok != "last" {
		k, u, _ := timewords.ReadOrdinal(ps.toks, ps.i)
		n, used = int64(k), u
	}
	next := ps.peekAt(used)
	monthly := func() error {
		// Days of the month: "every last friday", "every 1st of the month".
		if err := ps.setRepeat(ph, repeat{kind: repMonthly, n: 1}, from); err != nil {
			return err
		}
		return ps.monthDays(ph, from)
	}
	switch {
	case tok == "last" || isSingleDay(next) && (n == 1 || ps.peekAt(used+1) == "of"):
		return monthly()
	case next == "day" || next == "days":
		if ps.peekAt(used+1) == "of" {
			return monthly() // "every first day of the month"
		}
		ps.i += used + 1
		return ps.setRepeat(ph, repeat{kind: repEveryDays, n: n}, from)
	case next == "week" || next == "weeks":
		ps.i += used + 1
		return ps.setRepeat(ph, repeat{kind: repWeeks, n: n}, from)
	case next == "month" || next == "months":
		ps.i += used + 1
		return ps.setRepeat(ph, repeat{kind: repMonthly, n: n}, from)
	case isDayWord(next):
		ps.i += used
		if err := ps.weekdays(ph, from); err != nil {
			return err
		}
		ph.weekOnce = false
		return ps.setRepeat(ph, repeat{kind: repWeeks, n: n}, from)
	case tok == "other" && (next == "hour" || next == "minute"):
		// "every other hour": every 2 hours
		ps.i += used + 1
		u := time.Hour
		if next == "minute" {
			u = time.Minute
		}
		ps.ex = ps.exampleEvery()
		return ps.setRepeat(ph, repeat{kind: repInterval, every: 2 * u}, from)
	case tok != "other":
		return monthly() // "every 15th"
	}
	ps.take()
	return ps.unexpected(ps.withTokens(ps.i, ps.i+1, "day"), ps.withTokens(ps.i, ps.i+1, "week"))
}

// everyWord reads daily, weekly, fortnightly, monthly, yearly or hourly.
func (ps *whenParser) everyWord(ph *phrase, word string, from int) error {
	r := repeat{kind: repWeeks, n: 1}
	switch word {
	case "daily":
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.week = timewords.AllDays
		r = repeat{kind: repDays}
	case "fortnightly", "biweekly":
		r.n = 2
	case "monthly":
		r = repeat{kind: repMonthly, n: 1}
	case "yearly", "annually":
		r = repeat{kind: repYearly}
	case "hourly":
		r = repeat{kind: repInterval, every: time.Hour}
	}
	return ps.setRepeat(ph, r, from)
}

// window is a daily window of an interval as read: "between 9 and 5",
// "from 9am to 5:30pm", "9-17".
type window struct {
	set        bool
	start, end clock
	from, to   int
}

// window reads "from|between <time> and|to|until|- <time>" or "<time> -
// <time>" ("9-17" is split into three tokens first).
func (ps *whenParser) window(ph *phrase) error {
	from := ps.i
	if tok := ps.peek(); tok == "from" || tok == "between" {
		ps.take()
	}
	ps.ex = ps.exampleWindow()
	if ph.win.set {
		return ps.failWith([]string{ps.withTokens(from, from+1)}, "Say the window only once")
	}
	start, err := ps.clockTime()
	if err != nil {
		return err
	}
	switch ps.peek() {
	case "and", "to", "until", "till", "-":
		ps.take()
	default:
		join := "to" // "from 9 to 17:00", "between 9 and 17:00"
		if ps.toks[from] == "between" {
			join = "and"
		}
		return ps.unexpected(ps.withTokens(ps.i, ps.i, join, "17:00"))
	}
	end, err := ps.clockTime()
	if err != nil {
		return err
	}
	ph.win = window{set: true, start: start, end: end, from: from, to: ps.i}
	return nil
}

// buildInterval makes "every <interval> [between <start> and <end>] [on
// <days>]": elapsed time without a window, wall-clock times within one.
func (ps *whenParser) buildInterval(ph *phrase) (bot.Rule, error) {
	ps.ex = ps.exampleEvery()
	d := ph.rep.every
	if d <= 0 {
		return nil, ps.failWith(ps.mendDuration(), "The interval must be more than zero")
	}
	if d < ps.MinInterval {
		return nil, ps.failWith(ps.mendDuration(), "The shortest repeat allowed is %s", timewords.FormatDuration(ps.MinInterval))
	}
	if ph.times != nil || ph.part != nil {
		at := ph.timesFrom
		if at > 0 && ps.toks[at-1] == "at" {
			at--
		}
		return nil, ps.failWith([]string{ps.withTokens(at, ph.timesTo)}, "An interval and a time of day don't go together; for a daily window say from 9 to 17")
	}
	days := ph.week
	if days == 0 {
		days = timewords.AllDays
	}
	if !ph.win.set {
		anchor := ps.now.Truncate(time.Second)
		if ph.onHour {
			// Counted from the hour that has begun, on the local clock
			// (a zone may be half an hour off UTC).
			t := ps.now.In(ps.loc)
			anchor = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, ps.loc)
			if ph.onHalf {
				// Half past the hour that has begun, or the one before,
				// so the first run is the next half past.
				if anchor = anchor.Add(30 * time.Minute); anchor.After(ps.now) {
					anchor = anchor.Add(-time.Hour)
				}
			}
		}
		return &intervalRule{anchor: anchor, every: d, days: days, loc: ps.loc}, nil
	}
	ps.ex = ps.exampleWindow()
	w := ph.win
	start, end := w.start.sec, w.end.sec
	if end <= start {
		switch {
		case w.start.form != clock24 && w.end.form == clockBare && end+12*3600 > start && end+12*3600 < secondsPerDay:
			end += 12 * 3600 // "from 9 to 5": a working day
		case w.start.form == clock24 && w.end.form != clock12 && end != start:
			// "from 22:00 to 06:00": across midnight, as written
		case end == start:
			return nil, ps.failWith([]string{ps.withTokens(w.from, w.to)}, "The window must end after it starts")
		default:
			return nil, ps.failWith([]string{ps.withTokens(w.from, w.to, "between", hhmm(start), "and", hhmm(end))},
				"A window that crosses midnight must be written in 24-hour form")
		}
	}
	if d >= timewords.Day {
		return nil, ps.fail("A window needs an interval shorter than a day")
	}
	step := int(d / time.Second)
	length := end - start
	if end < start {
		length += secondsPerDay
	}
	last := start + length/step*step
	if days.Consecutive() && ps.MinInterval > 0 {
		if gap := time.Duration(secondsPerDay-last+start) * time.Second; gap < ps.MinInterval {
			return nil, ps.fail("The last run at %s and the next day's first at %s are only %s apart; the shortest repeat allowed is %s",
				hhmm(last%secondsPerDay), hhmm(start), timewords.FormatDuration(gap), timewords.FormatDuration(ps.MinInterval))
		}
	}
	r := &wallRule{
		loc:   ps.loc,
		kind:  kindWindow,
		cal:   everyDay(days),
		clk:   timesOfDay{start: int32(start), step: int32(step), end: int32(end)},
		days:  days,
		every: d,
	}
	if ph.rep.defaulted {
		r.note = noteHourly
	}
	return r, nil
}
