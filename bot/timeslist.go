package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// exceptTime is "except" (or "but not", or "quiet") and a time of day after it, in a
// schedule's words: "every hour between 9 and 17 except 12:00 to 13:00".
var exceptTime = lazyRegexp(`(?i)(?:^|\s)(?:except|but(?:\s+not)?|quiet)\s+(?:(?:at|during|over|from|between)\s+)?(?:lunch|noon|midday|[0-9])`)

// mostListedTimes is how many times of day an example listing a rule's
// times may name; more would not read as one.
const mostListedTimes = 12

// teamExceptTime refuses a schedule that leaves a time of day out with
// "except". The grammar leaves out only days, and quiet periods, which
// it offers for a reminder, are the caller's own: a team break has none.
// The example lists the schedule's times of day without those left out
// ("every day at 09:00, 10:00, 11:00 and 13:00"), when they are the same
// on every day it runs and few enough, else a list of that form. nil when
// args has no such except, or its schedule without it does not parse.
func (b *Bot) teamExceptTime(args, in string, req *Request) error {
	m := exceptTime().FindStringIndex(args)
	if m == nil {
		return nil
	}
	// The time left out is the longest run of words after the except
	// that reads as a time range; what follows it stays with the rule.
	head := strings.TrimSpace(args[:m[0]])
	words := strings.Fields(args[m[0]:])[1:]
	if len(words) > 0 && strings.EqualFold(words[0], "not") {
		words = words[1:]
	}
	var left timeSpans
	used := 0
	for n := min(6, len(words)); n > 0; n-- {
		text := lunchWords().ReplaceAllString(strings.Join(words[:n], " "), "12:00-13:00")
		text = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(text), "between "), "from ")
		text = strings.Replace(text, " and ", "-", 1)
		if w, err := parseSpans(text, "quiet", timewords.AllDays); err == nil && len(w.spans) == 1 {
			left, used = w, n
			break
		}
	}
	rest := strings.TrimSpace(head + " " + strings.Join(words[used:], " "))
	if used == 0 {
		rest = head
	}
	if _, _, err := b.parseSchedule(rest, req); err != nil {
		return nil
	}
	why := "Except leaves out days, not times of day, and a team break has no quiet periods: list the times it should come instead."
	if strings.EqualFold(strings.Fields(args[m[0]:])[0], "quiet") {
		// "schedule every hour 9-17 quiet lunch": quiet periods are each
		// person's own, for their reminders.
		why = "A team break has no quiet periods (those are each person's, for their own reminders): list the times it should come instead."
	}
	example := "schedule every day at 9, 10, 11, 13, 14, 15 and 16" + in
	if used > 0 {
		left.zone, left.loc = req.Zone.String(), req.Zone
		if rule, _, err := b.parseSchedule(rest, req); err == nil && !runsWithin(rule, left, req) {
			// "every weekday at 9 quiet lunch": nothing to leave out,
			// so nothing else to list; the words only need to go.
			said := strings.Fields(args[m[0]:]) // the except, a "not", and the time left out
			return Invalid("schedule "+rest+in, "A team break has no quiet periods, and none of its times falls in it: leave out %s.",
				quote.Short(strings.Join(said[:len(said)-len(words)+used], " "), 40))
		}
		if when, ok := b.timesWithout(rest, left, req); ok {
			if _, _, err := b.parseSchedule(when, req); err == nil {
				example = "schedule " + when + in
			}
		}
	}
	return Invalid(example, "%s", why)
}

// runsWithin reports whether any run of rule over a week from tomorrow
// falls inside spans.
func runsWithin(rule Rule, spans timeSpans, req *Request) bool {
	y, mo, d := req.Now.In(req.Zone).Date()
	start := time.Date(y, mo, d+1, 0, 0, 0, 0, req.Zone)
	end := start.AddDate(0, 0, 7)
	for t, n := rule.Next(start.Add(-time.Nanosecond)), 0; !t.IsZero() && t.Before(end); t, n = rule.Next(t), n+1 {
		if n > 7*24*12 || spans.contains(t) {
			return true // runs too close together to miss it
		}
	}
	return false
}

// timesWithout says rest, a schedule that parses, as its times of day on
// the days it runs, leaving out those inside left: "every weekday at
// 08:00, 10:00 and 14:00", with rest's routine options after them. ok is
// false when its days do not all have the same times, or they are too
// many to list.
func (b *Bot) timesWithout(rest string, left timeSpans, req *Request) (string, bool) {
	rule, _, err := b.parseSchedule(rest, req)
	if err != nil {
		return "", false
	}
	// The options are the words after the longest time that parses.
	words := strings.Fields(rest)
	opts := ""
	for k := min(4, len(words)-1); k > 0; k-- {
		if _, _, err := parseRoutineOptions(strings.Join(words[len(words)-k:], " ")); err != nil {
			continue
		}
		if _, err := b.rules.Parse(strings.Join(words[:len(words)-k], " "), req.Zone, req.Now); err == nil {
			opts = " " + strings.Join(words[len(words)-k:], " ")
			break
		}
	}
	when, ok := timesOf([]Rule{rule}, func(t time.Time) bool { return left.contains(t) }, req)
	return when + opts, ok
}

// timesOf says the runs of rules together, over a week from tomorrow, as
// times of day on the days they run, leaving out those drop reports:
// "every weekday at 08:00, 10:00 and 14:00". ok is false when the days do
// not all have the same times, or they are too many to list.
func timesOf(rules []Rule, drop func(time.Time) bool, req *Request) (string, bool) {
	y, mo, d := req.Now.In(req.Zone).Date()
	start := time.Date(y, mo, d+1, 0, 0, 0, 0, req.Zone)
	end := start.AddDate(0, 0, 7)
	var days timewords.DaySet
	byDay := map[time.Weekday][]string{}
	for _, rule := range rules {
		for t, n := rule.Next(start.Add(-time.Nanosecond)), 0; !t.IsZero() && t.Before(end); t, n = rule.Next(t), n+1 {
			if n > 7*24*12 {
				return "", false // runs too close together to list
			}
			if drop != nil && drop(t) {
				continue
			}
			local := t.In(req.Zone)
			days |= timewords.Days(local.Weekday())
			if at := local.Format("15:04"); !slices.Contains(byDay[local.Weekday()], at) {
				byDay[local.Weekday()] = append(byDay[local.Weekday()], at)
			}
		}
	}
	var times []string
	for _, ts := range byDay {
		slices.Sort(ts)
		if times == nil {
			times = ts
		}
		if !slices.Equal(ts, times) {
			return "", false
		}
	}
	if len(times) == 0 || len(times) > mostListedTimes {
		return "", false
	}
	every := days.EveryPhrase()
	if len(days.Names(false)) > 1 && days != timewords.AllDays && days != timewords.WorkDays {
		every = strings.ToLower(strings.Join(days.Names(false), ","))
	}
	return "every " + every + " at " + timewords.JoinAnd(times), true
}

// twoWindows is a time said with two daily windows joined by "and":
// "every hour 9-12 and 13-17", "every 30 minutes between 9 and 12 and
// between 13 and 17". A rule has one window.
var twoWindows = lazyRegexp(`(?i)^(.*?)\s+(` + windowForm + `)\s+and\s+(` + windowForm + `)(\s.*)?$`)

// windowForm is one daily window as the grammar reads it.
const windowForm = `(?:between\s+\S+\s+and\s+\S+|from\s+\S+\s+(?:to|until|till)\s+\S+|\d[\d:.apm]*\s*-\s*\d[\d:.apm]*)`

// twoWindowsError refuses a time with two windows, "every hour 9-12 and
// 13-17", which no rule holds, offering the times of both listed: "every
// day at 09:00, 10:00, 11:00, 12:00, 13:00, …". parse reads a time as the
// command would (with its options or note after it); cmd begins the
// example and in ends it (the channel named, if any); what is the kind of
// thing set. nil when args has no two windows or either alone does not
// parse.
func twoWindowsError(args, cmd, in, what string, req *Request, parse func(string) (Rule, error)) error {
	m := twoWindows().FindStringSubmatch(strings.TrimSpace(args))
	if m == nil {
		return nil
	}
	head, tail := m[1], strings.TrimSpace(m[4])
	var rules []Rule
	for _, w := range []string{m[2], m[3]} {
		r, err := parse(strings.TrimSpace(head + " " + w + " " + tail))
		if err != nil {
			return nil
		}
		rules = append(rules, r)
	}
	why := fmt.Sprintf("%s takes one window of hours, not two: list the times it should come instead.", what)
	example := cmd + " every day at 9, 10, 11, 13, 14, 15 and 16" + in
	if when, ok := timesOf(rules, nil, req); ok {
		if _, err := parse(strings.TrimSpace(when + " " + tail)); err == nil {
			example = cmd + " " + strings.TrimSpace(when+" "+tail) + in
		} else if _, err := parse(when); err == nil {
			example = cmd + " " + when + in
		}
	}
	return Invalid(example, "%s", why)
}

// teamNote refuses a schedule with a note, "every day at 10 to stretch":
// a team break posts a routine to a channel and carries no note. The
// example is the schedule as typed up to the last "to" after which it
// parses ("every monday to friday at 9 to stretch"). nil when no "to"
// follows words that parse as a schedule.
func (b *Bot) teamNote(args, in string, req *Request) error {
	words := strings.Fields(args)
	for i := len(words) - 1; i > 0; i-- {
		if !strings.EqualFold(words[i], "to") {
			continue
		}
		head := strings.Join(words[:i], " ")
		if _, _, err := b.parseSchedule(head, req); err != nil {
			// The head may hold a start ("every 2 hours from 10am"),
			// which the example keeps, when what follows is no time.
			if i+1 < len(words) && startsTime(words[i+1:]) {
				continue
			}
			rest, _, _, _, err := b.splitStart(head, "schedule", req)
			if err != nil {
				continue
			}
			if _, _, err := b.parseSchedule(rest, req); err != nil {
				continue
			}
		}
		return Invalid("schedule "+head+in, "A team break has no note, only a time and break options: leave out %s.",
			quote.Short(strings.Join(words[i:], " "), 40))
	}
	return nil
}

// shareDay completes one of two one-off times said together with the day
// the other names, when it names none: in "tomorrow morning and
// afternoon" the afternoon is tomorrow's, and in "at 9 and 3 tomorrow" so
// is 9. A bare hour gets its "at" back ("3 tomorrow" is "at 3 tomorrow").
func shareDay(half, other string, parse func(string) (Rule, error)) string {
	if strings.IndexFunc(half, func(r rune) bool { return r >= '0' && r <= '9' }) == 0 {
		if _, err := parse("at " + half); err == nil {
			half = "at " + half
		}
	}
	if day := dayWords(half); day != "" {
		return half
	}
	day := dayWords(other)
	if day == "" {
		return half
	}
	for _, c := range []string{day + " " + half, half + " " + day} {
		if r, err := parse(c); err == nil && !r.Repeats() {
			return c
		}
	}
	return half
}

// dayWords returns the words of s that name a day ("tomorrow", "on
// friday", "next monday"), or "".
func dayWords(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		w = strings.Trim(w, ",.!?")
		_, isDay := timewords.ParseDays(w)
		if w != "today" && w != "tomorrow" && w != "tonight" && !isDay {
			continue
		}
		if i > 0 && (words[i-1] == "on" || words[i-1] == "next" || words[i-1] == "this") {
			return words[i-1] + " " + w
		}
		return w
	}
	return ""
}

// twoRulesError refuses two times joined by "and" that each read alone
// but not together ("every day at 9 and every monday at 10"): one
// reminder or team break has one rule, so each is set on its own. in
// ends both examples (the channel named, if any). nil when args has no
// such pair.
func twoRulesError(args, cmd, in string, parse func(string) (Rule, error)) error {
	// Both repeat, or both come once: "every morning and afternoon" is
	// one rule misread, not a repeating one and a one-off.
	parses := func(a, b string) bool {
		r1, err1 := parse(a)
		r2, err2 := parse(b)
		return err1 == nil && err2 == nil && r1.Repeats() == r2.Repeats()
	}
	if _, err := parse(args); errors.Is(err, ErrOneOffSeveral) {
		// One list of times or days for a one-off: the parser's refusal
		// names each time as the list reads it ("at 9 and 3" is 09:00
		// and 15:00), or the repeat the days make.
		return nil
	}
	lower := strings.ToLower(args)
	for from := 0; ; {
		i := strings.Index(lower[from:], " and ")
		if i < 0 {
			return nil
		}
		at := from + i
		head := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(args[:at]), ","))
		tail := strings.TrimSpace(args[at+len(" and "):])
		if r, err := parse(head); err == nil && r.Repeats() {
			// "every monday at 9am and wednesday at 3pm": the second
			// day repeats as the first does.
			if w, _ := splitWord(tail); isWeekdayName(w) && parses(head, "every "+tail) {
				tail = "every " + tail
			}
		}
		if parses(head, tail) {
			if r, _ := parse(head); !r.Repeats() {
				head, tail = shareDay(head, tail, parse), shareDay(tail, head, parse)
			}
			first, second := cmd+" "+head+in, cmd+" "+tail+in
			if r, _ := parse(head); !r.Repeats() {
				return Invalid(first, "A one-off comes once: set one for each time, `%s`, then `%s`.", first, second)
			}
			return Invalid(first, "Those are two rules in one; set them one at a time: `%s`, then `%s`.", first, second)
		}
		from = at + len(" and ")
	}
}

// isWeekdayName reports whether w names one day of the week ("wednesday",
// "wed").
func isWeekdayName(w string) bool {
	d, ok := timewords.LookupDay(strings.ToLower(strings.Trim(w, ",.;:")))
	return ok && d.Single
}
