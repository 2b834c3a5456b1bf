package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A reason that quotes what the user typed shows it as typed, in curly
// quotes: no backslashes before their own quotes, and control characters
// still visible rather than breaking the line.
func TestReasonsQuoteUserTextReadably(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, want string }{
		{`cron "0 9 * * *"`, `“cron "0 9 * * *"” is a time, not a command`},
		{`foo"bar`, `I don't know the command “foo"bar”`},
		{`remind me every day at 25:00`, `“25:00” is not a time of day`},
		{`remind me cron "0 9 * * x"`, `“x” is not a number`},
		{`level "hard"`, `“"hard"” is not a level`},
		{`exercise back\slash`, `“back\slash”`},
		{`timezone Mars/Olympus`, `“Mars/Olympus” is not a time zone`},
		{`hours 9-17 funday`, `I don't know the day “funday”`},
	} {
		got := k.Send(tt.in).PlainText()
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s:\n%s\nwant it to contain %s", tt.in, got, tt.want)
		}
		if strings.Contains(got, `\"`) {
			t.Errorf("%s: reply escapes quotes:\n%s", tt.in, got)
		}
	}
}
