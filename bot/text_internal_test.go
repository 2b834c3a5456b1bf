package bot

import (
	"strings"
	"testing"
)

// The shortcuts answer as the whole of cleanText and commandText do.
func FuzzTextShortcuts(f *testing.F) {
	for _, s := range []string{"list", "", " list", "list ", "list  2", "list 2", "remind me\tevery day", "<@U1>", "@stretchbot",
		"stretchbot,", "StretchBot!", "please", "ｌｉｓｔ", "list\x7f", "“help”", "a\u00a0b", "\xff", "note \u202egnp.exe\u202c", "\u2067שלום\u2069 \u200f"} {
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

// Characters that reorder text on screen are dropped; right-to-left words
// and the marks that reorder nothing stay.
func TestCleanTextDropsReordering(t *testing.T) {
	for in, want := range map[string]string{
		"remind me at 9 to \u202eweivr\u202c stretch": "remind me at 9 to weivr stretch",
		"note \u2066a\u2067b\u2068c\u2069":            "note abc",
		"\u202a\u202b\u202d list":                     "list",
		"remind me at 9 to מתיחה \u200f":              "remind me at 9 to מתיחה \u200f",
	} {
		if got, err := cleanText(in); err != nil || got != want {
			t.Errorf("cleanText(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
