package quote

import "testing"

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`cron "0 9 * * *"`, `“cron "0 9 * * *"”`},
		{`foo\bar`, `“foo\bar”`},
		{"it's “fine”", "“it's “fine””"},
		{"Zürich 東京 🙂", "“Zürich 東京 🙂”"},
		{"a\nb\tc\r", `“a\nb\tc\r”`},
		{"bell\a", `“bell\x07”`},
		{"\u202eevil", `“\u202eevil”`},
		{"zero\u200bwidth", `“zero\u200bwidth”`},
		{"bad\xffbyte", `“bad\xffbyte”`},
		{"", "“”"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestShort(t *testing.T) {
	if got, want := Short("abcdef", 3), "“abc…”"; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
	if got, want := Short("abc", 3), "“abc”"; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{`cron "0 9 * * *"`, "a\nb", "\xff", "\u202e", "🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Text(s)
		for _, r := range q {
			if r == '\n' || r == '\r' || r == 0x202e {
				t.Fatalf("Text(%q) = %q keeps a line break or override", s, q)
			}
		}
	})
}
