package bot_test

import (
	"fmt"
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

// `skip all` skips the next run of everything the caller has coming here,
// as `pause all` pauses it all, without asking first; `cancel all` is
// refused in words that do not deny that several ids are taken.
func TestSkipAll(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	r := k.Send("skip all")
	if !r.Error {
		t.Errorf("skip all with nothing to skip:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "nothing coming here to skip")
	if ex := tryLine(t, r.PlainText()); ex != "list" {
		t.Errorf("example %q", ex)
	}
	a := createdID(t, k.Send("remind me every day at 10 to stretch"))
	b := createdID(t, k.Send("remind me every weekday at 15:00 to walk"))
	c := createdID(t, k.Send("remind me every day at 11"))
	k.Send("pause #" + c)
	r = k.Send("skip all")
	if r.Error {
		t.Fatalf("skip all refused:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "Skipped #"+a+" on Mon 30 Nov 10:00 UTC. Next: Tue 1 Dec 10:00 UTC.",
		"Skipped #"+b+" on Mon 30 Nov 15:00 UTC. Next: Tue 1 Dec 15:00 UTC.")
	if strings.Contains(r.PlainText(), "#"+c) {
		t.Errorf("skip all touched a paused reminder:\n%s", r.PlainText())
	}
	k.Send("hours 9-17")
	d := createdID(t, k.Send("remind me every day at 20:00"))
	if r = k.Send("skip all"); strings.Contains(r.PlainText(), "#"+d) {
		t.Errorf("skip all skipped a run that never comes:\n%s", r.PlainText())
	}

	r = k.Send("cancel all")
	if !r.Error || strings.Contains(r.PlainText(), "one id at a time") {
		t.Errorf("cancel all:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "`cancel` takes ids, not `all`")
	// The example is the caller's own ids, every one still coming, and
	// typing it back cancels them.
	ex := tryLine(t, r.PlainText())
	for _, id := range []string{a, b, c, d} {
		if !strings.Contains(ex, "#"+id) {
			t.Errorf("cancel all offers %q, without #%s", ex, id)
		}
	}
	if r = k.Send(ex); r.Error {
		t.Fatalf("%s:\n%s", ex, r.PlainText())
	}
	r = k.Send("cancel all")
	bottest.MustContain(t, r, "nothing here to cancel")
	if ex := tryLine(t, r.PlainText()); ex != "list" {
		t.Errorf("cancel all with nothing left offers %q", ex)
	}
}

// `list all` shows every reminder, up to a cap, rather than the first page
// only; past the cap it says how to see the rest.
func TestListAllShowsEverything(t *testing.T) {
	k := testkit.New(t)
	for i := range 23 {
		k.Send(fmt.Sprintf("remind me every day at %d:%02d", 8+i/6, i%6*10))
	}
	r := k.Send("list all")
	if n := strings.Count(r.PlainText(), " · personal"); n != 23 {
		t.Errorf("list all shows %d of 23:\n%s", n, r.PlainText())
	}
	if strings.Contains(r.PlainText(), "more —") {
		t.Errorf("list all sends to another page:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "Reminders and schedules (all 23)")
	if n := strings.Count(k.Send("list").PlainText(), " · personal"); n != 10 {
		t.Errorf("list shows %d, want a page of 10", n)
	}
	for i := range 32 {
		k.Send(fmt.Sprintf("remind me every day at %d:%02d", 12+i/6, i%6*10+5))
	}
	r = k.Send("list everything")
	if n := strings.Count(r.PlainText(), " · personal"); n != 50 {
		t.Errorf("list everything shows %d, want the cap of 50", n)
	}
	bottest.MustContain(t, r, "Reminders and schedules (the first 50 of 55)", "5 more — `list 6`")
	if n := strings.Count(k.Send("list 6").PlainText(), " · personal"); n != 5 {
		t.Errorf("list 6 shows %d, want the last 5", n)
	}
}

// A time of day left out with except is a quiet period: the refusal names
// `quiet lunch` and offers the reminder without it.
func TestExceptLunchPointsToQuiet(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every hour between 9 and 5 except lunch")
	bottest.MustContain(t, r, "`quiet lunch`")
	if ex := tryLine(t, r.PlainText()); ex != "remind me every hour between 9 and 5" {
		t.Errorf("example %q", ex)
	}
	bottest.MustContain(t, k.Send("quiet lunch"), "Quiet: 12:00-13:00")
}

// A space typed inside a channel's name is pointed out, and the example
// keeps the channel; other slips in a schedule for another channel keep it
// too.
func TestScheduleChannelNameWithSpace(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("schedule every day at 10 in #gen eral")
	bottest.MustContain(t, r, "no spaces", "#general")
	if ex := tryLine(t, r.PlainText()); ex != "schedule every day at 10 in #general" {
		t.Errorf("example %q", ex)
	}
	r = k.Send("schedule every blursday at 10 in #general")
	if ex := tryLine(t, r.PlainText()); !strings.HasSuffix(ex, " in #general") {
		t.Errorf("example %q drops the channel:\n%s", ex, r.PlainText())
	}
}

// A one-off on a day it names at a bare early hour says it is read as the
// morning, as `at 5` does.
func TestNamedDayEarlyHourHint(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me tomorrow to call mom at 5")
	bottest.MustContain(t, r, "once on Tue 1 Dec at 05:00 UTC (early morning; say 5pm for the afternoon)", "Note: call mom")
	r = k.Send("remind me tomorrow at 5pm to call mom")
	if strings.Contains(r.PlainText(), "early morning") {
		t.Errorf("5pm is not early:\n%s", r.PlainText())
	}
}

// `skip all` leaves one-off reminders: skipping a one-off's only run
// removes it, which is not what skipping everything for once means.
func TestSkipAllLeavesOneOffs(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	once := createdID(t, k.Send("remind me at 16:00 to call the physio"))
	r := k.Send("skip all")
	if !r.Error {
		t.Errorf("skip all with only a one-off:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "no repeating reminder coming here to skip", "One-off reminders are left as they are (1 here)")
	every := createdID(t, k.Send("remind me every day at 10"))
	r = k.Send("skip all")
	if r.Error {
		t.Fatalf("skip all refused:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "Skipped #"+every, "One-off reminders are left as they are (1 here)")
	bottest.MustContain(t, k.Send("list"), "#"+once)
}
