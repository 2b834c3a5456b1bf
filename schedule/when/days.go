package when

import (
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// daysAtTimes reads "<days> at <time> [and <time>…]".
func (ps *whenParser) daysAtTimes() (bot.Rule, error) {
	ps.ex = ps.exampleDays()
	days, err := ps.dayList()
	if err != nil {
		return nil, err
	}
	if ps.peek() != "at" {
		if ps.done() {
			return nil, ps.failWith([]string{ps.withTokens(ps.i, ps.i, "at", "10:30")}, "Say at what time")
		}
		return nil, ps.unexpected(ps.withTokens(ps.i, ps.i, "at"))
	}
	ps.take()
	var times []int
	for {
		t, err := ps.clockTime()
		if err != nil {
			return nil, err
		}
		times = append(times, t)
		if sep := ps.peek(); sep != "," && sep != "and" {
			break
		}
		ps.take()
	}
	if !ps.done() {
		return nil, ps.unexpected()
	}
	slices.Sort(times)
	times = slices.Compact(times)
	if err := ps.checkGaps(times, days.Consecutive()); err != nil {
		return nil, err
	}
	list := make([]int32, len(times))
	for i, t := range times {
		list[i] = int32(t)
	}
	return &wallRule{loc: ps.loc, kind: kindDays, cal: everyDay(days), clk: timesOfDay{list: list}, days: days}, nil
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
