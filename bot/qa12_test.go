package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A time said with a part of the day it is not in names two times, and
// is refused with the time alone as the example; a time that fits the
// part is read with it.
func TestPartOfDayAndTimeMustAgree(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me this morning at 4pm":        "remind me at 4pm",
		"remind me every morning at 4pm":       "remind me every day at 4pm",
		"remind me every weekday at lunch 4pm": "remind me every weekday at 4pm",
	} {
		r := k.Send(in)
		text := r.PlainText()
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, text)
			continue
		}
		if lines := strings.Split(text, "\n"); len(lines) != 2 || !strings.Contains(lines[0], "name different times: say one") {
			t.Errorf("%q: not one reason and an example:\n%s", in, text)
		}
		if got := tryLine(t, text); got != want {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
		if r := k.Send(want); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want, r.PlainText())
		}
	}
	for _, in := range []string{"remind me every morning at 8", "remind me tomorrow morning at 7:30", "remind me tonight at 11", "remind me this afternoon at 4"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}
