package bot

import (
	"strings"
	"testing"
)

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
		if want := foldText(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := commandText(s), commandWords(strings.Fields(s)); got != want {
			t.Errorf("commandText(%q) = %q, want %q", s, got, want)
		}
	})
}
