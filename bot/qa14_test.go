package bot_test

import (
	"strings"
	"testing"
	"time"

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
	// The reply names the time the runs are counted from.
	if r := k.Send("remind me every 3 hours from 11:30"); r.Error || !strings.Contains(r.PlainText(), "every 3 hours, starting Mon 30 Nov at 11:30") {
		t.Errorf("from 11:30:\n%s", r.PlainText())
	}
	refusedWith(t, k, "remind me tomorrow from 10am", "A one-off has no start", "remind me tomorrow at 10am")
}

// Words the grammar does not read as a time get a reason naming them and
// the user's own words mended to a time that works, not a stock example.
func TestNamedTimesSayWhy(t *testing.T) {
	for _, tt := range []struct{ in, reason, example string }{
		{"remind me every weekday at 9 except holidays", "cannot leave out public holidays; `holidays DE`", "remind me every weekday at 9"},
		{"remind me every weekday at 9 except public holidays to stretch", "cannot leave out public holidays", "remind me every weekday at 9 to stretch"},
		{"schedule every weekday at 9 except holidays", "cannot leave out public holidays", "schedule every weekday at 9"},
		{"remind me on 25.12.", "Write the month as a word", "remind me on 25 december"},
		{"remind me 25.12. at 9", "Write the month as a word", "remind me 25 december at 9"},
		{"remind me on christmas", "say the date of “christmas”", "remind me on december 25"},
		{"remind me christmas eve at 9", "say the date of “christmas eve”", "remind me on december 24 at 9"},
		{"remind me on new year's eve at 23:59", "say the date of “new year's eve”", "remind me on december 31 at 23:59"},
		{"remind me at end of day", "“end of day” is not a time I know", "remind me at 17:00"},
		{"remind me every weekday at the end of the day to log hours", "“end of the day”", "remind me every weekday at 17:00 to log hours"},
		{"remind me before lunch", "“before lunch” is not a time I know", "remind me at 11:30"},
		{"remind me every day after lunch to walk", "“after lunch”", "remind me every day at 13:00 to walk"},
		{"schedule every weekday at 9 quiet lunch", "A team break has no quiet periods", "schedule every weekday at 9"},
		{"schedule every hour between 9 and 17 quiet lunch", "A team break has no quiet periods", "schedule every day at 09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00 and 17:00"},
		{"remind me every hour between 9 and 17 quiet lunch", "`quiet lunch`", "remind me every hour between 9 and 17"},
	} {
		refusedWith(t, testkit.New(t), tt.in, tt.reason, tt.example)
	}
	// A rough time is the time, as "at about 3pm" is.
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me at ~3pm":              "once on Mon 30 Nov at 15:00 UTC",
		"remind me every day at 3pm-ish": "every day at 15:00",
		"remind me at 10ish to stretch":  "once on Mon 30 Nov at 10:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	// The words in a note stay a note.
	if r := k.Send("remind me at 3pm to buy christmas gifts"); r.Error || !strings.Contains(r.PlainText(), "Note: buy christmas gifts") {
		t.Errorf("christmas in a note:\n%s", r.PlainText())
	}
}

// A night's times past midnight are on the day after the one named: for a
// cycle of weeks as for every week, and for a one-off said in that night's
// own small hours. Times on both sides of midnight fall on two days, which
// one rule of named days cannot hold: each is set on its own.
func TestNightsPastMidnightAgain(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every other friday night at 1":      "Next: Sat 5 Dec 01:00 UTC · Sat 19 Dec 01:00 UTC",
		"remind me every 2 weeks on friday night at 1": "Next: Sat 5 Dec 01:00 UTC · Sat 19 Dec 01:00 UTC",
		"remind me every other friday night at 11":     "Next: Fri 4 Dec 23:00 UTC · Fri 18 Dec 23:00 UTC",
		"remind me every night at 11 and 1":            "every day at 01:00 and 23:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	refusedWith(t, k, "remind me every friday night at 11 and 1", "23:00 and 01:00 fall on either side of midnight", "remind me every friday night at 23:00")
	refusedWith(t, k, "schedule every weekday night at 11 and 1", "either side of midnight", "schedule every weekday night at 23:00")
	refusedWith(t, k, "remind me friday night at 11 and 1", "either side of midnight", "remind me friday night at 23:00")

	for at, want := range map[time.Time]string{
		time.Date(2026, 12, 4, 0, 30, 0, 0, time.UTC): "once on Sat 5 Dec at 01:00 UTC",  // Friday's small hours
		time.Date(2026, 12, 5, 0, 30, 0, 0, time.UTC): "once on Sat 5 Dec at 01:00 UTC",  // Friday night, under way
		time.Date(2026, 12, 5, 1, 30, 0, 0, time.UTC): "once on Sat 12 Dec at 01:00 UTC", // just past
	} {
		k := testkit.New(t, testkit.WithStart(at))
		if r := k.Send("remind me friday night at 1"); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("friday night at 1 said %s, want %q:\n%s", at.Format("Mon 15:04"), want, r.PlainText())
		}
	}
}

// A team break's run skipped with `skip` is counted as skipped in the
// channel's stats once its time has passed, as a holiday passed over is,
// not left out of the week's figures.
func TestSkippedTeamBreakCounts(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	id := createdID(t, k.Send("schedule every weekday at 10 and 15:00"))
	k.Send("skip #" + id)
	if text := k.Send("stats").PlainText(); strings.Contains(text, "skipped") {
		t.Errorf("a run still to come is counted:\n%s", text)
	}
	k.Advance(6*time.Hour + 5*time.Minute) // past 10:00 (skipped) and 15:00 (held)
	if text := k.Send("stats").PlainText(); !strings.Contains(text, "1 team break held, 1 skipped (asked to skip)") {
		t.Errorf("stats after a skipped and a held run:\n%s", text)
	}
}
