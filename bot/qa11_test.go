package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Times written without their colon, and parts of the day, may come in a
// list: each reads as the time it stands for, for reminders and team
// breaks alike.
func TestListsOfTimesAsPeopleTypeThem(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every day at 730 and 1230":          "every day at 07:30 and 12:30",
		"schedule every day at 730 and 1230":           "every day at 07:30 and 12:30",
		"remind me at 7 30pm":                          "at 19:30",
		"remind me at 930pm to walk":                   "at 21:30",
		"remind me every morning and afternoon":        "every day at 09:00 and 15:00",
		"remind me every weekday at lunch and 4pm":     "every weekday at 12:00 and 16:00",
		"schedule every weekday morning and afternoon": "every weekday at 09:00 and 15:00",
	} {
		r := k.Send(in)
		if r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want)
	}
}

// A break is quick or long, not both: the two are refused naming both,
// as two places are. A length in minutes says more than either word, so
// "a quick 10-minute break" is 10 minutes in whichever order it is said.
func TestBreakQuickOrLong(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"break quick long":                   "break quick",
		"break long short floor":             "break long",
		"remind me in 5 minutes quick full":  "remind me in 5 minutes quick",
		"schedule every day at 9 short long": "schedule every day at 9 short",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		if lines := strings.Split(r.PlainText(), "\n"); len(lines) != 2 {
			t.Errorf("%q: refusal is not one line and an example:\n%s", in, r.PlainText())
		}
		if got := tryLine(t, r.PlainText()); got != want {
			t.Errorf("%q offers %q, want %q:\n%s", in, got, want, r.PlainText())
		}
		if k.Send(want).Error {
			t.Errorf("%q offers %q, which is refused", in, want)
		}
	}
	bottest.MustContain(t, k.Send("break quick long"), "quick", "long")
	for in, want := range map[string]string{
		"break quick 10 min": "10-minute", "break 10 min quick": "10-minute", "break long 20 min": "20-minute",
		"break quick quick": "2-minute", "break short mini": "2-minute",
	} {
		bottest.MustContain(t, k.Send(in), want)
	}
}

// Two one-off times that share a day are offered as two reminders that
// both keep it: "tomorrow morning and afternoon" is not this afternoon.
func TestTwoOneOffsShareTheirDay(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me tomorrow morning and afternoon":   "`remind me tomorrow morning`, then `remind me tomorrow afternoon`",
		"remind me at 9 and 3 tomorrow":              "set one for each time (09:00, then 15:00)",
		"remind me at 9 tomorrow and at 5 on friday": "`remind me at 9 tomorrow`, then `remind me at 5 on friday`",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want)
		if ex := tryLine(t, r.PlainText()); k.Send(ex).Error {
			t.Errorf("%q offers %q, which is refused", in, ex)
		}
	}
}

// A reminder refused for its time keeps its note in the example.
func TestRefusedTimeKeepsTheNote(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me in 10 to stretch")
	if got, want := tryLine(t, r.PlainText()), "remind me in 10 minutes to stretch"; got != want {
		t.Errorf("example %q, want %q:\n%s", got, want, r.PlainText())
	}
	if k.Send("remind me in 10 minutes to stretch").Error {
		t.Error("the example is refused")
	}
}

// A length said as a number word alone is minutes, as a number is: "break
// five" is "break 5".
func TestBreakLengthInWords(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"break five": "5-minute", "break ten floor": "10-minute floor", "break a floor": "floor",
	} {
		bottest.MustContain(t, k.Send(in), want)
	}
	bottest.MustContain(t, k.Send("break five ten"), "Give the length once")
	// "one" after quick or long is the break, not a minute.
	bottest.MustContain(t, k.Send("break a quick one"), "2-minute")
	bottest.MustContain(t, k.Send("break a long one"), "15-minute")
}
