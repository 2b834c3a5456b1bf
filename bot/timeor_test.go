package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Two times joined by "or" leave the bot to guess: the refusal asks for
// one, offering the first, rather than taking "or 4" for a note.
func TestTimeOrTime(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me at 3 or 4":                   "Try: remind me at 3",
		"remind me tomorrow at 9 or 10 to walk": "Try: remind me tomorrow at 9 to walk",
		"remind me every day at 10:30 or 11":    "Try: remind me every day at 10:30",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%s was taken:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "one time", want)
		ex := tryLine(t, r.PlainText())
		if r := k.Send(ex); r.Error {
			t.Errorf("%s offers %q, refused:\n%s", in, ex, r.PlainText())
		}
	}
}
