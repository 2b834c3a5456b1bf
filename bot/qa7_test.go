package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Quiet periods that overlap are kept as the one period they make, and the
// reply says so; a later `quiet` replaces the earlier periods, names them
// and says how to keep both.
func TestQuietOverlapsAreJoined(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("quiet 12:00-13:00 and 12:30-14:00")
	bottest.MustContain(t, r, "Quiet: 12:00-14:00 (UTC)", "12:00-13:00 and 12:30-14:00 overlap or meet, so they are joined: 12:00-14:00.")
	bottest.MustContain(t, k.Send("quiet"), "Quiet: 12:00-14:00 (UTC)")
	k.Send("quiet off")

	k.Send("quiet 12:00-13:00")
	r = k.Send("quiet 12:30-14:00")
	bottest.MustContain(t, r, "Quiet: 12:30-14:00 (UTC)", "This replaces your earlier quiet periods, 12:00-13:00 (UTC). To keep both: `quiet 12:00-14:00`.")
	bottest.MustContain(t, k.Send("quiet 12:00-14:00"), "Quiet: 12:00-14:00 (UTC)", "The new ones take them in.")
	bottest.MustContain(t, k.Send("quiet 15:00-15:15"), "To keep both: `quiet 12:00-14:00 and 15:00-15:15`.")
	bottest.MustContain(t, k.Send("quiet 12:00-14:00 and 15:00-15:15"), "Quiet: 12:00-14:00 and 15:00-15:15 (UTC)")

	bottest.MustContain(t, k.Send("hours 8-12 and 11-17"), "Working hours set: 08:00-17:00 on weekdays (UTC)",
		"08:00-12:00 and 11:00-17:00 overlap or meet, so they are joined: 08:00-17:00.")
}

// `help snooze` agrees with its usage line: the id may be left out when
// typed (bare `snooze` repeats the reminder delivered last), and only
// Discord's slash command form asks for it.
func TestHelpSnoozeIDIsOptionalWhenTyped(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("help snooze")
	bottest.MustContain(t, r, "Usage: snooze [<id>] [duration]", "optional when typed")
	if text := r.PlainText(); strings.Contains(text, "(required)") {
		t.Errorf("help snooze calls an option required while its usage says it is optional:\n%s", text)
	}
}

// The end of a sentence, typed after a setting's value, is not part of it:
// "hours 9-17!" was read as a 9 with no end, "level medium!" as no level.
func TestSentenceEndAfterValues(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, want string }{
		{"level medium!", "Level set to medium"},
		{"level hard.", "Level set to hard"},
		{"hours 9-17!", "Working hours set: 09:00-17:00 on weekdays"},
		{"quiet 12-13 🙂", "Quiet: 12:00-13:00"},
		{"away for 2 weeks!", "passed over until Mon 14 Dec"},
		{"holidays DE!", "public holidays of Germany"},
		{"help snooze?", "How to use snooze"},
		{"prefer floor 👍🏽", "now for: floor"},
		{"timezone Berlin!", "Time zone set to Europe/Berlin"},
		{"level easy please", "Level set to easy"},
		{"list please", "You have no reminders here"},
	} {
		r := k.Send(tt.in)
		if r.Error {
			t.Errorf("%q refused:\n%s", tt.in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, tt.want)
	}
	// A note keeps its own end, as typed.
	bottest.MustContain(t, k.Send("remind me in 5 minutes to stand up!"), "Note: stand up!")
}

// "in 1 hour 30" is an hour and a half away, as "in 1h30" is; the 30 was
// taken for a 30-minute break an hour away.
func TestInHoursThenBareMinutes(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	r := k.Send("remind me in 1 hr 30 to stretch")
	bottest.MustContain(t, r, "once on Mon 30 Nov at 10:30 UTC", "Note: stretch")
	if strings.Contains(r.PlainText(), "Each break") {
		t.Errorf("the minutes were read as the break's length:\n%s", r.PlainText())
	}
	bottest.MustContain(t, k.Send("remind me in 2 hours 5 min"), "once on Mon 30 Nov at 11:05 UTC")
}

// With no team break held, people who did a break here are not said to
// have taken part in one.
func TestStatsWithoutTeamBreaks(t *testing.T) {
	k := testkit.New(t)
	k.Send("break")
	k.Send("done")
	bottest.MustContain(t, k.Send("stats"), "0 team breaks held; 1 person took a break here on their own.")
}

// A refusal of one of several ids says that none was changed.
func TestManyIDsOneUnknown(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10"))
	r := k.Send("cancel #" + id + " #zzzz")
	bottest.MustContain(t, r, "Not found: there is no reminder #zzzz for you here. Nothing was changed.")
	bottest.MustContain(t, k.Send("list"), "#"+id)
}

// A slashed date for time away is answered with the month spelt out, as
// the advice says, and that example works.
func TestAwaySlashedDateExample(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("away until 12/25")
	bottest.MustContain(t, r, "write the month as a word")
	if ex := tryLine(t, r.PlainText()); ex != "away until december 25" {
		t.Fatalf("example %q, want away until december 25", ex)
	}
	bottest.MustContain(t, k.Send("away until december 25"), "passed over until Fri 25 Dec 00:00 UTC")
}

// Levels are also called by number, by other names, and up or down.
func TestLevelWords(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, want string }{
		{"level 2", "Level set to medium"},
		{"level up", "Level set to hard"},
		{"level up", "hardest level already"},
		{"level down", "Level set to medium"},
		{"level beginner", "Level set to easy"},
		{"level down", "easiest level already"},
		{"level advanced", "Level set to hard"},
		{"level 7", "“7” is not a level"},
	} {
		bottest.MustContain(t, k.Send(tt.in), tt.want)
	}
}

// Saying thank you, or hello to the bot by name, is no unknown command.
func TestThanksHelloAndStop(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"thanks", "thank you!", "Thanks stretchbot 🙏"} {
		r := k.Send(in)
		if r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
		bottest.MustContain(t, r, "You're welcome!")
	}
	bottest.MustContain(t, k.Send("hello stretchbot"), "Hi! I'm stretchbot")
}

// A summary names no other channel: the refusal says where to set it, and
// every example offered for a summary repeats, as a summary must.
func TestSummaryInAnotherChannel(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("summary every friday at 16:00 in #general")
	bottest.MustContain(t, r, "A summary is posted in the channel where you set it", "in #general.")
	if ex := tryLine(t, r.PlainText()); ex != "summary every friday at 16:00" {
		t.Errorf("example %q", ex)
	}
	r = k.Send("summary in <#C123|random>")
	bottest.MustContain(t, r, "in #random.")
	if ex := tryLine(t, k.Send("summary banana").PlainText()); ex != "summary every friday at 16:00" {
		t.Errorf("summary banana offers %q, which does not repeat", ex)
	}
}

// `timezone off` gives back the zone the caller had before choosing one,
// as `off` clears the other settings.
func TestTimezoneOff(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("timezone off"), "You have no time zone set; yours is UTC, from the bot's default.")
	k.Send("timezone Europe/Berlin")
	k.Send("quiet 12-13")
	r := k.Send("timezone reset")
	bottest.MustContain(t, r, "Time zone setting cleared: yours is now UTC", "keep their times in the new zone")
	bottest.MustContain(t, k.Send("timezone"), "Your time zone is UTC", "from the bot's default")
	bottest.MustContain(t, k.Send("quiet"), "12:00-13:00 (UTC)")
}
