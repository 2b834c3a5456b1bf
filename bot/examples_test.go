package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// refusals has, for every command, input it refuses. {active} is a
// repeating reminder that has been delivered, {paused} a paused one and
// {fresh} one not delivered yet. Lines of one entry are sent in turn; the
// last is the one checked.
var refusals = []string{
	"", "dance", "brek", "🧘 break", "break " + strings.Repeat("x", 1001),
	"help flarp", "help " + strings.Repeat("z", 60),
	"break 90 min", "break 0 min", "break banana", "break 2 hours", "break 5h", "break 5 min 10 min", "break 99999999999999999999 min",
	"exercises dancing", "exercise", "exercise chlid pose", "exercise zzzzzzzz",
	"remind", "remind me", "remind me to", "remind me in 5 minutes to", "remind me to stretch",
	"remind me in 20 minutes to " + strings.Repeat("n", 301), "remind me in five minutes", "remind me never",
	"schedule", "schedule every day at 9 99 min", "schedule every day at 9 banana", "schedule every day at 9 5 min banana",
	"schedule every day at 9 5 min 10 min", "schedule every 2 hours 5h", "schedule in #general",
	"list 0", "list banana", "list 2", "list 2 3", "list page",
	"cancel", "cancel all", "cancel !!", "cancel #zzzz",
	"pause", "pause !!", "pause !! for 2 weeks", "pause {active} for", "pause {active} for banana",
	"pause {active} for 0 seconds", "pause {active} for 2 years", "pause {active} for -5 min", "pause {active} for 500ms",
	"pause {active} until", "pause {active} until 2028-06-01", "pause all until 2028-06-01", "pause {active} until banana",
	"pause {active} until 2019-01-01", "pause {active} until yesterday", "pause {active} because", "pause {active} till 10 years",
	"pause all\npause all",
	"resume", "resume !!", "resume {active}", "resume all\nresume all",
	"skip", "skip all", "skip {paused}", "skip !!",
	"snooze", "snooze all", "snooze {active} banana", "snooze {active} 0 min", "snooze {active} 2 days", "snooze {active} for -5 min",
	"snooze {fresh}", "snooze {active} 15 min\nsnooze {active} 15 min", "snooze {active} 20 min\nsnooze {active} 20 min",
	"timezone Mars/Olympus", "timezone local", "timezone ../etc/passwd",
	"timezone Europe/Berln", "timezone America/Berlin", "timezone Berln", "timezone USA", "timezone UTC+5:30", "timezon berlin", "tz berln",
	"brake", "reminder", "reminder in 5 minutes", "remindme in 5 min", "remind 5 minutes", "schedul every day", "schedul every day at 9",
	"sched every day at 9", "help bogus", "help brake", "cancle #zzzz", "cancle all", "lsit", "pase all", "exercize cat-cow",
	"ｂｒａｋｅ", "ｂｒｅａｋ ９０ ｍｉｎ", "in 20 minutes", "every day at 9", "remind me at 25:00 “to stretch”",
	"break ninety seconds", "break five hours", "break half a minute", "break!!!", "brake!", "pause {active} banana split",
	"pause {active} 2 decades", "pause {active} 5 years", "remind me 10 times a day", "remind me twice a week on monday",
	"remind me twice a day at 9", "timezone UTC+5:17", "timezone Pacific Tiem", "remind me the day after tomorrow at 25:00",
	"remind me every fortnight at 25:00", "remind me at 3.3pm", "cancel #zzzz.", "remind me every monday to blursday",
	"remind me every monday to friday at 25:00 to stretch", "skip {paused}.", "snooze {active} until banana", "snooze {active} until yesterday", "snooze {active} 5000", "cancel {active} #zzzz", "skip {active}, banana", "list everything please", "stop {active}", "stop", "postpone {active} 10 min", "continue {active}", "mute all", "remind us every day at 10", "remind @bob at 3pm", "remind #general at 3pm", "remind me in 5 min:", "remind me tomorow at 9", "remind me evry day at 9", "remind me call mom at 5", "remind me every 30 minutes from 1 to 4 on 2027-03-28",
	"schedule every day at 9 in", "remind me every day at 9 for 0 days", "away for 0 days",
	"schedule from next m", "schedule every day from next m", "remind me every day at 9 starting next blursday to stretch",
}

// badWhens are refused <when>s of every kind; each is tried after remind,
// schedule and pause … until.
var badWhens = []string{
	"at 25:99", "every 0 seconds", "every -5 minutes", "in 100 years", "at 15:30 on 2019-01-01", `cron "* * *"`,
	`cron "TZ=UTC"`, `cron "0 0 30 2 *"`, `cron "61 * * * *"`, "every blursday at 10", "in 5 parsecs", "every 500 milliseconds",
	"at 7pm tomorrow tomorrow", "every weekday at", "every at 10", "at 10:30 on 2027-13-01", "at 10:30 am pm", "@dayly",
	"in 5", "banana", "at 9 on 0000-01-01", "every 1h between 17 and 9", "at 08:00 on 2027-02-30", "tomorrow",
}

// TestEveryOfferedExampleWorks types back the example of every refusal
// ("Try: …") in the state the refusal was given in, and checks that it is
// not refused as invalid in turn. Examples may name a placeholder id
// (#k3f9): that is "not found", which is fine.
func TestEveryOfferedExampleWorks(t *testing.T) {
	inputs := append(append([]string(nil), commandSeeds...), refusals...)
	for _, w := range badWhens {
		inputs = append(inputs, "remind me "+w, "schedule "+w, "pause {active} until "+w)
	}
	for _, in := range inputs {
		k := testkit.New(t)
		ids := fixtures(t, k)
		steps := strings.Split(ids.Replace(in), "\n")
		for _, s := range steps[:len(steps)-1] {
			k.Send(s)
		}
		last := steps[len(steps)-1]
		r := k.Send(last)
		if !r.Error {
			continue
		}
		ex := example(r)
		if ex == "" {
			t.Errorf("%q is refused without an example:\n%s", last, r.PlainText())
			continue
		}
		if again := k.Send(ex); refusedAsInvalid(again) {
			t.Errorf("%q is refused with the example %q, which is refused too:\n%s", last, ex, again.PlainText())
		}
	}
}

// fixtures creates the reminders {active}, {paused} and {fresh} and
// returns a replacer for their ids.
func fixtures(t *testing.T, k *testkit.Kit) *strings.Replacer {
	t.Helper()
	active := createdID(t, k.Send("remind me every 2 hours"))
	paused := createdID(t, k.Send("remind me every 3 hours"))
	k.Advance(2 * time.Hour) // delivers {active}
	fresh := createdID(t, k.Send("remind me every 4 hours"))
	k.Send("pause #" + paused)
	return strings.NewReplacer("{active}", "#"+active, "{paused}", "#"+paused, "{fresh}", "#"+fresh)
}

// example returns the example an error reply offers.
func example(r bot.Reply) string {
	for _, b := range r.Blocks {
		if ex, ok := strings.CutPrefix(b, "Try: "); ok {
			return ex
		}
	}
	return ""
}

// refusedAsInvalid reports whether r refuses its command as invalid, as
// opposed to answering it or refusing because of whose reminder it is.
func refusedAsInvalid(r bot.Reply) bool {
	if !r.Error {
		return false
	}
	msg := r.Blocks[0]
	for _, notFound := range []string{"Not found: there is no reminder #", "Only the person who created #", "None of your reminders has been delivered yet"} {
		if strings.HasPrefix(msg, notFound) {
			return false
		}
	}
	return true
}

// A pause refused for its length offers one that works.
func TestPauseRefusals(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9"))
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"pause all for", []string{"how long", "try: pause all for 2 hours"}},
		{"pause #" + id + " for banana", []string{`“banana”`, "try: pause #" + id + " for 2 hours"}},
		{"pause #" + id + " for 2 years", []string{"from 1 second to a year", "try: pause #" + id + " for 2 hours"}},
		{"pause #" + id + " for -5 min", []string{"from 1 second to a year"}},
		{"pause #" + id + " until 2028-06-01", []string{"up to a year", "try: pause #" + id + " for 2 weeks"}},
		{"pause #" + id + " until", []string{"until when", "try: pause #" + id + " until tomorrow 9am"}},
		{"pause #" + id + " until in 100 years", []string{"up to a year", "try: pause #" + id + " for 2 weeks"}},
	} {
		r := k.Send(tt.in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", tt.in, r.PlainText())
		}
		bottest.MustContain(t, r, tt.want...)
	}
}

// "for <length>" after a repeating time is its end: a length no break can
// have there is explained as the end it is, not as a break's length.
func TestForLengthAfterATimeIsItsEnd(t *testing.T) {
	for _, in := range []string{
		"remind me every day at 9 for 0 days",
		"schedule every day at 9 for 0 days",
	} {
		k := testkit.New(t)
		r := k.Send(in)
		if !r.Error {
			t.Fatalf("%q accepted:\n%s", in, r.PlainText())
		}
		if strings.Contains(r.PlainText(), "A break can be") {
			t.Errorf("%q explained as a break's length:\n%s", in, r.PlainText())
		}
		bottest.MustContain(t, r, "more than zero")
	}
}

// A schedule whose "in" names no channel says so, rather than asking how
// long from now.
func TestScheduleInWithoutAChannel(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("schedule every day at 9 in")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "name the channel after `in`", "try: schedule every day at 9 in #general")
}
