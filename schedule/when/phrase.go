package when

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// phrase is what the clauses of one <when> said. Clauses come in any order
// ("at 3pm every day" is "every day at 3pm"); readPhrase collects them and
// build turns them into one rule, refusing combinations that mean nothing.
type phrase struct {
	rel     timewords.Span // "in 2 hours"
	hasRel  bool
	relFrom int
	relTo   int

	times     []clock // "at 9 and 15:00", "9am"
	timesFrom int     // the tokens of the times, for mending
	timesTo   int
	part      *dayPart // "morning", "tonight"
	partFrom  int      // the tokens of the part's clause ("this morning"),
	partAt    int      // and of its word, for mending
	partTo    int

	// One day for a one-off, or the days of a repeat.
	days     int     // day clauses read, to refuse a second one
	dayKind  dayKind // today, tomorrow, next <weekday>
	week     timewords.DaySet
	weekOnce bool // one day of the week named once ("on friday"): a one-off unless something repeats
	weekFrom int
	date     dateRef // "on december 15", "every year on 1 march"
	hasDate  bool
	mdays    uint32 // days of the month: "the 1st and 15th"; bit 0 unused
	lastDay  bool   // "the last day of the month"
	nth      int    // "the last friday of …": 1–5, or -1 for the last
	nthDay   time.Weekday
	mdTo     int // the end of the days of the month, for mending

	rep   repeat
	win   window
	bound bound

	// perDay and perWeek are "twice a day" and "three times a week":
	// times and days chosen for the user unless said.
	perDay, perWeek, perMonth int
	perFrom, perTo            int

	// except is the days said after except or but, apart from the days
	// ("every day at 9 except friday"), and its tokens for mending.
	except               timewords.DaySet
	exceptFrom, exceptTo int

	onHour   bool // "on the hour": an interval counted from a whole hour
	onHalf   bool // "on the half hour": from half past instead
	onHourAt int
}

// dayKind is a one-off day said relative to today.
type dayKind uint8

const (
	dayNone dayKind = iota
	dayToday
	dayTomorrow
	dayAfter    // the day after tomorrow
	dayNext     // next <weekday>: after today
	dayNextWeek // <weekday> next week: in the week after this one
)

// dayAfterTomorrow is the token words makes of "the day after tomorrow".
const dayAfterTomorrow = "the day after tomorrow"

// readPhrase reads clauses until the input ends.
func (ps *whenParser) readPhrase() (*phrase, error) {
	ph := &ps.ph
	*ph = phrase{timesFrom: -1}
	for !ps.done() {
		if err := ps.clause(ph); err != nil {
			return nil, err
		}
	}
	return ph, nil
}

// clause reads one clause at the cursor into ph.
func (ps *whenParser) clause(ph *phrase) error {
	from := ps.i
	tok := ps.peek()
	switch tok {
	case ",":
		if from > 0 && ps.peekAt(1) != "" && ps.peekAt(1) != "," {
			// "on friday, at 3pm": a comma between two clauses.
			ps.take()
			return nil
		}
	case "in":
		if w := ps.peekAt(2); ps.peekAt(1) == "a" && (w == "bit" || w == "while" || w == "moment") {
			return ps.vague(from, from+3)
		}
		if p, ok := dayParts[ps.peekAt(2)]; ps.peekAt(1) == "the" && ok {
			// "in the morning": the next one
			ps.i += 3
			return ps.setPart(ph, p, from)
		}
		ps.take()
		return ps.relative(ph, from)
	case "at":
		ps.take()
		if err := ps.pastTheHour(ph, from); err != nil {
			return err
		}
		if p, ok := dayParts[ps.peek()]; ok {
			// "at night", "at lunch"
			ps.take()
			return ps.setPart(ph, p, from)
		}
		return ps.times(ph)
	case "every", "each":
		ps.take()
		return ps.every(ph, from)
	case "on":
		ps.take()
		if ps.done() {
			return ps.unexpected()
		}
		if ps.peek() == "the" && ps.peekAt(1) == "hour" {
			// "every hour on the hour": runs at whole hours
			ps.i += 2
			ph.onHour, ph.onHourAt = true, from
			return nil
		}
		if ps.peek() == "the" && ps.peekAt(1) == "half" && ps.peekAt(2) == "hour" {
			// "every hour on the half hour": runs at half past
			ps.i += 3
			ph.onHour, ph.onHalf, ph.onHourAt = true, true, from
			return nil
		}
		return ps.onClause(ph, from)
	case "the", "last":
		return ps.onClause(ph, from)
	case "today", "tomorrow", "tonight", dayAfterTomorrow:
		ps.take()
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.dayKind = dayToday
		switch tok {
		case "tomorrow":
			ph.dayKind = dayTomorrow
		case dayAfterTomorrow:
			ph.dayKind = dayAfter
		case "tonight":
			return ps.setPart(ph, dayParts["night"], from)
		}
		return ps.optionalPart(ph)
	case "this":
		ps.take()
		if p, ok := dayParts[ps.peek()]; ok {
			ps.take()
			if err := ps.setDay(ph, from); err != nil {
				return err
			}
			ph.dayKind = dayToday
			return ps.setPart(ph, p, from)
		}
		if w, ok := timewords.LookupDay(ps.peek()); ok && w.Single {
			return ps.weekdays(ph, from)
		}
		if ps.peek() == "week" {
			// "every day at 9 this week": until its Sunday; "this week"
			// once: one of its days.
			until := ps.withTokens(from, ps.i+1, "until", "sunday")
			if _, err := ps.Parser.parse(until, ps.loc, ps.now, true); err == nil {
				return ps.failWith([]string{until}, "Say until when, like until sunday")
			}
			return ps.failWith([]string{ps.withTokens(from, ps.i+1, "on", "friday")}, "Say which day of this week, like on friday")
		}
		if w := ps.peek(); w == "month" || w == "year" {
			// "every weekday at 9 this month": to its last day.
			until := ps.withTokens(from, ps.i+1, "until", "the", "end", "of", "the", w)
			if _, err := ps.Parser.parse(until, ps.loc, ps.now, true); err == nil {
				return ps.failWith([]string{until}, "Say until when, like until the end of the %s", w)
			}
			return ps.failWith([]string{ps.withTokens(from, ps.i+1, "on", "the", "15th")}, "Say which day of this %s, like on the 15th", w)
		}
		return ps.unexpected(ps.withTokens(from, from+1))
	case "next":
		ps.take()
		w, ok := timewords.LookupDay(ps.peek())
		if ps.peek() == "week" && ph.dayKind == dayNone && (ph.weekOnce || isSingleDay(ps.peekAt(1)) || ps.peekAt(1) == "on" && isSingleDay(ps.peekAt(2))) {
			// "friday next week", "next week on friday"
			ps.take()
			ph.dayKind = dayNextWeek
			return nil
		}
		if !ok || !w.Single {
			if ps.peek() == "week" || ps.peek() == "month" || ps.peek() == "year" {
				return ps.failWith([]string{ps.withTokens(from, ps.i+1, "next monday"), ps.withTokens(from, ps.i+1, "on the 1st")},
					"Say which day of next %s", ps.peek())
			}
			return ps.unexpected(ps.withTokens(from, from+1))
		}
		ps.take()
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.dayKind, ph.week = dayNext, w.Days
		return ps.optionalPart(ph)
	case "starting", "beginning", "commencing":
		return ps.startLater(from)
	case "from", "between":
		if w := ps.peekAt(1); tok == "from" && (w == "today" || w == "tomorrow" || w == "next" || w == dayAfterTomorrow) {
			return ps.startLater(from)
		}
		if isSingleDay(ps.peekAt(1)) && tok == "from" && !slices.Contains([]string{"to", "-", "through", "thru", "till", "until"}, ps.peekAt(2)) {
			// "every day at 9 from monday": a start, not a range of days
			return ps.startLater(from)
		}
		if isSingleDay(ps.peekAt(1)) {
			// "from monday to friday"
			ps.take()
			return ps.weekdays(ph, from)
		}
		return ps.window(ph)
	case "soon", "later", "sometime", "eventually", "whenever":
		return ps.vague(from, from+1)
	case "now", "immediately", "right":
		// "remind me now": this moment has come by the time it is set.
		to := from + 1
		if tok == "right" {
			if ps.peekAt(1) != "now" {
				break
			}
			to++
		}
		return ps.failWith([]string{ps.withTokens(from, to, "in", "1", "minute"), "in 1 minute"},
			"%s has passed by the time it is set; say how long from now, like in 1 minute", quoteText(strings.Join(ps.toks[from:to], " ")))
	case "yesterday", "earlier", "ago":
		return ps.failWith([]string{ps.withTokens(from, from+1, "tomorrow"), ps.withTokens(from, from+1)},
			"%s is in the past; say a time still to come", quoteText(tok))
	case "during":
		// "during work hours", "during the day": a window in other words.
		end := ps.i + 1
		for end < len(ps.toks) && end <= ps.i+3 && !slices.Contains([]string{"hours", "day", "workday", "daytime"}, ps.toks[end-1]) {
			end++
		}
		return ps.failWith([]string{ps.withTokens(from, end, "between", "9", "and", "17")},
			"Say the hours, like between 9 and 17; `hours 9-17` sets working hours for all your reminders")
	case "quiet":
		// "every hour 9-17 quiet lunch": a quiet period is set on its own,
		// for all of the caller's reminders.
		ps.take()
		if isTimeOfDayWord(ps.peek()) {
			return ps.failWith(ps.exceptTimeCands(from),
				"A quiet period is set on its own and keeps all your reminders quiet: `quiet lunch` or `quiet 12-13`")
		}
		ps.i = from
		return ps.unexpected()
	case "except", "but":
		// "every day at 9 except friday": days left out, said apart from
		// the days they are taken from.
		ps.take()
		for _, w := range []string{"not", "on", "the"} {
			if ps.peek() == w {
				ps.take() // "but not on sundays", "except the weekend"
			}
		}
		if ph.except == 0 && isTimeOfDayWord(ps.peek()) {
			// "every hour between 9 and 5 except lunch": a time of day
			// left out is a quiet period, not part of the rule.
			return ps.failWith(ps.exceptTimeCands(from),
				"Except leaves out days, not times of day; to keep lunch or another time free of your reminders, set a quiet period: `quiet lunch` or `quiet 12-13`")
		}
		if ph.except != 0 || !isDayWord(ps.peek()) {
			return ps.unexpected(ps.withTokens(from, ps.i))
		}
		out, err := ps.dayList()
		if err != nil {
			return err
		}
		ph.except, ph.exceptFrom, ph.exceptTo = out, from, ps.i
		return nil
	case "once", "twice", "thrice":
		if n, ok := ps.perPeriod(); ok {
			return ps.timesPer(ph, from, n)
		}
	case "until", "till", "til", "through":
		ps.take()
		return ps.until(ph, from)
	case "for":
		ps.take()
		return ps.forBound(ph, from)
	case "daily", "weekly", "monthly", "yearly", "annually", "hourly", "fortnightly", "biweekly":
		ps.take()
		return ps.everyWord(ph, tok, from)
	}
	if p, ok := dayParts[tok]; ok {
		ps.take()
		return ps.setPart(ph, p, from)
	}
	if isDayWord(tok) {
		return ps.weekdays(ph, from)
	}
	if _, used, ok := timewords.Number(ps.toks, ps.i); ok && ps.peekAt(used) == "times" {
		if n, ok := ps.perPeriod(); ok {
			return ps.timesPer(ph, from, n)
		}
		return ps.count(ph, from)
	}
	if _, _, ok := timewords.ReadOrdinal(ps.toks, ps.i); ok {
		// "1st of december", "first monday of the month"
		return ps.onClause(ph, from)
	}
	if _, ok, err := ps.peekDate(); ok || err != nil {
		if err != nil {
			return err
		}
		return ps.onClause(ph, from)
	}
	if isClock(tok) {
		if err := ps.bareDuration(); err != nil {
			return err
		}
		if sep := ps.peekAt(1); sep == "to" || sep == "-" {
			// "9 to 5", and "9-17", split by words
			return ps.window(ph)
		}
		return ps.times(ph)
	}
	return ps.unknown(from)
}

// unknown refuses a word no clause starts with, offering the nearest word
// of the grammar and then the input as a relative, repeating or clock time.
func (ps *whenParser) unknown(at int) error {
	if at > 0 {
		return ps.unexpected()
	}
	first := ps.peek()
	var cands []string
	if near, ok := nearestWord(first, vocabulary); ok {
		cands = append(cands, ps.withTokens(0, 1, near))
	}
	lower := strings.Join(ps.toks, " ")
	cands = append(cands, "in "+lower, "every "+lower, "at "+lower)
	ex, mended := ps.suggestMended(cands...)
	err := bot.Invalid(ex, "%s", sentence(fmt.Sprintf("I don't understand %s as a time; start with in, at, on, every or cron", quoteText(first))))
	if !mended {
		// Nothing of it read, and no respelling reads: the parser's
		// catch-all answer, which callers tell by its code.
		err.Code = bot.EUNREAD
	}
	return err
}

// vague refuses toks[from:to], a time without a length or a clock
// ("later", "in a bit"), offering a length in its place.
func (ps *whenParser) vague(from, to int) error {
	return ps.failWith([]string{ps.withTokens(from, to, "in", "20", "minutes"), "in 20 minutes"},
		"%s is not a time I can set; say how long from now, or when", quoteText(strings.Join(ps.toks[from:to], " ")))
}

// startLater refuses a start put off to later ("starting tomorrow"),
// which a rule cannot hold, offering the input without it; pausing the
// reminder until then does the same.
func (ps *whenParser) startLater(from int) error {
	// The start's day is a word or two: "monday", "next monday", "the
	// 15th", "december 15"; without it the rest may still say when.
	n := 2
	if w := ps.peekAt(1); w == "next" || w == "this" || w == "the" || w == "on" || isMonth(w) || isMonth(ps.peekAt(2)) {
		n = 3
	}
	return ps.failWith([]string{ps.withTokens(from, min(from+n, len(ps.toks))), ps.withTokens(from, len(ps.toks))},
		"A reminder starts when it is set; to start later, set it and then pause it until that day")
}

// setDay counts a day clause, refusing a second one with the input
// without it as the example.
func (ps *whenParser) setDay(ph *phrase, from int) error {
	ph.days++
	if ph.days > 1 {
		cands := []string{ps.withTokens(from, ps.i)}
		for k := 1; k <= 3 && ps.i+k <= len(ps.toks); k++ {
			// The second day may be still to be read ("friday the 4th"):
			// the example leaves out its first words.
			cands = append(cands, ps.withTokens(from, ps.i+k))
		}
		return ps.failWith(cands, "Say the day only once")
	}
	return nil
}

// setPart records a part of the day ("morning"); it is the time unless a
// time is also said.
func (ps *whenParser) setPart(ph *phrase, p *dayPart, from int) error {
	if ph.part != nil {
		return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say the part of the day only once")
	}
	ph.part = p
	ph.partFrom, ph.partAt, ph.partTo = from, ps.i-1, ps.i
	return nil
}

// partClash refuses a time said with a part of the day it is not in
// ("this morning at 4pm"), offering the time alone.
func (ps *whenParser) partClash(ph *phrase) error {
	if ph.part == nil || ph.times == nil {
		return nil
	}
	for _, c := range ph.times {
		if ph.part.holds(ph.part.partTime(c)) {
			continue
		}
		var cands []string
		switch word := ps.toks[ph.partAt]; {
		case ph.partAt > 0 && (ps.toks[ph.partAt-1] == "every" || ps.toks[ph.partAt-1] == "each"):
			cands = append(cands, ps.withTokens(ph.partAt, ph.partAt+1, "day")) // "every morning at 4pm"
		case ps.toks[ph.partFrom] == "at" && ph.partTo == ph.timesFrom:
			cands = append(cands, ps.withTokens(ph.partAt, ph.partAt+1)) // "at lunch 4pm"
		case word == "tonight":
			cands = append(cands, ps.withTokens(ph.partAt, ph.partAt+1, "today"))
		}
		cands = append(cands, ps.withTokens(ph.partFrom, ph.partTo))
		return ps.failWith(cands, "“%s” and “%s” name different times: say one",
			ps.toks[ph.partAt], strings.Join(ps.toks[ph.timesFrom:ph.timesTo], " "))
	}
	if ph.part.word == "night" && len(ph.times) > 1 && ph.week != 0 && ph.week != timewords.AllDays {
		// "every friday night at 11 and 1": 23:00 that day and 01:00 the
		// next, which one rule's days cannot both hold ("every night at
		// 11 and 1" can: every day at 01:00 and 23:00).
		before, after := -1, -1
		for k, c := range ph.times {
			if ph.part.partTime(c) < ph.part.to {
				after = k
			} else {
				before = k
			}
		}
		if before >= 0 && after >= 0 {
			first := hhmm(ph.part.partTime(ph.times[before]))
			second := hhmm(ph.part.partTime(ph.times[after]))
			err := ps.failWith([]string{ps.withTokens(ph.timesFrom, ph.timesTo, first)},
				"%s and %s fall on either side of midnight, on two days: set one for %s, then one for %s", first, second, first, second)
			if e, ok := err.(*bot.Error); ok {
				// Its own words say what to set; the times are not two
				// rules to split at "and".
				e.Err = bot.ErrOneOffSeveral
			}
			return err
		}
	}
	return nil
}

// optionalPart reads a part of the day right after a day: "tomorrow
// morning", "friday evening".
func (ps *whenParser) optionalPart(ph *phrase) error {
	from := ps.i
	if p, ok := dayParts[ps.peek()]; ok {
		ps.take()
		return ps.setPart(ph, p, from)
	}
	return nil
}

// times reads "<time> [and <time>…]" after "at" or at a bare time.
func (ps *whenParser) times(ph *phrase) error {
	if ph.times != nil {
		// "every morning and afternoon at 10": the second list joined to
		// the first, or left out.
		k := ps.i
		for k < len(ps.toks) && (isClock(ps.toks[k]) || ampm(ps.toks[k]) != "" || k > ps.i && (ps.toks[k] == "and" || ps.toks[k] == ",")) {
			k++
		}
		var cands []string
		if at := ps.i - 1; k > ps.i && ph.timesTo >= 0 && ph.timesTo <= at {
			toks := slices.Concat(ps.toks[:ph.timesTo], []string{"and"}, ps.toks[ps.i:k], ps.toks[ph.timesTo:at], ps.toks[k:])
			cands = append(cands, strings.NewReplacer(" , ", ", ", " - ", "-").Replace(strings.Join(toks, " ")))
		}
		cands = append(cands, ps.withTokens(ps.i-1, k), ps.withTokens(ps.i-1, ps.i))
		return ps.failWith(cands, "Say all the times together, joined with and")
	}
	ph.timesFrom = ps.i
	for {
		c, err := ps.clockTime()
		if err != nil {
			return err
		}
		if n := len(ph.times); n > 0 && c.form == clockBare && c.sec < 12*3600 && !(ph.part != nil && ph.part.word == "night" && c.sec < ph.part.to) {
			// "at 9 and 3": a bare hour earlier than the time before it
			// is after noon when that keeps the times in order, as the
			// end of a window is ("from 9 to 5").
			if prev := ph.times[n-1].sec; c.sec < prev && c.sec+12*3600 > prev {
				c = clock{c.sec + 12*3600, clock12}
			}
		}
		ph.times = append(ph.times, c)
		if sep := ps.peek(); (sep == "," || sep == "and") && isClock(ps.peekAt(1)) && !ps.startsOther(ps.i+1) {
			ps.take()
			continue
		}
		if ps.peek() == "," && ps.peekAt(1) == "and" && isClock(ps.peekAt(2)) && !ps.startsOther(ps.i+2) {
			// "at 9, 12, and 3": a comma before the last "and".
			ps.i += 2
			continue
		}
		// "at 10:30 and at 15:00", "at 9, at 12": the "at" said again.
		if sep := ps.peek(); (sep == "," || sep == "and") && ps.peekAt(1) == "at" && isClock(ps.peekAt(2)) && !ps.startsOther(ps.i+2) {
			ps.take()
			ps.take()
			continue
		}
		ph.timesTo = ps.i
		if sep := ps.peek(); len(ph.times) == 1 && ph.timesFrom > 0 && ps.toks[ph.timesFrom-1] == "at" &&
			(sep == "-" || sep == "to" || sep == "till") && isClock(ps.peekAt(1)) {
			return ps.rangeAfterAt(ph)
		}
		return nil
	}
}

// pastTheHour refuses minutes past every hour said with no hour ("every
// hour at :30", "at 15 past", "at half past", "at the top of the hour"),
// which the grammar reads only as cron, or as runs on the hour; nil when
// the words at the cursor are not such.
func (ps *whenParser) pastTheHour(ph *phrase, from int) error {
	if !slices.Contains(ps.toks, "every") && !slices.Contains(ps.toks, "each") && !slices.Contains(ps.toks, "hourly") {
		return nil // once: the grammar's own refusal says what to say
	}
	tok, m := ps.peek(), -1
	end := ps.i + 1
	switch {
	case ps.peek() == "the" && ps.peekAt(1) == "top" && ps.peekAt(2) == "of":
		end = ps.i + 4
		if ps.peekAt(3) == "the" || ps.peekAt(3) == "every" {
			end++
		}
		every := ps.withTokens(from, end, "on", "the", "hour")
		if ph.rep.kind != repInterval {
			every = ps.withTokens(from, end, "every", "hour", "on", "the", "hour")
		}
		return ps.failWith([]string{every, "every hour on the hour"}, "The top of the hour is said as on the hour")
	case strings.HasPrefix(tok, ":") || strings.HasPrefix(tok, "xx:"):
		n, err := strconv.Atoi(tok[strings.Index(tok, ":")+1:])
		if err == nil && len(tok) >= 3 && n >= 0 && n < 60 {
			m = n
		}
	case ps.peekAt(1) == "past" && !isClock(ps.peekAt(2)) && !isHourWord(ps.peekAt(2)):
		end = ps.i + 2
		switch n, err := strconv.Atoi(tok); {
		case tok == "half":
			m = 30
		case tok == "quarter":
			m = 15
		case err == nil && n > 0 && n < 60:
			m = n
		}
	}
	if m < 0 {
		return nil
	}
	hours := "*"
	if ph.rep.kind == repInterval && ph.rep.every > time.Hour && ph.rep.every%time.Hour == 0 && ph.rep.every < 24*time.Hour {
		hours = fmt.Sprintf("*/%d", ph.rep.every/time.Hour)
	}
	cron := fmt.Sprintf("cron \"%d %s * * *\"", m, hours)
	return ps.failWith([]string{cron}, "Minutes past every hour are said as cron, the minute first and then the hours")
}

// minutesTo reads "10 to 3" as minutes before an hour on a 12-hour clock:
// m is 5, 10, 20 or 25 and h a bare hour 1–12.
func minutesTo(start, sep, end string) (m, h int, ok bool) {
	if sep != "to" {
		return 0, 0, false
	}
	m, err := strconv.Atoi(start)
	if err != nil || m != 5 && m != 10 && m != 20 && m != 25 {
		return 0, 0, false
	}
	h, err = strconv.Atoi(end)
	if err != nil || h < 1 || h > 12 {
		return 0, 0, false
	}
	return m, h, true
}

// rangeAfterAt refuses a range said after "at" ("at 10:30-15:00", "at 9
// to 17"): a window is said from one time to the other, and two times
// with and. The range's end is one token, or one and its am or pm.
func (ps *whenParser) rangeAfterAt(ph *phrase) error {
	start := strings.Join(ps.toks[ph.timesFrom:ph.timesTo], " ")
	endTo := ps.i + 2
	if ampm(ps.peekAt(2)) != "" {
		endTo++
	}
	end := strings.Join(ps.toks[ps.i+1:endTo], " ")
	at := ph.timesFrom - 1
	said := start + " " + ps.peek() + " " + end
	if ps.peek() == "-" {
		said = start + "-" + end
	}
	alone := ps.withTokens(at, endTo, "at", start)
	if r, err := ps.Parser.parse(alone, ps.loc, ps.now, true); err == nil && !r.Repeats() {
		// "at 10-11" once: a window repeats, and a one-off has one time.
		if m, h, ok := minutesTo(start, ps.peek(), end); ok {
			// "at 10 to 3": ten minutes to three, which once is most
			// likely meant.
			clock := fmt.Sprintf("%d:%02d", (h+10)%12+1, 60-m)
			return ps.failWith([]string{ps.withTokens(at, endTo, "at", clock)},
				"“at %s” reads as a range, and a one-off comes at one time; for %d minutes to %d, say at %s", said, m, h, clock)
		}
		return ps.failWith([]string{alone}, "“at %s” is a range, and a one-off comes at one time: say at %s", said, start)
	}
	if f := strings.Fields(start); len(f) > 1 && allDigits(f[len(f)-1]) && len(ph.times) > 0 {
		// "at 10 00 - 11": a window reads its start as one word, so the
		// examples write it as one ("10:00").
		start = hhmm(ph.times[len(ph.times)-1].sec)
	}
	return ps.failWith([]string{
		ps.withTokens(at, endTo, "from", start, "to", end),
		ps.withTokens(at, endTo, "at", start, "and", end),
		alone,
	}, "“at %s” is a range: say from %s to %s for runs between them, or at %s and %s for the two times",
		said, start, end, start, end)
}

// startsOther reports whether the token at k starts a clause that is not
// a time of day: a count ("10 times") or a date ("14 march").
func (ps *whenParser) startsOther(k int) bool {
	tok := func(j int) string {
		if j < len(ps.toks) {
			return ps.toks[j]
		}
		return ""
	}
	if _, used, ok := timewords.Number(ps.toks, k); ok && tok(k+used) == "times" {
		return true
	}
	return tok(k+1) == "of" || isMonth(tok(k+1))
}

// bareDuration refuses a length of time that no "in", "every" or "for"
// introduces ("20 minutes"), offering it with each.
func (ps *whenParser) bareDuration() error {
	sp, err := timewords.Read(ps.toks, ps.i)
	if err != nil || sp.Parts == 0 {
		return nil
	}
	if sp.Parts == 1 && sp.To-sp.From == 1 && allDigits(ps.peek()) {
		return nil // a glued part needs letters; "9" is a time
	}
	text := strings.Join(ps.toks[sp.From:sp.To], " ")
	at := ps.i
	return ps.failWith([]string{ps.withTokens(at, at, "in"), ps.withTokens(at, at, "every"), ps.withTokens(at, at, "for")},
		"%s needs in, every or for before it", quoteText(text))
}

// build turns the phrase into a rule.
func (ps *whenParser) build(ph *phrase) (bot.Rule, error) {
	if err := ps.partClash(ph); err != nil {
		return nil, err
	}
	if ph.rep.kind == repNone && !ph.win.set && (ph.week != 0 && !ph.weekOnce && ph.dayKind == dayNone) {
		// "mondays at 9", "on weekdays": days without every repeat.
		ph.rep.kind = repDays
	}
	if ph.rep.kind == repNone && ph.win.set {
		// "from 9 to 5" alone repeats hourly in the window.
		ph.rep = repeat{kind: repInterval, every: time.Hour, defaulted: true}
	}
	if ph.onHour && ph.rep.kind != repInterval {
		return nil, ps.failWith([]string{ps.withTokens(ph.onHourAt, ph.onHourAt+3)}, "On the hour goes with an interval, like every hour on the hour")
	}
	if ph.except != 0 {
		switch k := ph.rep.kind; {
		case k == repDays || k == repInterval || k == repEveryDays && ph.rep.n == 1:
			base := ph.week
			if base == 0 {
				base = timewords.AllDays
			}
			if ph.week = base &^ ph.except; ph.week == 0 {
				return nil, ps.failWith([]string{ps.withTokens(ph.exceptFrom, ph.exceptTo)}, "That leaves no day")
			}
			if k == repEveryDays {
				ph.rep.kind = repDays
			}
		default:
			return nil, ps.failWith([]string{ps.withTokens(ph.exceptFrom, ph.exceptTo)}, "Except goes with days of the week, like every day except friday")
		}
	}
	if ph.rep.kind == repNone {
		return ps.buildOnce(ph)
	}
	r, err := ps.buildRepeat(ph)
	if err != nil {
		return nil, err
	}
	return ps.applyBound(ph, r)
}

// partWindows are the hours an interval said with a part of the day
// repeats in: the working part of it ("every hour this afternoon" is
// 13:00–17:00, not from noon to six).
var partWindows = map[string][2]int{
	"morning":   {9 * 3600, 12 * 3600},
	"afternoon": {13 * 3600, 17 * 3600},
	"evening":   {18 * 3600, 21 * 3600},
}

// partWindow turns an interval said with a part of the day and no time
// into a window: "every hour in the afternoon" every day, "every hour this
// afternoon" today only. A part that has passed today is refused with one
// still to come, or the daily form. Anything else is left as it was.
func (ps *whenParser) partWindow(ph *phrase) error {
	p := ph.part
	if ph.rep.kind != repInterval || p == nil || ph.times != nil || ph.win.set {
		return nil
	}
	w, ok := partWindows[p.word]
	if !ok || ph.dayKind != dayNone && ph.dayKind != dayToday {
		return nil
	}
	if ph.dayKind == dayToday {
		today, now := localClock(ps.now, ps.loc)
		if ph.bound.kind != boundNone {
			return ps.failWith([]string{ps.withTokens(ph.bound.from, ph.bound.to)}, "This %s ends the reminder by itself; leave out the end", p.word)
		}
		if now >= w[1] {
			var cands []string
			for _, later := range []string{"afternoon", "evening"} {
				if lw := partWindows[later]; now < lw[1] {
					cands = append(cands, ps.withTokens(ph.partFrom, ph.partTo, "this", later))
				}
			}
			cands = append(cands, ps.withTokens(ph.partFrom, ph.partTo, "in", "the", p.word))
			return ps.failWith(cands, "This %s (%s–%s) has passed", p.word, hhmm(w[0]), hhmm(w[1]))
		}
		ph.dayKind = dayNone
		ph.bound = bound{kind: boundUntil, until: wallInstant(ps.loc, today+1, 0).Add(-time.Second), from: ph.partFrom, to: ph.partTo}
	}
	ph.win = window{set: true, start: clock{w[0], clock24}, end: clock{w[1], clock24}, from: ph.partFrom, to: ph.partTo}
	ph.part = nil
	return nil
}

// buildRepeat makes a repeating rule, refusing what does not go with the
// way it repeats: a relative time, a one-off day, a date with a weekly
// rule.
func (ps *whenParser) buildRepeat(ph *phrase) (bot.Rule, error) {
	if ph.hasRel {
		return nil, ps.failWith([]string{ps.withTokens(ph.relFrom, ph.relTo)}, "Say in … for a one-off, or every … to repeat, not both")
	}
	if err := ps.partWindow(ph); err != nil {
		return nil, err
	}
	if ph.dayKind != dayNone {
		if k := slices.Index(ps.toks, "today"); k >= 0 && ph.dayKind == dayToday && ph.bound.kind == boundNone {
			// "every hour today": until today ends.
			return nil, ps.failWith([]string{ps.withTokens(k, k+1, "until", "midnight"), ps.dropDay(ph)},
				"A repeating reminder starts right away; to end it when today ends, say until midnight")
		}
		return nil, ps.failWith([]string{ps.dropDay(ph)}, "A repeating reminder starts right away; leave out the day")
	}
	if ph.win.set && ph.rep.kind == repDays {
		// "every weekday from 9 to 5" repeats hourly in the window.
		ph.rep = repeat{kind: repInterval, every: time.Hour, defaulted: true, from: ph.rep.from, to: ph.rep.to}
	}
	if ph.win.set && ph.rep.kind != repInterval {
		return nil, ps.failWith([]string{ps.withTokens(ph.win.from, ph.win.to)}, "A window goes with an interval, like every 30 minutes from 9 to 17")
	}
	monthDays := ph.mdays != 0 || ph.lastDay || ph.nth != 0
	switch k := ph.rep.kind; {
	case monthDays && k != repMonthly:
		return nil, ps.failWith([]string{ps.withTokens(ph.mdTo, ph.mdTo, "of", "every", "month")}, "Days of the month repeat monthly; say of every month")
	case ph.hasDate && k != repYearly:
		at := ph.date.from
		if at > 0 && ps.toks[at-1] == "on" {
			at-- // the example leaves out "on" with the date
		}
		return nil, ps.failWith([]string{ps.withTokens(at, ph.date.to)}, "A date goes with a one-off or a yearly reminder")
	}
	switch ph.rep.kind {
	case repInterval:
		return ps.buildInterval(ph)
	case repEveryDays:
		return ps.buildEveryDays(ph)
	case repWeeks:
		return ps.buildWeeks(ph)
	case repMonthly:
		return ps.buildMonthly(ph)
	case repYearly:
		return ps.buildYearly(ph)
	}
	return ps.buildDays(ph, ph.week)
}

// dropDay is the input without its one-off day word ("tomorrow").
func (ps *whenParser) dropDay(ph *phrase) string {
	for i, t := range ps.toks {
		if t == "today" || t == "tomorrow" || t == "tonight" || t == dayAfterTomorrow || t == "next" || t == "this" {
			end := i + 1
			if t == "next" || t == "this" {
				end++
			}
			return ps.withTokens(i, end)
		}
	}
	return ""
}

// isTimeOfDayWord reports whether tok starts a time of day said after
// except: "lunch", "noon", "12", "12:00", "12-13", "at", "during".
func isTimeOfDayWord(tok string) bool {
	switch tok {
	case "lunch", "noon", "midnight", "morning", "afternoon", "evening", "night", "at", "during", "between", "from":
		return true
	}
	return tok != "" && tok[0] >= '0' && tok[0] <= '9'
}

// exceptTimeCands are the input without the time of day said after
// except (from is the except): past the time's first one to four words
// (after an "at" or "during"), the fewest first, then to the end.
func (ps *whenParser) exceptTimeCands(from int) []string {
	start := ps.i
	for start < len(ps.toks) && (ps.toks[start] == "at" || ps.toks[start] == "during") {
		start++
	}
	var cands []string
	for end := start + 1; end <= min(start+4, len(ps.toks)); end++ {
		if inRange(ps.toks, start, end-1) || inRange(ps.toks, start, end) {
			continue // not inside a range: "12-13", "12 to 1", "between 12 and 1"
		}
		cands = append(cands, ps.withTokens(from, end))
	}
	return append(cands, ps.withTokens(from, len(ps.toks)))
}

// inRange reports whether toks[i] joins the two ends of a range that
// starts at toks[start]: "12-13", "12 to 1", "between 12 and 1".
func inRange(toks []string, start, i int) bool {
	if i >= len(toks) {
		return false
	}
	tok := toks[i]
	return tok == "-" || tok == "to" || tok == "and" && toks[start] == "between"
}
