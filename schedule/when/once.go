package when

import (
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// buildOnce makes a one-off: "in 20 minutes", "at 15:30", "tomorrow",
// "at 10am on friday", "on december 15", "tonight", "next monday",
// "on the 15th", "in 3 days at 9". A day without a time gets the default
// time; a time without a day is its next occurrence.
func (ps *whenParser) buildOnce(ph *phrase) (bot.Rule, error) {
	ps.ex = exampleAt
	if b := ph.bound; b.kind != boundNone {
		return nil, ps.failWith([]string{ps.withTokens(0, 0, "every day"), ps.withTokens(b.from, b.to)},
			"%s needs a repeating reminder, and this one happens once", quoteText(strings.Join(ps.toks[b.from:b.to], " ")))
	}
	if len(ph.times) > 1 {
		// "tomorrow at 9 and 3": one reminder for each time, each read as
		// the list reads it (3 is 15:00 after 9), the first that is still
		// to come offered; or the times every day.
		var cands, said []string
		for _, t := range ph.times {
			cands = append(cands, ps.withTokens(ph.timesFrom, ph.timesTo, hhmm(t.sec)))
			said = append(said, hhmm(t.sec))
		}
		cands = append(cands, ps.withTokens(0, 0, "every day"))
		err := ps.failWith(cands, "A one-off comes once: set one for each time (%s), or say every day to repeat them",
			strings.Join(said, ", then "))
		if e, ok := err.(*bot.Error); ok {
			e.Err = bot.ErrOneOffSeveral
		}
		return nil, err
	}
	today, _ := localClock(ps.now, ps.loc)
	if ph.hasRel {
		at := ps.later(ps.now, ph.rel)
		if ph.times == nil && ph.part == nil && ph.days == 0 {
			return &onceRule{at: at.Truncate(time.Second), loc: ps.loc}, nil
		}
		if ph.rel.Clock != 0 || ph.days > 0 {
			return nil, ps.failWith([]string{ps.withTokens(ph.relFrom, ph.relTo)}, "Say either in … or a day and time, not both")
		}
		// "in 3 days at 9"
		today, _ = localClock(at, ps.loc)
		ph.dayKind = dayToday
	}
	times, note := ps.timesFor(ph)
	late := afternoonNote(ph)
	if late != "" {
		// Said below: on a day it names, a bare early hour is read after
		// noon; when it picks the day itself, as the next time the clock
		// shows it.
		note = ""
	}
	named := true // the words name the day
	sec := times[0]
	passed := func(d civilDay) bool { return !wallInstant(ps.loc, d, sec).After(ps.now) }
	tomorrowEx := "at " + hhmm(sec) + " tomorrow"
	if ph.part != nil && ph.times == nil {
		tomorrowEx = "tomorrow " + ph.part.word // "this morning" has passed
	}
	var day civilDay
	switch {
	case ph.dayKind == dayToday:
		day = today
		if _, now := localClock(ps.now, ps.loc); ph.part != nil && ph.part.word == "night" && sec < ph.part.to && now >= ph.part.to {
			// "tonight at 1" said in the day: the night ahead reaches
			// past midnight. Said in the small hours, it is this one.
			day = today + 1
		}
		if passed(day) {
			return nil, bot.Invalid(tomorrowEx, "%s today has already passed.", hhmm(sec))
		}
	case ph.dayKind == dayTomorrow:
		day = today + 1
	case ph.dayKind == dayAfter:
		day = today + 2
	case ph.dayKind == dayNextWeek:
		// The week after this one, weeks starting on Monday.
		monday := today - civilDay((int(today.weekday())+6)%7) + 7
		day = monday + civilDay((int(ph.week.First())+6)%7)
	case ph.dayKind == dayNext:
		day = today + civilDay((int(ph.week.First())-int(today.weekday())+6)%7) + 1
		if day == today+1 {
			// "next friday" said on a Thursday: tomorrow would be called
			// tomorrow, so it is the one a week later; said so, with how
			// to mean tomorrow.
			day += 7
			y, m, d := (today + 1).date()
			note = joinNotes("a week from tomorrow; say tomorrow for "+time.Date(int(y), time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("Mon 2 Jan"), note)
		}
	case ph.week != 0:
		// "friday night at 1" is on Saturday, and said in that night's
		// small hours it is the night under way, not a week later.
		shift := civilDay(0)
		if ph.part != nil && ph.part.word == "night" && sec < ph.part.to {
			shift = 1
		}
		base := today - shift
		day = base + civilDay((int(ph.week.First())-int(base.weekday())+7)%7)
		if passed(day + shift) {
			day += 7
		}
	case ph.hasDate:
		date := ph.date.day()
		if last, _ := localClock(ps.limit(), ps.loc); date > last {
			return nil, ps.tooFar(quoteText(ph.date.text), ps.withTokens(ph.date.from, ph.date.to, isoDate(last)))
		}
		if day = date; passed(day) {
			if date < today {
				return nil, bot.Invalid(tomorrowEx, "%s is in the past.", ph.date.text)
			}
			return nil, bot.Invalid(tomorrowEx, "%s on %s is in the past.", hhmm(sec), ph.date.text)
		}
	case ph.mdays != 0 || ph.lastDay || ph.nth != 0:
		if ph.mdays&(ph.mdays-1) != 0 {
			err := ps.failWith([]string{ps.withTokens(ph.mdTo, ph.mdTo, "of", "every", "month")}, "A one-off reminder has one day; say of every month to repeat it")
			if e, ok := err.(*bot.Error); ok {
				e.Err = bot.ErrOneOffSeveral
			}
			return nil, err
		}
		day = nextMonthDay(ph, today, passed)
	default:
		named = false
		if late != "" {
			sec = ph.times[0].sec // "at 5": see below
		}
		if day = today; passed(day) {
			day = today + 1
			if c := ph.times; len(c) == 1 && c[0].form == clockBare && ph.part == nil && sec >= 3600 && sec+12*3600 < 21*3600 &&
				wallInstant(ps.loc, today, sec+12*3600).After(ps.now) {
				// "at 5" said at 13:00 means 17:00 today rather than
				// 05:00 tomorrow: the next time the clock shows five,
				// while that is before nine in the evening.
				day, sec = today, sec+12*3600
			} else if ph.dayKind == dayNone {
				note = earlyNote(ph)
			}
		}
	}
	if named && ph.dayKind != dayToday && ph.part != nil && ph.part.word == "night" && sec < ph.part.to {
		// "tomorrow night at 12", "friday night at 1": past midnight,
		// so on the day after the one named.
		day++
	}
	if named && late != "" {
		// "tomorrow at 5", "friday at 5": 17:00, as a repeating "every
		// day at 5" is, and said so.
		note = joinNotes(note, late)
	}
	at := wallInstant(ps.loc, day, sec)
	r := &onceRule{at: at, loc: ps.loc, note: note}
	if d, s := localClock(at, ps.loc); d != day || s != sec {
		// The wall time fell in a spring-forward gap: say so in Describe,
		// which is then all the words say of the hour.
		r.gap = hhmm(sec)
		for _, n := range []string{late, earlyNote(ph)} {
			if n != "" && strings.HasSuffix(r.note, n) {
				r.note = strings.TrimSuffix(strings.TrimSuffix(r.note, n), "; ")
			}
		}
	}
	return r, nil
}

// nextMonthDay returns the next day, from today, that is the day of the
// month the phrase names ("the 15th", "the last day", "the last friday")
// and whose time has not passed. A one-off skips months without that day:
// "on the 31st" in November is 31 December.
func nextMonthDay(ph *phrase, today civilDay, passed func(civilDay) bool) civilDay {
	cal := dateSet{months: 0x1ffe, dom: ph.mdays, dow: timewords.AllDays, and: true, clamp: ph.lastDay}
	if ph.lastDay {
		cal.dom = 1 << 31
	}
	if ph.nth != 0 {
		cal.dow, cal.nth = timewords.Days(ph.nthDay), int8(ph.nth)
	}
	for d := today; d < today+800; d++ {
		y, m, dd := d.date()
		if cal.match(y, m, dd, d, d.weekday()) && !passed(d) {
			return d
		}
	}
	return today
}

// tooFar refuses a time beyond the furthest allowed.
func (ps *whenParser) tooFar(what string, cands ...string) error {
	return ps.failWith(cands, "%s is too far ahead; the furthest allowed is %s from now", what, ps.aheadWords())
}

// aheadWords says how far ahead a first run may be.
func (ps *whenParser) aheadWords() string {
	if ps.MaxAhead > 0 {
		return timewords.FormatDuration(ps.MaxAhead)
	}
	return "5 years"
}

// joinNotes joins what a parse says of its choices, either of which may be
// empty, into one note.
func joinNotes(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}
