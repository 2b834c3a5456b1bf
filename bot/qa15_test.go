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
