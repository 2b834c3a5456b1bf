package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// refusedWith checks that in is refused in one line containing reason,
// offering example, and that the example itself is taken.
func refusedWith(t *testing.T, k *testkit.Kit, in, reason, example string) {
	t.Helper()
	r := k.Send(in)
	text := r.PlainText()
	if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], reason) {
		t.Errorf("%q, want a refusal naming %q:\n%s", in, reason, text)
		return
	}
	if got := tryLine(t, text); got != example {
		t.Errorf("%q offers %q, want %q", in, got, example)
		return
	}
	if r := k.Send(example); r.Error {
		t.Errorf("%q offers %q, which is refused:\n%s", in, example, r.PlainText())
	}
}

// A break length in seconds or a fraction of a minute is offered the
// nearest whole minute, not an unrelated 5 minutes.
func TestBreakInSecondsOffersNearestMinute(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"break 90 seconds": "break 2 min",
		"break 1.5 min":    "break 2 min",
		"break 30 seconds": "break 1 min",
		"break 2.4 min":    "break 2 min",
	} {
		refusedWith(t, k, in, "whole minutes", want)
	}
}

// Edit words on another person's team break say it is not theirs to
// change, rather than to cancel it, which they may not do either.
func TestEditWordsOnAnotherPersonsTeamBreak(t *testing.T) {
	k := testkit.New(t)
	team := createdID(t, k.Send("schedule every weekday at 15:00"))
	for _, in := range []string{"edit #" + team + " every day at 10", "move #" + team + " to 16:00", "reschedule #" + team} {
		r := k.SendAs("U2", "console", in)
		text := r.PlainText()
		if !r.Error || strings.Contains(text, "cancel #") || !strings.Contains(text, "Only the person who created #"+team) {
			t.Errorf("%q by another user:\n%s", in, text)
		}
	}
}
