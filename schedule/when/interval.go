package when

import (
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// every reads what follows "every": days at times, or an interval.
func (ps *whenParser) every() (bot.Rule, error) {
	if isDayWord(ps.peek()) {
		return ps.daysAtTimes()
	}
	ps.ex = ps.exampleEvery()
	d, n, err := ps.duration(true)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if ps.done() {
			return nil, ps.fail("Say how often")
		}
		if ps.peek() == "at" {
			return nil, ps.failWith([]string{ps.withTokens(ps.i, ps.i, "day"), ps.withTokens(ps.i, ps.i, "weekday")},
				"Say which days before at, or how often")
		}
		if err := ps.badUnit(); err != nil {
			return nil, err
		}
		return nil, ps.unexpected(ps.withTokens(ps.i, ps.i+1, "weekday"), ps.withTokens(ps.i, ps.i+1, "day"))
	}
	return ps.interval(d)
}

// interval reads the optional window and days after an interval.
func (ps *whenParser) interval(d time.Duration) (bot.Rule, error) {
	ps.ex = ps.exampleEvery()
	if d <= 0 {
		return nil, ps.failWith(ps.mendDuration(), "The interval must be more than zero")
	}
	if d < ps.MinInterval {
		return nil, ps.failWith(ps.mendDuration(), "The shortest repeat allowed is %s", timewords.FormatDuration(ps.MinInterval))
	}
	days := timewords.AllDays
	start, end := -1, -1
	var daysSeen bool
	var startFrom, startTo, endFrom, endTo int
	for !ps.done() {
		switch tok := ps.peek(); {
		case (tok == "between" || tok == "from") && start < 0:
			ps.take()
			ps.ex = ps.exampleWindow()
			var err error
			startFrom = ps.i
			if start, err = ps.clockTime(); err != nil {
				return nil, err
			}
			startTo = ps.i
			if sep := ps.peek(); sep != "and" && sep != "to" && sep != "until" && sep != "-" {
				return nil, ps.unexpected(ps.withTokens(ps.i, ps.i, "and", "17:00"))
			}
			ps.take()
			endFrom = ps.i
			if end, err = ps.clockTime(); err != nil {
				return nil, err
			}
			endTo = ps.i
		case tok == "on" && !daysSeen:
			ps.take()
			fallthrough
		case isDayWord(tok) && !daysSeen:
			set, err := ps.dayList()
			if err != nil {
				return nil, err
			}
			days, daysSeen = set, true
		default:
			if err := ps.badUnit(); err != nil {
				return nil, err
			}
			return nil, ps.unexpected()
		}
	}
	if start < 0 {
		return &intervalRule{anchor: ps.now.Truncate(time.Second), every: d, days: days, loc: ps.loc}, nil
	}
	ps.ex = ps.exampleWindow()
	if end <= start {
		swapped := slices.Concat(ps.toks[:startFrom], ps.toks[endFrom:endTo], ps.toks[startTo:endFrom], ps.toks[startFrom:startTo], ps.toks[endTo:])
		return nil, ps.failWith([]string{strings.Join(swapped, " ")}, "The window must end after it starts, and %s is not after %s", hhmm(end), hhmm(start))
	}
	if d >= timewords.Day {
		return nil, ps.fail("A window needs an interval shorter than a day")
	}
	step := int(d / time.Second)
	last := start + (end-start)/step*step
	if days.Consecutive() && ps.MinInterval > 0 {
		if gap := time.Duration(secondsPerDay-last+start) * time.Second; gap < ps.MinInterval {
			return nil, ps.fail("The last run at %s and the next day's first at %s are only %s apart; the shortest repeat allowed is %s",
				hhmm(last), hhmm(start), timewords.FormatDuration(gap), timewords.FormatDuration(ps.MinInterval))
		}
	}
	return &wallRule{
		loc:   ps.loc,
		kind:  kindWindow,
		cal:   everyDay(days),
		clk:   timesOfDay{start: int32(start), step: int32(step), end: int32(end)},
		days:  days,
		every: d,
	}, nil
}
