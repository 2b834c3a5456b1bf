package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A reminder kept in another zone names that zone once in list: a one-off
// set in UTC already says "09:00 UTC", so "(UTC)" after it says it twice.
func TestListNamesAnotherZoneOnce(t *testing.T) {
	k := testkit.New(t)
	k.Send("remind me on december 25 at 9")
	k.Send("remind me every day at 9")
	k.Send("timezone berlin")
	got := k.Send("list").PlainText()
	if strings.Contains(got, "UTC (UTC)") {
		t.Errorf("list names the zone twice:\n%s", got)
	}
	bottest.MustContain(t, k.Send("list"), "at 09:00 UTC ·", "every day at 09:00 (UTC)")
}

// A time in quotes is read as the time: the quotes only mark it.
func TestQuotedTime(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send(`remind me "in 5 min"`), "Reminder #", "(in 5 min)")
	bottest.MustContain(t, k.Send(`remind me “every day at 9” to stretch`), "every day at 09:00", "Note: stretch")
	bottest.MustContain(t, k.Send(`schedule 'every friday at 16:00'`), "every Friday at 16:00")
}

// The limits of a snooze are said in words: "1 minute to 1 day", not "1 d".
func TestSnoozeLimitsInWords(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 1 minute"))
	k.Advance(2 * time.Minute)
	bottest.MustContain(t, k.Send("snooze #"+id+" for 2 days"), "A snooze can be 1 second to 1 day.")
}

// An id typed with a space after its # is still that id.
func TestIDWithASpaceAfterTheHash(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9"))
	bottest.MustContain(t, k.Send("pause # "+id), "Paused #"+id)
	bottest.MustContain(t, k.Send("resume #  "+id), "Resumed #"+id)
	bottest.MustContain(t, k.Send("skip # "+id), "Skipped #"+id)
	bottest.MustContain(t, k.Send("cancel # "+id), "Cancelled #"+id)
}

// A reminder with a note but no time is offered with the user's own note.
func TestReminderWithoutATimeKeepsTheNote(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me to drink water")
	if ex := tryLine(t, r.PlainText()); ex != "remind me in 20 minutes to drink water" {
		t.Errorf("example %q", ex)
	}
	bottest.MustContain(t, k.Send(tryLine(t, r.PlainText())), "Note: drink water")
}

// A question that names a command further on is pointed at that command.
func TestSentenceNamingACommand(t *testing.T) {
	k := testkit.New(t)
	for in, ex := range map[string]string{
		"can I have a break?":     "break",
		"could you show my stats": "stats",
	} {
		r := k.Send(in)
		if got := tryLine(t, r.PlainText()); got != ex {
			t.Errorf("%s: example %q, want %q:\n%s", in, got, ex, r.PlainText())
		}
	}
}

// A team break names one channel; a second is refused with the first kept.
func TestScheduleInTwoChannels(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("schedule every day at 9 in #general in #random")
	bottest.MustContain(t, r, "one channel")
	if ex := tryLine(t, r.PlainText()); ex != "schedule every day at 9 in #general" {
		t.Errorf("example %q", ex)
	}
}

// A sentence's full stop after a team break's time is not a second channel.
func TestScheduleEndingInAFullStop(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("schedule every day at 9 in #general."), "Team break #", "for #general")
	bottest.MustContain(t, k.Send("schedule every day at 9."), "Team break #")
}

// Setting the same reminder or team break twice says so, naming the first,
// and still sets it (two may be meant).
func TestSameReminderTwice(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9 to stretch"))
	bottest.MustContain(t, k.Send("remind me every day at 9 to stretch"), "Reminder #", "#"+id+" already does the same; `cancel #"+id+"` if one is enough.")
	if got := k.Send("remind me every day at 9 to walk").PlainText(); strings.Contains(got, "already") {
		t.Errorf("another note is another reminder:\n%s", got)
	}
	team := createdID(t, k.Send("schedule every weekday at 10 in #other"))
	bottest.MustContain(t, k.Send("schedule every weekday at 10 in #other"), "#"+team+" already does the same")
	if got := k.Send("schedule every weekday at 10").PlainText(); strings.Contains(got, "already") {
		t.Errorf("another channel is another team break:\n%s", got)
	}
}

// Lunch is 12:00-13:00 in a list of quiet periods too, not only alone.
func TestQuietLunchAmongOthers(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("quiet lunch and 3pm-3:15pm"), "Quiet: 12:00-13:00 and 15:00-15:15")
	bottest.MustContain(t, k.Send("quiet during lunch weekdays"), "Quiet: 12:00-13:00 on weekdays")
	bottest.MustContain(t, k.Send("quiet lunch"), "Quiet: 12:00-13:00")
}

// A break of no minutes is refused as a length, not offered as a reminder
// at midnight; a country code that is not one is quoted as typed.
func TestBreakZeroAndBadCountry(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("break 0")
	bottest.MustContain(t, r, "A break can be 1 to 60 minutes long, not 0.")
	if ex := tryLine(t, r.PlainText()); ex != "break 10 min" {
		t.Errorf("example %q", ex)
	}
	bottest.MustContain(t, k.Send("holidays Narnia"), "“Narnia” is not a country code")
}

// "at 9 30" is 09:30, for a reminder and a team break alike, with or
// without options after it; a one-digit number after the hour is still a
// break's minutes.
func TestHourAndMinutesWithASpace(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][]string{
		"remind me every day at 9 30":          {"every day at 09:30"},
		"remind me every day at 9 30 floor":    {"every day at 09:30", "Each break: floor."},
		"schedule every day at 9 30":           {"every day at 09:30"},
		"schedule every day at 9 30 5 min gym": {"every day at 09:30", "Each break: 5 min, gym."},
		"schedule every day at 9 5 min":        {"every day at 09:00", "Each break: 5 min."},
		"schedule every day at 9 5":            {"every day at 09:00", "Each break: 5 min."},
	} {
		r := k.Send(in)
		bottest.MustContain(t, r, want...)
		if !strings.Contains(strings.Join(want, ""), "Each break") && strings.Contains(r.PlainText(), "Each break") {
			t.Errorf("%s: read a break length:\n%s", in, r.PlainText())
		}
	}
}

// Clearing a setting that is not set says so, rather than "cleared" again.
func TestClearingNothingSaysSo(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("hours off"), "You have no working hours set")
	k.Send("hours 9-17")
	bottest.MustContain(t, k.Send("hours off"), "Working hours cleared")
	bottest.MustContain(t, k.Send("hours off"), "You have no working hours set")
	bottest.MustContain(t, k.Send("quiet off"), "You have no quiet periods set")
	k.Send("quiet 12:00-13:00")
	bottest.MustContain(t, k.Send("quiet off"), "Quiet periods cleared")
	bottest.MustContain(t, k.Send("quiet off"), "You have no quiet periods set")
}

// A time away that cannot be read at all is answered in away's words, not
// with the reminder grammar's list of how a reminder's time starts.
func TestAwayUnreadUntil(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("away until never")
	bottest.MustContain(t, r, "I couldn't read “never” as a day or a time", "away until ")
	if strings.Contains(r.PlainText(), "start with in, at, on") {
		t.Errorf("away answers with the reminder grammar's words:\n%s", r.PlainText())
	}
	bottest.MustContain(t, k.Send("away until friday"), "passed over until Fri")
}
