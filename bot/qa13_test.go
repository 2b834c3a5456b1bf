package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A 24-hour afternoon time said with am is not a morning time: the reply
// says so and offers the time as it can be said.
func TestAfternoonTimeWithAmSaysWhy(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][2]string{
		"remind me at 1330am":  {"13:30 is not a morning time: say 13:30 or 1:30am", "remind me at 13:30"},
		"remind me at 13:30am": {"13:30 is not a morning time: say 13:30 or 1:30am", "remind me at 13:30"},
		"remind me at 13:30pm": {"13:30 is already afternoon: say 13:30 or 1:30pm", "remind me at 13:30"},
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], want[0]) {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
		if r := k.Send(want[1]); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want[1], r.PlainText())
		}
	}
}
