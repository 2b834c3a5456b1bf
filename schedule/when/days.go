package when

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// weekdays reads days of the week said without every: "friday", "on
// mondays", "mon, wed and fri", "this friday", then an optional part of the
// day ("friday evening"). One day named once is a one-off unless something
// else repeats; plural days and lists repeat.
func (ps *whenParser) weekdays(ph *phrase, from int) error {
	at := ps.i
	set, err := ps.dayList()
	if err != nil {
		return err
	}
	if err := ps.setDay(ph, from); err != nil {
		return err
	}
	w, _ := timewords.LookupDay(ps.toks[at])
	ph.week, ph.weekOnce, ph.weekFrom = set, ps.i == at+1 && w.Single, from
	return ps.optionalPart(ph)
}

// timesFor returns the times of day of a rule, sorted: those said (read
// with the part of the day), the part of the day's, or the default time.
// note says so when the default was used.
func (ps *whenParser) timesFor(ph *phrase) ([]int, string) {
	switch {
	case ph.times != nil:
		if note := afternoonNote(ph); note != "" {
			return []int{ph.times[0].sec + 12*3600}, note
		}
		if c := ph.times[0]; len(ph.times) > 1 && ph.part == nil && c.form == clockBare && c.sec >= 3600 && c.sec < 7*3600 {
			// "every weekday at 2 and 4": a list that starts with a bare
			// early hour is after noon too, and each later bare hour
			// below the one before it, as the list reads them.
			times := []int{c.sec + 12*3600}
			for _, c := range ph.times[1:] {
				sec := c.sec
				if prev := times[len(times)-1]; c.form == clockBare && sec < prev && sec+12*3600 > prev && sec+12*3600 < secondsPerDay {
					sec += 12 * 3600
				}
				times = append(times, sec)
			}
			slices.Sort(times)
			return slices.Compact(times), "afternoon; say am for early morning"
		}
		times := make([]int, len(ph.times))
		for i, c := range ph.times {
			times[i] = ph.part.partTime(c)
		}
		slices.Sort(times)
		return slices.Compact(times), ""
	case ph.part != nil:
		return []int{ph.part.sec}, ""
	case ph.perDay > 1:
		return slices.Clone(perDayTimes[ph.perDay]), notePerDay
	}
	return []int{ps.defaultTime()}, noteDefaultTime
}

// earlyBare reports whether the phrase's one time is a bare hour from 1
// to 6 ("at 3", "at 4:30") said without a part of the day: a time a working
// day more often means after noon.
func earlyBare(ph *phrase) bool {
	if len(ph.times) != 1 || ph.part != nil {
		return false
	}
	c := ph.times[0]
	return c.form == clockBare && c.sec >= 3600 && c.sec < 7*3600
}

// amWord is how to say the bare time c in the morning ("3am", "4:30am").
func amWord(c clock) string {
	s := fmt.Sprintf("%d", c.sec/3600)
	if m := c.sec % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// afternoonNote says that a bare early hour that repeats, or a one-off's on
// a day it names ("every weekday at 2", "tomorrow at 3"), was read after
// noon, as at work it most often is, and how to say the early morning;
// "" for any other time. The reply shows the time read either way.
func afternoonNote(ph *phrase) string {
	if !earlyBare(ph) {
		return ""
	}
	return "afternoon; say " + amWord(ph.times[0]) + "am for early morning"
}

// earlyNote says that a bare early hour with no day ("at 3" said at 22:00)
// was read as the early morning, the next time the clock shows it, and how
// to say the afternoon; "" for any other time.
func earlyNote(ph *phrase) string {
	if !earlyBare(ph) {
		return ""
	}
	return "early morning; say " + amWord(ph.times[0]) + "pm for the afternoon"
}

// buildDays makes "every <days> at <times>"; days default to every day.
func (ps *whenParser) buildDays(ph *phrase, days timewords.DaySet) (bot.Rule, error) {
	ps.ex = ps.exampleDays()
	var dayNote string
	switch n := ph.perWeek; {
	case n > 1 && days == 0:
		days, dayNote = perWeekDays[n], notePerWeek
	case n > 1 && len(days.Names(false)) != n:
		return nil, ps.failWith([]string{strings.Join(ps.toks[ph.perFrom:ph.perTo], " ")}, "%d times a week needs %d days; name that many, or leave the days out", n, n)
	}
	if days == 0 {
		days = timewords.AllDays
	}
	times, note := ps.timesFor(ph)
	if n := ph.perDay; n > 1 && ph.times != nil && len(times) != n {
		return nil, ps.failWith([]string{strings.Join(ps.toks[ph.perFrom:ph.perTo], " ")}, "%d times a day needs %d times; say that many, or leave the times out", n, n)
	}
	if dayNote != "" {
		if note == noteDefaultTime {
			note = "days picked for you and the default time; say them to choose"
		} else {
			note = dayNote
		}
	}
	if ph.part != nil && ph.part.word == "night" && days != timewords.AllDays && times[len(times)-1] < ph.part.to {
		// "every friday night at 1": past midnight, so on the day after
		// each one named (Saturday).
		days = (days<<1 | days>>6) & timewords.AllDays
	}
	if err := ps.checkGaps(times, days.Consecutive()); err != nil {
		return nil, err
	}
	return &wallRule{loc: ps.loc, kind: kindDays, cal: everyDay(days), clk: timesOfDay{list: int32s(times)}, days: days, note: note}, nil
}

// buildEveryDays makes "every N days at <times>", counted from the first
// day with a run: today when a time is still to come, else tomorrow.
func (ps *whenParser) buildEveryDays(ph *phrase) (bot.Rule, error) {
	if ph.rep.n == 1 {
		return ps.buildDays(ph, timewords.AllDays)
	}
	ps.ex = "every 2 days at 9:00"
	if ph.week != 0 {
		return nil, ps.failWith([]string{ps.withTokens(ph.weekFrom, ph.weekFrom+1)}, "Say every %d days or the days of the week, not both", ph.rep.n)
	}
	times, note := ps.timesFor(ph)
	if err := ps.checkGaps(times, false); err != nil {
		return nil, err
	}
	today, _ := localClock(ps.now, ps.loc)
	first := today + 1
	if wallInstant(ps.loc, today, times[len(times)-1]).After(ps.now) {
		first = today
	}
	cal := everyDay(timewords.AllDays)
	cal.cycle, cal.period, cal.anchor = cycleDays, ph.rep.n, int64(first)
	return &wallRule{loc: ps.loc, kind: kindDays, cal: cal, clk: timesOfDay{list: int32s(times)}, days: timewords.AllDays, note: note}, nil
}

// buildWeeks makes "every N weeks on <days> at <times>" (today's day of the
// week when none is said), counted from the week of the first run.
func (ps *whenParser) buildWeeks(ph *phrase) (bot.Rule, error) {
	today, _ := localClock(ps.now, ps.loc)
	days := ph.week
	if days == 0 {
		days = timewords.Days(today.weekday())
	}
	if ph.rep.n == 1 {
		return ps.buildDays(ph, days)
	}
	ps.ex = "every other wednesday at 10:00"
	times, note := ps.timesFor(ph)
	if ph.part != nil && ph.part.word == "night" && ph.week != 0 && times[len(times)-1] < ph.part.to {
		// "every other friday night at 1": past midnight, so on the day
		// after each one named, as for every week.
		days = (days<<1 | days>>6) & timewords.AllDays
	}
	if err := ps.checkGaps(times, days.Consecutive()); err != nil {
		return nil, err
	}
	first := today
	for k := range civilDay(8) {
		d := today + k
		if days.Has(d.weekday()) && (k > 0 || wallInstant(ps.loc, d, times[len(times)-1]).After(ps.now)) {
			first = d
			break
		}
	}
	cal := everyDay(days)
	cal.cycle, cal.period, cal.anchor = cycleWeeks, ph.rep.n, int64(first)-int64((first.weekday()+6)%7)
	return &wallRule{loc: ps.loc, kind: kindDays, cal: cal, clk: timesOfDay{list: int32s(times)}, days: days, note: note}, nil
}

func int32s(times []int) []int32 {
	out := make([]int32, len(times))
	for i, t := range times {
		out[i] = int32(t)
	}
	return out
}

// checkGaps refuses times of day closer together than MinInterval.
func (ps *whenParser) checkGaps(times []int, wrap bool) error {
	if ps.MinInterval <= 0 || minGap(times, wrap) >= ps.MinInterval {
		return nil
	}
	for i := 1; i < len(times); i++ {
		if gap := time.Duration(times[i]-times[i-1]) * time.Second; gap < ps.MinInterval {
			return ps.fail("%s and %s are only %s apart; the shortest repeat allowed is %s",
				hhmm(times[i-1]), hhmm(times[i]), timewords.FormatDuration(gap), timewords.FormatDuration(ps.MinInterval))
		}
	}
	first, last := times[0], times[len(times)-1]
	gap := time.Duration(secondsPerDay-last+first) * time.Second
	return ps.fail("%s and %s the next day are only %s apart; the shortest repeat allowed is %s",
		hhmm(last), hhmm(first), timewords.FormatDuration(gap), timewords.FormatDuration(ps.MinInterval))
}

// isDayWord reports whether tok names days, alone or as a range "mon-fri".
func isDayWord(tok string) bool {
	_, ok := timewords.ParseDays(tok)
	return ok
}

// dayList reads day words joined by commas or "and".
func (ps *whenParser) dayList() (timewords.DaySet, error) {
	var set timewords.DaySet
	for {
		d, ok := timewords.ParseDays(ps.peek())
		if !ok {
			if ps.done() {
				return 0, ps.failWith([]string{ps.withTokens(ps.i, ps.i, "weekday", "at", "10:30")}, "Say which days")
			}
			return 0, ps.unexpected(ps.withTokens(ps.i, ps.i+1, "weekday"))
		}
		first := ps.take()
		if sep := ps.peek(); isSingleDay(first) && dayRangeWords[sep] && isSingleDay(ps.peekAt(1)) {
			// "monday to friday", "mon thru fri", "monday - friday"
			d, _ = timewords.ParseDays(first + "-" + ps.peekAt(1))
			ps.i += 2
		}
		set |= d
		if sep := ps.peek(); (sep == "," || sep == "and") && isDayWord(ps.peekAt(1)) {
			ps.take()
			continue
		}
		if ps.peek() == "," && ps.peekAt(1) == "and" && isDayWord(ps.peekAt(2)) {
			ps.i += 2 // "monday, wednesday, and friday"
			continue
		}
		if isSingleDay(first) && isSingleDay(ps.peek()) {
			continue // "every mon wed fri"
		}
		if sep := ps.peek(); (sep == "except" || sep == "but") && isDayWord(ps.peekAt(1)) {
			// "every weekday except friday"
			at := ps.i
			ps.take()
			out, err := ps.dayList()
			if err != nil {
				return 0, err
			}
			if set&^out == 0 {
				return 0, ps.failWith([]string{ps.withTokens(at, ps.i)}, "That leaves no day")
			}
			return set &^ out, nil
		}
		return set, nil
	}
}

// dayRangeWords join the first and last day of a range of days.
var dayRangeWords = map[string]bool{"to": true, "through": true, "thru": true, "-": true}

// Times and days chosen for "twice a day" and "three times a week": a
// break mid-morning and mid-afternoon, days spread over the working week.
var (
	perDayTimes = [][]int{
		2: {10 * 3600, 15 * 3600},
		3: {10 * 3600, 13 * 3600, 16 * 3600},
		4: {9 * 3600, 11 * 3600, 14 * 3600, 16 * 3600},
	}
	perWeekDays = []timewords.DaySet{
		2: timewords.Days(time.Monday, time.Thursday),
		3: timewords.Days(time.Monday, time.Wednesday, time.Friday),
		4: timewords.Days(time.Monday, time.Tuesday, time.Thursday, time.Friday),
		5: timewords.WorkDays,
	}
)

// perPeriod reads, at the cursor, "once", "twice", "thrice" or "<n> times"
// followed by "a day", "per day", "daily", "a week", "per week" or
// "weekly", without moving. It returns n, negative for a week.
func (ps *whenParser) perPeriod() (int, bool) {
	n, used := 0, 1
	switch ps.peek() {
	case "once":
		n = 1
	case "twice":
		n = 2
	case "thrice":
		n = 3
	default:
		v, u, ok := timewords.Number(ps.toks, ps.i)
		if !ok || ps.peekAt(u) != "times" || v < 0 || v > 100 {
			return 0, false
		}
		n, used = int(v), u+1
	}
	word := ps.peekAt(used)
	if word == "a" || word == "per" || word == "each" || word == "every" {
		word = ps.peekAt(used + 1)
	}
	switch word {
	case "day", "daily":
		return n, true
	case "week", "weekly":
		return -n, true
	case "month", "monthly":
		return n + perMonthBase, true
	}
	return 0, false
}

// perMonthBase marks perPeriod's count as one a month: n + perMonthBase.
const perMonthBase = 1000

// timesPer reads "twice a day", "three times a week" (perPeriod says it is
// there) as a daily or weekly repeat whose times or days are chosen for
// the user unless said.
func (ps *whenParser) timesPer(ph *phrase, from, n int) error {
	_, used, ok := timewords.Number(ps.toks, ps.i)
	switch ps.peek() {
	case "once", "twice", "thrice":
		used, ok = 1, true
	default:
		used++ // "times"
	}
	if !ok {
		return ps.unexpected()
	}
	ps.i += used
	if w := ps.peek(); w == "a" || w == "per" || w == "each" || w == "every" {
		ps.take()
	}
	ps.take() // day, daily, week, weekly, month, monthly
	if n > perMonthBase {
		n -= perMonthBase
		if n >= len(perMonthDays) || ph.perDay != 0 || ph.perWeek != 0 || ph.perMonth != 0 {
			return ps.failWith([]string{ps.withTokens(from, ps.i, "twice", "a", "month")}, "Say up to %d times a month", len(perMonthDays)-1)
		}
		ph.perMonth, ph.perFrom, ph.perTo = n, from, ps.i
		return ps.setRepeat(ph, repeat{kind: repMonthly, n: 1}, from)
	}
	week := n < 0
	if week {
		n = -n
	}
	switch {
	case !week && (n < 1 || n >= len(perDayTimes)):
		return ps.failWith([]string{ps.withTokens(from, ps.i, "twice", "a", "day"), ps.exampleWindow()},
			"Say up to %d times a day, or an interval", len(perDayTimes)-1)
	case week && (n < 1 || n >= len(perWeekDays)):
		return ps.failWith([]string{ps.withTokens(from, ps.i, "every", "weekday"), ps.withTokens(from, ps.i, "twice", "a", "week")},
			"Say up to %d times a week", len(perWeekDays)-1)
	}
	if ph.perDay != 0 || ph.perWeek != 0 {
		return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say how often only once")
	}
	if week {
		ph.perWeek = n
	} else {
		ph.perDay = n
	}
	ph.perFrom, ph.perTo = from, ps.i
	r := repeat{kind: repDays}
	if week && n == 1 {
		r = repeat{kind: repWeeks, n: 1} // "once a week": like every week
	}
	if ph.rep.kind == repDays && r.kind == repDays {
		return nil // "every weekday twice a day"
	}
	return ps.setRepeat(ph, r, from)
}
