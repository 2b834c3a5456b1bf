package chunk

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want []string
	}{
		{"empty", "", 5, nil},
		{"fits", "hello", 5, []string{"hello"}},
		{"at a line break", "one two\nthree", 9, []string{"one two", "three"}},
		{"line break before space", "ab\ncd ef gh", 8, []string{"ab", "cd ef gh"}},
		{"at a space", "one two three", 8, []string{"one two", "three"}},
		{"space right at the limit", "abcd efgh", 4, []string{"abcd", "efgh"}},
		{"no break at all", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"runes, not bytes", "ééééé", 2, []string{"éé", "éé", "é"}},
		{"keeps indentation", "a\n  b c", 5, []string{"a", "  b c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.s, tt.n, nil); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
	// keep moves a hard cut back so "&amp;" stays whole.
	entity := func(r []rune, at int) int {
		if i := slices.Index(r[max(at-4, 0):at], '&'); i >= 0 {
			return max(at-4, 0) + i
		}
		return at
	}
	if got := Split("abc&amp;def", 5, entity); !slices.Equal(got, []string{"abc", "&amp;", "def"}) {
		t.Errorf("Split with keep = %q", got)
	}
}

func TestPack(t *testing.T) {
	got := Pack([]string{"aa", "bb", "cc", "dddddd", "e"}, "\n", 5)
	if want := []string{"aa\nbb", "cc", "dddddd", "e"}; !slices.Equal(got, want) {
		t.Errorf("Pack = %q, want %q", got, want)
	}
	if got := Pack(nil, "\n", 5); got != nil {
		t.Errorf("Pack(nil) = %q", got)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"one two\nthree", "abcdefghij", "ééé é\n\n", "  ", "\n"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 1000 || !utf8.ValidString(s) {
			return
		}
		pieces := Split(s, n, nil)
		for _, p := range pieces {
			if utf8.RuneCountInString(p) > n {
				t.Fatalf("piece %q is longer than %d", p, n)
			}
		}
		// Only the line breaks and spaces cut at are gone.
		strip := func(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }
		if got := strip(strings.Join(pieces, "")); got != strip(s) {
			t.Fatalf("Split(%q, %d) = %q lost text", s, n, pieces)
		}
		for _, p := range Pack(pieces, "\n", n) {
			if utf8.RuneCountInString(p) > n {
				t.Fatalf("packed piece %q is longer than %d", p, n)
			}
		}
	})
}
