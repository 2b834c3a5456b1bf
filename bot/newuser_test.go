package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// tryLine returns the example an error reply offers, without "Try: ".
func tryLine(t *testing.T, text string) string {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if ex, ok := strings.CutPrefix(line, "Try: "); ok {
			return ex
		}
	}
	t.Fatalf("no example in:\n%s", text)
	return ""
}

// What a newcomer types on a first try: each is refused with a reason that
// names the slip and an example that works, or is read as meant.
func TestNewcomerPhrasings(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9"))
	for _, tt := range []struct {
		in      string
		want    []string // in the reply
		example string   // the example offered, when refused
	}{
		{"schedule every day at 9 in # 5 min", []string{"channel's name right after #"}, "schedule every day at 9 5 min in #general"},
		{"schedule every day at 9 in #", []string{"channel's name right after #"}, "schedule every day at 9 in #general"},
		{"schedule every day at 9 in # general", []string{"channel's name right after #"}, "schedule every day at 9 in #general"},
		{"schedule daily at 9 in general", []string{"with # in front"}, "schedule daily at 9 in #general"},
		{"pause for 2 hours", []string{"Which one?"}, "pause all for 2 hours"},
		{"pause until tomorrow", []string{"Which one?"}, "pause all until tomorrow"},
		{"skip next", []string{"Which one?"}, "skip #" + id},
		{"cancel it", []string{"Which one?"}, "cancel #" + id},
		{"cancel the reminder", []string{"Which one?"}, "cancel #" + id},
		{"set my timezone to PST", []string{"Time zone set to America/Los_Angeles"}, ""},
		{"timezone to Berlin", []string{"Time zone set to Europe/Berlin"}, ""},
		{"time zone Tokyo", []string{"Time zone set to Asia/Tokyo"}, ""},
		{"my timezone is UTC", []string{"Time zone set to UTC"}, ""},
		{"what's my time zone?", []string{"Your time zone is UTC"}, ""},
		{"remind me on 14.03.2027 at 9", []string{"month as a word"}, "remind me on 14 march 2027 at 9"},
		{"schedule on friday the 5th at 9", []string{"5 December is a Saturday, not a Friday"}, "schedule on the 5th at 9"},
		{"exercises floor", []string{"listed by category"}, "break floor"},
		{"exercise squat", []string{"Mini squat", "10 slow reps"}, ""},
		{"on vacation until friday", []string{"passed over until Fri 4 Dec 00:00 UTC"}, ""},
		{"I'm out of office for 2 weeks", []string{"passed over until"}, ""},
		{"back", []string{"Welcome back"}, ""},
		{"away until jan 4", []string{"passed over until Mon 4 Jan 2027 00:00 UTC"}, ""},
		{"back", []string{"Welcome back"}, ""},
		{"quiet lunch", []string{"Quiet: 12:00-13:00"}, ""},
		{"schedule banana", []string{"banana"}, "schedule every weekday at 15:00"},
		{"give me a break", []string{"Your 5-minute"}, ""},
		{"quick break", []string{"Your 2-minute"}, ""},
		{"take a 5-min break on the floor", []string{"Your 5-minute floor"}, ""},
		{"stretch help", []string{"`help <command>`"}, ""},
		{"break every day at 3pm", []string{"set a reminder"}, "remind me every day at 3pm"},
		{"break in 20 minutes", []string{"set a reminder"}, "remind me in 20 minutes"},
		{"my reminders", []string{"#" + id}, ""},
		{"show me all my reminders", []string{"#" + id}, ""},
		{"my stats", []string{"Stretch stats"}, ""},
		{"skip", []string{"Which one? Give its id;"}, "skip #" + id},
		{"pause", []string{"Which one? Give its id or `all`;"}, "pause all"},
		{"help me", []string{"`help <command>`"}, ""},
		{"?", []string{"`help <command>`"}, ""},
		{"what can you do?", []string{"`help <command>`"}, ""},
		{"commands", []string{"`help <command>`"}, ""},
		{"remind me: every day at 10", []string{"every day at 10:00"}, ""},
		{"remind me - in 5 min", []string{"Reminder #"}, ""},
		{"please remind me every day at 11 please", []string{"every day at 11:00"}, ""},
		{"stretchbot, list", []string{"#" + id}, ""},
	} {
		got := k.Send(tt.in)
		text := got.PlainText()
		bottest.MustContain(t, got, tt.want...)
		if tt.example == "" {
			if got.Error {
				t.Errorf("%q refused:\n%s", tt.in, text)
			}
			continue
		}
		if !got.Error {
			t.Errorf("%q accepted, want refused:\n%s", tt.in, text)
			continue
		}
		if ex := tryLine(t, text); ex != tt.example {
			t.Errorf("%q: example %q, want %q", tt.in, ex, tt.example)
		}
	}
}

// Every example a refusal above offers is itself accepted.
func TestNewcomerExamplesWork(t *testing.T) {
	k := testkit.New(t)
	k.Send("remind me every day at 9")
	for _, in := range []string{
		"schedule every day at 9 in # 5 min",
		"schedule daily at 9 in general",
		"pause for 2 hours",
		"skip next",
	} {
		got := k.Send(in)
		if !got.Error {
			t.Fatalf("%q accepted", in)
		}
		ex := tryLine(t, got.PlainText())
		if r := k.Send(ex); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, ex, r.PlainText())
		}
	}
}

// A reminder's break takes the options a break does, after the time and
// before the note, and its deliveries follow them.
func TestRemindWithBreakOptions(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, each, note string }{
		{"remind me every day at 15:00 floor 10 minutes", "Each break: 10 min, floor.", ""},
		{"remind me every day at 15:00 floor 10 minutes to stretch", "Each break: 10 min, floor.", "Note: stretch"},
		{"remind me every weekday at 10:30 5 min gym to move", "Each break: 5 min, gym.", "Note: move"},
	} {
		got := k.Send(tt.in)
		want := []string{tt.each}
		if tt.note != "" {
			want = append(want, tt.note)
		}
		bottest.MustContain(t, got, want...)
	}
	for in, example := range map[string]string{
		"remind me every day at 15:00 5 min banana":      "remind me every day at 15:00 5 min desk",
		"remind me every day at 15:00 90 min to stretch": "remind me every day at 15:00 10 min to stretch",
	} {
		got := k.Send(in)
		if !got.Error {
			t.Fatalf("%q accepted:\n%s", in, got.PlainText())
		}
		if ex := tryLine(t, got.PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q", in, ex, example)
		}
	}
	id := createdID(t, k.Send("remind me in 2 seconds 2 min floor"))
	k.Advance(2 * time.Second)
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	bottest.MustContain(t, got[0].Reply, "in all", "· floor ·")
}

// A break's length said twice is refused, not added up: "5 min 10 min" is
// two lengths, where "1 hour" or "half an hour" is one.
func TestBreakLengthSaidTwice(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"break 5 min 10 min", "break 5 min 5 min", "break 5 min and 10 min", "schedule every day at 9 5 min 10 min"} {
		got := k.Send(in)
		if !got.Error {
			t.Errorf("%q accepted:\n%s", in, got.PlainText())
			continue
		}
		bottest.MustContain(t, got, "Give the length once")
	}
	for in, title := range map[string]string{"break half an hour": "30-minute", "break 1 hour": "60-minute", "break 1h": "60-minute", "break 1hr desk": "60-minute"} {
		got := k.Send(in)
		if got.Error || !strings.Contains(got.Title, title) {
			t.Errorf("%q: %q, want a %s break:\n%s", in, got.Title, title, got.PlainText())
		}
	}
}

// A length in hours is refused only when no break can be that long.
func TestBreakInHours(t *testing.T) {
	k := testkit.New(t)
	got := k.Send("break 2h")
	if !got.Error {
		t.Fatalf("break 2h accepted:\n%s", got.PlainText())
	}
	bottest.MustContain(t, got, "1 to 60 minutes long, not 2h")
}

// A misspelt break option is answered with the option meant.
func TestBreakOptionTypos(t *testing.T) {
	k := testkit.New(t)
	for in, example := range map[string]string{
		"break flor":                   "break floor",
		"break 5 min flor":             "break 5 min floor",
		"break strenght":               "break strength",
		"schedule every day at 9 flor": "schedule every day at 9 floor",
		"break gim":                    "break gym",
	} {
		got := k.Send(in)
		if !got.Error {
			t.Fatalf("%q accepted:\n%s", in, got.PlainText())
		}
		bottest.MustContain(t, got, "did you mean")
		if ex := tryLine(t, got.PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q", in, ex, example)
		}
		if r := k.Send(example); r.Error {
			t.Errorf("%q refused:\n%s", example, r.PlainText())
		}
	}
}

// Quotes around a note mark it; they are not kept.
func TestNoteQuotesDropped(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		`remind me at 3pm to "drink water"`: "Note: drink water",
		"remind me at 3pm to “stand up”":    "Note: stand up",
		`remind me at 3pm to "a" and "b"`:   `Note: "a" and "b"`,
	} {
		bottest.MustContain(t, k.Send(in), want)
	}
}

// A snooze until a time comes at that time, not a second before it when
// the command arrived mid-second.
func TestSnoozeUntilIsExact(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 1 second"))
	k.Advance(1500 * time.Millisecond)
	if len(deliveriesOf(k, id)) != 1 {
		t.Fatal("not delivered")
	}
	bottest.MustContain(t, k.Send("snooze until 1pm"), "comes again at Mon 30 Nov 13:00 UTC")
}

// A team break named before its time, a channel without "in", and a
// reminder asked for in a sentence are read as meant.
func TestScheduleAndRemindSentences(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][]string{
		"schedule a break every day at 3pm":                     {"Team break #", "every day at 15:00"},
		"schedule team stretch at 3pm daily":                    {"every day at 15:00"},
		"schedule a 5-minute break every day at 11 in #general": {"for #general", "Each break: 5 min."},
		"schedule 10 min every weekday at 10":                   {"every weekday at 10:00", "Each break: 10 min."},
		"schedule daily 3pm #general":                           {"for #general", "every day at 15:00"},
		"schedule every day at 9 to #random":                    {"for #random"},
		"set a reminder for 3pm":                                {"Reminder #", "at 15:00"},
		"add a reminder to stretch at 3pm":                      {"Reminder #", "Note: stretch"},
		"new reminder every day at 9":                           {"Reminder #", "every day at 09:00"},
	} {
		got := k.Send(in)
		if got.Error {
			t.Errorf("%q refused:\n%s", in, got.PlainText())
			continue
		}
		bottest.MustContain(t, got, want...)
	}
	bottest.MustContain(t, k.Send("schedule a break"), "When should the team break happen?")
}
