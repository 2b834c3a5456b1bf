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
// now. Errors are *bot.Error with code bot.EINVALID, a one-line reason and
// an Example that parses.
func (p Parser) Parse(text string, loc *time.Location, now time.Time) (rule bot.Rule, err error) {
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
	ps := &whenParser{Parser: p, loc: loc, now: now.Round(0), text: text, ex: exampleIn}
	r, err := ps.parse()
	if err != nil {
		return nil, err
	}
	first := r.Next(ps.now)
	if first.IsZero() {
		if w, ok := r.(*wallRule); ok && w.kind == kindCron {
			return nil, bot.Invalid(ps.ex, "That cron expression never fires")
		}
		return nil, bot.Invalid(ps.ex, "That schedule never fires")
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
}

func (ps *whenParser) fail(format string, args ...any) error {
	return bot.Invalid(ps.ex, format, args...)
}

func (ps *whenParser) tooFar(what string) error {
	return ps.fail("%s is too far ahead; the furthest allowed is %s from now", what, durationWords(ps.maxAhead(), false))
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

// unexpected refuses the token at the cursor.
func (ps *whenParser) unexpected() error {
	if ps.done() {
		return ps.fail("%s is incomplete", quoteText(ps.text))
	}
	return ps.fail("I don't understand %s in %s", quoteText(ps.peek()), quoteText(ps.text))
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
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

func (ps *whenParser) parse() (bot.Rule, error) {
	trimmed := strings.TrimSpace(ps.text)
	if trimmed == "" {
		return nil, ps.fail("Say when, for example in 20 minutes, at 15:30 or every weekday at 10:30")
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
	return nil, ps.fail("I don't understand %s as a time; start with in, at, every or cron", quoteText(first))
}

// relative reads "in <duration>".
func (ps *whenParser) relative() (bot.Rule, error) {
	ps.ex = exampleIn
	d, n, err := ps.duration(false)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if ps.done() {
			return nil, ps.fail("Say how long from now, like in 20 minutes")
		}
		return nil, ps.unexpected()
	}
	if !ps.done() {
		return nil, ps.unexpected()
	}
	if d <= 0 {
		return nil, ps.fail("Say a time ahead of now, like in 20 minutes")
	}
	if d > ps.maxAhead() {
		return nil, ps.tooFar(durationWords(d, false))
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
			return nil, ps.fail("Say how often, like %s", ps.ex)
		}
		return nil, ps.unexpected()
	}
	return ps.interval(d)
}

// interval reads the optional window and days after an interval.
func (ps *whenParser) interval(d time.Duration) (bot.Rule, error) {
	ps.ex = ps.exampleEvery()
	if d <= 0 {
		return nil, ps.fail("The interval must be more than zero, like %s", ps.ex)
	}
	if d < ps.MinInterval {
		return nil, ps.fail("The shortest repeat allowed is %s", durationWords(ps.MinInterval, false))
	}
	days := allDays
	start, end := -1, -1
	var daysSeen bool
	for !ps.done() {
		switch tok := ps.peek(); {
		case (tok == "between" || tok == "from") && start < 0:
			ps.take()
			ps.ex = ps.exampleWindow()
			var err error
			if start, err = ps.clockTime(); err != nil {
				return nil, err
			}
			if sep := ps.take(); sep != "and" && sep != "to" && sep != "until" && sep != "-" {
				ps.i--
				return nil, ps.unexpected()
			}
			if end, err = ps.clockTime(); err != nil {
				return nil, err
			}
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
			return nil, ps.unexpected()
		}
	}
	if start < 0 {
		return &intervalRule{anchor: ps.now.Truncate(time.Second), every: d, days: days, loc: ps.loc}, nil
	}
	ps.ex = ps.exampleWindow()
	if end <= start {
		return nil, ps.fail("The window must end after it starts, like between 9:00 and 17:00 (%s to %s)", hhmm(start), hhmm(end))
	}
	if d >= unitDay {
		return nil, ps.fail("A window needs an interval shorter than a day, like %s", ps.ex)
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
			return nil, ps.fail("Say at what time, like %s", ps.ex)
		}
		return nil, ps.unexpected()
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
	return tok != "" && tok[0] >= '0' && tok[0] <= '9'
}

// once reads a clock time with an optional day: "at 15:30", "tomorrow at
// 9", "at 10am on friday", "on 2027-01-04 at 8am".
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
	setDay := func(k int) error {
		if kind != dayNone {
			return ps.fail("Say the day only once, like at 9:15 tomorrow")
		}
		kind = k
		return nil
	}
	for !ps.done() {
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
			if err := setDay(k); err != nil {
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
			if err := setDay(dayWeekday); err != nil {
				return nil, err
			}
			wd = time.Weekday(bitIndex(set.days))
			continue
		}
		if d, ok, err := ps.date(tok); ok || err != nil {
			if err != nil {
				return nil, err
			}
			ps.take()
			if err := setDay(dayDate); err != nil {
				return nil, err
			}
			date, dateText = d, tok
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
		return nil, ps.unexpected()
	}
	if sec < 0 {
		return nil, ps.fail("Say what time, like at 15:30 tomorrow")
	}
	today, _ := localClock(ps.now, ps.loc)
	tomorrowEx := "at " + hhmm(sec) + " tomorrow"
	var at time.Time
	switch kind {
	case dayNone:
		if at = wallInstant(ps.loc, today, sec); !at.After(ps.now) {
			at = wallInstant(ps.loc, today+1, sec)
		}
	case dayToday:
		if at = wallInstant(ps.loc, today, sec); !at.After(ps.now) {
			return nil, bot.Invalid(tomorrowEx, "%s today has already passed", hhmm(sec))
		}
	case dayTomorrow:
		at = wallInstant(ps.loc, today+1, sec)
	case dayWeekday:
		day := today + civilDay((int(wd)-int(today.weekday())+7)%7)
		if at = wallInstant(ps.loc, day, sec); !at.After(ps.now) {
			at = wallInstant(ps.loc, day+7, sec)
		}
	case dayDate:
		if date > today+civilDay(ps.maxAhead()/unitDay)+1 {
			return nil, ps.tooFar(dateText)
		}
		if at = wallInstant(ps.loc, date, sec); !at.After(ps.now) {
			if date < today {
				return nil, bot.Invalid(tomorrowEx, "%s is in the past", dateText)
			}
			return nil, bot.Invalid(tomorrowEx, "%s on %s is in the past", hhmm(sec), dateText)
		}
	}
	return &onceRule{at: at, loc: ps.loc}, nil
}

// date reads a YYYY-MM-DD token. ok is false when tok is not shaped like a
// date at all.
func (ps *whenParser) date(tok string) (day civilDay, ok bool, err error) {
	if len(tok) != 10 || tok[4] != '-' || tok[7] != '-' {
		return 0, false, nil
	}
	y, err1 := strconv.Atoi(tok[:4])
	m, err2 := strconv.Atoi(tok[5:7])
	d, err3 := strconv.Atoi(tok[8:])
	if err1 != nil || err2 != nil || err3 != nil || y < 0 || m < 1 || m > 12 || d < 1 || d > daysIn(int64(y), m) {
		return 0, true, ps.fail("%s is not a date; use year-month-day like 2027-01-04", quoteText(tok))
	}
	return daysFromCivil(int64(y), m, d), true, nil
}

// clockTime reads a time of day: 15:30, 9, 9:05, 3pm, 3 pm, 3:15pm, noon,
// midnight. It returns seconds after midnight.
func (ps *whenParser) clockTime() (int, error) {
	tok := ps.take()
	switch tok {
	case "":
		return 0, ps.fail("Say a time of day, like %s", ps.ex)
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
	bad := func() (int, error) {
		return 0, ps.fail("%s is not a time of day; use 24-hour 0:00–23:59 or 12-hour like 3pm", quoteText(raw))
	}
	hs, ms, hasMin := strings.Cut(num, ":")
	if len(hs) < 1 || len(hs) > 2 || !allDigits(hs) || hasMin && (len(ms) != 2 || !allDigits(ms)) {
		return bad()
	}
	h, _ := strconv.Atoi(hs)
	m := 0
	if hasMin {
		m, _ = strconv.Atoi(ms)
	}
	if m > 59 {
		return bad()
	}
	switch ampm(suffix) {
	case "":
		if suffix != "" || h > 23 {
			return bad()
		}
	case "am":
		if h < 1 || h > 12 {
			return bad()
		}
		h %= 12
	case "pm":
		if h < 1 || h > 12 {
			return bad()
		}
		h = h%12 + 12
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
				return 0, ps.fail("Say which days, like %s", ps.ex)
			}
			return 0, ps.unexpected()
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
	for {
		at := ps.i
		if n > 0 && (ps.peek() == "and" || ps.peek() == ",") {
			at++
		}
		part, used, raw, ok, perr := durationPart(ps.toks, at)
		if !ok {
			break
		}
		if perr == errTooLong || d > 0 && part > time.Duration(1<<63-1)-d {
			return 0, 0, ps.tooFar(raw)
		}
		if perr != nil || part < 0 {
			return 0, 0, ps.fail("%s is not a positive length of time.", quoteText(raw))
		}
		d += part
		n++
		ps.i = at + used
	}
	if n == 0 && bare {
		if u, ok := bareUnits[ps.peek()]; ok {
			ps.take()
			return u, 1, nil
		}
	}
	return d, n, nil
}

// durationPart reads one part at toks[i]: "<number> <unit>", "a(n) <unit>"
// or number-unit pairs glued into one token ("2h", "1h30m", "-5min").
func durationPart(toks []string, i int) (d time.Duration, used int, raw string, ok bool, err error) {
	if i >= len(toks) {
		return 0, 0, "", false, nil
	}
	tok := toks[i]
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1]
	}
	if u, isUnit := durationUnits[next]; isUnit {
		raw = tok + " " + next
		if tok == "a" || tok == "an" {
			return u, 2, raw, true, nil
		}
		if n, isNum := signedNumber(tok); isNum {
			d, err := scaleUnit(n, u)
			return d, 2, raw, true, err
		}
	}
	// Glued pairs.
	s := tok
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, 0, "", false, nil
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
			return 0, 0, "", false, nil
		}
		n, perr := strconv.ParseInt(s[:j], 10, 64)
		if perr != nil {
			return 0, 1, tok, true, errTooLong
		}
		part, serr := scaleUnit(n, u)
		if serr != nil || d > time.Duration(1<<63-1)-part {
			return 0, 1, tok, true, errTooLong
		}
		d += part
		s = s[k:]
	}
	if neg {
		d = -d
	}
	return d, 1, tok, true, nil
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
		return nil, ps.fail("%s", err.Error())
	}
	if r == nil {
		// robfig's "@every 1h" is our "every 1 hour".
		ps.toks, ps.i = tokenize(every), 0
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
