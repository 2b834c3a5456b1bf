package when

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

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
