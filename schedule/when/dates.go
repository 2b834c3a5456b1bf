package when

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

func isoDate(d civilDay) string {
	y, m, dd := d.date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// dateRef is a date read from tokens. A date said without a year has y set
// to the year of its next occurrence from today, for one-offs; yearly
// rules use only the month and day.
type dateRef struct {
	y        int64
	m, d     int
	yearSaid bool
	text     string // as typed, for messages
	from, to int
}

func (d dateRef) day() civilDay { return daysFromCivil(d.y, d.m, d.d) }

// dayMonth says a day of the year as the grammar reads it: "1 march".
func dayMonth(m, d int) string {
	return strconv.Itoa(d) + " " + strings.ToLower(time.Month(m).String())
}

// peekDate reports whether a date starts at the cursor without moving it;
// err is set for a date that cannot be one ("2027-02-30", "12/25").
func (ps *whenParser) peekDate() (dateRef, bool, error) {
	at := ps.i
	d, ok, err := ps.date()
	ps.i = at
	return d, ok, err
}

// date reads a date at the cursor: 2027-01-04, 14 march, the 14th of mar
// 2027, march 14, march 14th, 2027, march the 14th. ok is false, and the
// cursor unmoved, when the tokens are not shaped like a date at all.
func (ps *whenParser) date() (dateRef, bool, error) {
	from := ps.i
	tok := ps.peek()
	if len(tok) == 10 && tok[4] == '-' && tok[7] == '-' {
		ps.take()
		y, err1 := strconv.Atoi(tok[:4])
		m, err2 := strconv.Atoi(tok[5:7])
		d, err3 := strconv.Atoi(tok[8:])
		if err1 != nil || err2 != nil || err3 != nil || y < 0 || m < 0 || d < 0 {
			return dateRef{}, true, ps.fail("%s is not a date; use year-month-day like 2027-01-04", quoteText(tok))
		}
		return ps.checkDate(dateRef{y: int64(y), m: m, d: d, yearSaid: true, text: tok, from: from, to: ps.i})
	}
	if strings.Count(tok, "/") > 0 && tok[0] >= '0' && tok[0] <= '9' {
		return dateRef{}, true, ps.slashDate(tok)
	}
	if dayDotMonth(tok, ps.i > 0 && ps.toks[ps.i-1] == "on") {
		// "25.12.", "on 1.12": a day and month written with a dot.
		return dateRef{}, true, ps.slashDate(strings.TrimSuffix(tok, "."))
	}
	if strings.Count(tok, ".") == 2 && tok[0] >= '0' && tok[0] <= '9' && !strings.HasSuffix(tok, ".") {
		// "14.03.2027": day first where dates are written with dots.
		return dateRef{}, true, ps.slashDate(tok)
	}
	// Day and month in either order, then an optional year.
	var d, m int
	k := 0
	if tok == "the" {
		k = 1
	}
	if n, used, isDay := ps.dayNumber(ps.i + k); isDay {
		j := ps.i + k + used
		if ps.peekAt(j-ps.i) == "of" {
			j++
		}
		if mm, isMonth := timewords.Month(ps.peekAt(j - ps.i)); isMonth {
			d, m = n, int(mm)
			ps.i = j + 1
		}
	} else if mm, isMonth := timewords.Month(tok); isMonth && k == 0 {
		j := ps.i + 1
		if ps.peekAt(1) == "the" {
			j++
		}
		if n, used, isDay := ps.dayNumber(j); isDay {
			d, m = n, int(mm)
			ps.i = j + used
		}
	}
	if m == 0 {
		return dateRef{}, false, nil
	}
	ref := dateRef{m: m, d: d, from: from}
	k = 0
	if ps.peek() == "," {
		k = 1
	}
	if yt := ps.peekAt(k); len(yt) == 4 && allDigits(yt) {
		y, _ := strconv.Atoi(yt)
		ref.y, ref.yearSaid = int64(y), true
		ps.i += k + 1
	}
	ref.to = ps.i
	ref.text = strings.Join(ps.toks[from:ps.i], " ")
	if !ref.yearSaid {
		today, _ := localClock(ps.now, ps.loc)
		ref.y, _, _ = today.date()
		// The month's next occurrence; a day it never has ("31 april") is
		// refused for that month, not looked for in a later year.
		if daysFromCivil(ref.y, m, min(d, daysIn(ref.y, m))) < today {
			ref.y++
		}
		for i := 0; i < 8 && d == 29 && m == 2 && !isLeap(ref.y); i++ {
			ref.y++
		}
	}
	return ps.checkDate(ref)
}

// dayNumber reads a day of the month at token k: "14", "14th", "first",
// "twenty-first".
func (ps *whenParser) dayNumber(k int) (int, int, bool) {
	if k < len(ps.toks) {
		if tok := ps.toks[k]; allDigits(tok) && len(tok) <= 2 {
			n, _ := strconv.Atoi(tok)
			return n, 1, true
		}
	}
	return timewords.ReadOrdinal(ps.toks, k)
}

// checkDate refuses a day that does not exist, offering the nearest one
// that does, as year-month-day and as the user wrote it without a year, in
// place of the date's tokens.
func (ps *whenParser) checkDate(r dateRef) (dateRef, bool, error) {
	y, m, d := r.y, r.m, r.d
	fix := func(m, d int) []string {
		m = min(max(m, 1), 12)
		d = min(max(d, 1), daysIn(y, m))
		iso := ps.withTokens(r.from, ps.i, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
		switch {
		case r.yearSaid && !strings.Contains(r.text, "-"):
			// "29 february 2027": the same words with the day mended.
			return []string{ps.withTokens(r.from, ps.i, dayMonth(m, d), strconv.FormatInt(y, 10)), iso}
		case !r.yearSaid:
			// "31 april": the same words, still without a year.
			return []string{ps.withTokens(r.from, ps.i, dayMonth(m, d)), iso}
		}
		return []string{iso, ps.withTokens(r.from, ps.i, dayMonth(m, d))}
	}
	switch {
	case m < 1 || m > 12:
		return r, true, ps.failWith(fix(m, d), "%s is not a date; there is no month %d", quoteText(r.text), m)
	case d < 1:
		return r, true, ps.failWith(fix(m, d), "%s is not a date; days start at 1", quoteText(r.text))
	case d > daysIn(y, m) && !r.yearSaid:
		// Said without a year: the month's length, the same every year
		// but February's.
		long := ""
		if m == 2 {
			long = " (29 in a leap year)"
		}
		return r, true, ps.failWith(fix(m, d), "%s is not a date; %s has %d days%s", quoteText(r.text), time.Month(m), daysIn(y, m), long)
	case d > daysIn(y, m):
		return r, true, ps.failWith(fix(m, d), "%s is not a date; %s %d has %d days", quoteText(r.text), time.Month(m), y, daysIn(y, m))
	}
	return r, true, nil
}

// dayDotMonth reports whether tok is a day and a month written with a dot
// ("25.12.", "25.12"), not a time with a dot ("9.30"): a day no clock
// shows, a dot after the month, or either after "on".
func dayDotMonth(tok string, afterOn bool) bool {
	trimmed := strings.TrimSuffix(tok, ".")
	d, m, ok := strings.Cut(trimmed, ".")
	if !ok || len(d) == 0 || len(d) > 2 || len(m) == 0 || len(m) > 2 {
		return false
	}
	a, err1 := strconv.Atoi(d)
	b, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || d[0] == '-' || d[0] == '+' || m[0] == '-' || m[0] == '+' || a < 1 || a > 31 || b < 1 || b > 12 {
		return false
	}
	return a > 24 || trimmed != tok || afterOn
}

// slashDate refuses "12/25", which reads differently around the world,
// offering it with the month as a word: the only reading when one number
// cannot be a month, else the reading of the caller's zone (month first
// in the Americas).
func (ps *whenParser) slashDate(tok string) error {
	sep, dotted := "/", strings.Contains(tok, ".")
	if dotted {
		sep = "."
	}
	parts := strings.Split(tok, sep)
	var nums []int
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(parts) > 3 {
			return ps.failWith(nil, "%s is not a date; write the month as a word, like december 25", quoteText(tok))
		}
		nums = append(nums, n)
	}
	if len(nums) < 2 {
		return ps.failWith(nil, "%s is not a date; write the month as a word, like december 25", quoteText(tok))
	}
	a, b := nums[0], nums[1]
	year := ""
	if len(nums) == 3 {
		year = " " + strconv.Itoa(nums[2])
		if nums[2] < 100 {
			year = " " + strconv.Itoa(2000+nums[2])
		}
	}
	if len(parts[0]) == 4 && len(nums) == 3 {
		// 2027/01/31
		return ps.failWith([]string{ps.withTokens(ps.i, ps.i+1, fmt.Sprintf("%04d-%02d-%02d", a, b, nums[2]))},
			"%s is not a date; write it with dashes, year first", quoteText(tok))
	}
	monthFirst := strings.HasPrefix(ps.loc.String(), "America/") && !dotted
	switch {
	case a > 12 && b <= 12:
		monthFirst = false
	case b > 12 && a <= 12:
		monthFirst = true
	}
	var words string
	switch {
	case monthFirst && a >= 1 && a <= 12:
		words = strings.ToLower(time.Month(a).String()) + " " + strconv.Itoa(b) + year
	case !monthFirst && b >= 1 && b <= 12:
		words = strconv.Itoa(a) + " " + strings.ToLower(time.Month(b).String()) + year
	}
	var cands []string
	if words != "" {
		cands = append(cands, ps.withTokens(ps.i, ps.i+1, words))
	}
	if dotted {
		return ps.failWith(cands, "Write the month as a word, so the date reads the same everywhere")
	}
	return ps.failWith(cands, "Dates with slashes read differently around the world; write the month as a word")
}

// onClause reads what follows "on" (or a day of the month or a date said
// without it): days of the week, a date, or days of the month.
func (ps *whenParser) onClause(ph *phrase, from int) error {
	tok := ps.peek()
	if isDayWord(tok) {
		return ps.weekdays(ph, from)
	}
	at := ps.i
	d, ok, err := ps.date()
	if err != nil {
		return err
	}
	if ok {
		if err := ps.setDay(ph, from); err != nil {
			return err
		}
		ph.date, ph.hasDate = d, true
		return ps.optionalPart(ph)
	}
	ps.i = at
	if tok == "the" || tok == "last" {
		return ps.monthDays(ph, from)
	}
	if _, _, ok := timewords.ReadOrdinal(ps.toks, ps.i); ok {
		return ps.monthDays(ph, from)
	}
	return ps.unexpected()
}

// monthDays reads days of the month: "the 1st", "the 1st and 15th", "the
// last day", "the last friday", "the 2nd tuesday", each optionally followed
// by "of every month", "of each month" or "of the month". "of every month"
// makes the rule monthly.
func (ps *whenParser) monthDays(ph *phrase, from int) error {
	if err := ps.setDay(ph, from); err != nil {
		return err
	}
	if ps.peek() == "the" {
		ps.take()
	}
	for {
		at := ps.i
		n, used, ok := timewords.ReadOrdinal(ps.toks, ps.i)
		if ps.peek() == "last" {
			n, used, ok = -1, 1, true
		}
		if !ok {
			return ps.unexpected(ps.withTokens(at, at+1, "1st"))
		}
		ps.i += used
		switch w, isDay := timewords.LookupDay(ps.peek()); {
		case isDay && w.Single && ph.mdays == 0 && !ph.lastDay && ph.nth == 0:
			// "the last friday", "the 2nd tuesday"
			if n > 5 {
				return ps.failWith([]string{ps.withTokens(at, at+used, "last")}, "No month has a %s %s", timewords.Ordinal(n), ps.peek())
			}
			ph.nth, ph.nthDay = n, w.Days.First()
			ps.take()
		case ps.peek() == "day" && n == -1:
			ps.take()
			ph.lastDay = true
		case isDay && !w.Single:
			// "the last weekday", "the 1st weekend": a monthly day is
			// one day of the week, or a day of the month.
			cands := []string{ps.withTokens(ps.i, ps.i+1, "friday")}
			if n == -1 {
				cands = append(cands, ps.withTokens(ps.i, ps.i+1, "day"))
			}
			return ps.failWith(cands, "A monthly reminder falls on one day of the week, like the %s friday", ordinalWord(n))
		case n == -1:
			return ps.failWith([]string{ps.withTokens(at, at+used, "last", "day")}, "Say which last: the last day or the last friday")
		default:
			if ps.peek() == "day" {
				ps.take() // "the first day of every month"
			}
			if n < 1 || n > 31 {
				return ps.failWith([]string{ps.withTokens(at, at+used, "31st"), ps.withTokens(at, at+used, "last day")},
					"There is no %s day of a month; the last is the 31st (or the 28th, 29th or 30th)", timewords.Ordinal(n))
			}
			ph.mdays |= 1 << n
		}
		if sep := ps.peek(); (sep == "and" || sep == ",") && ph.nth == 0 && ps.monthDayAt(ps.i+1) {
			ps.take()
			if ps.peek() == "the" {
				ps.take()
			}
			continue
		}
		if ps.peek() == "," && ps.peekAt(1) == "and" && ph.nth == 0 && ps.monthDayAt(ps.i+2) {
			ps.i += 2 // "the 1st, 15th, and 28th": a comma before the last "and"
			if ps.peek() == "the" {
				ps.take()
			}
			continue
		}
		break
	}
	ph.mdTo = ps.i
	if w, isDay := timewords.LookupDay(ps.peek()); isDay && w.Single && ph.mdays&(ph.mdays-1) != 0 {
		// "every 2nd and 4th tuesday": a rule holds one week of the month.
		first := bits.TrailingZeros32(ph.mdays)
		rest := ps.toks[ps.i+1:]
		if len(rest) > 0 && rest[0] == "of" {
			// "… of every month" is said by the example already.
			if k := slices.IndexFunc(rest, func(t string) bool { return t == "month" || t == "months" }); k >= 0 {
				rest = rest[k+1:]
			}
		}
		cand := slices.Concat(ps.toks[:from], []string{"on", "the", timewords.Ordinal(first), ps.peek(), "of", "every", "month"}, rest)
		return ps.failWith([]string{strings.Join(cand, " ")},
			"A reminder can fall on one week of the month, like the %s %s; set one for each", timewords.Ordinal(first), ps.peek())
	}
	if ps.peek() != "of" {
		return ps.optionalPart(ph)
	}
	ps.take()
	switch tok := ps.peek(); {
	case tok == "the" && ps.peekAt(1) == "month":
		ps.i += 2
	case tok == "every" || tok == "each":
		at := ps.i
		ps.take()
		n := int64(1)
		if ps.peek() == "other" {
			n = 2
			ps.take()
		} else if k, used, ok := timewords.Number(ps.toks, ps.i); ok && k > 1 {
			n = k
			ps.i += used
		}
		if w := ps.peek(); w != "month" && w != "months" {
			return ps.unexpected(ps.withTokens(ps.i, ps.i+1, "month"))
		}
		ps.take()
		if err := ps.setRepeat(ph, repeat{kind: repMonthly, n: n}, at); err != nil {
			return err
		}
	default:
		return ps.unexpected(ps.withTokens(ps.i, ps.i+1, "every", "month"))
	}
	return ps.optionalPart(ph)
}

// monthDayAt reports whether a day of the month starts at token k.
func (ps *whenParser) monthDayAt(k int) bool {
	if k < len(ps.toks) && (ps.toks[k] == "the" || ps.toks[k] == "last") {
		return true
	}
	_, _, ok := timewords.ReadOrdinal(ps.toks, k)
	return ok
}

// ordinalWord is n as an ordinal, with -1 (as monthDays reads "last") as
// "last".
func ordinalWord(n int) string {
	if n == -1 {
		return "last"
	}
	return timewords.Ordinal(n)
}
