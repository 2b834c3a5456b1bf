package when

import (
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// onceWord reports whether tok can start a one-off clock expression.
func (ps *whenParser) onceWord(tok string) bool {
	switch tok {
	case "at", "on", "next", "today", "tomorrow", "noon", "midnight":
		return true
	}
	if _, ok := timewords.LookupDay(tok); ok {
		return true
	}
	if _, ok := timewords.Month(tok); ok {
		return true
	}
	return tok != "" && tok[0] >= '0' && tok[0] <= '9'
}

// once reads a clock time with an optional day: "at 15:30", "tomorrow at
// 9", "at 10am on friday", "on 2027-01-04 at 8am", "at 9 on 14 march".
func (ps *whenParser) once() (bot.Rule, error) {
	ps.ex = exampleAt
	const (
		dayNone = iota
		dayToday
		dayTomorrow
		dayWeekday
		dayDate
	)
	sec, kind := -1, dayNone
	var wd time.Weekday
	var date civilDay
	var dateText string
	dateFrom, dateTo := -1, -1
	setDay := func(k, from int) error {
		if kind != dayNone {
			return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say the day only once")
		}
		kind = k
		return nil
	}
	for !ps.done() {
		from := ps.i
		tok := ps.peek()
		switch {
		case tok == "at" && sec < 0:
			ps.take()
			t, err := ps.clockTime()
			if err != nil {
				return nil, err
			}
			sec = t
			continue
		case tok == "today" || tok == "tomorrow":
			ps.take()
			k := dayToday
			if tok == "tomorrow" {
				k = dayTomorrow
			}
			if err := setDay(k, from); err != nil {
				return nil, err
			}
			continue
		case tok == "on" || tok == "next":
			ps.take()
			tok = ps.peek()
			if tok == "" {
				return nil, ps.unexpected()
			}
		}
		if set, ok := timewords.LookupDay(tok); ok && set.Single {
			ps.take()
			if err := setDay(dayWeekday, from); err != nil {
				return nil, err
			}
			wd = set.Days.First()
			continue
		}
		at := ps.i
		if d, ok, err := ps.date(); ok || err != nil {
			if err != nil {
				return nil, err
			}
			if err := setDay(dayDate, from); err != nil {
				return nil, err
			}
			date, dateText, dateFrom, dateTo = d, strings.Join(ps.toks[at:ps.i], " "), at, ps.i
			continue
		}
		if sec < 0 && (tok == "noon" || tok == "midnight" || tok[0] >= '0' && tok[0] <= '9') {
			t, err := ps.clockTime()
			if err != nil {
				return nil, err
			}
			sec = t
			continue
		}
		return nil, ps.unexpected("in " + strings.Join(ps.toks, " "))
	}
	if sec < 0 {
		rest := strings.Join(ps.toks, " ")
		return nil, ps.failWith([]string{"at 09:00 " + rest, "at 15:30 " + rest}, "Say what time")
	}
	today, _ := localClock(ps.now, ps.loc)
	tomorrowEx := "at " + hhmm(sec) + " tomorrow"
	var day civilDay
	switch kind {
	case dayNone:
		day = today
		if !wallInstant(ps.loc, day, sec).After(ps.now) {
			day = today + 1
		}
	case dayToday:
		if day = today; !wallInstant(ps.loc, day, sec).After(ps.now) {
			return nil, bot.Invalid(tomorrowEx, "%s today has already passed.", hhmm(sec))
		}
	case dayTomorrow:
		day = today + 1
	case dayWeekday:
		day = today + civilDay((int(wd)-int(today.weekday())+7)%7)
		if !wallInstant(ps.loc, day, sec).After(ps.now) {
			day += 7
		}
	case dayDate:
		if last := today + civilDay(ps.maxAhead()/timewords.Day); date > last+1 {
			return nil, ps.tooFar(dateText, ps.withTokens(dateFrom, dateTo, isoDate(last)))
		}
		if day = date; !wallInstant(ps.loc, day, sec).After(ps.now) {
			if date < today {
				return nil, bot.Invalid(tomorrowEx, "%s is in the past.", dateText)
			}
			return nil, bot.Invalid(tomorrowEx, "%s on %s is in the past.", hhmm(sec), dateText)
		}
	}
	at := wallInstant(ps.loc, day, sec)
	r := &onceRule{at: at, loc: ps.loc}
	if d, s := localClock(at, ps.loc); d != day || s != sec {
		// The wall time fell in a spring-forward gap: say so in Describe.
		r.gap = hhmm(sec)
	}
	return r, nil
}
