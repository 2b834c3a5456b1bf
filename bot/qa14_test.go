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

// "next week" after a repeating rule, or as its start, is the Monday of
// next week, not an unrelated example or a start lost.
func TestRepeatingFromNextWeek(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for _, in := range []string{
		"remind me every weekday at 9 next week",
		"remind me every weekday at 9 beginning next week",
		"remind me every weekday at 9 starting next week to stretch",
		"remind me every day at 9 from next week",
		"schedule every weekday at 9 next week",
	} {
		r := k.Send(in)
		if r.Error || !strings.Contains(r.PlainText(), "starting Mon 7 Dec") || !strings.Contains(r.PlainText(), "Next: Mon 7 Dec 09:00 UTC · Tue 8 Dec 09:00 UTC") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
	// A day of next week is still a one-off on that day.
	if r := k.Send("remind me friday next week"); r.Error || !strings.Contains(r.PlainText(), "once on Fri 11 Dec") {
		t.Errorf("friday next week:\n%s", r.PlainText())
	}
}

// "from" and a time with no end is the first run of an interval, as
// "starting at" is, not a window missing its end.
func TestIntervalFromATime(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every 2 hours from 10am":    "Next: Mon 30 Nov 10:00 UTC · Mon 30 Nov 12:00 UTC · Mon 30 Nov 14:00 UTC",
		"remind me every 45 minutes from 9:30": "Next: Mon 30 Nov 09:30 UTC · Mon 30 Nov 10:15 UTC · Mon 30 Nov 11:00 UTC",
		"schedule every 2 hours from 11":       "Next: Mon 30 Nov 11:00 UTC · Mon 30 Nov 13:00 UTC · Mon 30 Nov 15:00 UTC",
		"remind me every hour from 9 to 5":     "every hour between 09:00 and 17:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	refusedWith(t, k, "remind me tomorrow from 10am", "A one-off has no start", "remind me tomorrow at 10am")
}
