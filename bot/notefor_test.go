package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// "for" after a time that is not a length starts the note: "every weekday
// at 10:30 for the standup" was refused as a length not given. A length,
// or what looks like one mistyped, still goes to the time.
func TestNoteAfterFor(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][]string{
		"remind me every weekday at 10:30 for the standup": {"every weekday at 10:30", "Note: for the standup"},
		"remind me every day at 9 for my back":             {"every day at 09:00", "Note: for my back"},
		"remind me in 2 hours for a walk":                  {"once on Mon 30 Nov at 11:00", "Note: for a walk"},
		"remind me every day at 9 for two weeks":           {"every day at 09:00 until"},
		"remind me every day at 9 for a month":             {"every day at 09:00 until"},
	} {
		r := k.Send(in)
		if r.Error {
			t.Errorf("%s:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want...)
	}
	for _, in := range []string{"remind me every day at 9 for 3 weaks", "remind me every day at 9 for a fortnite", "remind me every day at 9 for the next 3 wekes"} {
		if r := k.Send(in); !r.Error {
			t.Errorf("%s was taken:\n%s", in, r.PlainText())
		}
	}
}
