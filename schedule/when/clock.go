package when

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

// clockForm tells how a time of day was written, which decides how a
// window reads it: "from 9 to 5" is a working day, "from 22:00 to 06:00"
// a night.
type clockForm uint8

const (
	clockBare clockForm = iota // an hour from 1 to 12 without am or pm: "9", "5:30"
	clock12                    // with am or pm, or noon or midnight
	clock24                    // plainly 24-hour: an hour from 13, 0, or a leading zero ("09:00")
)

// clock is a time of day read from tokens, in seconds after midnight.
type clock struct {
	sec  int
	form clockForm
}

// clockTime reads a time of day: 15:30, 9, 9:05, 3pm, 3 pm, 3:15pm, noon,
// midnight, and in words: nine, half past nine, quarter to five, ten past
// 3pm; "o'clock" may follow.
func (ps *whenParser) clockTime() (clock, error) {
	c, err := ps.clockDigits()
	if err == nil {
		switch ps.peek() {
		case "o'clock", "o’clock", "oclock":
			ps.take()
		}
	}
	return c, err
}

// clockWords reads an hour said in words at the cursor, with what comes
// before it: "nine", "half past nine", "quarter to five", "ten past 3pm",
// "10 past 3".
// It reports false, without moving, when the cursor holds none.
func (ps *whenParser) clockWords() (clock, bool, error) {
	start := ps.i
	minutes, used := 0, 0
	switch tok := ps.peek(); tok {
	case "half":
		minutes, used = 30, 1
	case "quarter":
		minutes, used = 15, 1
	case "a":
		if ps.peekAt(1) == "quarter" {
			minutes, used = 15, 2
		}
	default:
		// Digits go only with past or after ("10 past 3"): "9 to 5" is
		// a window.
		if n, u, ok := timewords.Number(ps.toks, ps.i); ok && n >= 1 && n <= 30 && (!allDigits(tok) || ps.peekAt(u) == "past" || ps.peekAt(u) == "after") {
			if rel := ps.peekAt(u); rel == "past" || rel == "after" || rel == "to" || rel == "till" || rel == "before" {
				minutes, used = int(n), u
				if ps.peekAt(u) == "minutes" {
					used++
				}
			} else if n <= 12 {
				// "nine", "nine thirty", "nine pm", "nine o'clock"
				ps.i += u
				sec := int(n) * 3600
				if m, mu, ok := timewords.Number(ps.toks, ps.i); ok && !allDigits(ps.peek()) && m >= 10 && m <= 59 {
					ps.i += mu
					sec += int(m) * 60
				}
				form := clockBare
				if s := ampm(ps.peek()); s != "" {
					ps.take()
					sec, form = sec%(12*3600), clock12
					if s == "pm" {
						sec += 12 * 3600
					}
				}
				return clock{sec, form}, true, nil
			}
		}
	}
	if used == 0 {
		return clock{}, false, nil
	}
	rel := ps.peekAt(used)
	if rel != "past" && rel != "after" && rel != "to" && rel != "till" && rel != "before" {
		return clock{}, false, nil
	}
	ps.i += used + 1
	hour, err := ps.clockDigits()
	if err != nil {
		return clock{}, true, err
	}
	if hour.sec%3600 != 0 {
		ps.i = start
		return clock{}, false, nil
	}
	sec := hour.sec + minutes*60
	if rel == "to" || rel == "till" || rel == "before" {
		sec = (hour.sec - minutes*60 + secondsPerDay) % secondsPerDay
	}
	return clock{sec, hour.form}, true, nil
}

// clockDigits reads a time of day written with digits, or one of the
// words clockWords reads.
func (ps *whenParser) clockDigits() (clock, error) {
	if c, ok, err := ps.clockWords(); ok || err != nil {
		return c, err
	}
	from := ps.i
	tok := ps.take()
	switch tok {
	case "":
		return clock{}, ps.failWith([]string{ps.withTokens(from, from, "10:30"), ps.withTokens(from, from, "15:30")}, "Say a time of day")
	case "noon":
		return clock{12 * 3600, clock12}, nil
	case "midnight":
		return clock{0, clock12}, nil
	}
	raw := tok
	num, suffix := tok, ""
	if i := strings.IndexAny(tok, "ap"); i >= 0 {
		num, suffix = tok[:i], tok[i:]
	} else if next := ps.peek(); ampm(next) != "" {
		suffix = ps.take()
		raw += " " + suffix
	}
	// why gives the reason for a time whose mending is known, with the
	// input mended as the example.
	why := func(fix, format string, args ...any) (clock, error) {
		return clock{}, ps.failWith([]string{ps.withTokens(from, ps.i, fix)}, format, args...)
	}
	// afternoon refuses a 24-hour afternoon time said with am or pm
	// ("1330pm", "13:30am"), naming both ways it can be said; with am it
	// is no morning time at all.
	afternoon := func(h int, m string) (clock, error) {
		c := fmt.Sprintf("%d:%s", h, m)
		if ampm(suffix) == "am" {
			return why(c, "%s is not a morning time: say %s or %d:%sam", c, c, h-12, m)
		}
		return why(c, "%s is already afternoon: say %s or %d:%spm", c, c, h-12, m)
	}
	bad := func(fix string) (clock, error) {
		var cands []string
		if compactClock(tok) != "" {
			// "from 900 to 1700": every time without its colon mended.
			cands = append(cands, ps.withCompactClocks())
		}
		if fix != "" {
			cands = append(cands, ps.withTokens(from, ps.i, fix))
		}
		if raw == "24:00" || raw == "24" {
			return clock{}, ps.failWith(cands, "%s is not a time of day; the day ends at 23:59 and midnight is 0:00", quoteText(raw))
		}
		return clock{}, ps.failWith(cands, "%s is not a time of day; use 24-hour 0:00–23:59 or 12-hour like 3pm", quoteText(raw))
	}
	if next := ps.peek(); suffix == "" && len(num) <= 2 && allDigits(num) && len(next) == 2 && allDigits(next) &&
		!isUnit(ps.peekAt(1)) && ps.peekAt(1) != "times" {
		// "at 9 30": the hour and its minutes with a space for the colon.
		ps.take()
		num += ":" + next
		raw += " " + next
		if ampm(ps.peek()) != "" {
			suffix = ps.take()
			raw += " " + suffix
		}
	} else if suffix == "" && len(num) <= 2 && allDigits(num) && len(next) > 2 && allDigits(next[:2]) && ampm(next[2:]) != "" {
		// "at 7 30pm"
		ps.take()
		num, suffix = num+":"+next[:2], next[2:]
		raw += " " + next
	}
	hs, ms, hasMin := strings.Cut(num, ":")
	if h, m, ok := strings.Cut(num, "."); !hasMin && ok && len(m) == 2 && allDigits(m) {
		hs, ms, hasMin = h, m, true // "3.30pm", "15.30"
	} else if !hasMin && ok && len(m) == 1 && allDigits(m) && allDigits(h) && len(h) <= 2 {
		return bad(h + ":" + m + "0" + suffix) // "3.3pm": half past, most likely
	}
	if len(hs) < 1 || len(hs) > 2 || !allDigits(hs) {
		if num == "2400" && suffix == "" {
			return why("00:00", "24:00 is midnight: say 00:00")
		}
		if c := compactClock(num); c != "" && ampm(suffix) != "" {
			if h, m, _ := strings.Cut(c, ":"); h > "12" && len(h) == 2 {
				// "1330pm": a 24-hour time with am or pm after it.
				hh, _ := strconv.Atoi(h)
				return afternoon(hh, m)
			}
		}
		if c := compactClock(num); c != "" {
			return bad(c + suffix) // "930": 9:30, most likely
		}
		if near, ok := nearestWord(tok, []string{"noon", "midnight"}); ok {
			return bad(near)
		}
		return bad("")
	}
	if hasMin && len(ms) == 1 && allDigits(ms) {
		return bad(hs + ":0" + ms + suffix)
	}
	if hasMin && (len(ms) != 2 || !allDigits(ms)) {
		if len(ms) > 2 && allDigits(ms[:2]) && ms[:2] <= "59" {
			return bad(hs + ":" + ms[:2] + suffix) // "9:30h": its minutes kept
		}
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
	form := clockBare
	switch ampm(suffix) {
	case "":
		switch {
		case suffix != "":
			return bad(fmt.Sprintf("%d:%02d", min(h, 23), m))
		case h == 24 && m == 0:
			return bad("midnight")
		case h > 23:
			return bad(fmt.Sprintf("23:%02d", m))
		case h == 0 || h > 12 || hs[0] == '0':
			form = clock24
		}
	case "am", "pm":
		switch {
		case h == 0:
			return bad(fmt.Sprintf("12:%02d%s", m, ampm(suffix)))
		case h > 12 && h <= 23:
			return afternoon(h, fmt.Sprintf("%02d", m))
		case h > 23:
			return bad(fmt.Sprintf("11:%02d%s", m, ampm(suffix)))
		}
		h %= 12
		if ampm(suffix) == "pm" {
			h += 12
		}
		form = clock12
	}
	return clock{h*3600 + m*60, form}, nil
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

// isClock reports whether tok can start a time of day.
func isClock(tok string) bool {
	return tok == "noon" || tok == "midnight" || tok != "" && tok[0] >= '0' && tok[0] <= '9'
}

// dayPart is a part of the day said in words, with the time it stands for
// (documented in README and the package documentation).
type dayPart struct {
	word string
	sec  int
	// afternoon says that a bare hour said with the part is after noon:
	// "this evening at 7" is 19:00.
	afternoon bool
	// from and to bound the times the part can be said with, both
	// included; night runs past midnight, so its to is below its from.
	from, to int
}

var dayParts = map[string]*dayPart{
	"morning":   {"morning", 9 * 3600, false, 4 * 3600, 12 * 3600},
	"afternoon": {"afternoon", 15 * 3600, true, 12 * 3600, 18 * 3600},
	"evening":   {"evening", 18 * 3600, true, 16 * 3600, 24*3600 - 1},
	"night":     {"night", 20 * 3600, true, 18 * 3600, 6 * 3600},
	"lunch":     {"lunch", 12 * 3600, true, 11 * 3600, 14 * 3600},
}

// holds reports whether sec, a time of day, falls in the part: "this
// morning at 4pm" names two different times.
func (p *dayPart) holds(sec int) bool {
	if p.from > p.to {
		return sec >= p.from || sec <= p.to
	}
	return sec >= p.from && sec <= p.to
}

// partTime applies a part of the day to a time said with it: a bare hour
// from 1 to 11 is read after noon in the afternoon, evening and night
// ("tonight at 11" is 23:00; "tonight at 1" stays 01:00 only for hours
// before 6 at night, which are past midnight), and a bare 12 at night is
// midnight ("tonight at 12").
func (p *dayPart) partTime(c clock) int {
	if p != nil && p.word == "night" && c.form == clockBare && c.sec/3600 == 12 {
		return c.sec - 12*3600
	}
	if p == nil || !p.afternoon || c.form != clockBare || c.sec >= 12*3600 {
		return c.sec
	}
	if p.word == "night" && c.sec < 6*3600 {
		return c.sec
	}
	return c.sec + 12*3600
}
