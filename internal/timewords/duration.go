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
// negative. From is the index of its first token.
type PartError struct {
	Part
	From int
	Err  error // ErrTooLong or ErrNegative
}

func (e *PartError) Error() string { return fmt.Sprintf("%q: %v", e.Text, e.Err) }

func (e *PartError) Unwrap() error { return e.Err }

// ReadPart reads one part at toks[i]: "<amount> <unit>" or number-unit pairs
// glued into one token ("2h", "1h30m", "-5min"). Amounts are whole numbers,
// possibly negative, or "a", "an" or "one". ok is false when toks[i] does not
// start a part; err is a *PartError when the part is too long to hold.
// Negative parts are returned, not refused: only the caller knows how to
// mend them.
func ReadPart(toks []string, i int) (p Part, ok bool, err error) {
	if i < 0 || i >= len(toks) {
		return Part{}, false, nil
	}
	tok := toks[i]
	if i+1 < len(toks) {
		if u, isUnit := units[toks[i+1]]; isUnit {
			if n, isAmount := readAmount(tok); isAmount {
				p = Part{Unit: u, Used: 2, Text: tok + " " + toks[i+1]}
				p.Value, err = scale(n, u)
				return p, true, partErr(p, i, err)
			}
		}
	}
	return readGlued(tok, i)
}

// readAmount reads the number before a unit word. It is the one place that
// knows how users write amounts.
func readAmount(tok string) (int64, bool) {
	switch tok {
	case "a", "an", "one":
		return 1, true
	}
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

// readGlued reads number-unit pairs written as one token: "2h", "1h30m".
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
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		k := j
		for k < len(s) && s[k] >= 'a' && s[k] <= 'z' {
			k++
		}
		u, isUnit := units[s[j:k]]
		if j == 0 || !isUnit {
			return Part{}, false, nil
		}
		p.Unit = u
		n, err := strconv.ParseInt(s[:j], 10, 64)
		if err != nil {
			return p, true, partErr(p, at, ErrTooLong)
		}
		v, err := scale(n, u)
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

func scale(n int64, u time.Duration) (time.Duration, error) {
	if n > int64(maxDuration)/int64(u) || n < -int64(maxDuration)/int64(u) {
		return 0, ErrTooLong
	}
	return time.Duration(n) * u, nil
}

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
}

// Read reads a length of time at toks[i]: one or more parts, side by side
// or joined by "and" or a comma ("1 hour 30 minutes", "1h and 30m"). It
// stops before the first token that does not continue the length; a Span
// with no Parts means there was none. The error is a *PartError for a part
// that is too long (alone or added up) or negative.
func Read(toks []string, i int) (Span, error) {
	sp := Span{From: i, To: i}
	for {
		at := sp.To
		if sp.Parts > 0 && at < len(toks) && (toks[at] == "and" || toks[at] == ",") {
			at++
		}
		p, ok, err := ReadPart(toks, at)
		if !ok {
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
		sp.Parts++
		sp.To = at + p.Used
		sp.Unit = p.Unit
	}
}

// ParseDuration reads a whole string as a length of time: "2 weeks", "1
// hour 30 minutes", "90s", "2h", "1h30m", "an hour". The error wraps
// ErrNotDuration, ErrTooLong or ErrNegative.
func ParseDuration(s string) (time.Duration, error) {
	toks := Tokens(s)
	sp, err := Read(toks, 0)
	switch {
	case err != nil:
		return 0, err
	case sp.Parts == 0:
		return 0, fmt.Errorf("%q: %w", s, ErrNotDuration)
	case sp.To < len(toks):
		return 0, fmt.Errorf("%q: %w after %q", s, ErrNotDuration, strings.Join(toks[:sp.To], " "))
	}
	return sp.Value, nil
}
