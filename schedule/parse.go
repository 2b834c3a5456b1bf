package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/stretchbot/stretchbot/bot"
)

// defaultMaxAhead is the furthest first run when Parser.MaxAhead is zero.
const defaultMaxAhead = 5 * unitYear

// Parser reads <when> expressions (see the package documentation) into
// rules. The zero value accepts any repeat interval and first runs up to
// five years ahead.
type Parser struct {
	// MinInterval is the shortest allowed gap between consecutive runs of a
	// repeating rule; zero means no minimum.
	MinInterval time.Duration
	// MaxAhead is the furthest ahead a first run may be; zero means 5 years.
	MaxAhead time.Duration
}

var _ bot.RuleParser = Parser{}

func (p Parser) maxAhead() time.Duration {
	if p.MaxAhead > 0 {
		return p.MaxAhead
	}
	return defaultMaxAhead
}

// Examples used in errors. Each must parse under the parser that gives it,
// so the repeating ones adapt to MinInterval.
const (
	exampleIn = "in 20 minutes"
	exampleAt = "at 15:30"
)

func (p Parser) exampleEvery() string {
	if p.MinInterval <= 45*time.Minute {
		return "every 45 minutes"
	}
	return "every " + durationWords(p.MinInterval.Round(time.Second), true)
}

func (p Parser) exampleWindow() string {
	if p.MinInterval <= 2*time.Hour {
		return "every 2 hours between 9:00 and 17:00 on weekdays"
	}
	return p.exampleDays()
}

func (p Parser) exampleDays() string {
	if p.MinInterval <= 4*time.Hour {
		return "every weekday at 10:30 and 15:00"
	}
	return "every weekday at 10:30"
}

func (p Parser) exampleCron() string {
	if p.MinInterval <= 30*time.Minute {
		return `cron "*/30 9-17 * * 1-5"`
	}
	return `cron "0 10 * * 1-5"`
}

// Parse reads a <when> expression typed by a user in zone loc at instant
// now. Errors are *bot.Error with code bot.EINVALID, a one-line reason
// ending in a full stop and an Example that parses: the user's own words
// mended where that is possible.
func (p Parser) Parse(text string, loc *time.Location, now time.Time) (rule bot.Rule, err error) {
	return p.parse(text, loc, now, false)
}

// parse is Parse; nested parses check a suggested example and do not look
// for suggestions of their own.
func (p Parser) parse(text string, loc *time.Location, now time.Time, nested bool) (rule bot.Rule, err error) {
	defer func() {
		// A bug here must cost one reply, not the bot.
		if v := recover(); v != nil {
			rule = nil
			err = &bot.Error{Code: bot.EINVALID, Message: "Sorry, I could not read that time.", Example: exampleIn,
				Err: fmt.Errorf("schedule: parse %q: panic: %v", text, v)}
		}
	}()
	if loc == nil {
		loc = time.UTC
	}
	ps := &whenParser{Parser: p, loc: loc, now: now.Round(0), text: text, ex: exampleIn, nested: nested, durFrom: -1}
	r, err := ps.parse()
	if err != nil {
		return nil, err
	}
	first := r.Next(ps.now)
	if first.IsZero() {
		if w, ok := r.(*wallRule); ok && w.kind == kindCron {
			if why, fix := cronNeverReason(w); why != "" {
				return nil, ps.failWith([]string{cronExample(fix)}, "That cron expression never fires: %s", why)
			}
			return nil, ps.fail("That cron expression never fires")
		}
		return nil, ps.fail("That schedule never fires")
	}
	if first.Sub(ps.now) > p.maxAhead() {
		return nil, ps.tooFar(first.In(loc).Format("2 Jan 2006"))
	}
	return r, nil
}

// whenParser holds the state of one Parse call.
type whenParser struct {
	Parser
	loc  *time.Location
	now  time.Time
	text string
	toks []string
	i    int
	ex   string // the example errors carry, set by the form being read
	// nested is set while checking a suggested example.
	nested bool
	// durFrom and durTo delimit the tokens of the last duration read, and
	// durUnit is the unit of its last part; errors mend them.
	durFrom, durTo int
	durUnit        time.Duration
}

func (ps *whenParser) fail(format string, args ...any) error {
	return bot.Invalid(ps.ex, "%s", sentence(fmt.Sprintf(format, args...)))
}

func (ps *whenParser) tooFar(what string, cands ...string) error {
	return ps.failWith(cands, "%s is too far ahead; the furthest allowed is %s from now", what, durationWords(ps.maxAhead(), false))
}

func (ps *whenParser) peek() string { return ps.peekAt(0) }

func (ps *whenParser) peekAt(k int) string {
	if ps.i+k < len(ps.toks) {
		return ps.toks[ps.i+k]
	}
	return ""
}

func (ps *whenParser) take() string {
	t := ps.peek()
	if ps.i < len(ps.toks) {
		ps.i++
	}
	return t
}

func (ps *whenParser) done() bool { return ps.i >= len(ps.toks) }

// unexpected refuses the token at the cursor. The example is the first of:
// the input with that token spelt as the nearest grammar word, the extra
// candidates, the input without that token.
func (ps *whenParser) unexpected(extra ...string) error {
	if ps.done() {
		last := ""
		if n := len(ps.toks); n > 0 {
			last = ps.toks[n-1]
			extra = append(extra, ps.withTokens(n-1, n))
		}
		return ps.failWith(extra, "Something is missing after %s", quoteText(last))
	}
	tok := ps.peek()
	var cands []string
	near, ok := nearestWord(tok, vocabulary)
	if ok {
		cands = append(cands, ps.withTokens(ps.i, ps.i+1, near))
	}
	cands = append(cands, extra...)
	cands = append(cands, ps.withTokens(ps.i, ps.i+1))
	switch {
	case ampm(tok) != "":
		return ps.failWith(cands, "Say am or pm once, right after the time")
	case ok && isDayWord(near):
		return ps.failWith(cands, "%s is not a day of the week", quoteText(tok))
	case ok && durationUnits[near] != 0:
		return ps.failWith(cands, "%s is not a unit of time", quoteText(tok))
	case ok && monthWords[near] != 0:
		return ps.failWith(cands, "%s is not a month", quoteText(tok))
	}
	return ps.failWith(cands, "I don't understand %s here", quoteText(tok))
}

// tokenize lower-cases text and splits it at spaces and around commas.
func tokenize(text string) []string {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsSpace(r):
			flush()
		case r == ',':
			flush()
			toks = append(toks, ",")
		case r == '&':
			flush()
			toks = append(toks, "and")
		default:
			// Digits of any script read as 0-9.
			r, _ = asciiDigit(r)
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

func (ps *whenParser) parse() (bot.Rule, error) {
	trimmed := strings.TrimSpace(ps.text)
	if trimmed == "" {
		return nil, ps.fail("Say when: after a while, at a time, repeating, or as a cron expression")
	}
	lower := strings.ToLower(trimmed)
	if rest, ok := strings.CutPrefix(lower, "cron"); ok && (rest == "" || unicode.IsSpace(rune(rest[0])) || strings.ContainsRune("\"'`“‘", []rune(rest)[0])) {
		return ps.cron(trimmed[len("cron"):])
	}
	if strings.HasPrefix(lower, "@") {
		return ps.cron(trimmed)
	}
	ps.toks = tokenize(trimmed)
	first := ps.peek()
	if set, ok := dayWords[first]; ok && (set.plural || first == "daily" || ps.peekAt(1) == "," || ps.peekAt(1) == "and") {
		return ps.daysAtTimes()
	}
	switch first {
	case "in":
		ps.take()
		return ps.relative()
	case "every":
		ps.take()
		return ps.every()
	case "hourly":
		ps.take()
		return ps.interval(time.Hour)
	}
	if ps.onceWord(first) {
		return ps.once()
	}
	var cands []string
	if near, ok := nearestWord(first, vocabulary); ok {
		cands = append(cands, ps.withTokens(0, 1, near))
	}
	cands = append(cands, "in "+lower, "every "+lower, "at "+lower)
	return nil, ps.failWith(cands, "I don't understand %s as a time; start with in, at, every or cron", quoteText(first))
}

// relative reads "in <duration>".
func (ps *whenParser) relative() (bot.Rule, error) {
	ps.ex = exampleIn
	d, n, err := ps.duration(false)
	if err != nil {
		return nil, err
	}
	if n == 0 || !ps.done() {
		if err := ps.badUnit(); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		if ps.done() {
			return nil, ps.fail("Say how long from now")
		}
		return nil, ps.unexpected()
	}
	if !ps.done() {
		return nil, ps.unexpected()
	}
	if d <= 0 {
		return nil, ps.failWith(ps.mendDuration(), "The time from now must be more than zero")
	}
	if d > ps.maxAhead() {
		return nil, ps.tooFar(durationWords(d, false), "in "+durationWords(ps.maxAhead(), false))
	}
	return &onceRule{at: ps.now.Add(d).Truncate(time.Second), loc: ps.loc}, nil
}

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

// mendDuration offers the last duration read with a sensible amount of
// its unit instead, then the shortest repeat allowed.
func (ps *whenParser) mendDuration() []string {
	var cands []string
	if ps.durFrom >= 0 && ps.durUnit > 0 {
		n := map[time.Duration]time.Duration{time.Second: 30, time.Minute: 20}[ps.durUnit]
		cands = append(cands, ps.withTokens(ps.durFrom, ps.durTo, durationWords(max(n, 1)*ps.durUnit, false)))
	}
	if ps.MinInterval > 0 && ps.durFrom >= 0 {
		cands = append(cands, ps.withTokens(ps.durFrom, ps.durTo, durationWords(ps.MinInterval.Round(time.Second), false)))
	}
	return cands
}

// badUnit refuses a number followed by a word that is not a unit of time
// ("5 parsecs", "500ms", "5 at"), naming the word. It returns nil when the
// cursor is not at such a number.
func (ps *whenParser) badUnit() error {
	at := ps.i
	if at > 0 && (ps.peek() == "and" || ps.peek() == ",") {
		at++
	}
	if at >= len(ps.toks) {
		return nil
	}
	tok := ps.toks[at]
	num, word, used := tok, "", 1
	if j := strings.IndexFunc(tok, func(r rune) bool { return r < '0' || r > '9' }); j > 0 {
		num, word = tok[:j], tok[j:]
	} else if j == 0 || !allDigits(tok) {
		return nil
	}
	if word == "" && at+1 < len(ps.toks) {
		if w := ps.toks[at+1]; allLetters(w) || w == "µs" {
			word, used = w, 2
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return nil
	}
	if _, ok := durationUnits[word]; ok && word != "" {
		return nil
	}
	if subSecond[word] {
		cands := []string{ps.withTokens(at, at+used, "5 seconds")}
		if ps.MinInterval > 0 {
			cands = append(cands, ps.withTokens(at, at+used, durationWords(ps.MinInterval.Round(time.Second), false)))
		}
		if ps.MinInterval > time.Second {
			return ps.failWith(cands, "Units below a second are not supported; the shortest repeat allowed is %s", durationWords(ps.MinInterval, false))
		}
		return ps.failWith(cands, "Units below a second are not supported; use seconds or longer")
	}
	unit := "minutes"
	if n == 1 {
		unit = "minute"
	}
	if word == "" || dayWords[word] != (dayWord{}) || slices.Contains([]string{"at", "on", "between", "from", "and", "to"}, word) {
		// "in 5", "every 5 on weekdays": the unit is missing.
		return ps.failWith([]string{ps.withTokens(at+1, at+1, unit), ps.withTokens(at, at+1, num, "hours")},
			"Say the unit after %s, such as minutes or hours", num)
	}
	var cands []string
	if near, ok := nearestWord(word, unitWords); ok {
		if n != 1 && !strings.HasSuffix(near, "s") {
			near += "s"
		}
		cands = append(cands, ps.withTokens(at, at+used, num, near))
	}
	cands = append(cands, ps.withTokens(at, at+used, num, unit))
	return ps.failWith(cands, "%s is not a unit of time; use seconds, minutes, hours, days or weeks", quoteText(word))
}

// subSecond lists units shorter than a second, which rules cannot use.
var subSecond = map[string]bool{
	"ms": true, "msec": true, "msecs": true, "millis": true, "milli": true, "millisecond": true, "milliseconds": true,
	"us": true, "µs": true, "microsecond": true, "microseconds": true, "ns": true, "nanosecond": true, "nanoseconds": true,
}

// unitWords are the spelt-out units a misspelt unit is compared with.
var unitWords = []string{"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "year", "years"}

// interval reads the optional window and days after an interval.
func (ps *whenParser) interval(d time.Duration) (bot.Rule, error) {
	ps.ex = ps.exampleEvery()
	if d <= 0 {
		return nil, ps.failWith(ps.mendDuration(), "The interval must be more than zero")
	}
	if d < ps.MinInterval {
		return nil, ps.failWith(ps.mendDuration(), "The shortest repeat allowed is %s", durationWords(ps.MinInterval, false))
	}
	days := allDays
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
	if d >= unitDay {
		return nil, ps.fail("A window needs an interval shorter than a day")
	}
	step := int(d / time.Second)
	last := start + (end-start)/step*step
	if days.consecutive() && ps.MinInterval > 0 {
		if gap := time.Duration(secondsPerDay-last+start) * time.Second; gap < ps.MinInterval {
			return nil, ps.fail("The last run at %s and the next day's first at %s are only %s apart; the shortest repeat allowed is %s",
				hhmm(last), hhmm(start), durationWords(gap, false), durationWords(ps.MinInterval, false))
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
	if err := ps.checkGaps(times, days.consecutive()); err != nil {
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
				hhmm(times[i-1]), hhmm(times[i]), durationWords(gap, false), durationWords(ps.MinInterval, false))
		}
	}
	first, last := times[0], times[len(times)-1]
	gap := time.Duration(secondsPerDay-last+first) * time.Second
	return ps.fail("%s and %s the next day are only %s apart; the shortest repeat allowed is %s",
		hhmm(last), hhmm(first), durationWords(gap, false), durationWords(ps.MinInterval, false))
}

// onceWord reports whether tok can start a one-off clock expression.
func (ps *whenParser) onceWord(tok string) bool {
	switch tok {
	case "at", "on", "next", "today", "tomorrow", "noon", "midnight":
		return true
	}
	if _, ok := dayWords[tok]; ok {
		return true
	}
	if _, ok := monthWords[tok]; ok {
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
		if set, ok := dayWords[tok]; ok && set.single {
			ps.take()
			if err := setDay(dayWeekday, from); err != nil {
				return nil, err
			}
			wd = time.Weekday(bitIndex(set.days))
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
		if last := today + civilDay(ps.maxAhead()/unitDay); date > last+1 {
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

// monthWords maps month names and their short forms to 1-12.
var monthWords = func() map[string]int {
	m := map[string]int{"sept": 9}
	for i := time.January; i <= time.December; i++ {
		name := strings.ToLower(i.String())
		m[name], m[name[:3]] = int(i), int(i)
	}
	return m
}()

func isoDate(d civilDay) string {
	y, m, dd := d.date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// date reads a date at the cursor: 2027-01-04, 14 march, 14th of mar
// 2027, march 14, march 14th, 2027. ok is false, and the cursor unmoved,
// when the tokens are not shaped like a date at all. A date without a year
// is the next such day from today.
func (ps *whenParser) date() (day civilDay, ok bool, err error) {
	from := ps.i
	tok := ps.peek()
	if len(tok) == 10 && tok[4] == '-' && tok[7] == '-' {
		ps.take()
		y, err1 := strconv.Atoi(tok[:4])
		m, err2 := strconv.Atoi(tok[5:7])
		d, err3 := strconv.Atoi(tok[8:])
		if err1 != nil || err2 != nil || err3 != nil || y < 0 || m < 0 || d < 0 {
			return 0, true, ps.fail("%s is not a date; use year-month-day like 2027-01-04", quoteText(tok))
		}
		return ps.checkDate(quoteText(tok), from, y, m, d)
	}
	// Day and month names in either order, then an optional year.
	var d, m int
	if n, isDay := dayOfMonth(tok); isDay {
		next := ps.peekAt(1)
		k := 1
		if next == "of" {
			next, k = ps.peekAt(2), 2
		}
		if mm, isMonth := monthWords[next]; isMonth {
			d, m = n, mm
			ps.i += k + 1
		}
	} else if mm, isMonth := monthWords[tok]; isMonth {
		if n, isDay := dayOfMonth(ps.peekAt(1)); isDay {
			d, m = n, mm
			ps.i += 2
		}
	}
	if m == 0 {
		return 0, false, nil
	}
	y := -1
	k := 0
	if ps.peek() == "," {
		k = 1
	}
	if yt := ps.peekAt(k); len(yt) == 4 && allDigits(yt) {
		y, _ = strconv.Atoi(yt)
		ps.i += k + 1
	}
	text := quoteText(strings.Join(ps.toks[from:ps.i], " "))
	if y < 0 {
		today, _ := localClock(ps.now, ps.loc)
		ty, _, _ := today.date()
		y = int(ty)
		if d <= daysIn(int64(y), m) && daysFromCivil(int64(y), m, d) < today || d > daysIn(int64(y), m) {
			y++
		}
		for i := 0; i < 8 && d == 29 && m == 2 && !isLeap(int64(y)); i++ {
			y++
		}
	}
	return ps.checkDate(text, from, y, m, d)
}

// checkDate refuses a day that does not exist, offering the nearest one
// that does in ISO form in place of the tokens from the cursor back to from.
func (ps *whenParser) checkDate(text string, from, y, m, d int) (civilDay, bool, error) {
	fix := func(m, d int) []string {
		m = min(max(m, 1), 12)
		d = min(max(d, 1), daysIn(int64(y), m))
		return []string{ps.withTokens(from, ps.i, fmt.Sprintf("%04d-%02d-%02d", y, m, d))}
	}
	switch {
	case m < 1 || m > 12:
		return 0, true, ps.failWith(fix(m, d), "%s is not a date; there is no month %d", text, m)
	case d < 1:
		return 0, true, ps.failWith(fix(m, d), "%s is not a date; days start at 1", text)
	case d > daysIn(int64(y), m):
		return 0, true, ps.failWith(fix(m, d), "%s is not a date; %s %d has %d days", text, time.Month(m), y, daysIn(int64(y), m))
	}
	return daysFromCivil(int64(y), m, d), true, nil
}

// dayOfMonth reads "14" or "14th" as a day of the month.
func dayOfMonth(tok string) (int, bool) {
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		tok = strings.TrimSuffix(tok, suffix)
	}
	if len(tok) < 1 || len(tok) > 2 || !allDigits(tok) {
		return 0, false
	}
	n, _ := strconv.Atoi(tok)
	return n, true
}

// clockTime reads a time of day: 15:30, 9, 9:05, 3pm, 3 pm, 3:15pm, noon,
// midnight. It returns seconds after midnight.
func (ps *whenParser) clockTime() (int, error) {
	from := ps.i
	tok := ps.take()
	switch tok {
	case "":
		return 0, ps.failWith([]string{ps.withTokens(from, from, "10:30"), ps.withTokens(from, from, "15:30")}, "Say a time of day")
	case "noon":
		return 12 * 3600, nil
	case "midnight":
		return 0, nil
	}
	raw := tok
	num, suffix := tok, ""
	if i := strings.IndexAny(tok, "ap"); i >= 0 {
		num, suffix = tok[:i], tok[i:]
	} else if next := ps.peek(); ampm(next) != "" {
		suffix = ps.take()
		raw += " " + suffix
	}
	bad := func(fix string) (int, error) {
		var cands []string
		if fix != "" {
			cands = append(cands, ps.withTokens(from, ps.i, fix))
		}
		if raw == "24:00" || raw == "24" {
			return 0, ps.failWith(cands, "%s is not a time of day; the day ends at 23:59 and midnight is 0:00", quoteText(raw))
		}
		return 0, ps.failWith(cands, "%s is not a time of day; use 24-hour 0:00–23:59 or 12-hour like 3pm", quoteText(raw))
	}
	hs, ms, hasMin := strings.Cut(num, ":")
	if len(hs) < 1 || len(hs) > 2 || !allDigits(hs) {
		if near, ok := nearestWord(tok, []string{"noon", "midnight"}); ok {
			return bad(near)
		}
		return bad("")
	}
	if hasMin && len(ms) == 1 && allDigits(ms) {
		return bad(hs + ":0" + ms + suffix)
	}
	if hasMin && (len(ms) != 2 || !allDigits(ms)) {
		return bad(hs + ":00" + suffix)
	}
	h, _ := strconv.Atoi(hs)
	m := 0
	if hasMin {
		m, _ = strconv.Atoi(ms)
	}
	if m > 59 {
		return bad(fmt.Sprintf("%d:59%s", min(h, 23), suffix))
	}
	switch ampm(suffix) {
	case "":
		switch {
		case suffix != "":
			return bad(fmt.Sprintf("%d:%02d", min(h, 23), m))
		case h == 24 && m == 0:
			return bad("midnight")
		case h > 23:
			return bad(fmt.Sprintf("23:%02d", m))
		}
	case "am", "pm":
		switch {
		case h == 0:
			return bad(fmt.Sprintf("12:%02d%s", m, ampm(suffix)))
		case h > 12 && h <= 23:
			return bad(fmt.Sprintf("%d:%02d", h, m))
		case h > 23:
			return bad(fmt.Sprintf("11:%02d%s", m, ampm(suffix)))
		}
		h %= 12
		if ampm(suffix) == "pm" {
			h += 12
		}
	}
	return h*3600 + m*60, nil
}

// ampm normalises a 12-hour suffix to "am" or "pm", or "" if s is none.
func ampm(s string) string {
	switch s {
	case "am", "a.m.", "a.m", "a":
		return "am"
	case "pm", "p.m.", "p.m", "p":
		return "pm"
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// dayWord describes one word naming days of the week.
type dayWord struct {
	days   weekdays
	plural bool // "mondays", "weekdays": clearly repeating
	single bool // names exactly one day: usable in "on friday"
}

var dayWords = func() map[string]dayWord {
	m := map[string]dayWord{
		"day": {days: allDays}, "days": {days: allDays, plural: true}, "daily": {days: allDays},
		"weekday": {days: workDays}, "weekdays": {days: workDays, plural: true},
		"weekend": {days: weekendDays}, "weekends": {days: weekendDays, plural: true},
	}
	names := [7][]string{
		{"sun", "sunday"}, {"mon", "monday"}, {"tue", "tues", "tuesday"}, {"wed", "weds", "wednesday"},
		{"thu", "thur", "thurs", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
	}
	for d, words := range names {
		for _, w := range words {
			m[w] = dayWord{days: 1 << d, single: true}
		}
		m[words[len(words)-1]+"s"] = dayWord{days: 1 << d, plural: true}
	}
	return m
}()

// isDayWord reports whether tok names days, alone or as a range "mon-fri".
func isDayWord(tok string) bool {
	_, ok := dayRange(tok)
	return ok
}

// dayRange reads a day word or a range of single days such as "mon-fri"
// (which may wrap: "fri-mon").
func dayRange(tok string) (weekdays, bool) {
	if w, ok := dayWords[tok]; ok {
		return w.days, true
	}
	a, b, ok := strings.Cut(tok, "-")
	wa, okA := dayWords[a]
	wb, okB := dayWords[b]
	if !ok || !okA || !okB || !wa.single || !wb.single {
		return 0, false
	}
	from, to := bitIndex(wa.days), bitIndex(wb.days)
	var set weekdays
	for d := from; ; d = (d + 1) % 7 {
		set |= 1 << d
		if d == to {
			return set, true
		}
	}
}

func bitIndex(w weekdays) int {
	for i := range 7 {
		if w&(1<<i) != 0 {
			return i
		}
	}
	return 0
}

// dayList reads day words joined by commas or "and".
func (ps *whenParser) dayList() (weekdays, error) {
	var set weekdays
	for {
		d, ok := dayRange(ps.peek())
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

// durationUnits maps unit words, alone or glued to a number ("2h"), to durations.
var durationUnits = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": unitDay, "day": unitDay, "days": unitDay,
	"w": unitWeek, "wk": unitWeek, "wks": unitWeek, "week": unitWeek, "weeks": unitWeek,
	"y": unitYear, "yr": unitYear, "yrs": unitYear, "year": unitYear, "years": unitYear,
}

// bareUnits may follow "every" without a number ("every hour"). "day" is
// not one of them: "every day" wants "at <time>".
var bareUnits = map[string]time.Duration{
	"second": time.Second, "sec": time.Second, "minute": time.Minute, "min": time.Minute,
	"hour": time.Hour, "hr": time.Hour, "week": unitWeek,
}

// errTooLong marks a duration too large to represent.
var errTooLong = errors.New("too long")

// duration reads one or more parts like "1 hour", "30 minutes", "1h30m", "a
// minute", optionally joined by "and". n counts the parts read; with bare
// set a lone unit word counts as one of it.
func (ps *whenParser) duration(bare bool) (d time.Duration, n int, err error) {
	ps.durFrom, ps.durTo = ps.i, ps.i
	defer func() { ps.durTo = ps.i }()
	for {
		at := ps.i
		if n > 0 && (ps.peek() == "and" || ps.peek() == ",") {
			at++
		}
		part, used, raw, unit, ok, perr := durationPart(ps.toks, at)
		if !ok {
			break
		}
		if perr == errTooLong || d > 0 && part > time.Duration(1<<63-1)-d {
			return 0, 0, ps.tooFar(raw)
		}
		if perr != nil || part < 0 {
			cands := []string{ps.withTokens(at, at+used, durationWords(-part, false))}
			if ps.MinInterval > 0 {
				cands = append(cands, ps.withTokens(at, at+used, durationWords(ps.MinInterval.Round(time.Second), false)))
			}
			return 0, 0, ps.failWith(cands, "%s is not a positive length of time", quoteText(raw))
		}
		d += part
		n++
		ps.i = at + used
		ps.durUnit = unit
	}
	if n == 0 && bare {
		if u, ok := bareUnits[ps.peek()]; ok {
			ps.take()
			ps.durUnit = u
			return u, 1, nil
		}
	}
	return d, n, nil
}

// durationPart reads one part at toks[i]: "<number> <unit>", "a(n) <unit>"
// or number-unit pairs glued into one token ("2h", "1h30m", "-5min").
func durationPart(toks []string, i int) (d time.Duration, used int, raw string, unit time.Duration, ok bool, err error) {
	if i >= len(toks) {
		return 0, 0, "", 0, false, nil
	}
	tok := toks[i]
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1]
	}
	if u, isUnit := durationUnits[next]; isUnit {
		raw = tok + " " + next
		if tok == "a" || tok == "an" {
			return u, 2, raw, u, true, nil
		}
		if n, isNum := signedNumber(tok); isNum {
			d, err := scaleUnit(n, u)
			return d, 2, raw, u, true, err
		}
	}
	// Glued pairs.
	s := tok
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, 0, "", 0, false, nil
	}
	for s != "" {
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		k := j
		for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
			k++
		}
		u, isUnit := durationUnits[s[j:k]]
		if j == 0 || !isUnit {
			return 0, 0, "", 0, false, nil
		}
		n, perr := strconv.ParseInt(s[:j], 10, 64)
		if perr != nil {
			return 0, 1, tok, u, true, errTooLong
		}
		part, serr := scaleUnit(n, u)
		if serr != nil || d > time.Duration(1<<63-1)-part {
			return 0, 1, tok, u, true, errTooLong
		}
		d += part
		s = s[k:]
		unit = u
	}
	if neg {
		d = -d
	}
	return d, 1, tok, unit, true, nil
}

// signedNumber reads an integer token, possibly negative.
func signedNumber(tok string) (int64, bool) {
	s := strings.TrimPrefix(tok, "-")
	if !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 1 << 62, true // scale reports it as too long
	}
	if s != tok {
		n = -n
	}
	return n, true
}

func scaleUnit(n int64, u time.Duration) (time.Duration, error) {
	if n > int64(1<<63-1)/int64(u) || n < -int64(1<<63-1)/int64(u) {
		return 0, errTooLong
	}
	return time.Duration(n) * u, nil
}

// cron reads a cron expression, with or without quotes around it.
func (ps *whenParser) cron(rest string) (bot.Rule, error) {
	ps.ex = ps.exampleCron()
	expr := unquote(strings.TrimSpace(rest))
	r, every, err := buildCron(expr, ps.loc)
	if err != nil {
		var cands []string
		var ce *cronError
		if errors.As(err, &ce) {
			for _, f := range ce.fixes {
				cands = append(cands, cronExample(f))
			}
		}
		return nil, ps.failWith(cands, "%s", err.Error())
	}
	if r == nil {
		// robfig's "@every 1h" is our "every 1 hour".
		ps.toks, ps.i = append([]string{"every"}, tokenize(every)...), 1
		return ps.every()
	}
	if ps.MinInterval > 0 {
		if gap := minGap(r.clk.all(), true); gap < ps.MinInterval {
			return nil, ps.fail("That cron expression has runs only %s apart; the shortest repeat allowed is %s",
				durationWords(gap, false), durationWords(ps.MinInterval, false))
		}
	}
	return r, nil
}

// cronExample is the <when> for a cron expression.
func cronExample(expr string) string {
	if expr == "" {
		return ""
	}
	return `cron "` + expr + `"`
}

// unquote removes one pair of matching quotes around s.
func unquote(s string) string {
	pairs := [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}, {"‘", "’"}}
	for _, p := range pairs {
		if len(s) >= len(p[0])+len(p[1]) && strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) {
			return strings.TrimSpace(s[len(p[0]) : len(s)-len(p[1])])
		}
	}
	return s
}

// quote quotes user text for a message, short and on one line.
func quoteText(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}

// oneLine keeps a library's error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
