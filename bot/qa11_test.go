package bot_test

import (
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
		"remind me at 930pm to walk":                   "at 21:30",
		"remind me every morning and afternoon":        "every day at 09:00 and 15:00",
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
