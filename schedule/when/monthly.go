package when

import (
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// Monthly and yearly rules. A day of the month that a month lacks (the
// 31st in April, 29 February in a common year) falls on that month's last
// day, so a monthly reminder never skips a month; "the last day" says the
// same thing in words.

// buildMonthly makes "on <days of the month> of every [N] month(s) at
// <times>".
func (ps *whenParser) buildMonthly(ph *phrase) (bot.Rule, error) {
	today, _ := localClock(ps.now, ps.loc)
	_, _, dom := today.date()
	ps.ex = "every month on the 1st at 9:00"
	monthNote := ""
	if ph.perMonth > 0 && ph.mdays == 0 && !ph.lastDay && ph.nth == 0 {
		// "twice a month": the 1st and the 15th
		ph.mdays, monthNote = perMonthDays[ph.perMonth], "days picked for you; say them to choose"
	}
	if ph.mdays == 0 && !ph.lastDay && ph.nth == 0 {
		// "every month": offer today's day of the month.
		return nil, ps.failWith([]string{ps.withTokens(ph.rep.to, ph.rep.to, "on the "+timewords.Ordinal(dom))},
			"Say which day of the month, like the 1st or the last friday")
	}
	if ph.week != 0 {
		return nil, ps.failWith([]string{ps.withTokens(ph.weekFrom, ph.weekFrom+1)}, "Say days of the month or of the week, not both")
	}
	times, note := ps.timesFor(ph)
	if err := ps.checkGaps(times, false); err != nil {
		return nil, err
	}
	cal := dateSet{months: 0x1ffe, dom: ph.mdays, dow: timewords.AllDays, and: true, clamp: true}
	if ph.lastDay {
		cal.dom |= 1 << 31
	}
	if ph.nth != 0 {
		cal.dom, cal.dow, cal.nth, cal.clamp = 0, timewords.Days(ph.nthDay), int8(ph.nth), false
	}
	if monthNote != "" {
		note = monthNote
		if ph.times == nil && ph.part == nil {
			note = "days picked for you and the default time; say them to choose"
		}
	}
	r := &wallRule{loc: ps.loc, kind: kindMonthly, cal: cal, clk: timesOfDay{list: int32s(times)}, lastDay: ph.lastDay, note: note}
	if n := ph.rep.n; n > 1 {
		// Count the months from the one of the first run.
		first := r.Next(ps.now)
		if first.IsZero() {
			return r, nil // refused by Parse: it never fires
		}
		day, _ := localClock(first, ps.loc)
		y, m, _ := day.date()
		r.cal.cycle, r.cal.period, r.cal.anchor = cycleMonths, n, y*12+int64(m-1)
	}
	return r, nil
}

// buildYearly makes "every year on <date> at <times>".
func (ps *whenParser) buildYearly(ph *phrase) (bot.Rule, error) {
	today, _ := localClock(ps.now, ps.loc)
	_, m, d := today.date()
	ps.ex = "every year on 1 march at 9:00"
	if !ph.hasDate {
		return nil, ps.failWith([]string{ps.withTokens(ph.rep.to, ph.rep.to, "on", dayMonth(m, d))},
			"Say which day of the year, like on 1 march")
	}
	if ph.date.yearSaid {
		return nil, ps.failWith([]string{ps.withTokens(ph.date.from, ph.date.to, dayMonth(ph.date.m, ph.date.d))},
			"Leave the year out of a yearly date")
	}
	times, note := ps.timesFor(ph)
	if err := ps.checkGaps(times, false); err != nil {
		return nil, err
	}
	cal := dateSet{months: 1 << ph.date.m, dom: 1 << ph.date.d, dow: timewords.AllDays, and: true, clamp: true}
	return &wallRule{loc: ps.loc, kind: kindYearly, cal: cal, clk: timesOfDay{list: int32s(times)}, note: note}, nil
}

// perMonthDays are the days of the month "twice a month" and "three times
// a month" pick: spread over the month, on days every month has.
var perMonthDays = []uint32{1: 1 << 1, 2: 1<<1 | 1<<15, 3: 1<<1 | 1<<10 | 1<<20, 4: 1<<1 | 1<<8 | 1<<15 | 1<<22}
