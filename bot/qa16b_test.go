package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A holiday on a weekend that is taken on a weekday is passed over on both
// days, and `holidays` lists both, the weekday marked as observed, so what
// the list shows is what the team breaks pass over.
func TestHolidaysListWhatIsPassedOver(t *testing.T) {
	for _, tt := range []struct {
		code      string
		held      string
		listed    []string
		notListed []string
	}{
		// Boxing Day on Saturday 26 December 2026 is taken on Monday 28.
		{"NZ", "2026-12-24 2026-12-27 2026-12-29 2026-12-30 2026-12-31",
			[]string{"Fri 25 Dec 2026: Christmas Day", "Sat 26 Dec 2026: Boxing Day", "Mon 28 Dec 2026: Boxing Day (observed)"}, nil},
		{"GB", "2026-12-24 2026-12-27 2026-12-29 2026-12-30 2026-12-31",
			[]string{"Sat 26 Dec 2026: Boxing Day", "Mon 28 Dec 2026: Boxing Day (observed)"}, nil},
		{"AU-NSW", "2026-12-24 2026-12-27 2026-12-29 2026-12-30 2026-12-31",
			[]string{"Sat 26 Dec 2026: Boxing Day", "Mon 28 Dec 2026: Boxing Day (observed)"}, nil},
		{"DE", "2026-12-24 2026-12-27 2026-12-28 2026-12-29 2026-12-30 2026-12-31",
			[]string{"Sat 26 Dec 2026: Second Day of Christmas"}, []string{"observed"}},
		{"US", "2026-12-24 2026-12-26 2026-12-27 2026-12-28 2026-12-29 2026-12-30 2026-12-31",
			[]string{"Fri 25 Dec 2026: Christmas Day", "Fri 1 Jan 2027: New Year's Day"}, []string{"observed"}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			_, held := dailyBreaks(t, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC), 8, "C1", tt.code)
			if got := strings.Join(held, " "); got != tt.held {
				t.Errorf("held on %s\nwant     %s", got, tt.held)
			}
			k2 := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)))
			list := k2.SendAs("U1", "C1", "holidays "+tt.code)
			bottest.MustContain(t, list, tt.listed...)
			for _, s := range tt.notListed {
				if strings.Contains(list.PlainText(), s) {
					t.Errorf("holidays %s lists %q:\n%s", tt.code, s, list.PlainText())
				}
			}
		})
	}
}

// Replies are in English, so holidays are named in English, with the
// name used in the country beside it when it differs.
func TestHolidayNamesInEnglish(t *testing.T) {
	k, _ := dailyBreaks(t, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC), 3, "C1", "DE")
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "public holiday: Christmas Day", "public holiday: Second Day of Christmas")
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays"),
		"Sat 26 Dec 2026: Second Day of Christmas (Zweiter Weihnachtsfeiertag)", "Fri 1 Jan 2027: New Year's Day (Neujahrstag)")
	bottest.MustContain(t, k.SendAs("U1", "C2", "holidays GR"), "Fri 1 Jan 2027: New Year's Day (Πρωτοχρονιά)")
}

// The Snooze button on an older post of a team break does not snooze a
// later break than the one it sits on: it says so, with the command that
// snoozes the latest. On the latest post, and on its snoozed repeat, it
// snoozes.
func TestSnoozeButtonOnAnOlderPost(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	k.Advance(time.Hour)
	posts := deliveriesOf(k, id)
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	old := press(k, "console", button(t, posts[0], bot.ActionSnooze))
	if !old.Ephemeral.Error {
		t.Fatalf("Snooze on the older post was taken: %s", old.Ephemeral.PlainText())
	}
	bottest.MustContain(t, *old.Ephemeral, "not the latest", "Try: snooze #"+id)
	if lines := strings.Split(old.Ephemeral.PlainText(), "\n"); len(lines) != 2 {
		t.Errorf("refusal is not one line and an example:\n%s", old.Ephemeral.PlainText())
	}
	if n := len(deliveriesOf(k, id)); n != 2 {
		t.Fatalf("%d posts after the refused press", n)
	}
	// The example works.
	bottest.MustContain(t, k.Send("snooze #"+id), "Snoozed #"+id)
	k.Advance(time.Minute)
	latest := press(k, "console", button(t, posts[1], bot.ActionSnooze))
	bottest.MustContain(t, *latest.Ephemeral, "Snoozed #"+id)
	k.Advance(10 * time.Minute)
	posts = deliveriesOf(k, id)
	if len(posts) != 3 || !strings.Contains(posts[2].Reply.PlainText(), "Snoozed break") {
		t.Fatalf("no snoozed repeat: %d posts", len(posts))
	}
	again := press(k, "console", button(t, posts[2], bot.ActionSnooze))
	bottest.MustContain(t, *again.Ephemeral, "Snoozed #"+id)
}

// When Slack could not tell a new user's profile zone in time, the reply
// to their first reminder says which zone it used and how to put it right;
// the commands it names are accepted.
func TestReminderSaysWhenTheProfileZoneWasUnread(t *testing.T) {
	k := testkit.New(t)
	m := bot.Message{Platform: bot.Slack, Tenant: "T1", Channel: "D1", DM: true, User: "U1", ZoneUnread: true, Text: "remind me every day at 9"}
	r := k.SendMsg(m)
	id := createdID(t, r)
	bottest.MustContain(t, r, "could not read your Slack profile's time zone", "UTC", "`timezone Europe/Berlin`", "`cancel #"+id+"`")
	for _, cmd := range []string{"timezone Europe/Berlin", "cancel #" + id, "remind me every day at 9"} {
		m.Text = cmd
		if got := k.SendMsg(m); got.Error {
			t.Errorf("%s: %s", cmd, got.PlainText())
		}
	}
	// Once the zone is known, or chosen, nothing more is said.
	m.Text = "remind me every day at 10"
	if got := k.SendMsg(m).PlainText(); strings.Contains(got, "profile") {
		t.Errorf("a chosen zone still gets the note:\n%s", got)
	}
	m.User, m.ZoneUnread, m.ZoneHint = "U2", false, "Asia/Kolkata"
	if got := k.SendMsg(m).PlainText(); strings.Contains(got, "profile") {
		t.Errorf("a known profile zone still gets the note:\n%s", got)
	}
}

// Working hours or quiet periods that leave a repeating reminder no run at
// all say so when they are set, naming it, rather than leaving it to fall
// silent; the commands they name are accepted.
func TestSettingsThatSilenceAReminderSaySo(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)))
	early := createdID(t, k.Send("remind me every day at 8"))
	late := createdID(t, k.Send("remind me every weekday at 14:30"))
	r := k.Send("hours 9-17")
	bottest.MustContain(t, r, "#"+early+" (every day at 08:00) has no run inside them", "`cancel #"+early+"`")
	if strings.Contains(r.PlainText(), "#"+late) {
		t.Errorf("hours name a reminder that still comes:\n%s", r.PlainText())
	}
	r = k.Send("quiet 14:00-15:00")
	bottest.MustContain(t, r, "#"+late+" (every weekday at 14:30) has no run outside them", "`cancel #"+late+"`")
	if strings.Contains(r.PlainText(), "#"+early+" ") {
		// Already silent by the working hours: quiet names what it silences.
		t.Errorf("quiet names a reminder the hours silence:\n%s", r.PlainText())
	}
	for _, cmd := range []string{"cancel #" + early, "cancel #" + late} {
		if got := k.Send(cmd); got.Error {
			t.Errorf("%s: %s", cmd, got.PlainText())
		}
	}
	if got := k.Send("hours 8-12").PlainText(); strings.Contains(got, "has no run") {
		t.Errorf("hours with nothing silenced:\n%s", got)
	}
}

// `resume all` from someone who cannot resume the channel's paused team
// break does not claim that nothing is paused: it names the break and who
// may resume it.
func TestResumeAllNamesATeamBreakOthersPaused(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.SendAs("U1", "C1", "schedule every weekday at 10"))
	bottest.MustContain(t, k.SendAs("U1", "C1", "pause all for 1 day"), "Paused #"+id)
	for _, cmd := range []string{"resume all", "resume"} {
		r := k.SendAs("U2", "C1", cmd)
		if !r.Error || strings.Contains(r.PlainText(), "Nothing here is paused") {
			t.Errorf("%s by another member:\n%s", cmd, r.PlainText())
		}
		bottest.MustContain(t, r, "team break #"+id+" is paused", "only the person who created it or an admin can resume it", "Try: list")
	}
	// Where nothing is paused at all, it says so.
	bottest.MustContain(t, k.SendAs("U2", "C2", "resume all"), "Nothing here is paused")
}

// The channel's last 7 days are 7 days on the clock of the caller's zone:
// in the week the clocks spring forward they are 167 hours, and a daily
// team break counts 7 times, not 8.
func TestStatsWeekAcrossSpringForward(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 19, 8, 0, 0, 0, time.UTC)))
	k.SendAs("U1", "C1", "timezone Europe/Berlin")
	createdID(t, k.SendAs("U1", "C1", "schedule every day at 10:00"))
	// Berlin springs forward on Sunday 28 March 2027; 10:30 on Monday 29
	// is 08:30 UTC, and 168 hours before it is 09:30 on Monday 22, before
	// that day's break.
	for k.Clock.Now().Before(time.Date(2027, 3, 29, 8, 30, 0, 0, time.UTC)) {
		k.Advance(30 * time.Minute)
	}
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "7 team breaks held")
	// In UTC those 168 hours hold eight of them: the break moved an hour
	// earlier there.
	k.SendAs("U2", "C1", "timezone UTC")
	bottest.MustContain(t, k.SendAs("U2", "C1", "stats"), "8 team breaks held")
}

// Zones without a lettered abbreviation (Lord Howe Island, Dubai) show
// their offset from UTC, not a bare "+11" that reads as an arithmetic.
func TestNumericZoneAbbreviationsReadAsUTCOffsets(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 4, 2, 20, 0, 0, 0, time.UTC)))
	k.Send("timezone Australia/Lord_Howe")
	r := k.Send("remind me every day at 01:45")
	bottest.MustContain(t, r, "Sun 4 Apr 01:45 UTC+11 · Mon 5 Apr 01:45 UTC+10:30")
	bottest.MustContain(t, k.Send("list"), "next Sun 4 Apr 01:45 UTC+11")
	bottest.MustContain(t, k.Send("timezone Asia/Dubai"), "Time zone set to Asia/Dubai (UTC+04:00)")
	bottest.MustContain(t, k.Send("remind me in 2 hours"), "once on Sat 3 Apr at 02:00 UTC+04", "Next: Sat 3 Apr 02:00 UTC+04")
	bottest.MustContain(t, k.Send("timezone Europe/Berlin"), "Time zone set to Europe/Berlin (CEST, UTC+02:00)")
}

// A channel's summary is a shared schedule: like `cancel` of it, `summary
// off` and a new `summary …` that would replace it are for the person
// who set it and admins. Anyone may set one where there is none.
func TestSummaryChangedOnlyByItsCreatorOrAnAdmin(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.SendAs("U1", "C1", "summary every friday at 16:00"))
	for _, cmd := range []string{"summary off", "summary every monday at 9", "cancel #" + id, "pause #" + id} {
		r := k.SendAs("U2", "C1", cmd)
		if !r.Error {
			t.Errorf("%s by another member was taken:\n%s", cmd, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "#"+id)
	}
	r := k.SendAs("U2", "C1", "summary off")
	bottest.MustContain(t, r, "Only the person who set", "or an admin", "Try: summary")
	// The summary is still there, and its creator and an admin may change it.
	bottest.MustContain(t, k.SendAs("U2", "C1", "summary"), "#"+id+" is posted here")
	admin := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "C1", User: "boss", Admin: true, Text: "summary every monday at 9"}
	bottest.MustContain(t, k.SendMsg(admin), "It replaces #"+id)
	bottest.MustContain(t, k.SendAs("U1", "C2", "summary every friday at 16:00"), "set for")
	bottest.MustContain(t, k.SendAs("U1", "C2", "summary off"), "stopped")
}

// Runs of a team break missed while the bot was down count as skipped,
// with why, so the channel's figures and summaries add up: a late
// delivery of the latest and the runs before it that never came.
func TestMissedTeamBreaksCountAsSkipped(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)))
	createdID(t, k.SendAs("U1", "C1", "schedule every hour"))
	k.Advance(3*time.Hour + 5*time.Minute) // 09:00 and 10:00 missed, 11:00 late
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "1 team break held, 2 skipped (bot not running)")
	k.Advance(2*24*time.Hour + 30*time.Minute) // none within the catch-up window
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "1 team break held, 50 skipped (bot not running)")
}

// Working hours set outside them say what waits without promising a break
// to someone who has no reminder.
func TestHoursOutsideThemNowPromisesNoBreak(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)))
	r := k.Send("hours 9-17")
	bottest.MustContain(t, r, "It is outside them now, so repeating reminders wait until they start.")
	if strings.Contains(r.PlainText(), "your next break") {
		t.Errorf("hours promise a break:\n%s", r.PlainText())
	}
}
