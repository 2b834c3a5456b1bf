package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A summary reports on the last seven days, so it comes at most once a day:
// "summary every hour" would post the same week's figures 24 times a day.
func TestSummaryAtMostOnceADay(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"summary every hour", "summary every 30 minutes", "summary every weekday at 9 and 17", "summary every 20 hours"} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, "A summary comes at most once a day")
		if ex := tryLine(t, r.PlainText()); ex != "summary every friday at 16:00" {
			t.Errorf("%q offers %q", in, ex)
		}
	}
	for _, in := range []string{"summary every friday at 16:00", "summary every day at 9", "summary every other monday at 10", "summary on the first of every month at 9"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}

// Offered examples for a summary come at most once a day too.
func TestSummaryExamplesAtMostOnceADay(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"summary every hour in #general", "summary every 2 hourz"} {
		r := k.Send(in)
		if ex := tryLine(t, r.PlainText()); ex != "summary every friday at 16:00" {
			t.Errorf("%q offers %q", in, ex)
		}
	}
}
