package timewords

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens lower-cases text and splits it at spaces and around commas; "&"
// becomes "and", a dash ("–") a hyphen and a digit of any script ("٣",
// "３") its ASCII form.
// "Every Mon, Wed & Fri" is ["every" "mon" "," "wed" "and" "fri"].
func Tokens(text string) []string {
	lower := strings.ToLower(text)
	toks := make([]string, 0, 8)
	start := -1 // of the current token in lower
	convert := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		tok := lower[start:end]
		if convert {
			tok = strings.Map(asciiDigit, tok)
		}
		toks = append(toks, tok)
		start, convert = -1, false
	}
	for i, r := range lower {
		switch {
		case unicode.IsSpace(r):
			flush(i)
		case r == ',':
			flush(i)
			toks = append(toks, ",")
		case r == '&':
			flush(i)
			toks = append(toks, "and")
		case r == '–' || r == '—' || r == '‒' || r == '−':
			// Dashes and the minus sign read as a hyphen: "mon–fri",
			// "9–17". They are wider than one byte, so the token is
			// rebuilt.
			if start < 0 {
				start = i
			}
			convert = true
		default:
			if start < 0 {
				start = i
			}
			convert = convert || r >= 0x80 && unicode.IsDigit(r)
		}
	}
	flush(len(lower))
	return toks
}

// asciiDigit maps any Unicode decimal digit to its ASCII form, a dash or
// minus sign to "-", and leaves other runes alone. Unicode encodes each script's digits as runs of ten,
// zero first, so the value is the distance from the start of the run,
// modulo ten.
func asciiDigit(r rune) rune {
	switch r {
	case '–', '—', '‒', '−':
		return '-'
	}
	if r < 0x80 || !unicode.IsDigit(r) {
		return r
	}
	start := r
	for k := 0; k < 100 && unicode.IsDigit(start-1); k++ {
		start--
	}
	return '0' + (r-start)%10
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// TrimSentenceEnd drops from the end of s what ends a sentence rather
// than a value: spaces, any of marks, and emoji with their skin tones,
// joiners and presentation selectors. "level medium!" and "at 3pm 🙂" read
// as "level medium" and "at 3pm".
func TrimSentenceEnd(s, marks string) string {
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		switch {
		case unicode.IsSpace(r), strings.ContainsRune(marks, r),
			r == '\u200d' || r == '\ufe0f', // emoji joiner and presentation selector
			r >= 0x1f3fb && r <= 0x1f3ff,   // skin tones
			r > 0x7f && unicode.Is(unicode.So, r):
			s = s[:len(s)-n]
		default:
			return s
		}
	}
	return s
}
