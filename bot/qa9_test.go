package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// On the day the clocks spring forward, a run set for a wall time the jump
// skips comes at the end of the gap; it still counts as inside the working
// hours that hold the time it was set for, so a night shift ending at 03:00
// keeps its 02:30 reminder, come at 03:00, instead of losing it.
func TestSpringForwardRunKeepsItsWorkingHours(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 27, 12, 0, 0, 0, berlin))) // Saturday
	k.Send("timezone Europe/Berlin")
	k.Send("hours 22:00-03:00 every day")
	r := k.Send("remind me every day at 02:30 to stretch")
	bottest.MustContain(t, r, "Next: Sun 28 Mar 03:00 CEST · Mon 29 Mar 02:30 CEST")
	bottest.MustContain(t, k.Send("list"), "next Sun 28 Mar 03:00 CEST")
	for range 16 {
		k.Advance(time.Hour)
	}
	got := 0
	for _, d := range k.Deliveries() {
		if strings.Contains(d.Reply.PlainText(), "stretch") {
			got++
		}
	}
	if got != 1 {
		t.Errorf("%d deliveries by Sun 28 Mar 04:00, want the one at 03:00", got)
	}

	// Only a run at the moment of the jump stands for the skipped times: a
	// run after the gap is checked at its own time.
	k.Send("hours 01:00-02:30 every day")
	bottest.MustContain(t, k.Send("remind me every day at 03:30"), "Next: none while your settings stand")
}
