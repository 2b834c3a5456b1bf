package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A 24-hour afternoon time said with am is not a morning time: the reply
// says so and offers the time as it can be said.
func TestAfternoonTimeWithAmSaysWhy(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][2]string{
		"remind me at 1330am":  {"13:30 is not a morning time: say 13:30 or 1:30am", "remind me at 13:30"},
		"remind me at 13:30am": {"13:30 is not a morning time: say 13:30 or 1:30am", "remind me at 13:30"},
		"remind me at 13:30pm": {"13:30 is already afternoon: say 13:30 or 1:30pm", "remind me at 13:30"},
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], want[0]) {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
		if r := k.Send(want[1]); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want[1], r.PlainText())
		}
	}
}

// A one-off given several times is refused in one line naming each time as
// the list reads it, with the first still to come as a working example;
// break options and a note after the times are kept out of the way.
func TestOneOffWithSeveralTimes(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)))
	for in, want := range map[string][2]string{
		"remind me tomorrow at 9 and 15:00":             {"(09:00, then 15:00)", "remind me tomorrow at 09:00"},
		"remind me tomorrow at 9 and 3":                 {"(09:00, then 15:00)", "remind me tomorrow at 09:00"},
		"remind me today at 10:30 and 14:00":            {"(10:30, then 14:00)", "remind me today at 14:00"},
		"remind me tomorrow at 9, 12 and 15:00":         {"(09:00, then 12:00, then 15:00)", "remind me tomorrow at 09:00"},
		"remind me tomorrow at 9 and 15:00 5 min":       {"(09:00, then 15:00)", "remind me tomorrow at 09:00 5 min"},
		"remind me on friday at 9 and 15:00 to stretch": {"(09:00, then 15:00)", "remind me on friday at 09:00 to stretch"},
		"schedule tomorrow at 9 and 15:00":              {"(09:00, then 15:00)", "schedule tomorrow at 09:00"},
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], "A one-off comes once: set one for each time "+want[0]) {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
		if r := k.Send(want[1]); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want[1], r.PlainText())
		}
	}
}

// On the day the clocks spring forward only a run moved to the end of the
// gap stands for the wall times it skipped: a reminder set for 03:00 itself
// is judged at 03:00, so working hours 02:00-02:30 pass it over that day as
// every other day, and a quiet 02:00-02:30 lets it through. A run moved
// from 02:15 still keeps them.
func TestSpringForwardJudgesTheRuleOwnTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	count := func(k *testkit.Kit, id string) int { return len(deliveriesOf(k, id)) }
	start := time.Date(2027, 3, 13, 12, 0, 0, 0, ny) // Saturday; clocks jump Sunday 02:00 → 03:00

	k := testkit.New(t, testkit.WithStart(start))
	k.Send("timezone America/New_York")
	k.Send("hours 02:00-02:30 every day")
	at3 := createdID(t, k.Send("remind me every day at 03:00"))
	at215 := createdID(t, k.Send("remind me every day at 02:15"))
	bottest.MustContain(t, k.Send("list"), "#"+at3+" · every day at 03:00 · personal · every run within a year is passed over by your working hours")
	for range 20 {
		k.Advance(time.Hour)
	}
	if n := count(k, at3); n != 0 {
		t.Errorf("03:00 under hours 02:00-02:30 delivered %d times by Sunday 08:00, want none", n)
	}
	if n := count(k, at215); n != 1 {
		t.Errorf("02:15 under hours 02:00-02:30 delivered %d times by Sunday 08:00, want once, at 03:00", n)
	}

	q := testkit.New(t, testkit.WithStart(start))
	q.Send("timezone America/New_York")
	q.Send("quiet 02:00-02:30")
	at3 = createdID(t, q.Send("remind me every day at 03:00"))
	at215 = createdID(t, q.Send("remind me every day at 02:15"))
	bottest.MustContain(t, q.Send("list"), "#"+at3+" ", "next Sun 14 Mar 03:00 EDT")
	for range 20 {
		q.Advance(time.Hour)
	}
	if n := count(q, at3); n != 1 {
		t.Errorf("03:00 under quiet 02:00-02:30 delivered %d times by Sunday 08:00, want once", n)
	}
	if n := count(q, at215); n != 0 {
		t.Errorf("02:15 under quiet 02:00-02:30 delivered %d times by Sunday 08:00, want none", n)
	}
}

// A rule with several times names the one the clocks skipped, as a rule
// with one time does.
func TestSpringForwardNoteWithSeveralTimes(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 13, 12, 0, 0, 0, ny)))
	k.Send("timezone America/New_York")
	bottest.MustContain(t, k.Send("remind me every day at 02:30 and 05:00"),
		"Next: Sun 14 Mar 03:00 EDT (02:30 does not exist that day) · Sun 14 Mar 05:00 EDT")
	r := k.Send("remind me every 30 minutes between 1:00 and 4:00")
	if strings.Contains(r.PlainText(), "does not exist") {
		t.Errorf("a window's own 03:00 run is said to be moved:\n%s", r.PlainText())
	}
}

// Words for changing a reminder in place are answered with how it is done:
// set it again, then cancel the old one. The example is the new reminder or
// team break, and never a team break for a channel named like the id.
func TestEditWordsSayHowToChangeOne(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every weekday at 9:30 to stretch"))
	team := createdID(t, k.Send("schedule every weekday at 15:00"))
	for _, tt := range []struct{ in, reason, example string }{
		{"reschedule #" + id + " every day at 10", "`cancel #" + id + "`", "remind me every day at 10"},
		{"edit #" + id + " every day at 10", "`cancel #" + id + "`", "remind me every day at 10"},
		{"change #" + id + " to 10:00", "`cancel #" + id + "`", "remind me at 10:00"},
		{"Move " + id + " to 11am", "`cancel #" + id + "`", "remind me at 11am"},
		{"update #" + id, "`cancel #" + id + "`", "help remind"},
		{"move #" + team + " every weekday at 16:00", "`cancel #" + team + "`", "schedule every weekday at 16:00"},
	} {
		r := k.Send(tt.in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], tt.reason) {
			t.Errorf("%q:\n%s", tt.in, text)
			continue
		}
		if got := tryLine(t, text); got != tt.example {
			t.Errorf("%q offers %q, want %q", tt.in, got, tt.example)
		}
		if r := k.Send(tt.example); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", tt.in, tt.example, r.PlainText())
		}
	}
	if list := k.Send("list all").PlainText(); strings.Contains(list, "#"+id+" ·") && strings.Contains(list, "for #"+id) {
		t.Errorf("a team break was set for a channel named like the id:\n%s", list)
	}
}

// A word that means a command, said with an id, is offered that command
// with the same id, not the help's placeholder id.
func TestMeaningWordKeepsTheId(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 5 minutes"))
	k.Advance(6 * time.Minute)
	for in, want := range map[string]string{
		"postpone #" + id + " 1 hour": "snooze #" + id,
		"delay " + id:                 "snooze " + id,
	} {
		r := k.Send(in)
		if got := tryLine(t, r.PlainText()); got != want {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
	}
	if r := k.Send("snooze #" + id); r.Error {
		t.Errorf("the example is refused:\n%s", r.PlainText())
	}
}

// An edit word with an id that is none of the caller's is "not found", as
// for any command, and offers no team break for a channel named like it.
func TestEditWordWithUnknownIdIsNotFound(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every weekday at 9:30"))
	for _, in := range []string{"reschedule #zzzz every day at 10", "reschedule #" + id + " every day at 10"} {
		r := k.SendAs("U2", "console", in)
		if !r.Error || !strings.Contains(r.PlainText(), "there is no reminder #") || strings.Contains(r.PlainText(), "schedule #") {
			t.Errorf("%q by another user:\n%s", in, r.PlainText())
		}
	}
}

// "tonight" reaches past midnight: "tonight at 12" is the coming midnight
// and "tonight at 1" the 01:00 after it, not noon or a time already past;
// said after midnight, the night is the one under way.
func TestTonightPastMidnight(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me tonight at 12":     "once on Tue 1 Dec at 00:00 UTC",
		"remind me tonight at 12am":   "once on Tue 1 Dec at 00:00 UTC",
		"remind me tonight at 1":      "once on Tue 1 Dec at 01:00 UTC",
		"remind me tonight at 11":     "once on Mon 30 Nov at 23:00 UTC",
		"remind me every night at 12": "every day at 00:00",
	} {
		r := k.Send(in)
		if r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	late := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC)))
	if r := late.Send("remind me tonight at 1"); r.Error || !strings.Contains(r.PlainText(), "once on Tue 1 Dec at 01:00 UTC") {
		t.Errorf("tonight at 1, said at 00:30:\n%s", r.PlainText())
	}
	// A named day's night reaches past its midnight too.
	for in, want := range map[string]string{
		"remind me at 12 tomorrow night": "once on Thu 3 Dec at 00:00 UTC",
		"remind me tomorrow night at 1":  "once on Thu 3 Dec at 01:00 UTC",
		"remind me friday night at 1":    "once on Sat 5 Dec at 01:00 UTC",
		"remind me tomorrow night at 11": "once on Wed 2 Dec at 23:00 UTC",
	} {
		if r := late.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q said at 00:30, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// A range said after "at" is refused in one line, with the window or the
// one time as the example; the end of the range is never taken for a note.
func TestRangeAfterAtIsNoNote(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every weekday at 10:30-15:00":   "remind me every weekday from 10:30 to 15:00",
		"remind me every weekday at 10:30 - 15:00": "remind me every weekday from 10:30 to 15:00",
		"remind me every weekday at 10:30 – 15:00": "remind me every weekday from 10:30 to 15:00",
		"remind me every day at 9 to 17":           "remind me every day from 9 to 17",
		"remind me every day at 3pm - 4pm":         "remind me every day from 3pm to 4pm",
		"remind me every day at 3 pm - 4 pm":       "remind me every day from 3 pm to 4 pm",
		"schedule every day at 9 - 17":             "schedule every day from 9 to 17",
		"remind me at 10 - 11":                     "remind me at 10",
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], "is a range") {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
		if r := k.Send(want); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want, r.PlainText())
		}
	}
	// A dash before words is still a note.
	bottest.MustContain(t, k.Send("remind me every day at 9 - stretch"), "Note: stretch")
}

// Working days, work days and week days are weekdays, for reminders, team
// breaks and working hours; a repeat that is not read is refused, never a
// one-off with "every …" as its note.
func TestWorkingDaysAreWeekdays(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{
		"remind me every working day at 9", "remind me every work day at 9", "remind me on work days at 9",
		"remind me working days at 9", "remind me every week day at 9", "schedule every working day at 15:00",
	} {
		r := k.Send(in)
		if r.Error || !strings.Contains(r.PlainText(), "every weekday at") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
	for _, in := range []string{"hours 9-17 working days", "hours 9-17 on work days", "quiet 12-13 working days"} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), "on weekdays") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
	r := k.Send("remind me every school day at 9")
	if !r.Error || strings.Contains(r.PlainText(), "Note:") {
		t.Errorf("an unread repeat is taken as a one-off with a note:\n%s", r.PlainText())
	}
	if ex := tryLine(t, r.PlainText()); k.Send(ex).Error {
		t.Errorf("offers %q, which is refused", ex)
	}
}

// A dash inside a time that reads on is punctuation, not the start of a
// note: "every weekday at 9 – except fridays" leaves Fridays out.
func TestDashWithinTheTimeIsNoNote(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every weekday at 9 – except fridays": "every Mon, Tue, Wed and Thu at 09:00",
		"remind me every day at 9 — for 2 weeks":        "every day at 09:00 until Mon 14 Dec",
	} {
		r := k.Send(in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, want) || strings.Contains(text, "Note:") {
			t.Errorf("%q, want %q and no note:\n%s", in, want, text)
		}
	}
	bottest.MustContain(t, k.Send("remind me in 5 min - drink water"), "Note: drink water")
}

// A time with letters after its minutes is offered with its minutes, not
// on the hour.
func TestClockWithTrailingLettersKeepsItsMinutes(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every day at 9:30h":  "remind me every day at 9:30",
		"remind me every day at 9:45hs": "remind me every day at 9:45",
	} {
		r := k.Send(in)
		if got := tryLine(t, r.PlainText()); !r.Error || got != want {
			t.Errorf("%q offers %q, want %q:\n%s", in, got, want, r.PlainText())
		}
	}
}

// "skip #k3f9 twice" says how to skip two runs, in one line, instead of
// reading "k3f9 twice" as an id.
func TestSkipTwiceSaysHow(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 15:00"))
	for _, in := range []string{"skip #" + id + " twice", "skip " + id + " 3 times", "skip #" + id + " two times"} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], "one run at a time") {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != "skip #"+id {
			t.Errorf("%q offers %q", in, got)
		}
	}
	bottest.MustContain(t, k.Send("skip #"+id), "Skipped #"+id)
}

// "for the next 5 days" is a length, and a length without a number is
// offered with one, keeping the rest of the time.
func TestForTheNextDays(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every day at 9 for the next 5 days": "until Sat 5 Dec at 09:00 UTC",
		"remind me every day at 9 for next 2 weeks":    "until Mon 14 Dec at 09:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	r := k.Send("schedule every weekday at 10 for the coming month")
	if got, want := tryLine(t, r.PlainText()), "schedule every weekday at 10 for 1 month"; !r.Error || got != want {
		t.Errorf("offers %q, want %q:\n%s", got, want, r.PlainText())
	}
	if r := k.Send("schedule every weekday at 10 for 1 month"); r.Error {
		t.Errorf("the example is refused:\n%s", r.PlainText())
	}
}

// The runs left that `list` counts for a rule that ends leave out a run
// skipped and the runs a timed pause holds back, as its next run does.
func TestRunsLeftAfterSkipAndPause(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	id := createdID(t, k.Send("remind me every day at 9 10 times"))
	bottest.MustContain(t, k.Send("list"), "next Tue 1 Dec 09:00 UTC · 10 runs left, the last Thu 10 Dec 09:00 UTC")
	k.Send("skip #" + id)
	bottest.MustContain(t, k.Send("list"), "next Wed 2 Dec 09:00 UTC · 9 runs left, the last Thu 10 Dec 09:00 UTC")
	k.Send("pause #" + id + " for 3 days")
	bottest.MustContain(t, k.Send("list"), "next Thu 3 Dec 09:00 UTC · 8 runs left, the last Thu 10 Dec 09:00 UTC")
}

// Two days with their own times are offered as two repeating reminders,
// and a one-off on two days of the month as the monthly one.
func TestDaysWithTheirOwnTimes(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][2]string{
		"remind me every monday at 9am and wednesday at 3pm": {"`remind me every monday at 9am`, then `remind me every wednesday at 3pm`", "remind me every monday at 9am"},
		"schedule every monday at 9am and wed at 3pm":        {"`schedule every monday at 9am`, then `schedule every wed at 3pm`", "schedule every monday at 9am"},
		"remind me on the 1st and 15th at 9":                 {"say of every month to repeat it", "remind me on the 1st and 15th of every month at 9"},
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], want[0]) {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
		if r := k.Send(want[1]); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want[1], r.PlainText())
		}
	}
}

// A repeat that counts from its first run counts from its start: "every 2
// hours starting at 10am" comes at 10:00, 12:00, not 11:00, 13:00, and
// "every 2 days at 9 starting wednesday" on Wednesday.
func TestStartIsTheFirstRun(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	for in, want := range map[string]string{
		"remind me every 2 hours starting at 10am":                "Next: Mon 30 Nov 10:00 UTC · Mon 30 Nov 12:00 UTC · Mon 30 Nov 14:00 UTC",
		"remind me every 45 minutes starting at 9:30":             "Next: Mon 30 Nov 09:30 UTC · Mon 30 Nov 10:15 UTC · Mon 30 Nov 11:00 UTC",
		"remind me every 2 days at 9 starting wednesday":          "Next: Wed 2 Dec 09:00 UTC · Fri 4 Dec 09:00 UTC · Sun 6 Dec 09:00 UTC",
		"remind me every other tuesday at 10 starting 8 december": "Next: Tue 8 Dec 10:00 UTC · Tue 22 Dec 10:00 UTC · Tue 5 Jan 2027 10:00 UTC",
		"remind me every 2 months on the 1st starting 2027-02-01": "Next: Mon 1 Feb 2027 09:00 UTC · Thu 1 Apr 2027 09:00 UTC · Tue 1 Jun 2027 09:00 UTC",
		"schedule every 2 hours starting at 11":                   "Next: Mon 30 Nov 11:00 UTC · Mon 30 Nov 13:00 UTC · Mon 30 Nov 15:00 UTC",
	} {
		r := k.Send(in)
		if r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	// The stored rule keeps counting from the start.
	id := createdID(t, k.Send("remind me every 3 hours starting at 10:30"))
	for range 9 {
		k.Advance(30 * time.Minute)
	}
	if got := len(deliveriesOf(k, id)); got != 2 {
		t.Errorf("#%s delivered %d times by 13:30, want at 10:30 and 13:30", id, got)
	}
	bottest.MustContain(t, k.Send("list"), "#"+id+" · every 3 hours · personal · next Mon 30 Nov 16:30 UTC")
}

// Words before a time that are a time themselves are never its note.
func TestTimeBeforeTimeIsNoNote(t *testing.T) {
	k := testkit.New(t)
	// A first run and a repeat after it: the repeat from that run.
	r := k.Send("remind me in 20 min and then every hour")
	if r.Error || strings.Contains(r.PlainText(), "Note:") || !strings.Contains(r.PlainText(), "every hour, starting Mon 30 Nov at 09:20") {
		t.Errorf("a time taken for a note:\n%s", r.PlainText())
	}
	bottest.MustContain(t, k.Send("remind me drink water in 5 min"), "Note: drink water")
	bottest.MustContain(t, k.Send("remind me stand up every hour"), "Note: stand up")
}

// "at about 3pm" and "around 10" are the time itself; "about" before words
// still starts a note.
func TestRoughTimesAreTheTime(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every day at about 3pm": "every day at 15:00",
		"remind me every day around 3pm":   "every day at 15:00",
		"remind me daily at approx 3pm":    "every day at 15:00",
		"remind me around 10":              "once on Mon 30 Nov at 10:00 UTC",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	bottest.MustContain(t, k.Send("remind me at 3pm about 2 sets of squats"), "Note: 2 sets of squats")
}

// A day the parser does not know is refused, never a note beside another
// day's time: "on new year's eve at 23:59" is not today at 23:59.
func TestUnknownDayIsNoNote(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"remind me on new year's eve at 23:59", "remind me next sprint at 10"} {
		if r := k.Send(in); !r.Error || strings.Contains(r.PlainText(), "Note:") {
			t.Errorf("%q:\n%s", in, r.PlainText())
		}
	}
	bottest.MustContain(t, k.Send("remind me in the office at 3pm"), "Note: in the office")
}

// A repeating night past midnight is on the day after each one named:
// "every friday night at 1" is Saturday 01:00, not Thursday night.
func TestRepeatingNightPastMidnight(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every friday night at 1":  "every Saturday at 01:00",
		"remind me every friday night at 12": "every Saturday at 00:00",
		"remind me every friday night at 11": "every Friday at 23:00",
		"remind me weeknights at 1":          "every Tue, Wed, Thu, Fri and Sat at 01:00",
		"remind me every night at 1":         "every day at 01:00",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// "this week" is refused with an example that keeps the rest: until
// Sunday for a repeat, a day of the week for a one-off.
func TestThisWeekOffersItsEnd(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every weekday at 9 this week": "remind me every weekday at 9 until sunday",
		"schedule every day at 10 this week":     "schedule every day at 10 until sunday",
		"remind me this week":                    "remind me on friday",
	} {
		r := k.Send(in)
		if got := tryLine(t, r.PlainText()); !r.Error || got != want {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
		if r := k.Send(want); r.Error {
			t.Errorf("%q refused:\n%s", want, r.PlainText())
		}
	}
}

// "done" the day after a break is a break of that day: a break taken
// without asking, on the morning after yesterday's, keeps the streak.
func TestDoneTheNextMorningCounts(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)))
	k.Send("break")
	bottest.MustContain(t, k.Send("done"), "1 break done, streak 1 day")
	bottest.MustContain(t, k.Send("done"), "already counted")
	k.Advance(23*time.Hour + 30*time.Minute) // Tue 09:30
	bottest.MustContain(t, k.Send("done"), "2 breaks done, streak 2 days")
	bottest.MustContain(t, k.Send("done"), "already counted")
}

// "for today" and "until the end of the day" are read by pause and away:
// back tomorrow morning, or at midnight.
func TestPauseAndAwayForToday(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	id := createdID(t, k.Send("remind me every hour"))
	for in, want := range map[string]string{
		"pause #" + id + " for today":                "Paused #" + id + " until Tue 1 Dec 09:00 UTC",
		"pause #" + id + " for the rest of the day":  "Paused #" + id + " until Tue 1 Dec 09:00 UTC",
		"pause #" + id + " until the end of the day": "Paused #" + id + " until Tue 1 Dec 00:00 UTC",
		"away today":                   "passed over until Tue 1 Dec 00:00 UTC",
		"away for the rest of the day": "passed over until Tue 1 Dec 00:00 UTC",
	} {
		r := k.Send(in)
		if r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
		k.Send("resume all")
		k.Send("back")
	}
}

// Time away until an hour said alone is until that hour, read as "at 8"
// is, not the start of today; its refusals read as commands.
func TestAwayUntilAnHour(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	bottest.MustContain(t, k.Send("away until 8"), "passed over until Mon 30 Nov 20:00 UTC")
	k.Send("back")
	r := k.Send("away until today")
	if got := tryLine(t, r.PlainText()); got != "away until 09:00 tomorrow" {
		t.Errorf("offers %q:\n%s", got, r.PlainText())
	}
	bottest.MustContain(t, k.Send("away until 09:00 tomorrow"), "passed over until Tue 1 Dec 09:00 UTC")
}

// "help with hours" and a quoted or #-marked name are help on that command.
func TestHelpWithACommand(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"help with hours": "How to use hours", "help on pause": "How to use pause",
		`help "remind"`: "How to use remind", "help #remind": "How to use remind", "help “skip”": "How to use skip",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}

// Working hours and quiet periods take times without their colon, as a
// reminder's window does.
func TestHoursWithoutColons(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"hours 0900-1730":    "09:00-17:30 on weekdays",
		"hours 930am-6pm":    "09:30-18:00 on weekdays",
		"hours 930 am - 6pm": "09:30-18:00 on weekdays",
		"quiet 1200-1300":    "Quiet: 12:00-13:00",
		"hours 2200-0600":    "22:00-06:00 overnight",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
	if r := k.Send("hours 960-1700"); !r.Error {
		t.Errorf("960 read as a time:\n%s", r.PlainText())
	}
}

// A snooze without an id whose length cannot be read is refused for the
// length, with an example that works, not asked for an id it does not need.
func TestSnoozeForWordsNotALength(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 1 minute"))
	k.Advance(2 * time.Minute)
	for _, in := range []string{"snooze for a bit", "snooze for the rest of the day"} {
		r := k.Send(in)
		if !r.Error || !strings.Contains(r.PlainText(), "as a length of time") {
			t.Errorf("%q:\n%s", in, r.PlainText())
			continue
		}
		if ex := tryLine(t, r.PlainText()); ex != "snooze #"+id+" 15 min" {
			t.Errorf("%q offers %q", in, ex)
		}
	}
	bottest.MustContain(t, k.Send("snooze #"+id+" 15 min"), "Snoozed #"+id)
}
