package when

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

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
		if mm, isMonth := timewords.Month(next); isMonth {
			d, m = n, int(mm)
			ps.i += k + 1
		}
	} else if mm, isMonth := timewords.Month(tok); isMonth {
		if n, isDay := dayOfMonth(ps.peekAt(1)); isDay {
			d, m = n, int(mm)
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
