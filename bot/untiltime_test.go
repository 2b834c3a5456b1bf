package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A time after the last day of a repeat by days that has no time of its
// own is the repeat's time, also with a start: a daily break at the
// default time that ends at 10 on its last day is never what was meant.
func TestTimeAfterTheLastDayIsTheRepeatsTime(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"schedule every day from 1 feb to 30 april at 10": "every day at 10:00 until Fri 30 Apr 2027, starting Mon 1 Feb 2027",
		"schedule every day from feb to april at 10":      "every day at 10:00 until Fri 30 Apr 2027, starting Mon 1 Feb 2027",
		"remind me every day until 30 april at 10":        "every day at 10:00 until Fri 30 Apr 2027.",
		"remind me every day at 9 until friday at 5pm":    "every day at 09:00 until Fri 4 Dec at 17:00 UTC",
		"remind me every hour until friday at 5pm":        "every hour until Fri 4 Dec at 17:00 UTC",
	} {
		bottest.MustContain(t, k.Send(in), want)
	}
}
