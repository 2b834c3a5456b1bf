package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Lengths of time read the same in every command: what `remind me in …`
// takes, `pause … for …` and `snooze …` take too.
func TestEveryCommandTakesTheSameLengths(t *testing.T) {
	for _, length := range []string{"2 weeks", "1 hour 30 minutes", "1 hour and 30 minutes", "90s", "2h", "1h30m", "a day", "3 wk", "45 mins", "2 hrs"} {
		t.Run(length, func(t *testing.T) {
			k := testkit.New(t)
			r := k.Send("remind me in " + length)
			id := createdID(t, r)
			bottest.MustContain(t, k.Send("pause #"+id+" for "+length), "paused #"+id, "until")
		})
	}
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 2 hours"))
	k.Advance(2 * 60 * 60 * 1e9)
	for _, length := range []string{"90s", "1h30m", "1 hour 45 minutes", "an hour", "for 20 min", "by 2h"} {
		r := k.Send("snooze #" + id + " " + length)
		if r.Error {
			t.Errorf("snooze #%s %s refused:\n%s", id, length, r.PlainText())
		}
	}
}

// A length said twice in a reminder's time is not added up: the second is
// the break's length, as it is for a team break and after any other time,
// and a pause or time away given twice is refused with the length once.
func TestLengthGivenTwice(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct {
		in      string
		want    []string
		example string
	}{
		{"remind me every 30 minutes 5 min", []string{"every 30 minutes", "Each break: 5 min"}, ""},
		{"remind me in 5 minutes 5 minutes", []string{"(in 5 min)", "Each break: 5 min"}, ""},
		{"remind me in 1 hour 30 minutes", []string{"(in 1 h 30 min)"}, ""},
		{"pause all for 2 hours 2 hours", []string{"Give the length once, like `2 hours`."}, "pause all for 2 hours"},
		{"away for 2 days and 2 days", []string{"Give the length once, like `2 days`."}, "away for 2 days"},
	} {
		r := k.Send(tt.in)
		bottest.MustContain(t, r, tt.want...)
		if tt.example != "" {
			if got := tryLine(t, r.PlainText()); got != tt.example {
				t.Errorf("%s: example %q, want %q", tt.in, got, tt.example)
			}
		}
	}
}
