package timewords

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors a length of time can have. Readers wrap them in a *PartError that
// says which part.
var (
	// ErrTooLong: the length does not fit in a time.Duration (about 292
	// years).
	ErrTooLong = errors.New("too long")
	// ErrNegative: a part is less than zero ("-5 min").
	ErrNegative = errors.New("negative")
	// ErrNotDuration: the text is not a length of time at all.
	ErrNotDuration = errors.New("not a length of time")
	// ErrTwice: the length goes on with a unit it has already said, or a
	// larger one ("5 minutes 5 minutes", "30 minutes 1 hour").
	ErrTwice = errors.New("length given twice")
)

// Part is one amount of one unit read from tokens ("2 weeks", "an hour"),
// or several number-unit pairs glued into one token ("1h30m").
type Part struct {
	Value time.Duration // may be negative
	Unit  time.Duration // the unit named last: Minute for "1h30m"
	Used  int           // tokens read
	Text  string        // those tokens as typed, for messages: "2 weeks"
}

// PartError is a part that was read but cannot be used: too long or
// negative. From is the index of its first token. For ErrTwice it is the
// length as first given, which a message can offer on its own.
type PartError struct {
	Part
	From int
	Err  error // ErrTooLong, ErrNegative or ErrTwice
}

func (e *PartError) Error() string { return fmt.Sprintf("%q: %v", e.Text, e.Err) }

func (e *PartError) Unwrap() error { return e.Err }

// ReadPart reads one part at toks[i]: "<amount> <unit>", a fraction of a
// unit, or number-unit pairs glued into one token. Amounts are whole
// numbers, possibly negative ("5", "-5"), decimals ("1.5"), number words
// ("one" … "sixty", "twenty five"), "a", "an" and "a couple of", each
// optionally followed by "and a half" ("one and a half hours", "an hour
// and a half"). Fractions are "half an hour", "a quarter of an hour",
// "three quarters of an hour". Glued pairs are "2h", "1h30m", "1.5h" and
// "1h30" (a last number without a unit counts in the next smaller unit).
// ok is false when toks[i] does not start a part; err is a *PartError when
// the part is too long to hold. Negative parts are returned, not refused:
// only the caller knows how to mend them.
func ReadPart(toks []string, i int) (p Part, ok bool, err error) {
	if i < 0 || i >= len(toks) {
		return Part{}, false, nil
	}
	a, used, isAmount := readFraction(toks, i)
	if !isAmount {
		a, used, isAmount = readAmount(toks, i)
	}
	if isAmount {
		if u, isUnit := units[at(toks, i+used)]; isUnit {
			used++
			if a.den == 1 && isHalf(toks, i+used) {
				// "an hour and a half"
				a, used = amount{a.num*2 + 1, 2}, used+3
			}
			p = Part{Unit: u, Used: used, Text: strings.Join(toks[i:i+used], " ")}
			p.Value, err = a.of(u)
			return p, true, partErr(p, i, err)
		}
	}
	return readGlued(toks[i], i)
}

// at returns toks[i], or "" past either end.
func at(toks []string, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i]
}

// amount is a number of units, num/den. den divides the nanoseconds of a
// second, so that every unit splits into it exactly.
type amount struct{ num, den int64 }

// of returns the amount of unit u.
func (a amount) of(u time.Duration) (time.Duration, error) {
	step := u / time.Duration(a.den)
	if a.num > int64(maxDuration/step) || a.num < -int64(maxDuration/step) {
		return 0, ErrTooLong
	}
	return time.Duration(a.num) * step, nil
}

// isHalf reports whether toks[i:] starts with "and a half".
func isHalf(toks []string, i int) bool {
	return at(toks, i) == "and" && (at(toks, i+1) == "a" || at(toks, i+1) == "one") && at(toks, i+2) == "half"
}

// readAmount reads the number before a unit word ("5", "1.5", "twenty
// five", "a couple of", "a few" (three), "one and a half"). It is the one place that knows
// how users write amounts.
func readAmount(toks []string, i int) (amount, int, bool) {
	tok := toks[i]
	var a amount
	used := 1
	switch {
	case tok == "couple" || (tok == "a" || tok == "an") && at(toks, i+1) == "couple":
		// "a couple of hours", "a couple hours", "couple of minutes"
		if tok != "couple" {
			used++
		}
		if at(toks, i+used) == "of" {
			used++
		}
		return amount{2, 1}, used, true
	case tok == "few" || tok == "a" && at(toks, i+1) == "few":
		// "a few minutes", "every few hours": three
		if tok != "few" {
			used++
		}
		return amount{3, 1}, used, true
	case tok == "a" || tok == "an":
		a = amount{1, 1}
	default:
		if d, ok := readDecimal(tok); ok {
			a = d
		} else if n, k, ok := Number(toks, i); ok {
			a, used = amount{n, 1}, k
		} else {
			return amount{}, 0, false
		}
	}
	if a.den == 1 && a.num >= 0 && isHalf(toks, i+used) {
		if _, isUnit := units[at(toks, i+used+3)]; isUnit {
			return amount{a.num*2 + 1, 2}, used + 3, true
		}
	}
	return a, used, true
}

// readDecimal reads "5", "-5" or "1.5" (up to nine decimals).
func readDecimal(tok string) (amount, bool) {
	s, neg := strings.CutPrefix(tok, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(whole) || hasFrac && (!allDigits(frac) || len(frac) > 9) {
		return amount{}, false
	}
	a := amount{den: 1}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		n = 1 << 62 // too large: of reports it
	}
	for range len(frac) {
		a.den *= 10
	}
	a.num = n
	if neg {
		a.num = -n
	}
	return a, true
}

// readFraction reads "half an hour", "half hour", "a half hour", "a
// quarter of an hour", "three quarters of an hour", "half a day".
func readFraction(toks []string, i int) (amount, int, bool) {
	j, n := i, int64(1)
	switch tok := toks[i]; tok {
	case "a", "an", "one":
		j++
	default:
		if k, used, ok := Number(toks, i); ok && !allDigits(tok) {
			n, j = k, i+used
		}
	}
	var den int64
	switch at(toks, j) {
	case "half":
		den = 2
	case "quarter", "quarters":
		den = 4
	default:
		return amount{}, 0, false
	}
	j++
	if at(toks, j) == "of" {
		j++
	}
	if w := at(toks, j); w == "a" || w == "an" {
		j++
	}
	if _, isUnit := units[at(toks, j)]; !isUnit {
		return amount{}, 0, false
	}
	return amount{n, den}, j - i, true
}

// smaller is the unit a bare number after u counts in: "1h30" is 1 hour
// 30 minutes.
var smaller = map[time.Duration]time.Duration{time.Hour: time.Minute, time.Minute: time.Second}

// readGlued reads number-unit pairs written as one token: "2h", "1h30m",
// "1.5h", "1h30".
func readGlued(tok string, at int) (Part, bool, error) {
	s := tok
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return Part{}, false, nil
	}
	p := Part{Used: 1, Text: tok}
	for s != "" {
		j := 0
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
			k++
		}
		u, isUnit := units[s[j:k]]
		if j == k && k == len(s) && p.Unit != 0 {
			u, isUnit = smaller[p.Unit] // "1h30"
		}
		a, isNumber := readDecimal(s[:j])
		if j == 0 || !isUnit || !isNumber {
			return Part{}, false, nil
		}
		p.Unit = u
		v, err := a.of(u)
		if err != nil || p.Value > maxDuration-v {
			return p, true, partErr(p, at, ErrTooLong)
		}
		p.Value += v
		s = s[k:]
	}
	if neg {
		p.Value = -p.Value
	}
	return p, true, nil
}

const maxDuration = time.Duration(1<<63 - 1)

func partErr(p Part, at int, err error) error {
	if err == nil {
		return nil
	}
	return &PartError{Part: p, From: at, Err: err}
}

// Span is a length of time read from tokens: toks[From:To] held Parts
// parts, the last of them in Unit.
type Span struct {
	Value    time.Duration
	From, To int
	Parts    int
	Unit     time.Duration
	// The same length for readers that step the calendar: whole years
	// (twelve each) and months in Months, whole weeks (seven each) and days
	// in Days, and everything else, elapsed, in Clock. "in 5 years" is then
	// the same date five years on, whatever the leap days.
	Months, Days int64
	Clock        time.Duration
}

// add counts part p into the calendar breakdown.
func (sp *Span) add(p Part) {
	n := int64(p.Value / p.Unit)
	if p.Unit < Day || p.Value%p.Unit != 0 {
		sp.Clock += p.Value
		return
	}
	switch p.Unit {
	case Year:
		sp.Months += 12 * n
	case MonthLength:
		sp.Months += n
	default:
		sp.Days += int64(p.Value / Day)
	}
}

// Read reads a length of time at toks[i]: one or more parts, side by side
// or joined by "and" or a comma, each in a smaller unit than the one before
// ("1 hour 30 minutes", "1h and 30m"). It stops before the first token that
// does not continue the length; a Span with no Parts means there was none.
// A part in a unit already said, or a larger one, does not continue it ("5
// minutes 5 minutes" is not 10 minutes): it is a second length, which
// Again reports. The error is a *PartError for a part that is too long
// (alone or added up) or negative.
func Read(toks []string, i int) (Span, error) {
	sp := Span{From: i, To: i}
	for {
		at := sp.To
		if sp.Parts > 0 && at < len(toks) && (toks[at] == "and" || toks[at] == ",") {
			at++
		}
		p, ok, err := ReadPart(toks, at)
		if !ok || sp.Parts > 0 && p.Unit >= sp.Unit {
			return sp, nil
		}
		if err != nil {
			return sp, err
		}
		if sp.Value > 0 && p.Value > maxDuration-sp.Value {
			return sp, partErr(p, at, ErrTooLong)
		}
		if p.Value < 0 {
			return sp, partErr(p, at, ErrNegative)
		}
		sp.Value += p.Value
		sp.add(p)
		sp.Parts++
		sp.To = at + p.Used
		sp.Unit = p.Unit
	}
}

// Again reports whether a second length follows sp in toks, as a part
// that Read did not take because its unit was not smaller ("5 minutes 5
// minutes"), and returns the index just past that part.
func (sp Span) Again(toks []string) (end int, ok bool) {
	if sp.Parts == 0 {
		return 0, false
	}
	at := sp.To
	if at < len(toks) && (toks[at] == "and" || toks[at] == ",") {
		at++
	}
	p, ok, _ := ReadPart(toks, at)
	if !ok || p.Unit < sp.Unit {
		return 0, false
	}
	return at + p.Used, true
}

// ParseDuration reads a whole string as a length of time: "2 weeks", "1
// hour 30 minutes", "90s", "2h", "1h30m", "an hour". The error wraps
// ErrNotDuration, ErrTooLong, ErrNegative or ErrTwice.
func ParseDuration(s string) (time.Duration, error) {
	toks := Tokens(s)
	sp, err := Read(toks, 0)
	if _, again := sp.Again(toks); err == nil && again {
		p := Part{Value: sp.Value, Unit: sp.Unit, Used: sp.To - sp.From, Text: strings.Join(toks[sp.From:sp.To], " ")}
		return 0, partErr(p, sp.From, ErrTwice)
	}
	switch {
	case err != nil:
		return 0, err
	case sp.Parts == 0:
		return 0, fmt.Errorf("%q: %w", s, ErrNotDuration)
	case sp.To == len(toks)-1 && sp.Unit == time.Hour && sp.Value%time.Hour == 0 && len(toks[sp.To]) <= 2 && allDigits(toks[sp.To]):
		// "1 hour 30": a last bare number counts in minutes, as in "1h30".
		if m, _ := strconv.Atoi(toks[sp.To]); m >= 1 && m <= 59 && sp.Value <= maxDuration-time.Hour {
			return sp.Value + time.Duration(m)*time.Minute, nil
		}
		return 0, fmt.Errorf("%q: %w after %q", s, ErrNotDuration, strings.Join(toks[:sp.To], " "))
	case sp.To < len(toks):
		return 0, fmt.Errorf("%q: %w after %q", s, ErrNotDuration, strings.Join(toks[:sp.To], " "))
	}
	return sp.Value, nil
}
