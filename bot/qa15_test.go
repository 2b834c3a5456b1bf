package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A reminder set "in 20 minutes" says it comes in 20 minutes, also when
// the request arrives part-way through a second (as every real one does):
// the run is kept to the whole second, and the countdown counts from the
// same second, not from the instant the words were read.
func TestRelativeReminderCountdownIsTheOneAskedFor(t *testing.T) {
	start := time.Date(2026, 11, 30, 9, 0, 0, 900_000_000, time.UTC)
	k := testkit.New(t, testkit.WithStart(start), testkit.WithMinInterval(time.Second))
	for in, want := range map[string]string{
		"remind me in 20 minutes": "(in 20 min)",
		"remind me in 3 seconds":  "(in 3 s)",
		"remind me in 2h":         "(in 2 h)",
		"remind me in 90 seconds": "(in 1 min 30 s)",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// A break far too long is refused as too long, naming the number typed,
// however many digits it has, as "break 100" is; not as words the bot does
// not understand, nor as another number.
func TestBreakWithAHugeNumberIsTooLong(t *testing.T) {
	k := testkit.New(t)
	for _, n := range []string{"99999", "999999999", "99999999999999999999", strings.Repeat("9", 50)} {
		for _, in := range []string{"break " + n + " min", "break " + n, "break " + n + "min"} {
			r := k.Send(in)
			text := r.PlainText()
			if !r.Error || !strings.Contains(text, "A break can be 1 to 60 minutes long") || strings.Contains(text, "4611686018427387904") {
				t.Errorf("%q:\n%s", in, text)
			}
			if got := tryLine(t, text); got != "break 10 min" {
				t.Errorf("%q offers %q", in, got)
			}
		}
	}
}

// An id that is not the caller's is "not found", in those words, and
// exactly as an id that does not exist at all, for every command that
// takes one.
func TestAnotherPersonsIDIsNotFound(t *testing.T) {
	k := testkit.New(t)
	mine := createdID(t, k.Send("remind me every day at 10:30"))
	k.Advance(0)
	for _, verb := range []string{"cancel", "pause", "resume", "skip", "snooze"} {
		other := k.SendAs("U2", "console", verb+" #"+mine)
		none := k.SendAs("U2", "console", verb+" #zzzz")
		want := strings.ReplaceAll(none.PlainText(), "zzzz", mine)
		if !other.Error || !strings.Contains(strings.ToLower(other.PlainText()), "not found") || other.PlainText() != want {
			t.Errorf("%s by another user:\n%s\nfor an id that does not exist:\n%s", verb, other.PlainText(), none.PlainText())
		}
	}
}

// A teammate who presses Done on someone else's break in the channel is
// told whose break it was and how to get one of their own, not that only
// their latest break counts (they never asked for one). The owner's press
// still counts, and an older break of the presser's own is still refused.
func TestDoneOnSomeoneElsesBreak(t *testing.T) {
	k := testkit.New(t)
	press := func(user bot.UserID, value string) bot.ActionResult {
		t.Helper()
		m := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: user}
		return k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: m, ID: bot.ActionDone, Value: value})
	}
	value := func(r bot.Reply) string {
		t.Helper()
		for _, a := range r.Actions {
			if a.ID == bot.ActionDone {
				return a.Value
			}
		}
		t.Fatalf("no Done button: %+v", r.Actions)
		return ""
	}
	theirs := value(k.Send("break"))
	r := press("U2", theirs)
	if text := r.Ephemeral.PlainText(); !r.Ephemeral.Error || strings.Contains(text, "latest") || !strings.Contains(text, "someone else's") || tryLine(t, text) != "break" {
		t.Errorf("Done by a teammate:\n%s", text)
	}
	if r := press("console", theirs); r.Ephemeral.Error {
		t.Errorf("Done by the owner:\n%s", r.Ephemeral.PlainText())
	}
	old := value(k.SendAs("U2", "console", "break"))
	k.Advance(time.Minute)
	k.SendAs("U2", "console", "break")
	if r := press("U2", old); !strings.Contains(r.Ephemeral.PlainText(), "Only your latest break") {
		t.Errorf("Done on an older break of one's own:\n%s", r.Ephemeral.PlainText())
	}
}

// A team break asked for in a direct message, with no channel named, is
// refused with the personal reminder that works there; it would otherwise
// be a "team" of one, shown as a link to a channel that is no channel.
// Naming a channel from the DM still works.
func TestScheduleInADirectMessage(t *testing.T) {
	k := testkit.New(t)
	dm := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "dm1", User: "console", DM: true}
	for in, want := range map[string]string{
		"schedule every day at 9":      "remind me every day at 9",
		"schedule every weekday 10:30": "remind me every weekday 10:30",
		"schedule":                     "remind me every weekday at 15:00",
		"schedule banana":              "remind me every weekday at 15:00",
	} {
		m := dm
		m.Text = in
		r := k.SendMsg(m)
		text := r.PlainText()
		if !r.Error || !strings.Contains(text, "channel") || tryLine(t, text) != want {
			t.Errorf("%q in a DM:\n%s", in, text)
			continue
		}
		m.Text = want
		if r := k.SendMsg(m); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want, r.PlainText())
		}
	}
	m := dm
	m.Text = "schedule every day at 9 in #general"
	if r := k.SendMsg(m); r.Error {
		t.Errorf("a named channel from a DM:\n%s", r.PlainText())
	}
}

// Several ids typed without their # are answered with the command that
// takes them all, not read as one id or as a time.
func TestSeveralIDsWithoutHash(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every day at 10:30"))
	b := createdID(t, k.Send("remind me every day at 11:30"))
	for _, verb := range []string{"cancel", "pause", "resume", "skip"} {
		for _, in := range []string{verb + " " + a + " " + b, verb + " " + a + ", " + b, verb + " " + a + " and " + b} {
			r := k.Send(in)
			want := verb + " #" + a + " #" + b
			if !r.Error || tryLine(t, r.PlainText()) != want {
				t.Errorf("%q:\n%s\nwant the example %q", in, r.PlainText(), want)
			}
		}
	}
	// A word that is none of the caller's ids keeps its own answer.
	if r := k.Send("pause " + a + " lunchtime"); strings.Contains(r.PlainText(), "#lunchtime") {
		t.Errorf("pause with a word after the id:\n%s", r.PlainText())
	}
	if r := k.Send("cancel " + a + " " + b); !strings.Contains(k.Send("list").PlainText(), "#"+a) {
		t.Errorf("the hint changed something:\n%s", r.PlainText())
	}
}

// A country whose English name takes "the" is named with it.
func TestHolidaysNameTheCountryAsSaid(t *testing.T) {
	k := testkit.New(t)
	for code, want := range map[string]string{"US": "of the United States,", "GB": "of the United Kingdom,", "NL": "of the Netherlands,", "DE": "of Germany,", "GB-SCT": "of the United Kingdom (Scotland),"} {
		if r := k.Send("holidays " + code); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("holidays %s, want %q:\n%s", code, want, r.PlainText())
		}
		if r := k.Send("holidays"); !strings.Contains(r.PlainText(), want) {
			t.Errorf("holidays after %s, want %q:\n%s", code, want, r.PlainText())
		}
	}
}

// A thumbs-up or a thank-you emoji alone is thanks, not an unknown command.
func TestEmojiThanks(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"👍", "🙏", "👍👍", "thanks 👍"} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "You're welcome") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A page past the end counts what `list` shows, which includes the
// channel's team breaks: they are not "yours".
func TestListPastTheEndCountsWhatListShows(t *testing.T) {
	k := testkit.New(t)
	k.Send("schedule every day at 9")
	r := k.SendAs("U2", "console", "list 2")
	if text := r.PlainText(); !r.Error || strings.Contains(text, "your") || !strings.Contains(text, "There is no page 2: `list` shows 1 reminder or team break, on 1 page.") {
		t.Errorf("list 2 by someone with no reminders of their own:\n%s", text)
	}
}

// "from" and a time after a rule of days with no time of its own is the
// time of day it comes at ("every monday from 10" is at 10:00, not at the
// default time from 10:00 on), and a start said after it still counts.
func TestDaysFromATime(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every weekday from 9 next week":   "every weekday at 09:00, starting Mon 7 Dec",
		"schedule every weekday from 9 next week":    "every weekday at 09:00, starting Mon 7 Dec",
		"remind me every monday from 10":             "every Monday at 10:00.",
		"remind me every day from 10 to stretch":     "every day at 10:00.",
		"remind me every weekday from 10am tomorrow": "every weekday at 10:00, starting Tue 1 Dec",
	} {
		r := k.Send(in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, want) || strings.Contains(text, "default time") {
			t.Errorf("%q, want %q:\n%s", in, want, text)
		}
	}
	if text := k.Send("remind me every weekday from 9 next week").PlainText(); !strings.Contains(text, "Next: Mon 7 Dec 09:00 UTC · Tue 8 Dec 09:00 UTC") {
		t.Errorf("next week's runs:\n%s", text)
	}
	// A rule with its own time keeps "from" as its start.
	if text := k.Send("remind me every weekday at 9 from tomorrow").PlainText(); !strings.Contains(text, "every weekday at 09:00, starting Tue 1 Dec") {
		t.Errorf("a start after a time:\n%s", text)
	}
}

// "to" and words that are not a time, after "from" and a time, is what the
// reminder is for, not the end of a window.
func TestFromATimeToANote(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every 2 hours from 10 am to stretch":    "Note: stretch",
		"remind me every 2 hours from 10am to move":        "Note: move",
		"remind me every 90 minutes from 9:30 to stand up": "Note: stand up",
	} {
		r := k.Send(in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, want) || !strings.Contains(text, "starting Mon 30 Nov at ") {
			t.Errorf("%q, want %q:\n%s", in, want, text)
		}
	}
	// A team break has no note; the example keeps its start.
	refusedWith(t, k, "schedule every 2 hours from 10 am to stretch", "leave out “to stretch”", "schedule every 2 hours from 10 am")
	// A time after "to" is still the window's end.
	for in, want := range map[string]string{
		"remind me every hour from 9 to 5":     "every hour between 09:00 and 17:00",
		"remind me every hour from 9 to five":  "every hour between 09:00 and 17:00",
		"remind me every hour from 9am to 5pm": "every hour between 09:00 and 17:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	// A start on a later day keeps its time.
	if r := k.Send("remind me every 2 hours from 10 tomorrow"); r.Error || !strings.Contains(r.PlainText(), "Next: Tue 1 Dec 10:00 UTC · Tue 1 Dec 12:00 UTC") {
		t.Errorf("from 10 tomorrow:\n%s", r.PlainText())
	}
}

// A quiet period or time left out of a team break that none of its times
// falls in is said to change nothing, rather than asking for other times.
func TestTeamQuietPeriodOutsideItsTimes(t *testing.T) {
	for _, tt := range []struct{ in, reason, example string }{
		{"schedule every weekday at 9 quiet lunch", "none of its times falls in it: leave out “quiet lunch”", "schedule every weekday at 9"},
		{"schedule every day at 10 and 15:00 except lunch", "none of its times falls in it: leave out “except lunch”", "schedule every day at 10 and 15:00"},
		{"schedule every weekday at 9 quiet 12-13 5 min", "leave out “quiet 12-13”", "schedule every weekday at 9 5 min"},
		// A time inside it still asks for the times to list.
		{"schedule every hour between 9 and 17 quiet lunch", "list the times it should come instead", "schedule every day at 09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00 and 17:00"},
		{"schedule every day at 12:30 quiet lunch", "list the times it should come instead", "schedule every day at 9, 10, 11, 13, 14, 15 and 16"},
	} {
		refusedWith(t, testkit.New(t), tt.in, tt.reason, tt.example)
	}
}

// A break's length said after times on both sides of midnight stays in
// the example, which sets the first night's time with it.
func TestNightTimesKeepTheBreakLength(t *testing.T) {
	for _, tt := range []struct{ in, example string }{
		{"remind me friday night at 11 and 1 5 min", "remind me friday night at 23:00 5 min"},
		{"schedule friday night at 11 and 1 5 min", "schedule friday night at 23:00 5 min"},
		{"schedule every friday night at 11 and 1 5 min", "schedule every friday night at 23:00 5 min"},
		{"remind me every friday night at 11 and 1 5 min", "remind me every friday night at 23:00 5 min"},
		{"remind me every friday night at 11 and 1 desk to stretch", "remind me every friday night at 23:00 desk to stretch"},
	} {
		refusedWith(t, testkit.New(t), tt.in, "either side of midnight", tt.example)
	}
}

// A snooze with no id from the person who created a team break snoozes it
// when it is the one of theirs delivered last; when one of their own
// reminders came before it, or two of their team breaks came together,
// they are asked which, by id.
func TestCreatorSnoozesTeamBreakWithoutAnID(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	team := createdID(t, k.Send("schedule every day at 10:00"))
	for range 61 {
		k.Advance(time.Minute)
	}
	if r := k.Send("snooze"); r.Error || !strings.Contains(r.PlainText(), "Snoozed #"+team) || !strings.Contains(r.PlainText(), "in 10 min") {
		t.Errorf("snooze by the creator:\n%s", r.PlainText())
	}
	if r := k.SendAs("U2", "console", "snooze"); !r.Error || strings.Contains(r.PlainText(), "Snoozed") {
		t.Errorf("snooze by someone else:\n%s", r.PlainText())
	}

	// A reminder of their own delivered too: which one is asked.
	k = testkit.New(t)
	mine := createdID(t, k.Send("remind me in 30 minutes"))
	team = createdID(t, k.Send("schedule every day at 10:00"))
	for range 61 {
		k.Advance(time.Minute)
	}
	refusedWith(t, k, "snooze 15", "say which", "snooze #"+team+" 15")
	// A length no snooze takes is left out of the example.
	refusedWith(t, k, "snooze 2 days", "say which", "snooze #"+team)
	if r := k.Send("snooze #" + mine); r.Error {
		t.Errorf("snooze of the reminder by id:\n%s", r.PlainText())
	}

	// Two team breaks of theirs came together.
	k = testkit.New(t)
	one := createdID(t, k.Send("schedule every day at 10:00"))
	two := createdID(t, k.Send("schedule every day at 10:00 10 min"))
	for range 61 {
		k.Advance(time.Minute)
	}
	r := k.Send("snooze")
	if text := r.PlainText(); !r.Error || !strings.Contains(text, "#"+one) || !strings.Contains(text, "#"+two) {
		t.Errorf("two team breaks at once:\n%s", text)
	}
}

// A team break's run held back by a pause is counted as skipped in the
// channel's stats once its time has passed, as one passed over with
// `skip` is: for a pause with an end and for one lifted with `resume`.
// A pause lifted before a run comes holds nothing back.
func TestPausedTeamBreakRunsCount(t *testing.T) {
	advance := func(k *testkit.Kit, d time.Duration) {
		for ; d > 0; d -= time.Minute {
			k.Advance(time.Minute)
		}
	}
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	id := createdID(t, k.Send("schedule every day at 10 and 15:00"))
	k.Send("pause #" + id + " for 3 hours")
	advance(k, 6*time.Hour+5*time.Minute) // 10:00 paused, 15:00 held
	if text := k.Send("stats").PlainText(); !strings.Contains(text, "1 team break held, 1 skipped (paused)") {
		t.Errorf("stats after a timed pause:\n%s", text)
	}

	k = testkit.New(t)
	id = createdID(t, k.Send("schedule every day at 10 and 15:00"))
	k.Send("pause #" + id)
	advance(k, 6*time.Hour+5*time.Minute) // 10:00 and 15:00 paused
	if r := k.Send("resume #" + id); r.Error {
		t.Fatalf("resume:\n%s", r.PlainText())
	}
	if text := k.Send("stats").PlainText(); !strings.Contains(text, "2 skipped (paused)") {
		t.Errorf("stats after a pause lifted with resume:\n%s", text)
	}

	k = testkit.New(t)
	id = createdID(t, k.Send("schedule every day at 10 and 15:00"))
	k.Send("pause #" + id + " for 3 hours")
	advance(k, 30*time.Minute)
	k.Send("resume #" + id)
	advance(k, 6*time.Hour)
	if text := k.Send("stats").PlainText(); !strings.Contains(text, "2 team breaks held") || strings.Contains(text, "skipped") {
		t.Errorf("stats after a pause lifted before its runs:\n%s", text)
	}
}

// A word for pausing or snoozing said with no id offers the command with
// an id the caller has, or `all`, never a made-up id that is not found.
func TestActionWordWithoutAnIDOffersOneThatWorks(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"stop", "stop reminding me", "mute", "postpone"} {
		r := k.Send(in)
		if ex := tryLine(t, r.PlainText()); !r.Error || strings.Contains(ex, "#k3f9") {
			t.Errorf("%q with nothing set offers %q:\n%s", in, ex, r.PlainText())
		} else if again := k.Send(ex); again.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, ex, again.PlainText())
		}
	}
	k = testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10"))
	for range 61 {
		k.Advance(time.Minute)
	}
	refusedWith(t, k, "postpone", "say `snooze`", "snooze #"+id)
	// An id typed is kept.
	refusedWith(t, k, "stop #"+id, "say `pause`", "pause #"+id)
	k.Send("resume #" + id)
	refusedWith(t, k, "stop", "say `pause`", "pause all")
}

// A mistyped command with `all` or no id offers the command with `all`
// or an id the caller has, not "#all" or a made-up id.
func TestMistypedCommandWithAll(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10"))
	refusedWith(t, k, "canel all", "Did you mean `cancel`?", "cancel #"+id)
	k = testkit.New(t)
	id = createdID(t, k.Send("remind me every day at 10"))
	refusedWith(t, k, "paus all", "Did you mean `pause`?", "pause all")
	refusedWith(t, k, "resme", "Did you mean `resume`?", "resume all")
	refusedWith(t, k, "skp", "Did you mean `skip`?", "skip #"+id)
	refusedWith(t, k, "cancle #"+id, "Did you mean `cancel`?", "cancel #"+id)
}

// A day said where the id goes asks for the id, not for a reminder
// called "#tomorrow".
func TestDayWhereTheIDGoes(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10"))
	for _, in := range []string{"skip tomorrow", "skip today", "cancel tomorrow", "snooze tonight"} {
		if r := k.Send(in); !r.Error || strings.Contains(r.PlainText(), "no reminder #") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
	refusedWith(t, k, "skip tomorrow", "Give its id", "skip #"+id)
}

// "@" and a time first is "at" that time, as it is after a day; only
// "@" and a word is a cron shortcut.
func TestAtSignFirst(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me @ 10":             "once on Mon 30 Nov at 10:00 UTC",
		"remind me @10am":            "once on Mon 30 Nov at 10:00 UTC",
		"remind me @ 3pm to stretch": "Note: stretch",
		"schedule @ 11:30 tomorrow":  "once on Tue 1 Dec at 11:30 UTC",
		"remind me @daily":           "cron @daily",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// Words that are no time in the middle of one are named, and the rest is
// offered, rather than an unrelated one-off.
func TestWordsInTheMiddleOfATime(t *testing.T) {
	for _, tt := range []struct{ in, reason, example string }{
		{"schedule daily standup stretch at 10", "I don't understand “standup”", "schedule daily at 10"},
		{"schedule every weekday team huddle at 9:30", "I don't understand “team”", "schedule every weekday at 9:30"},
	} {
		refusedWith(t, testkit.New(t), tt.in, tt.reason, tt.example)
	}
}

// A start after a while counts the runs from then, not from midnight
// (which has passed, so the words were dropped); "starting now" is a
// start now.
func TestStartingAfterAWhile(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every 3 hours starting in 10 minutes": "Next: Mon 30 Nov 09:10 UTC · Mon 30 Nov 12:10 UTC",
		"remind me every hour beginning in 2 hours":      "Next: Mon 30 Nov 11:00 UTC · Mon 30 Nov 12:00 UTC",
		"schedule every 2 hours starting in 30 min":      "Next: Mon 30 Nov 09:30 UTC · Mon 30 Nov 11:30 UTC",
		"remind me every 3 hours starting now":           "Next: Mon 30 Nov 12:00 UTC · Mon 30 Nov 15:00 UTC",
		"remind me every hour from now":                  "Next: Mon 30 Nov 10:00 UTC · Mon 30 Nov 11:00 UTC",
		"remind me every day at 9 from now on":           "Next: Tue 1 Dec 09:00 UTC · Wed 2 Dec 09:00 UTC",
		"remind me every day at 8 starting in 2 days":    "Next: Wed 2 Dec 08:00 UTC · Thu 3 Dec 08:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// A holiday by name at the end of a repeat is mended to its date there.
func TestUntilAHolidayByName(t *testing.T) {
	for _, tt := range []struct{ in, example string }{
		{"remind me every weekday at 9 until christmas", "remind me every weekday at 9 until december 25"},
		{"schedule every day at 10 until new year's eve", "schedule every day at 10 until december 31"},
		{"remind me every day at 9 till xmas to stretch", "remind me every day at 9 till december 25 to stretch"},
	} {
		refusedWith(t, testkit.New(t), tt.in, "I don't know holidays by name", tt.example)
	}
}

// A pause "forever" or "indefinitely" is a pause until resumed.
func TestPauseForever(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every day at 10"))
	for _, tt := range []struct{ in, want string }{
		{"pause " + a + " forever", "Paused #" + a + " until you `resume` it"},
		{"resume " + a, "Resumed #" + a},
		{"pause #" + a + " indefinitely", "Paused #" + a + " until you `resume` it"},
		{"resume " + a, "Resumed #" + a},
		{"pause all for ever", "until you `resume`"},
		{"resume all", "Resumed"},
	} {
		if r := k.Send(tt.in); r.Error || !strings.Contains(r.PlainText(), tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, r.PlainText())
		}
	}
}

// A question or greeting that names a command further on offers that
// command with the words after it, when they read; after a polite opening
// alone, it is run.
func TestCommandInsideASentence(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, example string }{
		{"can i have a break 10 min please", "break 10 min"},
		{"would you like to schedule every weekday at 15:00", "schedule every weekday at 15:00"},
	} {
		refusedWith(t, k, tt.in, "I don't know the command", tt.example)
	}
	for _, in := range []string{"can you remind me in 10 minutes?", "hey stretchbot, remind me in 10 minutes to stretch", "could you schedule every weekday at 15:00"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}

// "in the #general channel" offers the channel named with its # alone.
func TestChannelSaidWithTheWordChannel(t *testing.T) {
	k := testkit.New(t)
	refusedWith(t, k, "schedule every day at 13 in the #general channel", "with its # alone", "schedule every day at 13 in #general")
	refusedWith(t, k, "schedule every weekday at 9 5 min in the #random channel", "with its # alone", "schedule every weekday at 9 5 min in #random")
}

// "join" typed, the word of a team break's button, says how joining is
// done rather than that there is no such command.
func TestJoinTyped(t *testing.T) {
	k := testkit.New(t)
	refusedWith(t, k, "join", "Join is the button under a team break", "done")
	refusedWith(t, k, "Joined!", "Join is the button", "done")
}

// A start's day said with a time, for a rule of days with no time of its
// own, gives the rule its time ("every day starting monday at 10" is at
// 10:00 from Monday); a start from a month's day is a start.
func TestStartDayWithTheRulesTime(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every day starting wednesday at 10":    "Next: Wed 2 Dec 10:00 UTC · Thu 3 Dec 10:00 UTC",
		"remind me every weekday beginning friday at 3pm": "Next: Fri 4 Dec 15:00 UTC · Mon 7 Dec 15:00 UTC",
		"remind me every 2 hours starting tuesday at 10":  "Next: Tue 1 Dec 10:00 UTC · Tue 1 Dec 12:00 UTC",
		"remind me every day at 9 from jan 4":             "Next: Mon 4 Jan 2027 09:00 UTC",
		"schedule every weekday at 10 from december 14th": "Next: Mon 14 Dec 10:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) || strings.Contains(r.PlainText(), "default time") {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// "now" for a time says it has passed and offers a minute from now.
func TestRemindMeNow(t *testing.T) {
	for _, tt := range []struct{ in, example string }{
		{"remind me now", "remind me in 1 minute"},
		{"remind me right now to stretch", "remind me in 1 minute to stretch"},
		{"schedule now", "schedule in 1 minute"},
	} {
		refusedWith(t, testkit.New(t), tt.in, "now” has passed by the time it is set", tt.example)
	}
}

// "summary now" shows the channel's figures so far, as `summary` does.
func TestSummaryNow(t *testing.T) {
	k := testkit.New(t)
	if r := k.Send("summary now"); r.Error || !strings.Contains(r.PlainText(), "team breaks held") {
		t.Errorf("summary now:\n%s", r.PlainText())
	}
}

// "until midnight" is tonight's, and "until the end of the day" offers
// until 17:00.
func TestUntilMidnightAndEndOfDay(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	if r := k.Send("remind me every hour until midnight"); r.Error || !strings.Contains(r.PlainText(), "until Tue 1 Dec at 00:00 UTC") {
		t.Errorf("until midnight:\n%s", r.PlainText())
	}
	refusedWith(t, k, "remind me every 30 minutes until the end of the day", "“end of the day” is not a time I know", "remind me every 30 minutes until 17:00")
	refusedWith(t, k, "remind me every hour till eod", "“eod” is not a time I know", "remind me every hour till 17:00")
}

// "for the rest of the day" ends a repeat when today ends.
func TestForTheRestOfTheDay(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for _, in := range []string{"remind me every hour for the rest of the day", "remind me every 30 minutes for the rest of today to stretch"} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "until Mon 30 Nov") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A length that is none ("for a while") offers the repeat without it, not
// a stock one.
func TestForALengthThatIsNone(t *testing.T) {
	refusedWith(t, testkit.New(t), "remind me every hour for a while", "Say how long it should go on", "remind me every hour")
	// The rest of a week, month or year is a length: to its last day.
	if r := testkit.New(t).Send("schedule every weekday at 10 for the rest of the week"); r.Error || !strings.Contains(r.PlainText(), "until Sun 6 Dec") {
		t.Errorf("for the rest of the week:\n%s", r.PlainText())
	}
}

// A repeat said for today offers it until midnight, not forever.
func TestRepeatToday(t *testing.T) {
	refusedWith(t, testkit.New(t), "remind me every hour today", "say until midnight", "remind me every hour until midnight")
	refusedWith(t, testkit.New(t), "remind me every 30 minutes today to drink water", "say until midnight", "remind me every 30 minutes until midnight to drink water")
}

// "at 10 to 3" once is ten minutes to three, offered as 2:50.
func TestMinutesToTheHour(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	refusedWith(t, k, "remind me at 10 to 3", "for 10 minutes to 3, say at 2:50", "remind me at 2:50")
	refusedWith(t, k, "remind me tomorrow at 5 to 1", "say at 12:55", "remind me tomorrow at 12:55")
}

// Days left out in other words than "except" are left out, not dropped
// from the example.
func TestDaysLeftOutInOtherWords(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{
		"remind me every day at 9 excluding weekends",
		"remind me every day at 9 apart from weekends",
		"remind me every day at 9 skip weekends",
		"remind me every day at 9, not weekends",
		"remind me every day at 9 skipping saturday and sunday",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "every weekday at 09:00") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A comma before the last "and" of a list of times is read.
func TestCommaBeforeTheLastAnd(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{
		"remind me every weekday at 9, 12, and 3",
		"schedule every weekday at 9, 12, and 3",
		"remind me every weekday at 9,12, and 15 to stretch",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "every weekday at 09:00, 12:00 and 15:00") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A comma before the last "and" of a list of days is read.
func TestCommaBeforeTheLastAndOfDays(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every monday, wednesday, and friday at 9":   "every Mon, Wed and Fri at 09:00",
		"remind me mon, wed, and fri at 9":                     "every Mon, Wed and Fri at 09:00",
		"remind me every day at 9 except saturday, and sunday": "every weekday at 09:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// What a reminder is for, said after its time without "to", is offered
// with "to" put back, not dropped.
func TestNoteAfterTheTimeWithoutTo(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, example string }{
		{"remind me in 5 min drink water", "remind me in 5 min to drink water"},
		{"remind me tomorrow at 9 call the physio", "remind me tomorrow at 9 to call the physio"},
		{"remind me every day at 3pm walk around", "remind me every day at 3pm to walk around"},
	} {
		refusedWith(t, k, tt.in, "put `to` before it", tt.example)
	}
	// A slip in a time's word is mended, not taken for a note.
	for _, in := range []string{"remind me every day at 9 exept weekends", "remind me at 9 tomorow", "remind me every day at 9 untill friday", "remind me every day at 9 evry day", "remind me every day at 9 betwen"} {
		if r := k.Send(in); strings.Contains(r.PlainText(), "put `to`") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A reminder named by its time or its note instead of its id is offered
// by its own id, not by the first one listed.
func TestReminderNamedByItsTimeOrNote(t *testing.T) {
	for _, in := range []string{"cancel my 3pm reminder", "cancel the walk reminder", "pause the 3pm one"} {
		k := testkit.New(t)
		createdID(t, k.Send("remind me every day at 10"))
		walk := createdID(t, k.Send("remind me every day at 15:00 to walk"))
		cmd, _, _ := strings.Cut(in, " ")
		refusedWith(t, k, in, "That sounds like #"+walk, cmd+" #"+walk)
	}
}

// "sharp" and "on the dot" after a time are the time itself.
func TestSharpAndOnTheDot(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me at 10 on the dot":          "once on Mon 30 Nov at 10:00 UTC",
		"remind me at 3pm sharp to stretch":   "Note: stretch",
		"schedule every day at 10 on the dot": "every day at 10:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// Minutes past every hour, said with no hour, offer the cron that says
// them; the top of the hour offers on the hour.
func TestMinutesPastEveryHour(t *testing.T) {
	for _, tt := range []struct{ in, reason, example string }{
		{"remind me every hour at :30", "Minutes past every hour are said as cron", `remind me cron "30 * * * *"`},
		{"remind me every hour at half past", "said as cron", `remind me cron "30 * * * *"`},
		{"schedule every 2 hours at 15 past", "said as cron", `schedule cron "15 */2 * * *"`},
		{"remind me at the top of every hour", "said as on the hour", "remind me every hour on the hour"},
		{"remind me every hour at the top of the hour", "said as on the hour", "remind me every hour on the hour"},
	} {
		refusedWith(t, testkit.New(t), tt.in, tt.reason, tt.example)
	}
}

// A word inside a note's word does not name it, and a word typed as an
// id that names a note is still "not found".
func TestWordNamingANoteIsWhole(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10 to check the hour"))
	if r := k.Send("cancel our"); strings.Contains(r.PlainText(), "sounds like") {
		t.Errorf("cancel our:\n%s", r.PlainText())
	}
	if r := k.Send("cancel check"); !r.Error || !strings.HasPrefix(r.PlainText(), "There is no reminder #check for you here; that sounds like #"+id) || tryLine(t, r.PlainText()) != "cancel #"+id {
		t.Errorf("cancel check:\n%s", r.PlainText())
	}
}

// "create a team break …" schedules one, as "set a reminder …" reminds.
func TestCreateATeamBreak(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"create a team break every day at 11", "set up a team stretch break every weekday at 15:00", "add team breaks every friday at 16:00"} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "Team break #") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
}

// A first run after a while followed by a repeat is the repeat counted
// from that first run.
func TestFirstRunThenEvery(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me in 30 min and every hour after":               "Next: Mon 30 Nov 09:30 UTC · Mon 30 Nov 10:30 UTC",
		"remind me in 10 minutes, then every 2 hours to stretch": "Next: Mon 30 Nov 09:10 UTC · Mon 30 Nov 11:10 UTC",
		"schedule in 15 min then every hour":                     "Next: Mon 30 Nov 09:15 UTC · Mon 30 Nov 10:15 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	if r := k.Send("remind me in 10 minutes, then every 2 hours to stretch"); !strings.Contains(r.PlainText(), "Note: stretch") {
		t.Errorf("note:\n%s", r.PlainText())
	}
}

// An interval "from" a time of day already passed today keeps that
// time's cadence from now on, not a start tomorrow.
func TestIntervalFromATimeAlreadyPassed(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 10, 32, 0, 0, time.UTC)))
	for in, want := range map[string]string{
		"remind me every 2 hours from 10am":          "Next: Mon 30 Nov 12:00 UTC · Mon 30 Nov 14:00 UTC",
		"schedule every 45 minutes from 9:30":        "Next: Mon 30 Nov 11:00 UTC · Mon 30 Nov 11:45 UTC",
		"remind me every 3 hours from 11 to stretch": "Next: Mon 30 Nov 11:00 UTC · Mon 30 Nov 14:00 UTC",
		"remind me every 2 hours from 10 tomorrow":   "Next: Tue 1 Dec 10:00 UTC · Tue 1 Dec 12:00 UTC",
		"remind me every 2 hours starting at 10am":   "Next: Mon 30 Nov 12:00 UTC · Mon 30 Nov 14:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}
