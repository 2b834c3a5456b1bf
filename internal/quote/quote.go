// Package quote shows a user's own words inside a reply: in curly quotes, as
// typed, with nothing but the characters that would hide or garble the line
// made visible.
//
// Go's %q escaping is for programmers: `cron "0 9 * * *"` comes out as
// "cron \"0 9 * * *\"", which reads like a different command. Replies quote
// what the user typed instead, so it can be read and copied back.
package quote

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text quotes s for a reply: “s”. Printable characters, quotes and
// backslashes included, are kept as typed; a control character, a
// formatting character that would reorder or hide text (a bidi override, a
// zero-width space) and a byte that is not UTF-8 are written as a Go-style
// escape (\n, \t, \u202e, \xff), so the reply stays one line and shows
// what is there.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString("“")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == ' ' || unicode.IsPrint(r) && !unicode.Is(unicode.Cf, r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	b.WriteString("”")
	return b.String()
}

// Short quotes at most n runes of s, marking a cut with …, so echoed input
// stays one readable line.
func Short(s string, n int) string { return Text(Cut(s, n)) }

// Cut returns at most n runes of s, marking a cut with ….
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n]) + "…"
	}
	return s
}
