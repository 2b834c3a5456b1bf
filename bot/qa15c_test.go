package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A date with its year that does not exist, or has passed, is refused for
// that reason, not read as a break of 2027 minutes.
func TestDateWithAYearIsNotABreakLength(t *testing.T) {
	start := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ in, reason, example string }{
		{"remind me on 29 february 2027", "February 2027 has 28 days", "remind me on 28 february 2027"},
		{"remind me on 29 february 2027 at 10 to stretch", "February 2027 has 28 days", "remind me on 28 february 2027 at 10 to stretch"},
		{"schedule on 29 february 2027", "February 2027 has 28 days", "schedule on 28 february 2027"},
		{"remind me on 15 march 2026", "in the past", ""},
		{"schedule on march 15, 2026", "in the past", ""},
	} {
		k := testkit.New(t, testkit.WithStart(start))
		r := k.Send(tt.in)
		text := r.PlainText()
		if !r.Error || !strings.Contains(first(text), tt.reason) || strings.Contains(text, "minutes long") {
			t.Errorf("%q, want a refusal naming %q:\n%s", tt.in, tt.reason, text)
			continue
		}
		ex := tryLine(t, text)
		if tt.example != "" && ex != tt.example {
			t.Errorf("%q offers %q, want %q", tt.in, ex, tt.example)
		}
		if r := k.Send(ex); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", tt.in, ex, r.PlainText())
		}
	}
}

// A one-off whose time has passed, delivered or passed over by a timed
// pause, has nothing to pause or resume: each says so and offers what
// works, not to pause it, which would be taken and do nothing.
func TestPauseAndResumeOfAPassedOneOff(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	held := createdID(t, k.Send("remind me in 1 hour to drink water"))
	sent := createdID(t, k.Send("remind me in 30 minutes"))
	k.Send("pause #" + held + " for 2 hours")
	for range 14 {
		k.Advance(10 * time.Minute)
	}
	if n := len(deliveriesOf(k, sent)); n != 1 {
		t.Fatalf("#%s delivered %d times, want once", sent, n)
	}
	for _, tt := range []struct{ in, reason, example string }{
		{"resume #" + held, "passed while it was paused", "remind me in 20 minutes to drink water"},
		{"resume #" + sent, "its one run came at", "list"},
		{"pause #" + sent, "its one run came at", "list"},
		{"pause #" + held + " for 1 hour", "passed while it was paused", "remind me in 20 minutes to drink water"},
	} {
		r := k.Send(tt.in)
		text := r.PlainText()
		if !r.Error || !strings.Contains(first(text), tt.reason) {
			t.Errorf("%q, want a refusal naming %q:\n%s", tt.in, tt.reason, text)
			continue
		}
		if got := tryLine(t, text); got != tt.example {
			t.Errorf("%q offers %q, want %q", tt.in, got, tt.example)
		}
	}
	// Refused, so nothing was paused: snooze still works.
	if r := k.Send("snooze #" + sent); r.Error {
		t.Errorf("snooze after a refused pause:\n%s", r.PlainText())
	}
}

// A repeat said to run to the end of the month runs on its weekdays to the
// month's last day and then ends, leaving nothing in the list.
func TestUntilTheEndOfTheMonthOverDays(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 2, 25, 8, 0, 0, 0, time.UTC))) // Thursday
	id := createdID(t, k.Send("remind me every weekday at 9 until the end of the month to stand up"))
	text := k.Send("list").PlainText()
	if !strings.Contains(text, "until Sun 28 Feb") || !strings.Contains(text, "2 runs left, the last Fri 26 Feb 09:00 UTC") {
		t.Errorf("list:\n%s", text)
	}
	for range 6 * 24 * 4 {
		k.Advance(15 * time.Minute)
	}
	var days []string
	for _, o := range deliveriesOf(k, id) {
		days = append(days, o.Due.Format("Mon 2 Jan 15:04"))
	}
	if strings.Join(days, ", ") != "Thu 25 Feb 09:00, Fri 26 Feb 09:00" {
		t.Errorf("delivered on %v", days)
	}
	if text := k.Send("list").PlainText(); strings.Contains(text, "#"+id) {
		t.Errorf("an ended repeat is still listed:\n%s", text)
	}
	refusedWith(t, k, "remind me every weekday at 9 this month", "Say until when", "remind me every weekday at 9 until the end of the month")
}

// A snooze that fell due while no instance ran is a one-off like any
// other: within the catch-up window it comes once, marked late; beyond it,
// not at all, rather than a break snoozed for ten minutes arriving hours
// later.
func TestSnoozeMissedWhileDown(t *testing.T) {
	for _, tt := range []struct {
		down time.Duration
		want int
	}{{8 * time.Minute, 1}, {40 * time.Minute, 0}, {72 * time.Hour, 0}} {
		k := testkit.New(t)
		id := createdID(t, k.Send("remind me every day at 9:01 to stand up"))
		k.Advance(time.Minute)
		k.Advance(time.Minute)
		snoozedTo := k.Clock.Now().Add(5 * time.Minute)
		if r := k.Send("snooze #" + id + " 5 min"); r.Error {
			t.Fatalf("snooze: %s", r.PlainText())
		}
		k.Clock.Advance(tt.down) // stopped: nothing runs meanwhile
		later := testkit.New(t, testkit.WithStore(k.DB), testkit.WithStart(k.Clock.Now()))
		for range 10 {
			later.Advance(time.Minute)
		}
		var snoozed []bot.Outgoing
		for _, o := range deliveriesOf(later, id) {
			if o.Due.Equal(snoozedTo) {
				snoozed = append(snoozed, o)
			}
		}
		if len(snoozed) != tt.want {
			t.Errorf("down %s: the snooze came %d times, want %d", tt.down, len(snoozed), tt.want)
			continue
		}
		if tt.want == 1 && !strings.Contains(snoozed[0].Reply.PlainText(), "Late: this was due at") {
			t.Errorf("down %s: a snooze delivered late is not marked late:\n%s", tt.down, snoozed[0].Reply.PlainText())
		}
		if text := later.Send("list").PlainText(); strings.Contains(text, "snoozed") {
			t.Errorf("down %s: the list still shows the snooze:\n%s", tt.down, text)
		}
	}
}

// The end of a period, said as a moment, is offered as the day it falls
// on, and the offer works.
func TestEndOfTheMonthAsADay(t *testing.T) {
	for _, tt := range []struct{ in, example string }{
		{"remind me at the end of the month", "remind me on the last day of the month"},
		{"pause all until the end of the month", "pause all until the last day of the month"},
		{"away until end of the week", "away until sunday"},
	} {
		k := testkit.New(t)
		k.Send("remind me every day at 9")
		refusedWith(t, k, tt.in, "“end of the", tt.example)
	}
}

// A snooze of a reminder that never came offers skip only while a run is
// coming to skip; otherwise it offers what works.
func TestSnoozeOfAReminderThatNeverCame(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	ended := createdID(t, k.Send("remind me every day at 10 2 times"))
	held := createdID(t, k.Send("remind me every day at 11"))
	k.Send("pause #" + ended + " for 3 days")
	k.Send("pause #" + held)
	for range 3 * 24 * 4 {
		k.Advance(15 * time.Minute)
	}
	refusedWith(t, k, "snooze #"+ended, "no run coming", "list")
	refusedWith(t, k, "snooze #"+held, "is paused", "resume #"+held)
	coming := createdID(t, k.Send("remind me in 2 hours"))
	refusedWith(t, k, "snooze #"+coming, "hasn't been delivered yet", "skip #"+coming)
}
