package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// startWords introduce the day a repeating reminder starts on: "every
// weekday at 10:30 starting monday".
var startWords = map[string]bool{"starting": true, "beginning": true, "commencing": true}

// splitStart finds a start put off to a later day in a command's words
// ("… starting monday", "… beginning 2027-01-04", "… from next monday")
// and returns the words without it and the instant the start names: the
// start of that day, or the time said with it. ok is false when there is
// no such clause; err refuses one that cannot be used. command is what
// comes before args ("remind me"), for examples.
func (b *Bot) splitStart(args, command string, req *Request) (rest, day string, start time.Time, ok bool, err error) {
	words := dateRange(strings.Fields(args), req)
	args = strings.Join(words, " ")
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(words[i])
		j := i + 1
		if w == "next" && i > 0 && j < len(words) && strings.EqualFold(strings.TrimRight(words[j], ",.;"), "week") {
			// "every weekday at 9 next week": a repeating rule said with
			// next week starts on its Monday ("friday next week" is a
			// day, read with the time).
			if rule, err := b.rules.Parse(strings.Join(words[:i], " "), req.Zone, req.Now); err == nil && rule.Repeats() {
				rest = strings.Join(append(append([]string(nil), words[:i]...), words[j+1:]...), " ")
				return rest, "next week", nextWeek(req), true, nil
			}
		}
		if n := nowSaid(words[j:]); w == "from" && i > 0 && n > 0 {
			// "every hour from now", "every day at 9 from now on": the
			// runs count from now as they would anyway.
			if j+n < len(words) && strings.EqualFold(strings.TrimRight(words[j+n], ",.;!"), "on") {
				n++
			}
			words = append(append([]string(nil), words[:i]...), words[j+n:]...)
			args = strings.Join(words, " ")
			i--
			continue
		}
		clock := 0
		if w == "from" {
			clock = startsClock(words[j:])
		}
		// "from 1 january": a date, whose number is its day, not a time.
		date := clock > 0 && j+clock < len(words) && namesMonth(words[j+clock])
		if clock > 0 && i > 0 && !date {
			// "every monday from 10": a rule of days with no time of its
			// own comes at that time; it is not the default time from
			// 10:00 on. What follows may still be a start ("… next week").
			head := strings.Join(words[:i], " ")
			if rule, err := b.rules.Parse(head, req.Zone, req.Now); err == nil && rule.Repeats() {
				if _, err := b.rules.Parse(head+" at "+strings.Join(words[j:j+clock], " "), req.Zone, req.Now); err == nil {
					tail := words[j+clock:]
					said := append(append(append([]string(nil), words[:i]...), "at"), words[j:j+clock]...)
					if startsDay(tail) {
						said = append(said, "from") // "from 10am tomorrow": at 10am, from tomorrow
					}
					words = append(said, tail...)
					args = strings.Join(words, " ")
					continue
				}
			}
		}
		if startWords[w] {
			if j < len(words) && (strings.EqualFold(words[j], "on") || strings.EqualFold(words[j], "from")) {
				j++ // "starting on monday", "starting from monday"
			}
		} else if w != "from" || !(startsDay(words[j:]) || clock > 0) {
			continue
		}
		if n := nowSaid(words[j:]); n > 0 {
			// "every 3 hours starting now": a start now is no later
			// start; the runs count from now as they would anyway.
			words = append(append([]string(nil), words[:i]...), words[j+n:]...)
			args = strings.Join(words, " ")
			i--
			continue
		}
		// The start's day is one to three words; the longest that reads
		// wins, and what follows (a note, options) stays.
		for n := min(3, len(words)-j); n >= 1; n-- {
			day = strings.TrimRight(strings.Join(words[j:j+n], " "), ",.;")
			t, derr := b.instant(day, req)
			if strings.EqualFold(day, "next week") {
				t, derr = nextWeek(req), nil // "starting next week": its Monday
			}
			if derr != nil {
				continue
			}
			if before, at, ok := cutAt(day); ok && clock == 0 && i > 0 {
				// "every day starting monday at 10": a rule of days with
				// no time of its own takes the time; the start is the day.
				when := strings.Join(words[:i], " ") + " at " + at
				if rule, err := b.rules.Parse(when, req.Zone, req.Now); err == nil && rule.Repeats() {
					if dt, err := b.instant(before, req); err == nil {
						rest = strings.Join(append(strings.Fields(when), words[j+n:]...), " ")
						return rest, before, startOfDay(dt, req.Zone), true, nil
					}
				}
			}
			soon := strings.HasPrefix(strings.ToLower(day), "in ") && t.Sub(req.Now) < 24*time.Hour
			if (clock == 0 || namesMonth(day)) && !timeOfDaySaid().MatchString(day) && !soon {
				// A day said alone starts at its beginning ("in 2 days"
				// too, and "from 4 january", whose 4 only looked like a
				// time); "in 10 minutes" is an instant.
				t = startOfDay(t, req.Zone)
			}
			rest = strings.Join(append(append([]string(nil), words[:i]...), words[j+n:]...), " ")
			return rest, day, t, true, nil
		}
		return "", "", time.Time{}, false, Invalid(b.withoutStart(words, i, j, command, req),
			"I couldn't read %s as a day still to come for it to start.", quote.Short(strings.Join(words[j:], " "), 40))
	}
	return args, "", time.Time{}, false, nil
}

// cutAt splits a start's words at " at " into its day and its time
// ("monday at 10"); ok is false when either is missing.
func cutAt(day string) (before, at string, ok bool) {
	lower := strings.ToLower(day)
	k := strings.LastIndex(lower, " at ")
	if k <= 0 || k+4 >= len(day) {
		return "", "", false
	}
	return day[:k], day[k+4:], true
}

// firstThenEvery is a first run after a while followed by a repeat: "in
// 30 min and every hour after", "in 10 minutes, then every 2 hours".
var firstThenEvery = lazyRegexp(`(?i)^in\s+(.+?)\s*,?\s+(?:and\s+)?(?:then\s+)?(every\s+.+?)(?:\s+(?:after|afterwards|after\s+that|thereafter|from\s+then\s+on))?$`)

// firstRunSaid is args of command as splitStart reads them when they say
// a first run and then a repeat ("in 30 min and every hour after") and do
// not read as they are (parses); else args.
func (b *Bot) firstRunSaid(args, command string, req *Request, parses func(string) bool) string {
	if parses(args) {
		return args
	}
	if alt := withFirstRun(args); alt != args {
		if _, _, _, _, err := b.splitStart(alt, command, req); err == nil {
			return alt
		}
	}
	return args
}

// withFirstRun says "in 30 min and every hour after" as "every hour
// starting in 30 min", which splitStart reads: the repeat, counted from
// its first run. Other words are returned as they are.
func withFirstRun(args string) string {
	m := firstThenEvery().FindStringSubmatch(strings.TrimSpace(args))
	if m == nil {
		return args
	}
	every, note, _ := strings.Cut(m[2], " to ")
	out := every + " starting in " + m[1]
	if note != "" {
		out += " to " + note
	}
	return out
}

// nowSaid is how many words of "now", "right now" or "immediately" words
// begin with: 0 when they begin with none.
func nowSaid(words []string) int {
	n := 0
	if len(words) > 1 && strings.EqualFold(words[0], "right") {
		n = 1
	}
	if n < len(words) {
		switch strings.ToLower(strings.TrimRight(words[n], ",.;!")) {
		case "now", "immediately":
			return n + 1
		}
	}
	return 0
}

// nextWeek is the start of next week's Monday in the caller's zone.
func nextWeek(req *Request) time.Time {
	now := req.Now.In(req.Zone)
	d := (8 - int(now.Weekday())) % 7
	if d == 0 {
		d = 7
	}
	return time.Date(now.Year(), now.Month(), now.Day()+d, 0, 0, 0, 0, req.Zone)
}

// withoutStart is the example for a start at words[i:j] whose day, from
// words[j], cannot be read: the command without the start and its day, of
// one to three words, when what is left reads as a time ("schedule every
// day from next m" → "schedule every day"), else without the start and
// one word when more is left and what came before the start reads as a
// time ("… starting blursday to stretch" keeps the note), else a start
// that works.
func (b *Bot) withoutStart(words []string, i, j int, command string, req *Request) string {
	cut := func(n int) string {
		return strings.Join(append(append([]string(nil), words[:i]...), words[min(j+n, len(words)):]...), " ")
	}
	for n := 1; n <= min(3, len(words)-j); n++ {
		if rest := cut(n); rest != "" {
			if _, err := b.rules.Parse(rest, req.Zone, req.Now); err == nil {
				return strings.TrimSpace(command + " " + rest)
			}
		}
	}
	// Keeping what follows is worth it only when what came before the
	// start reads as a time: "remind me a starting a" would offer
	// "remind me a", refused in turn.
	if rest := cut(1); rest != "" && !isStartPrefix(words[j]) && i > 0 {
		head := strings.Join(words[:i], " ")
		if _, err := b.rules.Parse(head, req.Zone, req.Now); err == nil {
			// What follows is kept when it is a note or a break's
			// options ("… starting blursday to stretch", "… 5 min"),
			// else left out ("0 0 0" is neither).
			tail := words[min(j+1, len(words)):]
			if _, _, err := parseRoutineOptions(strings.Join(tail, " ")); err == nil || len(tail) > 0 && strings.EqualFold(tail[0], "to") {
				return strings.TrimSpace(command + " " + rest)
			}
			return strings.TrimSpace(command + " " + head)
		}
	}
	return strings.TrimSpace(command + " every weekday at 10:30 starting monday")
}

// isStartPrefix reports whether w only leads a start's day ("next
// monday", "the 15th"): dropping it alone keeps the rest of that day.
func isStartPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "next", "this", "the", "on", "from":
		return true
	}
	return false
}

// startsDay reports whether words, after "from", name a day rather than
// the start of a window or a range of days ("from 9 to 5", "from monday
// to friday").
func startsDay(words []string) bool {
	if len(words) == 0 {
		return false
	}
	first := strings.ToLower(words[0])
	switch first {
	case "today", "tomorrow", "next":
		return true
	}
	_, month := timewords.Month(strings.TrimRight(first, ",.;")) // "from jan 4"
	if d, ok := timewords.LookupDay(first); !month && (!ok || !d.Single) {
		return false
	}
	if len(words) > 1 {
		switch strings.ToLower(words[1]) {
		case "to", "-", "through", "thru", "till", "until":
			return false
		}
	}
	return true
}

// startClock is a time of day said alone: "10am", "10:30", "9".
var startClock = lazyRegexp(`(?i)^(\d{1,2}([:.]\d{2})?\s*([ap]\.?m\.?)?|noon|midday|midnight)$`)

// startsClock is the number of words of a time of day that words, after
// "from", start with when no end follows it ("every 2 hours from 10am"):
// the first run, not the start of a window ("from 9 to 5"). It is 0 when
// they start with no such time. "to" and words that are no time ("from 10
// to stretch") say what the reminder is for, not where a window ends.
func startsClock(words []string) int {
	n := 1
	if len(words) > 1 && (strings.EqualFold(words[1], "am") || strings.EqualFold(words[1], "pm")) {
		n = 2 // "from 10 am"
	}
	if len(words) == 0 || !startClock().MatchString(strings.TrimRight(strings.Join(words[:n], ""), ",.;")) {
		return 0
	}
	if len(words) > n {
		switch strings.ToLower(words[n]) {
		case "to":
			if len(words) > n+1 && !startsTime(words[n+1:]) {
				return n
			}
			return 0
		case "-", "through", "thru", "till", "until", "and":
			return 0
		}
	}
	return n
}

// startsTime reports whether words begin with what may be a time of day:
// a figure, a number word, or a named time ("noon").
func startsTime(words []string) bool {
	first := strings.ToLower(words[0])
	if first == "" || first[0] >= '0' && first[0] <= '9' {
		return true
	}
	switch first {
	case "noon", "midday", "midnight", "half", "quarter", "lunch", "lunchtime", "the", "end", "eod", "close":
		return true
	}
	toks := make([]string, 0, 2)
	for _, w := range words[:min(2, len(words))] {
		toks = append(toks, strings.ToLower(w))
	}
	_, _, ok := timewords.Number(toks, 0)
	return ok
}

// startingRule is a repeating rule whose runs begin at start.
type startingRule struct {
	Rule
	start time.Time
}

func (r startingRule) Next(t time.Time) time.Time {
	if before := r.start.Add(-time.Second); t.Before(before) {
		t = before
	}
	return r.Rule.Next(t)
}

func (r startingRule) DescribeAt(now time.Time) string {
	day := r.start.Format("Mon 2 Jan") + yearIfNot(r.start, now)
	if h, m, s := r.start.Clock(); h != 0 || m != 0 || s != 0 {
		day += " at " + r.start.Format("15:04") // "every 2 hours from 10am"
	}
	return describeRule(r.Rule, now) + ", starting " + day
}

func (r startingRule) Describe() string { return r.DescribeAt(r.start) }

// RunZone implements ZonedRule for the rule it starts.
func (r startingRule) RunZone() string { return runZone(r.Rule) }

// yearIfNot is " 2027" when t is in another year than now, else "".
func yearIfNot(t, now time.Time) string {
	if t.Year() != now.In(t.Location()).Year() {
		return t.Format(" 2006")
	}
	return ""
}

// withStart makes rule begin at start, refusing what cannot: a one-off
// (its day is said with its time) and a rule that ends by itself (its end
// counts from now). A start not after now changes nothing. without is the
// command's time without the start, day the start's words.
func (b *Bot) withStart(rule Rule, start time.Time, command, without, day string, req *Request) (Rule, error) {
	if !start.After(req.Now) {
		return rule, nil
	}
	if !rule.Repeats() {
		example := strings.TrimSpace(command + " " + without)
		for _, with := range []string{" on ", " at "} {
			// "tomorrow from 10am": its time is said with "at".
			if _, err := b.rules.Parse(without+with+day, req.Zone, req.Now); err == nil {
				example = strings.TrimSpace(command + " " + without + with + day)
				break
			}
		}
		return nil, Invalid(example, "A one-off has no start; say its day with its time.")
	}
	if e, ok := rule.(EndingRule); ok {
		// "for 5 days" and "10 times" count from now, which a later
		// start would contradict; an end on a date ("until 31 march")
		// stays where it was said.
		if !endsOnDate(without) {
			return nil, Invalid(strings.TrimSpace(command+" "+without), "Give a repeating reminder a start or an end, not both; set it on its first day to have both.")
		}
		if !e.End().After(start) {
			return nil, Invalid(strings.TrimSpace(command+" "+without), "It would end (%s) before it starts (%s); give a start before the end.",
				FormatTime(e.End(), req.Now, req.Zone), FormatTime(start, req.Now, req.Zone))
		}
	}
	if s, ok := rule.(StartableRule); ok {
		prev := start.In(req.Zone).AddDate(0, 0, -1)
		if said := strings.Fields(strings.TrimPrefix(strings.ToLower(day), "at ")); startsClock(said) == len(said) && !prev.After(req.Now) && startOfDay(prev, req.Zone).Equal(startOfDay(req.Now, req.Zone)) {
			// "every 2 hours from 10am" said at 10:32: today's 10:00 has
			// passed, so its cadence goes on from now (12:00, 14:00),
			// rather than starting tomorrow.
			return s.StartingFrom(prev), nil
		}
		// "every 2 hours starting at 10am": 10:00, 12:00, … rather than
		// counted from now.
		rule = s.StartingFrom(start)
	}
	return startingRule{Rule: rule, start: start}, nil
}

// endsOnDate reports whether when, a rule's words, ends it on a date or
// at an instant ("until 31 march", "till friday"), not after a length or
// a number of runs counted from now.
func endsOnDate(when string) bool {
	for _, w := range strings.Fields(strings.ToLower(when)) {
		switch w {
		case "until", "till", "til", "through", "thru":
			return true
		}
	}
	return false
}

// namesMonth reports whether words name a month ("4 january"): a date,
// whose number is its day, not a time.
func namesMonth(words string) bool {
	for _, w := range strings.Fields(words) {
		if _, ok := timewords.Month(strings.ToLower(strings.Trim(w, ",.;"))); ok {
			return true
		}
	}
	return false
}

// rangeWords join the two ends of a range of dates.
var rangeWords = map[string]bool{"to": true, "until": true, "till": true, "til": true, "through": true, "thru": true, "-": true, "–": true}

// dateRange rewrites a range of dates after "from" ("every day from jan to
// march", "from 1 january to 31 march") as a start and an end on dates,
// which splitStart and the rule read: a month alone runs from its first day
// to the last day of the month ending the range. The range is its next
// occurrence, the one under way if any, whose start is then now and is left
// out. Anything else is returned as it was.
func dateRange(words []string, req *Request) []string {
	for i := 1; i < len(words); i++ {
		if !strings.EqualFold(words[i], "from") {
			continue
		}
		m1, d1, y1, n1 := rangeEnd(words[i+1:])
		if n1 == 0 || i+1+n1 >= len(words) || !rangeWords[strings.ToLower(words[i+1+n1])] {
			continue
		}
		m2, d2, y2, n2 := rangeEnd(words[i+2+n1:])
		if n2 == 0 {
			continue
		}
		now := req.Now.In(req.Zone)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		crosses := m2 < m1 || m2 == m1 && d2 != 0 && d2 < d1 // "from november to february"
		if y1 == 0 && y2 != 0 {
			y1 = y2 // "from 1 january to 31 march 2027"
			if crosses {
				y1--
			}
		}
		var from, to time.Time
		for y := now.Year() - 1; y <= now.Year()+1; y++ {
			if y1 != 0 {
				y = y1
			}
			from = time.Date(y, m1, max(d1, 1), 0, 0, 0, 0, time.UTC)
			ey := y
			if crosses {
				ey++
			}
			if y2 != 0 {
				ey = y2
			}
			to = time.Date(ey, m2, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1) // the month's last day
			if d2 != 0 {
				to = time.Date(ey, m2, d2, 0, 0, 0, 0, time.UTC)
			}
			if y1 != 0 || !to.Before(today) {
				break
			}
		}
		if from.Day() != max(d1, 1) || to.Month() != m2 || !to.After(from) {
			return words // a day the month lacks, or a range that ends first: as said
		}
		// A date within a year is read as its next occurrence, so it is
		// said without its year, which a break's length after it could
		// be taken for.
		date := func(d time.Time) string {
			if d.AddDate(-1, 0, 0).Before(today) {
				return strings.ToLower(d.Format("2 January"))
			}
			return strings.ToLower(d.Format("2 January 2006"))
		}
		repl := strings.Fields("from " + date(from) + " until " + date(to))
		if !from.After(today) {
			repl = strings.Fields("until " + date(to)) // under way: it runs from now
		}
		return append(append(append([]string(nil), words[:i]...), repl...), words[i+2+n1+n2:]...)
	}
	return words
}

// rangeEnd reads one end of a range of dates: a month ("march"), a day and
// a month ("1 march", "march 1st"), either with a year; n is the words it
// took, 0 when they are not a date. day and year are 0 when not said.
func rangeEnd(words []string) (m time.Month, day, year, n int) {
	num := func(w string) int {
		w = strings.ToLower(strings.TrimRight(w, ","))
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			w = strings.TrimSuffix(w, suf)
		}
		v, err := strconv.Atoi(w)
		if err != nil || v < 1 {
			return 0
		}
		return v
	}
	month := func(w string) (time.Month, bool) {
		return timewords.Month(strings.ToLower(strings.Trim(w, ",.")))
	}
	if len(words) == 0 {
		return 0, 0, 0, 0
	}
	if d := num(words[0]); d >= 1 && d <= 31 && len(words) > 1 {
		if m, ok := month(words[1]); ok {
			day, n = d, 2
			if len(words) > 2 && num(words[2]) >= 2000 {
				year, n = num(words[2]), 3
			}
			return m, day, year, n
		}
		return 0, 0, 0, 0
	}
	m, ok := month(words[0])
	if !ok {
		return 0, 0, 0, 0
	}
	n = 1
	if len(words) > 1 {
		// "march 5", but not "march 5 min", a break's length.
		if d := num(words[1]); d >= 1 && d <= 31 && (len(words) == 2 || !strings.HasPrefix(strings.ToLower(words[2]), "m")) {
			day, n = d, 2
		}
	}
	if len(words) > n && num(words[n]) >= 2000 {
		year, n = num(words[n]), n+1
	}
	return m, day, year, n
}
