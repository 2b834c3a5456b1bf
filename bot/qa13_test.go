package bot_test

import (
	"strings"
	"testing"
	"time"

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
		"remind me tomorrow at 9 and 15:00 5 min":       {"(09:00, then 15:00)", "remind me tomorrow at 09:00"},
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
