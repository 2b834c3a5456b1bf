package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

func TestRouter(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // substrings of the reply (case-insensitive)
		wantErr bool
	}{
		{"help", "help", []string{"break", "remind", "schedule", "timezone", "help <command>"}, false},
		{"help one command", "help schedule", []string{"usage: schedule", "every weekday", "options:", "channel —"}, false},
		{"help unknown command", "help flarp", []string{"no command", "try:"}, true},
		{"break", "break", []string{"5-minute", "mobility", "stop any exercise", "911"}, false},
		{"stretch alone is a break", "stretch", []string{"5-minute"}, false},
		{"stretch break", "stretch break", []string{"5-minute"}, false},
		{"slash prefix", "/stretch help", []string{"help <command>"}, false},
		{"mention prefix", "<@U0BOT> break 2 min", []string{"2-minute"}, false},
		{"upper case", "BREAK 10 MINUTES", []string{"10-minute"}, false},
		{"break 2 min", "break 2 min", []string{"2-minute"}, false},
		{"break 2m", "break 2m", []string{"2-minute"}, false},
		{"break desk", "break desk", []string{"stretch break", "desk"}, false},
		{"break floor", "break floor", []string{"floor"}, false},
		{"break with filler words", "break 5 min at my desk please", []string{"5-minute", "desk"}, false},
		{"break in a place", "break of 10 minutes in the gym", []string{"10-minute", "gym"}, false},
		{"break on a place", "break on the floor", []string{"floor"}, false},
		{"break in minutes is a time", "break in 5 min", []string{"set a reminder", "try: remind me in 5 min"}, true},
		{"break category", "break strengthening", []string{"strengthening"}, false},
		{"break too long", "break 90 min", []string{"1 to 60 minutes", "try:"}, true},
		{"break nonsense", "break banana", []string{"banana", "try: break"}, true},
		{"exercises", "exercises", []string{"mobility", "traction", "stabilization", "strengthening", "aerobic"}, false},
		{"exercises category", "exercises traction", []string{"traction"}, false},
		{"exercises bad category", "exercises dancing", []string{"not a category"}, true},
		{"exercise by name", "exercise child's pose", []string{"child's pose", "kneel", "caution"}, false},
		{"exercise by id", "exercise childs-pose", []string{"child's pose"}, false},
		{"exercise unknown suggests", "exercise chlid pose", []string{"closest", "child"}, true},
		{"exercise missing name", "exercise", []string{"which exercise"}, true},
		{"timezone show", "timezone", []string{"utc"}, false},
		{"timezone set", "timezone Europe/Berlin", []string{"europe/berlin"}, false},
		{"timezone lower case", "timezone america/new_york", []string{"america/new_york"}, false},
		{"timezone mars", "timezone Mars/Olympus", []string{"mars/olympus", "iana", "try: timezone europe/berlin"}, true},
		{"done", "done", []string{"1 break"}, false},
		{"stats empty", "stats", []string{"no breaks recorded"}, false},
		{"unknown command", "dance", []string{"dance", "help"}, true},
		{"typo suggests", "brek", []string{"did you mean", "break"}, true},
		{"empty is the short help", "   ", []string{"i'm stretchbot", "`help` lists everything"}, false},
		{"bare mention is the short help", "@stretchbot", []string{"i'm stretchbot"}, false},
		{"greeting is the short help", "Hi there!", []string{"i'm stretchbot"}, false},
		{"text before a mention is ignored", "hey @stretchbot break 2 min", []string{"2-minute"}, false},
		{"mention with a comma", "@stretchbot, break 2 min", []string{"2-minute"}, false},
		{"command before a trailing mention", "break 2 min @stretchbot", []string{"2-minute"}, false},
		{"full-width letters", "ｂｒｅａｋ　２ ｍｉｎ", []string{"2-minute"}, false},
		{"curly quotes", "remind me cron “*/30 * * * *”", []string{"reminder #", "*/30 * * * *"}, false},
		{"remind without me", "remind in 5 minutes", []string{"reminder #", "in 5 min"}, false},
		{"misspelt command", "brake", []string{`“brake”`, "did you mean `break`", "try: break"}, true},
		{"misspelt command keeps the rest", "reminder in 5 minutes", []string{`“reminder”`, "did you mean `remind`", "try: remind me in 5 minutes"}, true},
		{"cut-off command keeps the rest", "schedul every day at 9", []string{`“schedul”`, "try: schedule every day at 9"}, true},
		{"a time alone wants a reminder", "in 20 minutes", []string{"is a time, not a command", "try: remind me in 20 minutes"}, true},
		{"help for a misspelt command", "help brake", []string{`“brake”`, "did you mean `break`", "try: help break"}, true},
		{"help for no command near", "help bogus", []string{`“bogus”`, "`help` lists them all", "try: help"}, true},
		{"control characters", "\x00\x01break\x7f 2 min\x00", []string{"2-minute"}, false},
		{"emoji", "🧘 break", []string{"🧘"}, true},
		{"other script", "перерыв", []string{"перерыв"}, true},
		{"remind", "remind me in 20 minutes to stand up", []string{"reminder #", "stand up", "in 20 min"}, false},
		{"remind note first", "remind me to drink water in 1 hour", []string{"reminder #", "drink water"}, false},
		{"remind bad time", "remind me at 25:99", []string{"25:99", "try:"}, true},
		{"remind zero", "remind me every 0 seconds", []string{"try:"}, true},
		{"remind negative", "remind me every -5 minutes", []string{"try:"}, true},
		{"remind far future", "remind me in 100 years", []string{"try:"}, true},
		{"remind past date", "remind me at 15:30 on 2019-01-01", []string{"past", "try:"}, true},
		{"cron too short", `remind me cron "* * *"`, []string{"try:"}, true},
		{"cron lone TZ", `remind me cron "TZ=UTC"`, []string{"try:"}, true},
		{"cron never", `remind me cron "0 0 30 2 *"`, []string{"never", "try:"}, true},
		{"schedule", "schedule every weekday at 10:30 and 15:00", []string{"team break #", "console"}, false},
		{"schedule without time", "schedule", []string{"when", "try:"}, true},
		{"schedule in channel", "schedule every day at 11am 5 min desk in #general", []string{"#general", "each break: 5 min, desk"}, false},
		{"schedule slack channel", "schedule every 2 hours between 9:00 and 17:00 on weekdays in <#C123|team>", []string{"#team"}, false},
		{"list empty", "list", []string{"no reminders"}, false},
		{"cancel unknown", "cancel #zzzz", []string{"no reminder #zzzz", "try: list"}, true},
		{"cancel bad id", "cancel !!", []string{"not a reminder id"}, true},
		{"pause all with nothing", "pause all", []string{"nothing", "try:"}, true},
		{"resume unknown", "resume k3f9", []string{"no reminder #k3f9"}, true},
		{"skip without id", "skip", []string{"which one"}, true},
		{"snooze unknown", "snooze #abcd 5 min", []string{"no reminder"}, true},
		{"schedule options after an interval", "schedule every 2 seconds 2 min floor traction", []string{"every 2 seconds"}, false},
		{"schedule options out of range", "schedule every day at 9 99 min", []string{"1 to 60 minutes"}, true},
		{"cancel all is refused", "cancel all", []string{"nothing here to cancel"}, true},
		{"remind error example is a command", "remind me in five parsecs", []string{"try: remind me "}, true},
		{"schedule error example is a command", "schedule every blursday at 10", []string{"try: schedule "}, true},
		{"remind with an empty note", "remind me in 5 minutes to", []string{"to do what"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := testkit.New(t)
			r := k.Send(tt.in)
			if r.Error != tt.wantErr {
				t.Errorf("Error = %v, want %v; reply:\n%s", r.Error, tt.wantErr, r.PlainText())
			}
			bottest.MustContain(t, r, tt.want...)
			if tt.wantErr {
				// One line of reason, one line of example at most.
				if len(r.Blocks) > 2 || strings.Contains(r.Blocks[0], "\n") {
					t.Errorf("error reply is not one line plus an example: %q", r.Blocks)
				}
			}
		})
	}
}

func TestHugeInputIsRefused(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("break " + strings.Repeat("x", 100_000))
	if !r.Error {
		t.Fatalf("a 100 000-character line was accepted: %.200s", r.PlainText())
	}
	bottest.MustContain(t, r, "too long")
}

func TestEveryRoutineCarriesTheSafetyNote(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"break", "break 2 min", "break desk", "break floor", "break 30 min", "exercises", "exercise knees to chest"} {
		r := k.Send(in)
		if !strings.Contains(r.Note, "911") || !strings.Contains(strings.ToLower(r.Note), "numbness") {
			t.Errorf("%q: note %q lacks the safety advice", in, r.Note)
		}
	}
}

func TestConsecutiveBreaksRotate(t *testing.T) {
	k := testkit.New(t)
	seen := map[string]int{}
	for i := 0; i < 3; i++ {
		for _, c := range k.Send("break 2 min").Cards {
			seen[c.ID]++
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("exercise %s repeated %d times in three consecutive short breaks", id, n)
		}
	}
}

func TestRotationIsPerUser(t *testing.T) {
	k := testkit.New(t)
	a := k.SendAs("alice", "c1", "break 2 min")
	b := k.SendAs("bob", "c1", "break 2 min")
	if len(a.Cards) == 0 || len(b.Cards) == 0 {
		t.Fatal("empty routine")
	}
}

func TestDoneCountsOncePerBreakAndStreak(t *testing.T) {
	k := testkit.New(t)
	k.Send("break")
	bottest.MustContain(t, k.Send("done"), "1 break")
	bottest.MustContain(t, k.Send("done"), "already counted")
	k.Clock.Advance(24 * 60 * 60 * 1e9)
	k.Send("break")
	bottest.MustContain(t, k.Send("done"), "2 breaks", "streak 2 days")
	bottest.MustContain(t, k.Send("stats"), "2 breaks done", "current streak 2 days")
}

func TestTimezoneIsRemembered(t *testing.T) {
	k := testkit.New(t)
	k.Send("timezone Asia/Kolkata")
	bottest.MustContain(t, k.Send("timezone"), "Asia/Kolkata", "your setting")
	r := k.Send("remind me at 15:30")
	bottest.MustContain(t, r, "IST")
}

func TestZoneHintIsUsedUntilSet(t *testing.T) {
	k := testkit.New(t)
	r := k.SendMsg(bot.Message{Text: "timezone", ZoneHint: "America/New_York"})
	bottest.MustContain(t, r, "America/New_York", "profile")
}

func TestHandlerPanicIsAnsweredWithApology(t *testing.T) {
	h := bottest.New(t, panicStore{})
	r := h.Send("timezone")
	if !r.Error {
		t.Fatalf("reply after panic = %q, want an error reply", r.PlainText())
	}
	bottest.MustContain(t, r, "sorry")
}

// panicStore panics on every call, like a driver bug would.
type panicStore struct{ bot.Store }

func (panicStore) User(context.Context, bot.TenantID, bot.UserID) (bot.User, error) {
	panic("driver exploded")
}

var idRE = regexp.MustCompile(`#([a-z0-9]{3,8})\b`)

// createdID returns the id a creation reply announced.
func createdID(t *testing.T, r bot.Reply) string {
	t.Helper()
	m := idRE.FindStringSubmatch(r.PlainText())
	if m == nil || r.Error {
		t.Fatalf("no id in reply:\n%s", r.PlainText())
	}
	return m[1]
}

// commandSeeds is FuzzCommand's seed corpus; the examples test replays it too.
var commandSeeds = []string{
	"break short break", "snooze for a bit", "snooze for the rest of the day", "help with hours", "help on", "help #", "help “”", "remind me on new year's eve at 23:59", "remind me in 20 min and then every hour", "remind me every 2 hours starting at 10am", "remind me every monday at 9am and wednesday at 3pm", "remind me on the 1st and 15th at 9", "skip #k3f9 twice", "skip k3f9 3 times", "remind me every weekday at 9 – except fridays", "remind me every day at 9 — for 2 weeks", "remind me at 1330am", "remind me tomorrow at 9, 12 and 15:00", "remind me tomorrow at 9 and 15:00 5 min", "reschedule #k3f9 every day at 10", "edit #k3f9 to 10:00", "change #k3f9 to", "postpone #k3f9 1 hour", "remind me every weekday at 10:30 - 15:00", "remind me every day at 9 to 17", "remind me tonight at 12", "break break", "break break break 5", "remind me every morning at 4pm", "remind me this morning at 4pm", "remind me every weekday at lunch 4pm", "remind me at 1330pm", "remind me at 2400", "remind me every morning and afternoon at 10",
	"help", "break quick long", "break quick 10 min", "break five", "break twenty five floor", "break ninety nine", "remind me in 10 to stretch", "remind me tomorrow morning and afternoon", "remind me at 9 and 3 tomorrow", "remind me every day at 730 and 1230", "remind me every weekday at lunch and 4pm", "schedule every hour from 900 to 1700", "break", "break 2 min", "break desk", "exercise child's pose", "timezone Mars/Olympus",
	"remind me in 20 minutes to stand up", "schedule every weekday at 10:30 in #general", "list",
	"cancel #k3f9", "pause all for 2 hours", "pause #abc until tomorrow 9am", "resume all", "skip #x", "holidays DE in #team", "stats in <#C1|team>", "summary off in #team", "break pool floor", "break mobility traction", "break range of motion traction", "remind me every day at 9 0 times", "remind me every day at 9 1 times", "quiet 9pm-5", "quiet 12-12", "away from monday to friday", "remind me every weekday at 9 except monday to friday", "remind me every day at 9 and every monday at 10", "schedule every day at 9 and at 10 and every monday at 11",
	"snooze #abcd 5 min", "level medium!", "timezone off", "tz reset", "summary every friday at 16:00 in #general", "summary in <#C1>", "summary in <#C1|x>", "summary every hour", "summary every hour in #general", "thanks stretchbot!", "hello stretchbot", "hours 9-17!", "done 👍🏽", "help snooze?", "away for 2 weeks…", "done", "stats", "\x00", "🧘‍♀️", "/stretch", "<@U1> <@U2>", "stretch stretch stretch",
	`remind me cron "TZ=UTC"`, "schedule in #", "break 99999999999999999999 min",
	"pause #k3f9 for 2 weeks", "pause #k3f9 until 2028-06-01", "snooze #k3f9 for 1h30m",
	"list 2", "list page 3", "list all", "list everything", "list -1",
	"remind me every monday to friday at 9 to stretch", "break five minutes!", "pause #k3f9 2 hours", "remind me drink water in 5 min",
	"timezone UTC+05:30", "schedule in #general every day at 10.", "cancel #k3f9, #m2x8", "remind me twice a day",
	"remind me every day to eat lunch at noon", "snooze #k3f9 until 3pm", "remind @bob at 3pm", "stop #k3f9",
	"schedule every day at 9 in # 5 min", "schedule every hour between 9 and 17 except 12:00 to 13:00 in #general", "schedule every 2 hours from 8 to 18 on weekdays but not at lunch 5 min", "schedule every hour except 12 in <#C1>", "schedule every day at 10 in <#C1|general> banana", "schedule every day at 10 in #general banana", "schedule every monday to friday at 9 to stretch in #general", "remind me every day at 10 in #general", "remind me every day at 9 to", "cancel #k3f9 #K3F9", "pause #k3f9 #m2x8 for 2 hours", "pause #k3f9, and for 1h", "pause #k3f9 #k3f9 until 9am", "pause #k3f9 #m2x8 until #x", "resume #k3f9, #m2x8", "skip #k3f9 and #k3f9.", "remind me every hour 9-12 and 13-17 to walk", "schedule every 2 hours between 8 and 12 and between 14 and 18 in #general", "schedule daily at 9 in general", "pause for 2 hours", "skip next", "skip all", "cancel all", "snooze all",
	"cancel the reminder", "set my timezone to PST", "time zone: Berlin", "what's my timezone?",
	"remind me every day at 15:00 floor 10 minutes to stretch", "remind me every day at 15:00 5 min banana", "remind me at 3 90 min",
	"break flor", "break strenght 5", "schedule every day at 9 flor", "help me", "?", "what can you do?", "my reminders", "show my reminders", "skip", "resume",
	"schedule a 5-minute break every day at 11 #general", "schedule a break", "set a reminder for 3pm", "schedule 5 min", "on vacation until friday", "away until jan 4",
	"give me a break", "a quick stretch", "stretch stats", "break every day at 3pm", "10-minute break", "take a break in 5 min",
	"remind me: every day at 9", "remind me - in 5 min", "please remind me at 3pm please", "stretchbot, break", "stretchbot", "please",
	"remind me every weekday at 10:30 CET", "schedule every day at 9 Europe/Berlin in #general", "remind me at 9 UTC",
	"remind me every weekday at 10:30 and at 15:00", "remind me at midday", "pause #k3f9 until 2 hours", "schedule purple monkey",
	"remind me every weekday at 10:30 starting monday", "schedule every day at 9 from next monday", "remind me at 3pm starting friday",
	"remind me every day at 9 for 2 weeks starting monday", "remind me every day starting banana", "remind me every hour between 9 and 5 except lunch", "schedule every hour except 12-13", "schedule every day at 10 in #gen eral", "schedule every day at 9 in #general flor", "schedule every blursday at 10 in #general",
	"break 90 seconds", "break 1.5 min", "remind me every weekday at 9 next week", "remind me every weekday at 9 beginning next week", "remind me every 2 hours from 10am", "remind me every 2 hours from 10 am to stretch", "remind me tomorrow from 10am", "edit #k3f9 every day at 10", "remind me every weekday at 9 except holidays", "remind me on 25.12.", "remind me on christmas", "remind me at end of day", "remind me before lunch to stretch", "schedule every weekday at 9 quiet lunch", "schedule every hour between 9 and 17 quiet lunch", "remind me every hour between 9 and 17 quiet lunch", "remind me at ~3pm",
}

func FuzzCommand(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add(s)
	}
	k := testkit.New(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := k.Bot.Handle(context.Background(), bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console", Text: s})
		if r.Error && (len(r.Blocks) == 0 || strings.TrimSpace(r.Blocks[0]) == "") {
			t.Fatalf("error reply without a reason for %q", s)
		}
		if strings.TrimSpace(r.PlainText()) == "" {
			t.Fatalf("empty reply for %q", s)
		}
		// What a refusal offers works when typed (see TestEveryOfferedExampleWorks).
		if ex := example(r); r.Error && ex != "" {
			again := k.Bot.Handle(context.Background(), bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console", Text: ex})
			if refusedAsInvalid(again) {
				t.Fatalf("%q is refused with the example %q, which is refused too:\n%s", s, ex, again.PlainText())
			}
		}
	})
}

// TestSafetyNoteNamesTheLocalEmergencyNumber checks that the safety note
// follows the caller's zone in replies and the reminder's zone in
// deliveries.
func TestSafetyNoteNamesTheLocalEmergencyNumber(t *testing.T) {
	k := testkit.New(t)
	if note := k.Send("break").Note; !strings.Contains(note, "your local emergency number") {
		t.Errorf("with no zone set, the note is %q", note)
	}
	k.Send("timezone Europe/Berlin")
	for _, in := range []string{"break", "break 30 min", "exercises", "exercise walking"} {
		if note := k.Send(in).Note; !strings.Contains(note, "call 112") || strings.Contains(note, "911") {
			t.Errorf("%q in Europe/Berlin: note %q", in, note)
		}
	}
	id := createdID(t, k.Send("remind me every 10 seconds"))
	k.Advance(10 * time.Second)
	for _, o := range wantDeliveries(t, k, id, 1) {
		if !strings.Contains(o.Reply.Note, "call 112") {
			t.Errorf("delivery in Europe/Berlin: note %q", o.Reply.Note)
		}
	}
}
