package bot

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// slowCleanText and slowCommandText are cleanText and commandText without
// their shortcuts for plain text and a single word.
func slowCleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if r = foldRune(r); r < 0 {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func slowCommandText(s string) string {
	words := strings.Fields(s)
	for len(words) > 0 && (isMention(words[0]) || isBotName(words[0])) {
		words = words[1:]
	}
	if len(words) > 0 && strings.EqualFold(strings.TrimRight(words[0], ",:;!?."), "stretchbot") {
		words = words[1:]
	}
	if len(words) > 1 && isPlease(words[0]) {
		words = words[1:]
	}
	for i, w := range words {
		if !isBotName(w) {
			continue
		}
		after := words[i+1:]
		for len(after) > 0 && isBotName(after[0]) {
			after = after[1:]
		}
		if len(after) > 0 {
			return strings.Join(after, " ")
		}
		return strings.Join(words[:i], " ")
	}
	return strings.Join(words, " ")
}

// The shortcuts answer as the whole of cleanText and commandText do.
func FuzzTextShortcuts(f *testing.F) {
	for _, s := range []string{"list", "", " list", "list ", "list  2", "list 2", "remind me\tevery day", "<@U1>", "@stretchbot",
		"stretchbot,", "StretchBot!", "please", "ｌｉｓｔ", "list\x7f", "“help”", "a\u00a0b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > MaxTextLen {
			return
		}
		got, err := cleanText(s)
		if err != nil {
			t.Fatal(err)
		}
		if want := slowCleanText(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := commandText(s), slowCommandText(s); got != want {
			t.Errorf("commandText(%q) = %q, want %q", s, got, want)
		}
	})
}
