package timewords

import (
	"strconv"
	"strings"
)

// Number words: "zero" to "nineteen" and the tens, which combine with a
// unit word as "twenty five" or "twenty-five".
var (
	smallNumbers = map[string]int64{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19,
	}
	tensNumbers = map[string]int64{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

	smallOrdinals = map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
		"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
		"seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
	}
)

// Number reads a whole number at toks[i]: ASCII digits, or words from
// "zero" to "ninety-nine" ("ten", "twenty five", "twenty-five"). used
// counts the tokens read.
func Number(toks []string, i int) (n int64, used int, ok bool) {
	if i < 0 || i >= len(toks) {
		return 0, 0, false
	}
	tok := toks[i]
	if allDigits(tok) {
		n, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			return 1 << 62, 1, true // callers see it as too large
		}
		return n, 1, true
	}
	if n, ok := smallNumbers[tok]; ok {
		return n, 1, true
	}
	if tens, unit, found := strings.Cut(tok, "-"); found {
		t, okT := tensNumbers[tens]
		u, okU := smallNumbers[unit]
		if okT && okU && u > 0 && u < 10 {
			return t + u, 1, true
		}
		return 0, 0, false
	}
	t, ok := tensNumbers[tok]
	if !ok {
		return 0, 0, false
	}
	if i+1 < len(toks) {
		if u, ok := smallNumbers[toks[i+1]]; ok && u > 0 && u < 10 {
			return t + u, 2, true
		}
	}
	return t, 1, true
}

// ReadOrdinal reads an ordinal at toks[i]: "1st", "22nd", "3rd", "first",
// "twenty-first", "twenty first", "thirtieth". It does not check that the
// suffix fits the number ("1th" reads as 1).
func ReadOrdinal(toks []string, i int) (n int, used int, ok bool) {
	if i < 0 || i >= len(toks) {
		return 0, 0, false
	}
	tok := toks[i]
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if digits, found := strings.CutSuffix(tok, suffix); found && allDigits(digits) && len(digits) <= 3 {
			n, _ := strconv.Atoi(digits)
			return n, 1, true
		}
	}
	if n, ok := smallOrdinals[tok]; ok {
		return n, 1, true
	}
	if tens, unit, found := strings.Cut(tok, "-"); found {
		t, okT := tensNumbers[tens]
		u, okU := smallOrdinals[unit]
		if okT && okU && u < 10 {
			return int(t) + u, 1, true
		}
		return 0, 0, false
	}
	if t, ok := tensNumbers[tok]; ok && i+1 < len(toks) {
		if u, ok := smallOrdinals[toks[i+1]]; ok && u < 10 {
			return int(t) + u, 2, true
		}
	}
	return 0, 0, false
}
