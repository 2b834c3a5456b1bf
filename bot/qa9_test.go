package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// On the day the clocks spring forward, a run set for a wall time the jump
// skips comes at the end of the gap; it still counts as inside the working
// hours that hold the time it was set for, so a night shift ending at 03:00
// keeps its 02:30 reminder, come at 03:00, instead of losing it.
func TestSpringForwardRunKeepsItsWorkingHours(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 27, 12, 0, 0, 0, berlin))) // Saturday
	k.Send("timezone Europe/Berlin")
	k.Send("hours 22:00-03:00 every day")
	r := k.Send("remind me every day at 02:30 to stretch")
	bottest.MustContain(t, r, "Next: Sun 28 Mar 03:00 CEST (02:30 does not exist that day) · Mon 29 Mar 02:30 CEST")
	bottest.MustContain(t, k.Send("list"), "next Sun 28 Mar 03:00 CEST")
	for range 16 {
		k.Advance(time.Hour)
	}
	got := 0
	for _, d := range k.Deliveries() {
		if strings.Contains(d.Reply.PlainText(), "stretch") {
			got++
		}
	}
	if got != 1 {
		t.Errorf("%d deliveries by Sun 28 Mar 04:00, want the one at 03:00", got)
	}

	// Only a run at the moment of the jump stands for the skipped times: a
	// run after the gap is checked at its own time.
	k.Send("hours 01:00-02:30 every day")
	bottest.MustContain(t, k.Send("remind me every day at 03:30"), "Next: none while your settings stand")
}

// A summary is named by how often it comes, not always "weekly": each one
// covers the last 7 days, and the reply says so.
func TestSummaryNamedByItsCadence(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	r := k.SendAs("U1", "C1", "summary every day at 16:00")
	id := createdID(t, r)
	bottest.MustContain(t, r, "Daily summary #"+id+" set", "the last 7 days")
	bottest.MustContain(t, k.SendAs("U1", "C1", "summary"), "The daily summary #"+id+" is posted here every day at 16:00")
	k.Advance(7 * time.Hour)
	ds := k.Deliveries()
	if len(ds) == 0 {
		t.Fatal("no summary delivered at 16:00")
	}
	if got := ds[len(ds)-1].Reply.Title; got != "Daily stretch summary #"+id {
		t.Errorf("title %q", got)
	}
	for in, want := range map[string]string{
		"summary every friday at 16:00":            "Weekly summary #",
		"summary every weekday at 16:00":           "Daily summary #",
		"summary on the first of every month at 9": "Summary #",
		"summary every mon,wed,fri at 9":           "Summary #",
		"summary every weekend at 9":               "Summary #",
	} {
		r := k.SendAs("U1", "C1", in)
		if !strings.HasPrefix(r.PlainText(), want) {
			t.Errorf("%q:\n%s\nwant it to start %q", in, r.PlainText(), want)
		}
	}
	r = k.SendAs("U1", "C1", "summary off")
	bottest.MustContain(t, r, "Summary #", "stopped")
	for _, in := range []string{"summary off", "summary"} {
		if text := k.SendAs("U1", "C1", in).PlainText(); strings.Contains(strings.ToLower(text), "weekly") {
			t.Errorf("%q without a summary speaks of a weekly one:\n%s", in, text)
		}
	}
}

// A team break has no quiet periods: "except" a time of day in a schedule
// is refused with its times listed instead, as a schedule that works, in
// the channel it named, and not with `quiet`, which only holds back the
// caller's own reminders.
func TestScheduleExceptATimeOfDay(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"schedule every hour between 9 and 17 except 12:00 to 13:00 in #general": "schedule every day at 09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00 and 17:00 in #general",
		"schedule every 2 hours from 8 to 18 on weekdays except lunch":           "schedule every weekday at 08:00, 10:00, 14:00, 16:00 and 18:00",
		"schedule every hour 9-17 except 12-13 in #general":                      "schedule every day at 09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00 and 17:00 in #general",
		"schedule every hour except 12:00 to 13:00 in #general":                  "",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		if strings.Contains(r.PlainText(), "`quiet") {
			t.Errorf("%q offers quiet periods, which team breaks do not have:\n%s", in, r.PlainText())
		}
		bottest.MustContain(t, r, "team break")
		ex := tryLine(t, r.PlainText())
		if want != "" && ex != want {
			t.Errorf("%q offers %q, want %q", in, ex, want)
		}
		if strings.Contains(in, "#general") && !strings.HasSuffix(ex, " in #general") {
			t.Errorf("%q offers %q, without the channel", in, ex)
		}
		if r := k.Send(ex); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, ex, r.PlainText())
		}
	}
	// A reminder keeps the pointer to quiet periods: they are the caller's.
	bottest.MustContain(t, k.Send("remind me every hour except 12:00 to 13:00"), "`quiet lunch`")
}

// Words after a channel the platform named (a mention, picked from a
// list) are not the rest of its name: they are refused as not understood,
// with the schedule without them. A typed name followed by a word may be
// either, and the refusal says both.
func TestScheduleWordsAfterTheChannel(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("schedule every day at 10 in <#C123|general> banana")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "“banana”")
	if strings.Contains(r.PlainText(), "no spaces") {
		t.Errorf("a mention's name has no space to close:\n%s", r.PlainText())
	}
	if ex := tryLine(t, r.PlainText()); ex != "schedule every day at 10 in #general" {
		t.Errorf("example %q", ex)
	}
	r = k.Send("schedule every day at 10 in #general banana")
	bottest.MustContain(t, r, "no spaces", "#generalbanana", "#general without “banana”")
	if strings.Count(r.PlainText(), "\n") != 1 {
		t.Errorf("want one line and an example:\n%s", r.PlainText())
	}
}

// A new `quiet` on other days than the earlier periods replaces them and
// says why they cannot be kept with it, where other replacements offer
// the command that keeps both.
func TestQuietOnOtherDaysSaysWhyNotBoth(t *testing.T) {
	k := testkit.New(t)
	k.Send("quiet 22:00-06:00")
	r := k.Send("quiet 12-13 weekdays")
	bottest.MustContain(t, r, "This replaces your earlier quiet periods, 22:00-06:00", "one set of days")
}

// A mistyped command on its own, or after help, is offered the command it
// is nearest to, by its name before another's alias: "schedulle" is
// schedule, though list's alias "schedules" is as near and list needs no
// words after it.
func TestMistypedCommandAlone(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"help schedulle": "help schedule",
		"help shedule":   "help schedule",
		"help remnd":     "help remind",
		"schedulle":      "schedule every weekday at 15:00",
		"shedule":        "schedule every weekday at 15:00",
		"remindr":        "remind me every weekday at 10:30",
		"lst":            "list",
		"brake":          "break",
	} {
		if ex := tryLine(t, k.Send(in).PlainText()); ex != want {
			t.Errorf("%q offers %q, want %q", in, ex, want)
		}
	}
}

// A team break has no note: "to …" after a schedule's time is refused as
// such, with the schedule as typed without it, not a stock example; and
// "to" after a channel is no part of its name.
func TestScheduleWithANote(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"schedule every day at 10 to stretch":                     "schedule every day at 10",
		"schedule every day at 10 to stretch in #general":         "schedule every day at 10 in #general",
		"schedule every day at 10 in #general to stretch":         "schedule every day at 10 in #general",
		"schedule every weekday at 15:00 5 min to get up, people": "schedule every weekday at 15:00 5 min",
		"schedule every day at 10 in #general to":                 "schedule every day at 10 in #general",
		"schedule every monday to friday at 9 to stretch":         "schedule every monday to friday at 9",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "no note")
		if ex := tryLine(t, r.PlainText()); ex != want {
			t.Errorf("%q offers %q, want %q", in, ex, want)
		}
	}
}

// A reminder naming a channel is a team break for it: the refusal says so
// and offers the schedule, not a stock reminder.
func TestRemindInAChannel(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every day at 10 in #general")
	bottest.MustContain(t, r, "team break")
	if ex := tryLine(t, r.PlainText()); ex != "schedule every day at 10 in #general" {
		t.Errorf("example %q", ex)
	}
}

// A reminder ending in "to" with no note keeps its time in the example.
func TestRemindEndingInTo(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every day at 9 to")
	bottest.MustContain(t, r, "Remind you to do what?")
	if ex := tryLine(t, r.PlainText()); ex != "remind me every day at 9" {
		t.Errorf("example %q", ex)
	}
}

// A time with two windows, "every hour 9-12 and 13-17", is refused with
// the times of both listed, for a reminder and a team break alike, not as
// a break length.
func TestTwoWindows(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every hour 9-12 and 13-17":                                 "remind me every day at 09:00, 10:00, 11:00, 12:00, 13:00, 14:00, 15:00, 16:00 and 17:00",
		"remind me every hour between 9 and 11 and between 14 and 16 to walk": "remind me every day at 09:00, 10:00, 11:00, 14:00, 15:00 and 16:00 to walk",
		"schedule every 2 hours 8-12 and 14-18 on weekdays in #general":       "schedule every weekday at 08:00, 10:00, 12:00, 14:00, 16:00 and 18:00 in #general",
		"schedule every hour from 9 to 11 and from 14 to 16 5 min":            "schedule every day at 09:00, 10:00, 11:00, 14:00, 15:00 and 16:00 5 min",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "one window")
		if ex := tryLine(t, r.PlainText()); ex != want {
			t.Errorf("%q offers %q, want %q", in, ex, want)
		} else if r := k.Send(ex); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, ex, r.PlainText())
		}
	}
}

// Time away said for a later day is refused with an example for that
// day: back the day after it, to say when leaving, not a date two weeks
// off.
func TestAwayOnALaterDayExample(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"away on friday":       "away until 2026-12-05",
		"away tomorrow":        "away until 2026-12-02",
		"away next wednesday":  "away until 2026-12-03",
		"away starting friday": "away until 2026-12-05",
	} {
		r := k.Send(in)
		bottest.MustContain(t, r, "Time away starts when you say it")
		if ex := tryLine(t, r.PlainText()); ex != want {
			t.Errorf("%q offers %q, want %q", in, ex, want)
		}
	}
}

// Working hours and quiet periods leave days out with except, as a
// reminder's days do.
func TestHoursExceptADay(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("hours 9-17 every day except friday"), "Working hours set: 09:00-17:00 on Mon, Tue, Wed, Thu, Sat and Sun")
	bottest.MustContain(t, k.Send("hours 9-17 except wednesday"), "Working hours set: 09:00-17:00 on Mon, Tue, Thu and Fri")
	bottest.MustContain(t, k.Send("quiet 12-13 but not on weekends"), "Quiet: 12:00-13:00 on weekdays")
	r := k.Send("hours 9-17 except")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "except")
	if ex := tryLine(t, r.PlainText()); ex != "hours 9-17 except friday" {
		t.Errorf("example %q", ex)
	}
	r = k.Send("hours 9-17 mon except mon")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
}

// An id said twice in one command counts once: `cancel #a #a` cancels it
// and says so, rather than refusing the second as unknown after the first
// was gone, and `skip #a #a` skips one run. `resume` takes several ids,
// as cancel and skip do.
func TestSameIDTwiceInOneCommand(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	a := createdID(t, k.Send("remind me every day at 10"))
	b := createdID(t, k.Send("remind me every day at 11"))
	r := k.Send("skip #" + a + " #" + a)
	if n := strings.Count(r.PlainText(), "Skipped #"+a); n != 1 {
		t.Errorf("skipped %d times:\n%s", n, r.PlainText())
	}
	k.Send("pause #" + a)
	k.Send("pause #" + b)
	r = k.Send("resume #" + a + ", #" + b)
	bottest.MustContain(t, r, "Resumed #"+a, "Resumed #"+b)
	r = k.Send("cancel #" + a + " and #" + strings.ToUpper(a))
	if r.Error {
		t.Errorf("cancel refused:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "Cancelled #"+a)
}

// When one id of several cannot be changed after others were, the reply
// says what was done as well as what was not.
func TestManyIDsOneRefusedAfterOthers(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every day at 10"))
	b := createdID(t, k.Send("remind me every day at 11"))
	k.Send("pause #" + a)
	r := k.Send("resume #" + a + " #" + b)
	bottest.MustContain(t, r, "Resumed #"+a, "#"+b+" is not paused")
}

// `pause` takes several ids, as cancel, skip and resume do, with one
// length or end for them all.
func TestPauseSeveralIDs(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	a := createdID(t, k.Send("remind me every day at 10"))
	b := createdID(t, k.Send("remind me every day at 11"))
	r := k.Send("pause #" + a + " #" + b + " for 2 hours")
	bottest.MustContain(t, r, "Paused #"+a+" until Mon 30 Nov 11:00 UTC", "Paused #"+b+" until Mon 30 Nov 11:00 UTC")
	r = k.Send("resume #" + a + " and #" + b)
	bottest.MustContain(t, r, "Resumed #"+a, "Resumed #"+b)
	r = k.Send("pause #" + a + ", #" + b)
	bottest.MustContain(t, r, "Paused #"+a, "Paused #"+b)
	k.Send("resume all")
	r = k.Send("pause #" + a + " #" + a + " for 1 hour")
	bottest.MustContain(t, r, "Paused #"+a+" until Mon 30 Nov 10:00 UTC")
}
