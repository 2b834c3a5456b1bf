package when

import (
	"slices"
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
		times := make([]int, len(ph.times))
		for i, c := range ph.times {
			times[i] = ph.part.partTime(c)
		}
		slices.Sort(times)
		return slices.Compact(times), ""
	case ph.part != nil:
		return []int{ph.part.sec}, ""
	}
	return []int{ps.defaultTime()}, noteDefaultTime
}

// buildDays makes "every <days> at <times>"; days default to every day.
func (ps *whenParser) buildDays(ph *phrase, days timewords.DaySet) (bot.Rule, error) {
	ps.ex = ps.exampleDays()
	if days == 0 {
		days = timewords.AllDays
	}
	times, note := ps.timesFor(ph)
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
		ps.take()
		set |= d
		if sep := ps.peek(); (sep == "," || sep == "and") && isDayWord(ps.peekAt(1)) {
			ps.take()
			continue
		}
		return set, nil
	}
}
