package when

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

// relative reads the length after "in". The time it names is counted on
// the calendar for whole days and longer ("in 5 years" is the same date
// five years on, "in 2 days" the same wall time) and in elapsed time for
// the rest.
func (ps *whenParser) relative(ph *phrase, from int) error {
	ps.ex = exampleIn
	d, n, err := ps.duration(false)
	if err != nil {
		return err
	}
	d += ps.minutesAfterHours(n)
	if err := ps.badUnit(); err != nil {
		return err
	}
	if n == 0 {
		if ps.done() {
			return ps.fail("Say how long from now")
		}
		return ps.unexpected()
	}
	if d <= 0 {
		return ps.failWith(ps.mendDuration(), "The time from now must be more than zero")
	}
	if d < time.Second {
		// "in 0.5 seconds": runs are kept to whole seconds, so it would
		// fall on now and never fire.
		return ps.failWith([]string{ps.withTokens(ps.durFrom, ps.durTo, "5 seconds")}, "Units below a second are not supported; use seconds or longer")
	}
	if ph.hasRel {
		return ps.failWith([]string{ps.withTokens(from, ps.i)}, "Say in … only once")
	}
	ph.rel, ph.hasRel, ph.relFrom, ph.relTo = ps.span, true, from, ps.i
	if ps.later(ps.now, ps.span).After(ps.limit()) {
		return ps.tooFar(strings.Join(ps.toks[ps.durFrom:ps.durTo], " "), "in "+ps.aheadWords())
	}
	return nil
}

// minutesAfterHours reads a bare number after a length in hours as
// minutes ("in 1 hour 30", "in 2 hrs 15"), as the glued "1h30" is, and
// returns them. Without it the number was taken for the break's length.
// Only a number that ends the time is read so: one with a word after it
// ("in 2 hours 5 times", "in 1 hour 30 parsecs") is left to the grammar.
func (ps *whenParser) minutesAfterHours(parts int) time.Duration {
	tok, next := ps.peek(), ps.peekAt(1)
	if parts == 0 || ps.durUnit != time.Hour || ps.span.Value%time.Hour != 0 || len(tok) > 2 || !allDigits(tok) || next != "" {
		return 0
	}
	m, _ := strconv.Atoi(tok)
	if m < 1 || m > 59 {
		return 0
	}
	ps.take()
	add := time.Duration(m) * time.Minute
	ps.span.Value += add
	ps.span.Clock += add
	ps.span.Unit, ps.span.To, ps.durUnit = time.Minute, ps.i, time.Minute
	ps.durTo = ps.i
	return add
}

// later returns the instant a length after t: whole months and days on
// the calendar in the parser's zone (the same wall time; a day that a
// shorter month lacks becomes its last), the rest in elapsed time.
func (ps *whenParser) later(t time.Time, sp timewords.Span) time.Time {
	if sp.Months == 0 && sp.Days == 0 {
		return t.Add(sp.Clock)
	}
	day, sec := localClock(t, ps.loc)
	y, m, d := day.date()
	months := int64(m-1) + sp.Months
	y += floorDiv(months, 12)
	m = int(floorMod(months, 12)) + 1
	d = min(d, daysIn(y, m))
	return wallInstant(ps.loc, daysFromCivil(y, m, d)+civilDay(sp.Days), sec).Add(sp.Clock)
}

// limit is the furthest instant a first run may have: MaxAhead from now,
// or five calendar years.
func (ps *whenParser) limit() time.Time {
	if ps.limitAt.IsZero() {
		ps.limitAt = ps.now.Add(ps.MaxAhead)
		if ps.MaxAhead <= 0 {
			ps.limitAt = ps.later(ps.now, timewords.Span{Months: 60})
		}
	}
	return ps.limitAt
}

// mendDuration offers the last duration read with a sensible amount of
// its unit instead, then the shortest repeat allowed.
func (ps *whenParser) mendDuration() []string {
	var cands []string
	if ps.durFrom >= 0 && ps.durUnit > 0 {
		n := map[time.Duration]time.Duration{time.Second: 30, time.Minute: 20}[ps.durUnit]
		cands = append(cands, ps.withTokens(ps.durFrom, ps.durTo, timewords.FormatDuration(max(n, 1)*ps.durUnit)))
	}
	if ps.MinInterval > 0 && ps.durFrom >= 0 {
		cands = append(cands, ps.withTokens(ps.durFrom, ps.durTo, timewords.FormatDuration(ps.MinInterval.Round(time.Second))))
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
	if mm, ok := strings.CutPrefix(word, ":"); ok && len(mm) == 2 && allDigits(mm) && mm < "60" && used == 1 && at > 0 &&
		(ps.toks[at-1] == "in" || ps.toks[at-1] == "every") {
		// "in 1:30", "every 1:30": hours and minutes written as a clock.
		m, _ := strconv.Atoi(mm)
		length := timewords.FormatDuration(time.Duration(n)*time.Hour + time.Duration(m)*time.Minute)
		clock := ps.withTokens(at-1, at+1, "at", tok)
		if ps.toks[at-1] == "every" {
			clock = ps.withTokens(at-1, at+1, "every", "day", "at", tok)
		}
		return ps.failWith([]string{ps.withTokens(at, at+1, length), clock},
			"%s is written as a clock: a length needs its units, and a time of day goes after `at`", quoteText(tok))
	}
	if isUnit(word) && word != "" || word == "times" || isMonth(word) {
		return nil // a unit, a count ("10 times") or a date ("14 march")
	}
	if timewords.SubSecond(word) {
		cands := []string{ps.withTokens(at, at+used, "5 seconds")}
		if ps.MinInterval > 0 {
			cands = append(cands, ps.withTokens(at, at+used, timewords.FormatDuration(ps.MinInterval.Round(time.Second))))
		}
		if ps.MinInterval > time.Second {
			return ps.failWith(cands, "Units below a second are not supported; the shortest repeat allowed is %s", timewords.FormatDuration(ps.MinInterval))
		}
		return ps.failWith(cands, "Units below a second are not supported; use seconds or longer")
	}
	unit := "minutes"
	if n == 1 {
		unit = "minute"
	}
	if _, isDay := timewords.LookupDay(word); word == "" || isDay || slices.Contains([]string{"at", "on", "between", "from", "and", "to"}, word) {
		// "in 5", "every 5 on weekdays": the unit is missing.
		if c := compactClock(num); c != "" && at > 0 && ps.toks[at-1] == "every" && word == "" {
			// "every 1230": a time of day without its colon, most likely.
			return ps.failWith([]string{ps.withTokens(at, at+1, "day", "at", c)},
				"Say the unit after %s; a time of day goes after at, with its colon", num)
		}
		return ps.failWith([]string{ps.withTokens(at+1, at+1, unit), ps.withTokens(at, at+1, num, "hours")},
			"Say the unit after %s, such as minutes or hours", num)
	}
	var cands []string
	if near, ok := nearestWord(word, timewords.UnitNames()); ok {
		if n != 1 && !strings.HasSuffix(near, "s") {
			near += "s"
		}
		cands = append(cands, ps.withTokens(at, at+used, num, near))
	}
	cands = append(cands, ps.withTokens(at, at+used, num, unit))
	return ps.failWith(cands, "%s is not a unit of time; use seconds, minutes, hours, days, weeks or months", quoteText(word))
}

// bareUnits may follow "every" without a number ("every hour"). Days,
// weeks, months and years are read as calendar words instead.
var bareUnits = []string{"second", "sec", "minute", "min", "hour", "hr"}

// duration reads a length of time at the cursor ("1 hour 30 minutes",
// "1h30m", "a minute"); n counts the parts read. With bare set a lone unit
// word counts as one of it.
func (ps *whenParser) duration(bare bool) (d time.Duration, n int, err error) {
	ps.durFrom, ps.durTo = ps.i, ps.i
	defer func() { ps.durTo = ps.i }()
	sp, err := timewords.Read(ps.toks, ps.i)
	if err != nil {
		return 0, 0, ps.badLength(err)
	}
	if end, again := sp.Again(ps.toks); again {
		// "in 5 minutes 5 minutes": a second length is not added on.
		return 0, 0, ps.failWith([]string{ps.withTokens(sp.To, end)}, "Give the length once, like `%s`",
			strings.Join(ps.toks[sp.From:sp.To], " "))
	}
	if sp.Parts > 0 {
		ps.i, ps.durUnit, ps.span = sp.To, sp.Unit, sp
		return sp.Value, sp.Parts, nil
	}
	if w := ps.peek(); bare && slices.Contains(bareUnits, w) {
		u, _ := timewords.Unit(w)
		ps.take()
		ps.durUnit, ps.span = u, timewords.Span{Value: u, Parts: 1, Unit: u, Clock: u}
		return u, 1, nil
	}
	return 0, 0, nil
}

// badLength refuses a part of a length that is too long or negative,
// offering it mended.
func (ps *whenParser) badLength(err error) error {
	var pe *timewords.PartError
	if !errors.As(err, &pe) {
		return ps.fail("That is not a length of time")
	}
	if errors.Is(err, timewords.ErrTooLong) {
		return ps.tooFar(pe.Text)
	}
	cands := []string{ps.withTokens(pe.From, pe.From+pe.Used, timewords.FormatDuration(-pe.Value))}
	if ps.MinInterval > 0 {
		cands = append(cands, ps.withTokens(pe.From, pe.From+pe.Used, timewords.FormatDuration(ps.MinInterval.Round(time.Second))))
	}
	return ps.failWith(cands, "%s is not a positive length of time", quoteText(pe.Text))
}
