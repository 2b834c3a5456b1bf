package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A summary reports on the last seven days, so it comes at most once a day:
// "summary every hour" would post the same week's figures 24 times a day.
func TestSummaryAtMostOnceADay(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"summary every hour", "summary every 30 minutes", "summary every weekday at 9 and 17", "summary every 20 hours"} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "A summary comes at most once a day")
		if ex := tryLine(t, r.PlainText()); ex != "summary every friday at 16:00" {
			t.Errorf("%q offers %q", in, ex)
		}
	}
	for _, in := range []string{"summary every friday at 16:00", "summary every day at 9", "summary every other monday at 10", "summary on the first of every month at 9"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}

// Offered examples for a summary come at most once a day too.
func TestSummaryExamplesAtMostOnceADay(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"summary every hour in #general", "summary every 2 hourz"} {
		r := k.Send(in)
		if ex := tryLine(t, r.PlainText()); ex != "summary every friday at 16:00" {
			t.Errorf("%q offers %q", in, ex)
		}
	}
}

// A new reminder's "Next:" names the runs that will reach its owner, not
// runs their working hours or quiet periods pass over; when none will, it
// says so instead of listing times that never come.
func TestNextNamesOnlyRunsThatReachYou(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	k.Send("hours 9-17 weekdays")
	r := k.Send("remind me every day at 10:00 to stretch")
	bottest.MustContain(t, r, "Next: Mon 30 Nov 10:00 UTC · Tue 1 Dec 10:00 UTC · Wed 2 Dec 10:00 UTC")
	r = k.Send("remind me every day at 16:00 starting friday to walk")
	bottest.MustContain(t, r, "Next: Fri 4 Dec 16:00 UTC · Mon 7 Dec 16:00 UTC · Tue 8 Dec 16:00 UTC",
		"Runs passed over by your working hours are left out; see `hours`.")

	r = k.Send("remind me every day at 20:00 to stretch")
	bottest.MustContain(t, r, "Next: none while your settings stand: every run within a year is passed over by your working hours; see `hours`.")
	if strings.Contains(r.PlainText(), "20:00 UTC ·") {
		t.Errorf("lists runs that never come:\n%s", r.PlainText())
	}
	k.Send("quiet 12-13")
	r = k.Send("remind me every day at 12:30 to walk")
	bottest.MustContain(t, r, "Next: none while your settings stand: every run within a year is passed over by your quiet periods; see `quiet`.")
}

// On the console a typed channel name is the channel: "#General" and
// "#general" are one channel, as they are on Slack, whose names are
// lower-case.
func TestConsoleChannelNamesIgnoreCase(t *testing.T) {
	k := testkit.New(t)
	a := k.Send("schedule every day at 10 in #General")
	bottest.MustContain(t, a, "Team break #", "set for #general:")
	if !strings.Contains(a.PlainText(), "set for #general:") {
		t.Errorf("the name keeps its capitals:\n%s", a.PlainText())
	}
	b := k.Send("schedule every day at 11 in #GENERAL")
	bottest.MustContain(t, b, "set for #general:")
	list := k.Send("list")
	if n := strings.Count(list.PlainText(), "team break in #general"); n != 2 {
		t.Errorf("want both breaks in #general:\n%s", list.PlainText())
	}
	if strings.Contains(list.PlainText(), "#General") || strings.Contains(list.PlainText(), "#GENERAL") {
		t.Errorf("a second channel by case:\n%s", list.PlainText())
	}
}
