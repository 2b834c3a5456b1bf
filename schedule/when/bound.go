package when

import (
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// Bounded repeats: "… for 3 weeks", "… until friday", "… until
// 2027-01-31", "… 10 times". Each becomes a last instant fixed at parse
// time, so the rule ends by itself and Next stays a comparison: a count is
// the instant of its last run, and skipping or pausing a run does not add
// one at the end.

// maxCount is the most runs "… N times" may ask for.
const maxCount = 1000

// boundKind is how a repeat was bounded.
type boundKind uint8

const (
	boundNone boundKind = iota
	boundFor
	boundUntil
	boundCount
)

// bound is a bounded-repeat clause as read.
type bound struct {
	kind     boundKind
	span     timewords.Span // boundFor
	until    time.Time      // boundUntil: the last instant a run may have
	count    int            // boundCount
	from, to int            // its tokens, for mending
}

// boundedRule is a repeating rule that ends: no run after until. count is
// the number of runs asked for, the last of them at until; zero when the
// bound was a date or a length.
type boundedRule struct {
	rule  bot.Rule
	until time.Time
	count int
	loc   *time.Location
}

func (r *boundedRule) Next(t time.Time) time.Time {
	next := r.rule.Next(t)
	if next.After(r.until) {
		return time.Time{}
	}
	return next
}

func (r *boundedRule) Repeats() bool { return true }

// SkippedTimes implements bot.MovedRule for the repeating rule's runs up
// to the end.
func (r *boundedRule) SkippedTimes(t time.Time) ([]int, bool) {
	if m, ok := r.rule.(bot.MovedRule); ok && !t.After(r.until) {
		return m.SkippedTimes(t)
	}
	return nil, true
}

// End returns the last instant the rule may fire at.
func (r *boundedRule) End() time.Time { return r.until }

// Spec is the repeating rule's spec followed by " until <instant>" and, for
// a count, " times <n>".
func (r *boundedRule) Spec() string {
	s := r.rule.Spec() + " until " + r.until.UTC().Format(time.RFC3339Nano)
	if r.count > 0 {
		s += " times " + strconv.Itoa(r.count)
	}
	return s
}

func (r *boundedRule) Describe() string { return r.DescribeAt(time.Time{}) }

// RunZone implements bot.ZonedRule: the words name the repeating rule's
// zone, if any.
func (r *boundedRule) RunZone() string {
	if z, ok := r.rule.(bot.ZonedRule); ok {
		return z.RunZone()
	}
	return ""
}

// DescribeAt says the rule and its end, with years unless they are now's.
func (r *boundedRule) DescribeAt(now time.Time) string {
	s := describeAt(r.rule, now)
	if r.count == 1 {
		return s + ", once, on " + dateWords(r.until, r.loc, now, true)
	}
	if r.count > 0 {
		return s + ", " + strconv.Itoa(r.count) + " times, the last on " + dateWords(r.until, r.loc, now, true)
	}
	if _, sec := localClock(r.until, r.loc); sec == secondsPerDay-1 {
		return s + " until " + dateWords(r.until, r.loc, now, false) // the end of that day
	}
	// An end mid-minute (a run of "every hour" counted from now) is said
	// as the minute after it: nothing runs between the two.
	until := r.until
	if until.Truncate(time.Minute) != until {
		until = until.Truncate(time.Minute).Add(time.Minute)
	}
	return s + " until " + dateWords(until, r.loc, now, true)
}

// maxBoundRuns is how many runs applyBound walks to find the last run
// within a length; a rule with more ends at the length itself.
const maxBoundRuns = 10000

// lastRun returns the last run of r after now and at or before until, or
// until itself when there are more than maxBoundRuns of them.
func lastRun(r bot.Rule, now, until time.Time) time.Time {
	last := time.Time{}
	for t, k := now, 0; k < maxBoundRuns; k++ {
		next := r.Next(t)
		if next.IsZero() || next.After(until) {
			if last.IsZero() {
				return until
			}
			return last
		}
		last, t = next, next
	}
	return until
}

// describeAt says a rule relative to now when it can.
func describeAt(r bot.Rule, now time.Time) string {
	if d, ok := r.(interface{ DescribeAt(time.Time) string }); ok {
		return d.DescribeAt(now)
	}
	return r.Describe()
}

// setBound records a bound clause, refusing a second one.
func (ps *whenParser) setBound(ph *phrase, b bound, from int) error {
	if ph.bound.kind != boundNone {
		return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say only one end: a date, a length or a number of times")
	}
	b.from, b.to = from, ps.i
	ph.bound = b
	return nil
}

// forBound reads "for <length>" after "for".
func (ps *whenParser) forBound(ph *phrase, from int) error {
	// "for the next 5 days", "for the coming 2 weeks": the length.
	if ps.peek() == "the" {
		ps.take()
	}
	if w := ps.peek(); (w == "rest" || w == "remainder") && ps.peekAt(1) == "of" {
		// "for the rest of the month", "for the rest of today": until the
		// last day of this week, month or year, or today, is over.
		k := 2
		if w := ps.peekAt(k); w == "the" || w == "this" {
			k++
		}
		today, _ := localClock(ps.now, ps.loc)
		last, ok := periodEnd(today, ps.peekAt(k))
		if ps.peekAt(k) == "today" && k == 2 {
			last, ok = today, true
		}
		if !ok {
			return ps.unexpected(ps.withTokens(from, min(ps.i+k+1, len(ps.toks)), "for the rest of the month"),
				ps.withTokens(from, min(ps.i+k+2, len(ps.toks)), "for the rest of the month"))
		}
		ps.i += k + 1
		return ps.setBound(ph, bound{kind: boundUntil, until: wallInstant(ps.loc, last+1, 0).Add(-time.Second)}, from)
	}
	if w := ps.peek(); w == "next" || w == "following" || w == "coming" {
		ps.take()
	}
	_, n, err := ps.duration(false)
	if err != nil {
		return err
	}
	if n == 0 {
		if err := ps.badUnit(); err != nil {
			return err
		}
		var cands []string
		if u := ps.peek(); isUnit(u) {
			cands = append(cands, ps.withTokens(from, ps.i+1, "for 1 "+u)) // "for the coming month"
		}
		cands = append(cands, ps.withTokens(from, ps.i, "for 3 weeks"), ps.withTokens(from, len(ps.toks)))
		return ps.failWith(cands, "Say how long it should go on, like for 3 weeks")
	}
	if ps.span.Value <= 0 {
		return ps.failWith([]string{ps.withTokens(from, ps.i, "for 3 weeks")}, "The length must be more than zero")
	}
	return ps.setBound(ph, bound{kind: boundFor, span: ps.span}, from)
}

// count reads "<n> times".
func (ps *whenParser) count(ph *phrase, from int) error {
	n, used, _ := timewords.Number(ps.toks, ps.i)
	ps.i += used + 1
	switch {
	case n < 1:
		return ps.failWith([]string{ps.withTokens(from, ps.i, "10 times"), ps.withTokens(from, ps.i)}, "Say how many times, at least once")
	case n > maxCount:
		return ps.failWith([]string{ps.withTokens(from, ps.i, strconv.Itoa(maxCount)+" times")}, "%d times is too many; the most is %d", n, maxCount)
	}
	return ps.setBound(ph, bound{kind: boundCount, count: int(n)}, from)
}

// until reads the day or time after "until": "friday", "next friday",
// "tomorrow", "2027-01-31", "december 15", "5pm", "friday at 5pm". A day
// without a time lasts to its end.
func (ps *whenParser) until(ph *phrase, from int) error {
	today, _ := localClock(ps.now, ps.loc)
	day := civilDay(-1)
	tok := ps.peek()
	switch {
	case tok == "yesterday":
		ps.take()
		return ps.failWith([]string{ps.withTokens(from, ps.i, "until tomorrow"), ps.withTokens(from, ps.i)}, "Yesterday is in the past; say a day still to come")
	case tok == "today" || tok == "tonight":
		ps.take()
		day = today
	case tok == "tomorrow":
		ps.take()
		day = today + 1
	case tok == "next" || tok == "this" || isSingleDay(tok):
		if tok == "next" || tok == "this" {
			ps.take()
		}
		w, ok := timewords.LookupDay(ps.peek())
		if !ok || !w.Single {
			return ps.unexpected(ps.withTokens(from, ps.i+1, "until friday"))
		}
		ps.take()
		// "until friday" said on a Friday means the next one.
		day = today + civilDay((int(w.Days.First())-int(today.weekday())+6)%7) + 1
		if tok == "this" {
			day = today + civilDay((int(w.Days.First())-int(today.weekday())+7)%7)
		}
	case tok == "end" || tok == "the" && ps.peekAt(1) == "end":
		// "until the end of the month": the last day of this week, month
		// or year, to its end.
		k := 1
		if tok == "the" {
			k = 2
		}
		if ps.peekAt(k) == "of" {
			k++
		}
		if w := ps.peekAt(k); w == "the" || w == "this" {
			k++
		}
		last, ok := periodEnd(today, ps.peekAt(k))
		if !ok {
			// The word read as the period, or one more ("of a week").
			return ps.unexpected(ps.withTokens(from, min(ps.i+k+1, len(ps.toks)), "until the end of the month"),
				ps.withTokens(from, min(ps.i+k+2, len(ps.toks)), "until the end of the month"))
		}
		ps.i += k + 1
		day = last
	case tok == "the" && ps.peekAt(2) != "of" && !isMonth(ps.peekAt(2)):
		// "until the 15th": the next 15th
		n, used, ok := timewords.ReadOrdinal(ps.toks, ps.i+1)
		if !ok || n < 1 || n > 31 {
			return ps.unexpected(ps.withTokens(from, ps.i+2, "until the 15th"))
		}
		ps.i += 1 + used
		day = nextDayOfMonth(today, n)
	default:
		d, ok, err := ps.date()
		if err != nil {
			return err
		}
		if ok {
			if day = d.day(); day < today {
				return ps.failWith([]string{ps.withTokens(from, ps.i)}, "%s is in the past; say a day still to come", quoteText(d.text))
			}
		}
	}
	// A time: "until 5pm", "until friday at 17:00". After the day of a
	// repeat by days that has no time yet ("every day until 30 april at
	// 10"), "at 10" is the repeat's time: a daily break at the default
	// time that ends at 10 on its last day is never what was meant.
	sec := -1
	ruleTime := day >= 0 && ps.peek() == "at" && len(ph.times) == 0 && ph.part == nil && ph.rep.kind != repInterval && ph.rep.kind != repNone
	if !ruleTime && (ps.peek() == "at" && isClock(ps.peekAt(1)) || isClock(ps.peek()) && (day < 0 || !ps.startsOther(ps.i))) {
		if ps.peek() == "at" {
			ps.take()
		}
		c, err := ps.clockTime()
		if err != nil {
			return err
		}
		sec, ps.untilClock = c.sec, c
	}
	var end time.Time
	switch {
	case day < 0 && sec < 0:
		if ps.done() {
			return ps.failWith([]string{ps.withTokens(from, ps.i, "until friday")}, "Say until when")
		}
		return ps.unexpected(ps.withTokens(from, ps.i+1, "until friday"))
	case day < 0 && sec == 0:
		end = wallInstant(ps.loc, today+1, 0) // "until midnight": tonight's
	case day < 0:
		end = wallInstant(ps.loc, today, sec)
		if c := ps.untilClock; !end.After(ps.now) && c.form == clockBare && c.sec >= 3600 && c.sec+12*3600 < 21*3600 {
			// "until 6" said at 9:00 is 18:00, as "at 6" would be: the
			// next time the clock shows six, while before nine at night.
			end = wallInstant(ps.loc, today, sec+12*3600)
		}
	case sec < 0:
		end = wallInstant(ps.loc, day+1, 0).Add(-time.Second)
	default:
		end = wallInstant(ps.loc, day, sec)
	}
	if !end.After(ps.now) {
		return ps.failWith([]string{ps.withTokens(from, ps.i, "until tomorrow"), ps.withTokens(from, ps.i)}, "That end has already passed")
	}
	return ps.setBound(ph, bound{kind: boundUntil, until: end}, from)
}

// applyBound ends repeating rule r as the phrase's bound says.
func (ps *whenParser) applyBound(ph *phrase, r bot.Rule) (bot.Rule, error) {
	b := ph.bound
	var until time.Time
	switch b.kind {
	case boundNone:
		return r, nil
	case boundFor:
		// "every day at 9 for 3 weeks" ends with its last run, not at
		// this minute three weeks on.
		until = lastRun(r, ps.now, ps.later(ps.now, b.span))
	case boundUntil:
		until = b.until
	case boundCount:
		runs := NextN(r, ps.now, b.count)
		if len(runs) == 0 {
			return r, nil // refused later: it never fires
		}
		until = runs[len(runs)-1]
	}
	if first := r.Next(ps.now); !first.IsZero() && first.After(until) {
		return nil, ps.failWith([]string{ps.withTokens(b.from, b.to)}, "It ends before its first run on %s", dateWords(first, ps.loc, ps.now, true))
	}
	return &boundedRule{rule: r, until: until, count: b.count, loc: ps.loc}, nil
}

// periodEnd returns the last day of the day (today itself), week (its
// Sunday), month or year that today is in; false for another word.
func periodEnd(today civilDay, unit string) (civilDay, bool) {
	y, m, _ := today.date()
	switch unit {
	case "day":
		return today, true
	case "week":
		return today + civilDay((7-int(today.weekday()))%7), true
	case "month":
		return daysFromCivil(y, m, daysIn(y, m)), true
	case "year":
		return daysFromCivil(y, 12, 31), true
	}
	return 0, false
}

// isSingleDay reports whether tok names one day of the week.
func isSingleDay(tok string) bool {
	w, ok := timewords.LookupDay(tok)
	return ok && w.Single
}

// nextDayOfMonth returns the first day from today that is the nth of its
// month, skipping months without it.
func nextDayOfMonth(today civilDay, n int) civilDay {
	y, m, _ := today.date()
	for range 24 {
		if n <= daysIn(y, m) {
			if d := daysFromCivil(y, m, n); d >= today {
				return d
			}
		}
		if m++; m > 12 {
			m, y = 1, y+1
		}
	}
	return today
}
